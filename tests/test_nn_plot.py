"""Pictures, checked through matplotlib's artists (colours, labels, image data), not pixels."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")  # no screen in CI

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

from nn import MLP, Layer
from nn.data import make_blobs, make_moons
from nn.plot import (
    confusion,
    confusion_matrix,
    decision_boundary,
    grid_classes,
    hidden_units,
    history,
    mistakes,
)
from nn.train import predict, predicted_class


def new_axes():
    return Figure().add_subplot()


def regions_of(ax) -> ContourSet:
    (regions,) = [c for c in ax.collections if isinstance(c, ContourSet)]
    return regions


def points_of(ax) -> dict[str, PathCollection]:
    return {c.get_label(): c for c in ax.collections if isinstance(c, PathCollection)}


def legend_texts(ax) -> list[str]:
    legends = [a.get_legend() for a in ax.figure.axes if a.get_legend() is not None]
    return [t.get_text() for legend in legends for t in legend.get_texts()]


# --- the model's classes on a grid ---


@pytest.mark.parametrize("nouts, activation", [([8, 1], "relu"), ([8, 3], "tanh"), ([4, 4, 2], "sigmoid")])
def test_grid_classes_agree_with_the_model_point_by_point(nouts, activation):
    model = MLP(2, nouts, activation, seed=0)
    xs, ys = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-2, 2, 5))
    classes = grid_classes(model, xs, ys)
    points = np.column_stack([xs.ravel(), ys.ravel()]).tolist()
    expected = [predicted_class(o) for o in predict(model, points)]
    assert classes.ravel().tolist() == expected


def test_grid_classes_call_other_models_point_by_point():
    layer = Layer(2, 3, "linear")
    xs, ys = np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3))
    points = np.column_stack([xs.ravel(), ys.ravel()]).tolist()
    assert grid_classes(layer, xs, ys).ravel().tolist() == [predicted_class(o) for o in predict(layer, points)]


class Rescaling(MLP):
    """An MLP that rescales its inputs itself: numpy's fast path must not skip that."""

    def __call__(self, x):
        return super().__call__([10.0 * v - 3.0 for v in x])


def test_grid_classes_of_a_model_that_transforms_its_inputs_come_from_the_model():
    model = Rescaling(2, [8, 3], seed=0)
    xs, ys = np.meshgrid(np.linspace(-1, 1, 6), np.linspace(-1, 1, 6))
    points = np.column_stack([xs.ravel(), ys.ravel()]).tolist()
    assert grid_classes(model, xs, ys).ravel().tolist() == [predicted_class(o) for o in predict(model, points)]


# --- decision boundary ---


def test_decision_boundary_draws_into_the_given_axes_without_pyplot():
    X, y = make_moons(30, 0.1, seed=0)
    plt.close("all")
    ax = new_axes()
    assert decision_boundary(MLP(2, [8, 1], seed=0), X, y, ax, resolution=20) is ax
    assert plt.get_fignums() == []


def test_each_class_has_one_colour_for_its_points_and_its_region():
    X, y = make_blobs(60, 0.3, seed=0)
    model = MLP(2, [8, 3], seed=0)
    ax = decision_boundary(model, X, y, new_axes(), resolution=40, class_names=["a", "b", "c"])
    regions, points = regions_of(ax), points_of(ax)
    # band c of the filled contour lies between c - 0.5 and c + 0.5: it is where the model says c
    assert regions.levels.tolist() == [-0.5, 0.5, 1.5, 2.5]
    region_rgb = [tuple(rgba[:3]) for rgba in regions.get_facecolor()]
    assert set(grid_classes(model, *np.meshgrid(np.linspace(-3, 3, 40), np.linspace(-3, 3, 40))).ravel()) == {0, 1, 2}
    for c, name in enumerate(["a", "b", "c"]):
        faces = points[name].get_facecolor()
        assert len(points[name].get_offsets()) == y.count(c)
        assert {tuple(rgba[:3]) for rgba in faces} == {region_rgb[c]}
    assert len(set(region_rgb)) == 3  # three different colours


def test_points_are_drawn_at_their_coordinates_under_their_true_class():
    X, y = make_blobs(30, 0.3, seed=1)
    ax = decision_boundary(MLP(2, [4, 3], seed=0), X, y, new_axes(), resolution=10)
    points = points_of(ax)
    for c in range(3):
        expected = [row for row, label in zip(X, y) if label == c]
        assert points[f"class {c}"].get_offsets().tolist() == expected


def test_plus_minus_one_labels_are_classes_zero_and_one():
    X, y = [[0.0, 0.0], [1.0, 1.0], [2.0, 0.0]], [-1, 1, -1]
    points = points_of(decision_boundary(MLP(2, [1], seed=0), X, y, new_axes(), resolution=5))
    assert points["class 0"].get_offsets().tolist() == [[0.0, 0.0], [2.0, 0.0]]
    assert points["class 1"].get_offsets().tolist() == [[1.0, 1.0]]


