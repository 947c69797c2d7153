"""Pictures: the decision boundary colours the plane by the model's own predictions."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no screen in CI

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nn import MLP, Layer
from nn.data import make_blobs, make_moons
from nn.plot import decision_boundary, grid_classes, history
from nn.train import predict, predicted_class


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


def test_decision_boundary_draws_regions_and_points_into_the_given_axes():
    X, y = make_moons(30, 0.1, seed=0)
    ax = Figure().add_subplot()
    assert decision_boundary(MLP(2, [8, 1], seed=0), X, y, ax, resolution=20) is ax
    assert len(ax.collections) >= 2  # filled regions and the scatter of the data


def test_decision_boundary_handles_several_classes_and_makes_its_own_axes():
    X, y = make_blobs(30, 0.3, seed=0)
    ax = decision_boundary(MLP(2, [8, 3], seed=0), X, y, resolution=20)
    assert ax.get_title() == "decision boundary"
    plt.close("all")


def test_decision_boundary_needs_two_features():
    with pytest.raises(ValueError, match="2-d"):
        decision_boundary(MLP(3, [1], seed=0), [[0.0, 1.0, 2.0]], [0], Figure().add_subplot())


def test_history_plots_loss_and_accuracy():
    ax = history({"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.75, 1.0]}, Figure().add_subplot())
    assert ax.get_lines()[0].get_ydata().tolist() == [1.0, 0.5, 0.25]
    assert len(ax.figure.axes) == 2  # the accuracy axis on the right