def test_legend_has_one_entry_per_class_named_class_k_by_default():
    X, y = make_blobs(30, 0.3, seed=0)
    ax = decision_boundary(MLP(2, [8, 3], seed=0), X, y, new_axes(), resolution=10)
    assert legend_texts(ax) == ["class 0", "class 1", "class 2"]


def test_legend_uses_class_names_and_lists_classes_without_points():
    X, y = [[0.0, 0.0], [1.0, 1.0]], [0, 1]
    ax = decision_boundary(MLP(2, [3], seed=0), X, y, new_axes(), resolution=10, class_names=["cat", "dog", "emu"])
    assert legend_texts(ax) == ["cat", "dog", "emu"]


def test_one_output_model_has_two_classes_in_the_legend():
    X, y = make_moons(20, 0.1, seed=0)
    ax = decision_boundary(MLP(2, [4, 1], seed=0), X, y, new_axes(), resolution=10)
    assert legend_texts(ax) == ["class 0", "class 1"]


def test_axes_are_labelled_from_feature_names_else_x0_x1():
    X, y = make_moons(20, 0.1, seed=0)
    named = decision_boundary(MLP(2, [1], seed=0), X, y, new_axes(), resolution=10, feature_names=["sepal", "petal"])
    assert (named.get_xlabel(), named.get_ylabel()) == ("sepal", "petal")
    plain = decision_boundary(MLP(2, [1], seed=0), X, y, new_axes(), resolution=10)
    assert (plain.get_xlabel(), plain.get_ylabel()) == ("x0", "x1")
    assert plain.get_title() == "decision boundary"


def test_more_than_two_features_shows_the_chosen_pair_and_says_so():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 4)).tolist()
    y = [int(row[2] > 0) for row in X]
    names = ["a", "b", "c", "d"]
    model = MLP(4, [3, 2], seed=0)
    ax = decision_boundary(model, X, y, new_axes(), resolution=10, feature_names=names, features=(2, 0))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("c", "a")
    assert "c vs a" in ax.get_title()
    assert "other 2 features held at their mean" in ax.get_title()
    assert points_of(ax)["class 1"].get_offsets().tolist() == [[r[2], r[0]] for r in X if r[2] > 0]


def test_features_not_shown_are_held_at_their_mean():
    X = [[0.0, 0.0, 1.0], [1.0, 2.0, 3.0], [2.0, 1.0, 8.0]]
    seen = []

    def model(x):
        seen.append(list(x))
        return x[2] - 5.0

    decision_boundary(model, X, [0, 0, 1], new_axes(), resolution=4)
    assert len(seen) == 16
    assert {row[2] for row in seen} == {4.0}
    assert min(row[0] for row in seen) < 0.0 and max(row[0] for row in seen) > 2.0  # the grid covers the data


def test_transform_maps_the_grid_before_the_model_reads_it():
    X = [[10.0, 20.0], [30.0, 40.0]]
    seen = []

    def model(x):
        seen.append(list(x))
        return x[0]

    ax = decision_boundary(
        model, X, [0, 1], new_axes(), resolution=3, transform=lambda rows: [[v / 10 for v in r] for r in rows]
    )
    assert max(row[0] for row in seen) == pytest.approx(ax.get_xlim()[1] / 10)


@pytest.mark.parametrize(
    "X, features, message",
    [
        ([[0.0], [1.0]], (0, 1), "at least 2 features"),
        ([[0.0, 1.0, 2.0]], (0, 3), "two column indices in 0..2"),
        ([[0.0, 1.0, 2.0]], (1, 1), "two different columns"),
        ([[0.0, 1.0, 2.0]], (0.0, 1.0), "two column indices"),
        ([[0.0, 1.0, 2.0]], (0, 1, 2), "two column indices"),
    ],
)
def test_decision_boundary_refuses_features_it_cannot_draw(X, features, message):
    with pytest.raises(ValueError, match=message):
        decision_boundary(lambda x: 0.0, X, [0] * len(X), new_axes(), features=features)


def test_decision_boundary_makes_its_own_axes_when_none_is_given():
    X, y = make_blobs(30, 0.3, seed=0)
    ax = decision_boundary(MLP(2, [8, 3], seed=0), X, y, resolution=10)
    assert ax.get_title() == "decision boundary"
    plt.close("all")


# --- loss and accuracy per epoch ---


def test_history_plots_loss_and_accuracy_of_the_training_set():
    ax = history({"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]}, new_axes())
    assert ax.get_lines()[0].get_ydata().tolist() == [1.0, 0.5, 0.25]
    (accuracy_axes,) = [a for a in ax.figure.axes if a is not ax]
    assert accuracy_axes.get_lines()[0].get_ydata().tolist() == [0.5, 0.75, 1.0]
    assert accuracy_axes.get_ylabel() == "train accuracy"
    assert legend_texts(ax) == ["train loss", "train accuracy"]


def test_history_labels_train_and_validation_curves():
    run = {"loss": [1.0, 0.5], "accuracy": [0.5, 0.9], "val_loss": [1.2, 0.7], "val_accuracy": [0.4, 0.8]}
    ax = history(run, new_axes())
    assert legend_texts(ax) == ["train loss", "validation loss", "train accuracy", "validation accuracy"]
    assert [line.get_ydata().tolist() for line in ax.get_lines()] == [[1.0, 0.5], [1.2, 0.7]]
    (accuracy_axes,) = [a for a in ax.figure.axes if a is not ax]
    assert accuracy_axes.get_ylabel() == "accuracy (train, validation)"


def test_history_without_accuracy_has_one_axes_and_a_legend():
    ax = history({"loss": [3.0, 2.0]}, new_axes())
    assert ax.figure.axes == [ax]
    assert legend_texts(ax) == ["train loss"]


@pytest.mark.parametrize(
    "losses, scale",
    [
        ([1000.0, 10.0, 1.0], "linear"),  # exactly three decades: still linear
        ([1001.0, 10.0, 1.0], "log"),
        ([5e233, 2.0, 0.3], "log"),  # the diverging run of issue 10
        ([2.0, 1.0, 0.5, math.nan], "linear"),  # NaN is not a value to span
        ([1000.0, 1.0, math.inf, math.nan], "linear"),  # nor is inf
    ],
)
def test_loss_axis_turns_logarithmic_beyond_three_decades(losses, scale):
    ax = history({"loss": losses}, new_axes())
    assert ax.get_yscale() == scale
    assert ax.get_ylabel() == ("loss (log scale)" if scale == "log" else "loss")


def test_validation_loss_counts_towards_the_span():
    ax = history({"loss": [10.0, 5.0], "val_loss": [10.0, 0.001]}, new_axes())
    assert ax.get_yscale() == "log"


def marker_epochs(ax) -> list[float]:
    """x of the vertical lines: lines whose two points share one x and span the axes."""
    return [line.get_xdata()[0] for line in ax.get_lines() if len(set(line.get_xdata())) == 1]


@pytest.mark.parametrize("bad, text", [(math.nan, "train loss became nan at epoch 4"), (math.inf, "became inf")])
def test_the_epoch_where_the_loss_stopped_being_finite_is_marked(bad, text):
    ax = history({"loss": [1.0, 30.0, 900.0, bad, math.nan], "accuracy": [0.5] * 5}, new_axes())
    assert marker_epochs(ax) == [4]
    (note,) = ax.texts
    assert text in note.get_text()
    low, high = ax.get_ylim()
    assert math.isfinite(low) and math.isfinite(high) and high < 1e4  # an inf does not stretch the axis
    assert ax.get_xlim()[1] >= 5  # the epochs after it stay in view


def test_the_note_sits_away_from_where_the_curve_ended():
    diverged = history({"loss": [1.0, 1e5, 1e200, math.nan]}, new_axes())
    assert diverged.texts[0].xy[1] < 0.5  # the curve ended at the top: the note goes to the bottom
    collapsed = history({"loss": [1.0, 0.5, 0.1, math.nan]}, new_axes())
    assert collapsed.texts[0].xy[1] > 0.5


def test_the_epochs_after_a_nan_stay_in_view():
    ax = history({"loss": [1.0, 2.0, math.nan, math.nan, math.nan, math.nan]}, new_axes())
    assert ax.get_xlim()[1] >= 6  # not cut at epoch 2, where the finite values end


def test_a_finite_run_has_no_marker():
    ax = history({"loss": [1.0, 0.5, 0.2]}, new_axes())
    assert marker_epochs(ax) == [] and len(ax.texts) == 0


def test_validation_loss_becoming_nan_is_marked_too():
    ax = history({"loss": [1.0, 0.5, 0.2], "val_loss": [1.0, math.nan, math.nan]}, new_axes())
    assert marker_epochs(ax) == [2]
    assert "validation loss became nan at epoch 2" in ax.texts[0].get_text()


# --- hidden units ---


def images_of(figure) -> list:
    return [a.get_images()[0] for a in figure.axes if a.get_images()]


def test_hidden_units_draws_one_8x8_panel_per_unit():
    weights = np.arange(5 * 64, dtype=float).reshape(5, 64) - 100.0
    figure = hidden_units(weights, Figure())
    images = images_of(figure)
    assert len(images) == 5
    for unit, image in enumerate(images):
        assert image.get_array().shape == (8, 8)
        assert np.array_equal(image.get_array(), weights[unit].reshape(8, 8))  # row-major: pixel i is weight i
    assert [a.get_title() for a in figure.axes if a.get_images()] == [f"unit {u}" for u in range(5)]


def test_hidden_units_colour_scale_is_diverging_centred_at_zero_and_shared():
    weights = [[0.5, -1.0, 3.0, 0.0], [0.1, 0.2, 0.3, 0.4]]
    images = images_of(hidden_units(weights, Figure(), shape=(2, 2)))
    assert all(image.get_clim() == (-3.0, 3.0) for image in images)  # -3 although no weight is below -1
    assert all(image.get_cmap().name == "RdBu_r" for image in images)


def test_hidden_units_reads_a_layer_of_the_network():
    model = MLP(64, [6, 10], seed=0)
    images = images_of(hidden_units(model.layers[0], Figure()))
    assert len(images) == 6
    expected = [w.data for w in model.layers[0].neurons[2].w]
    assert images[2].get_array().ravel().tolist() == expected


def test_hidden_units_refuses_weights_of_the_wrong_size():
    with pytest.raises(ValueError, match="65 weights, which is not a 8x8 image"):
        hidden_units(np.zeros((3, 65)), Figure())


# --- confusion matrix ---

Y_TRUE = [0, 0, 1, 1, 1, 2, 2, 2, 2]
Y_PRED = [0, 1, 1, 1, 2, 2, 2, 0, 2]
BY_HAND = [[1, 1, 0], [0, 2, 1], [1, 0, 3]]


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    assert confusion_matrix(Y_TRUE, Y_PRED) == BY_HAND
    assert confusion_matrix([0], [0], n_classes=2) == [[1, 0], [0, 0]]


def test_confusion_picture_writes_every_count_in_its_cell():
    ax = confusion(Y_TRUE, Y_PRED, new_axes())
    assert ax.get_images()[0].get_array().tolist() == BY_HAND
    cells = {(round(t.get_position()[1]), round(t.get_position()[0])): int(t.get_text()) for t in ax.texts}
    assert cells == {(row, col): BY_HAND[row][col] for row in range(3) for col in range(3)}
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("true class", "predicted class")
    assert ax.get_title() == "confusion matrix: 6 of 9 right (66.7%)"


def test_confusion_refuses_an_empty_set():
    with pytest.raises(ValueError, match="no samples"):
        confusion([], [], new_axes())


def test_features_may_be_numpy_integers():
    X = np.array([[0.0, 1.0, 2.0], [1.0, 0.0, 3.0]])
    ax = decision_boundary(lambda x: x[2] - 2.5, X, [0, 1], new_axes(), resolution=4, features=np.array([2, 1]))
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x2", "x1")


def test_confusion_ticks_use_class_names():
    ax = confusion([0, 1], [1, 1], new_axes(), class_names=["no", "yes"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["no", "yes"]


# --- misclassified digits ---


def titled_images(figure) -> list[tuple[str, list]]:
    return [(a.get_title(), a.get_images()[0].get_array().tolist()) for a in figure.axes if a.get_images()]


def test_mistakes_shows_exactly_the_misclassified_images_with_their_labels():
    images = np.arange(len(Y_TRUE) * 4, dtype=float).reshape(-1, 4)
    figure = mistakes(images, Y_TRUE, Y_PRED, Figure(), shape=(2, 2))
    wrong = [1, 4, 7]  # where Y_TRUE and Y_PRED differ
    assert titled_images(figure) == [
        (f"true {Y_TRUE[n]} / pred {Y_PRED[n]}", images[n].reshape(2, 2).tolist()) for n in wrong
    ]
    assert figure.get_suptitle() == "3 of 9 images misclassified"


def test_mistakes_shows_at_most_limit_and_says_so():
    y_true, y_pred = [0] * 10, [1] * 10
    figure = mistakes(np.zeros((10, 64)), y_true, y_pred, Figure(), limit=4)
    assert len(titled_images(figure)) == 4
    assert figure.get_suptitle() == "10 of 10 images misclassified (first 4 shown)"


def test_mistakes_says_when_there_are_none():
    figure = mistakes(np.zeros((5, 64)), [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], Figure())
    assert titled_images(figure) == []
    assert [t.get_text() for a in figure.axes for t in a.texts] == ["no mistakes on these 5 images"]


def test_mistakes_refuses_images_of_the_wrong_size():
    with pytest.raises(ValueError, match="rows of 64 pixels"):
        mistakes(np.zeros((2, 63)), [0, 1], [1, 1], Figure())
