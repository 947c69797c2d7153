"""Pictures of training: decision boundaries, loss curves, and what a digits network learned.

matplotlib (and numpy, which it depends on) are imported only when a picture is drawn, so
`nn` itself needs neither. Every function draws into the Axes or `matplotlib.figure.Figure`
it is given (the CLI passes a plain `Figure`: no window, no pyplot state) and never saves;
without an `ax`, pyplot makes a figure. Class labels are class indices 0, 1, ..., k-1.

A decision boundary needs the model's class at thousands of grid points. For an MLP those
are computed with numpy from the weights' `.data` (the same arithmetic, no graph: a scalar
engine would spend seconds on what is a few matrix products), after checking on three points
that this gives the model's own outputs; other models are called point by point under `no_grad()`.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable, Sequence
from typing import Any

from .layers import MLP
from .train import History, predict, predict_classes

# tab10 has ten clearly different colours; more classes than that borrow tab20's.
_TAB10_CLASSES = 10


def _new_axes() -> Any:
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def class_colors(k: int) -> list[Any]:
    """k distinct RGBA colours, one per class: the first ten are tab10's."""
    from matplotlib import colormaps

    palette = colormaps["tab10"] if k <= _TAB10_CLASSES else colormaps["tab20"]
    return [palette(i % palette.N) for i in range(k)]


def _mlp_scores(model: MLP, points: Any) -> Any:
    """The MLP's outputs at many points at once: rows of `points` in, rows of outputs out."""
    import numpy as np

    h = points
    if model.scaler is not None:  # what MLP.__call__ does first: the points stay in the data's units
        h = (h - np.array(model.scaler.mean)) / np.array(model.scaler.scale)
    for layer in model.layers:
        weights, biases = layer.weights()
        h = h @ np.array(weights).T + np.array(biases)
        activation = layer.activation
        if activation == "relu":
            h = np.maximum(h, 0.0)
        elif activation == "tanh":
            h = np.tanh(h)
        elif activation == "sigmoid":
            h = 0.5 * (1.0 + np.tanh(0.5 * h))  # sigmoid without exp overflow
    return h


def point_classes(model: Any, points: Any) -> Any:
    """The predicted class of every row of `points` (a 2-d array), as a 1-d int array."""
    import numpy as np

    points = np.asarray(points, dtype=float)
    if isinstance(model, MLP) and _fast_path_agrees(model, points):
        scores = _mlp_scores(model, points)
        return (scores[:, 0] > 0).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)
    return np.array(predict_classes(model, points.tolist()), dtype=int)


def _fast_path_agrees(model: MLP, points: Any) -> bool:
    """Whether numpy's outputs match the model's own at three of the points.

    A subclass (or a model that rescales its inputs itself) may compute something else than
    the layers alone; then the slow, always-right path is taken instead of a wrong picture.
    """
    import numpy as np

    sample = points[[0, len(points) // 2, -1]] if len(points) else points
    fast = _mlp_scores(model, sample)
    slow = np.array(
        [[float(o)] if not isinstance(o, list) else [float(v) for v in o] for o in predict(model, sample.tolist())]
    )
    return fast.shape == slow.shape and bool(np.allclose(fast, slow, rtol=1e-9, atol=1e-12))


def grid_classes(model: Any, xs: Any, ys: Any) -> Any:
    """The predicted class at every point of the grid (xs, ys) of a two-input model, as a 2-d array."""
    import numpy as np

    return point_classes(model, np.column_stack([xs.ravel(), ys.ravel()])).reshape(xs.shape)


def _class_indices(y: Sequence[Any]) -> Any:
    import numpy as np

    # +-1 labels (hinge loss) mean classes 0 and 1, as in nn.train
    labels = np.asarray([0 if int(c) == -1 else int(c) for c in y], dtype=int)
    if labels.size and labels.min() < 0:
        raise ValueError(f"class labels must be 0, 1, ... (or +-1); got {int(labels.min())}")
    return labels


def _check_features(features: Sequence[int], n_features: int) -> tuple[int, int]:
    # numbers.Integral covers numpy's integers too; a float column index is refused, not rounded
    columns = [operator.index(f) if isinstance(f, numbers.Integral) else -1 for f in features]
    if len(columns) != 2 or not all(0 <= c < n_features for c in columns):
        raise ValueError(f"features must be two column indices in 0..{n_features - 1}; got {tuple(features)!r}")
    if columns[0] == columns[1]:
        raise ValueError(f"features must be two different columns; got {tuple(features)!r}")
    return columns[0], columns[1]


def decision_boundary(
    model: Any,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    ax: Any = None,
    *,
    resolution: int = 200,
    feature_names: Sequence[str] | None = None,
    class_names: Sequence[str] | None = None,
    features: Sequence[int] = (0, 1),
    transform: Callable[[list[list[float]]], Any] | None = None,
) -> Any:
    """Colour the plane by the class `model` predicts and draw the data on top; returns `ax`.

    One output: class 1 where the score is > 0; several outputs: the argmax. Each class has
    one colour, the same for its region and its points, and one legend entry (`class_names[k]`,
    else "class k"). Axes are labelled `feature_names[i]` (e.g. the CSV header), else "x0", "x1".

    With more than two features the plane shows columns `features=(i, j)`; the model needs all
    its inputs, so the others are held at their mean over X (a slice through the data, which the
    title says). `transform`, if given, maps the grid rows (lists, in X's units) to what the model
    reads, e.g. a fitted scaler's `transform`, so the axes keep the user's units.

        >>> ax = decision_boundary(model, X, y, Figure().add_subplot(), feature_names=["x", "y"])
    """
    import numpy as np
    from matplotlib.colors import BoundaryNorm, ListedColormap

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] < 2 or len(X) == 0:
        raise ValueError(f"decision_boundary needs rows of at least 2 features; X has shape {X.shape}")
    i, j = _check_features(features, X.shape[1])
    names = list(feature_names) if feature_names is not None else [f"x{c}" for c in range(X.shape[1])]
    if len(names) != X.shape[1]:
        raise ValueError(f"feature_names has {len(names)} names for {X.shape[1]} features")
    labels = _class_indices(y)
    if len(labels) != len(X):
        raise ValueError(f"decision_boundary: {len(X)} rows of X but {len(labels)} labels")
    ax = ax if ax is not None else _new_axes()

    margin = 0.25 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.meshgrid(np.linspace(low[i], high[i], resolution), np.linspace(low[j], high[j], resolution))
    grid = np.tile(X.mean(axis=0), (xs.size, 1))
    grid[:, i], grid[:, j] = xs.ravel(), ys.ravel()
    model_input = np.asarray(transform(grid.tolist()), dtype=float) if transform is not None else grid
    classes = point_classes(model, model_input).reshape(xs.shape)

    k = max(int(labels.max()), int(classes.max()), len(class_names or []) - 1, 1) + 1
    colors = class_colors(k)
    # One colour map and one norm for regions and points: class c maps to colors[c] in both.
    cmap = ListedColormap(colors)
    norm = BoundaryNorm(np.arange(k + 1) - 0.5, k)
    ax.contourf(xs, ys, classes, levels=np.arange(k + 1) - 0.5, cmap=cmap, norm=norm, alpha=0.3)
    for c in range(k):
        mine = labels == c
        name = class_names[c] if class_names is not None and c < len(class_names) else f"class {c}"
        ax.scatter(X[mine, i], X[mine, j], color=colors[c], s=25, edgecolors="k", linewidths=0.5, label=name)
    ax.legend(title="class", loc="best", fontsize="small", framealpha=0.8)
    ax.set_xlim(low[i], high[i])
    ax.set_ylim(low[j], high[j])
    ax.set_xlabel(names[i])
    ax.set_ylabel(names[j])
    if X.shape[1] == 2:
        ax.set_title("decision boundary")
    else:
        others = X.shape[1] - 2
        ax.set_title(
            f"decision boundary: {names[i]} vs {names[j]}\n"
            f"(the other {others} feature{'s' if others > 1 else ''} held at {'their' if others > 1 else 'its'} mean)",
            fontsize="medium",
        )
    return ax


def _first_non_finite(values: Sequence[float]) -> int | None:
    """Index of the first NaN or infinite value, or None."""
    return next((n for n, v in enumerate(values) if not math.isfinite(v)), None)


def _spans_decades(values: Sequence[float], decades: float) -> bool:
    positive = [v for v in values if math.isfinite(v) and v > 0]
    return bool(positive) and max(positive) > min(positive) * 10**decades


def _height_in_axes(ax: Any, y: float) -> float:
    """Where the value y sits on ax's y-axis: 0 at the bottom, 1 at the top (after autoscaling)."""
    ax.get_ylim()  # settles the limits
    return float((ax.transScale + ax.transLimits).transform((0.0, y))[1]) if math.isfinite(y) else 0.0


def history(history: History, ax: Any = None) -> Any:
    """Loss (left axis) and accuracy (right axis) per epoch, from `fit`'s history; returns `ax`.

    Uses "loss" and "accuracy" and, when present, "val_loss" and "val_accuracy": the training
    set in blue, the validation set in orange, loss solid and accuracy dashed. The loss axis
    turns logarithmic when the finite losses span more than three decades (a diverging run
    would otherwise flatten the rest to zero), and the first epoch whose loss is NaN or
    infinite gets a red line: the curve stops there, and the picture says why.
    """
    from matplotlib.ticker import MaxNLocator

    ax = ax if ax is not None else _new_axes()
    sets = [("train", "tab:blue", ""), ("validation", "tab:orange", "val_")]
    losses = [(name, color, history[p + "loss"]) for name, color, p in sets if history.get(p + "loss")]
    for name, color, values in losses:
        epochs = range(1, len(values) + 1)
        # matplotlib leaves NaN and inf out of the line and of the axis limits: the curve just stops
        ax.plot(epochs, values, color=color, label=f"{name} loss")
    log = _spans_decades([v for _, _, values in losses for v in values], 3)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (log scale)" if log else "loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    n_epochs = max((len(values) for _, _, values in losses), default=0)
    if n_epochs:
        ax.set_xlim(0.5, n_epochs + 0.5)  # keep the epochs after a NaN in view

    marked = set()
    for name, _, values in losses:
        bad = _first_non_finite(values)
        if bad is None or bad + 1 in marked:
            continue
        marked.add(bad + 1)
        epoch = bad + 1
        ax.axvline(epoch, color="red", linestyle=":", linewidth=1.5)
        right_half = epoch > (n_epochs + 1) / 2
        # the note goes where the curve is not: at the bottom if the curve ended high (a divergence)
        ended_high = bad > 0 and _height_in_axes(ax, values[bad - 1]) > 0.5
        ax.annotate(
            f"{name} loss became {values[bad]} at epoch {epoch}",
            xy=(epoch, 0.03 if ended_high else 0.97),
            xycoords=("data", "axes fraction"),
            xytext=(-4 if right_half else 4, 0),
            textcoords="offset points",
            ha="right" if right_half else "left",
            va="bottom" if ended_high else "top",
            color="red",
            fontsize="small",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )

    handles, labels = ax.get_legend_handles_labels()
    top = ax
    accuracies = [(name, color, history[p + "accuracy"]) for name, color, p in sets if history.get(p + "accuracy")]
    if accuracies:
        top = ax.twinx()
        for name, color, values in accuracies:
            top.plot(range(1, len(values) + 1), values, color=color, linestyle="--", label=f"{name} accuracy")
        which = ", ".join(name for name, _, _ in accuracies)
        top.set_ylabel(f"accuracy ({which})" if len(accuracies) > 1 else f"{which} accuracy")
        top.set_ylim(0.0, 1.05)
        more_handles, more_labels = top.get_legend_handles_labels()
        handles, labels = handles + more_handles, labels + more_labels
    # Below the plot, where no curve can hide it; on the twin axes, which is drawn above `ax`.
    if handles:
        top.legend(
            handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize="small", frameon=False
        )
    ax.set_title("training")
    return ax


def _as_rows(weights: Any) -> Any:
    """Incoming weights as a 2-d array, one row per unit, from a Layer, an MLP or rows of numbers."""
    import numpy as np

    if hasattr(weights, "layers"):  # an MLP: its first (hidden) layer
        weights = weights.layers[0]
    if hasattr(weights, "neurons"):
        weights = weights.weights()[0]
    rows = np.asarray(weights, dtype=float)
    if rows.ndim != 2 or rows.shape[0] == 0:
        raise ValueError(f"weights must be rows of numbers, one row per unit; got shape {rows.shape}")
    return rows


def _grid_shape(n: int, aspect: float) -> tuple[int, int]:
    """(rows, columns) for n square panels on a figure `aspect` times wider than tall.

    Near the best-fitting column count, the one leaving the fewest empty cells (32 units: 8x4, not 7x5).
    """
    target = math.sqrt(n * aspect)
    candidates = range(max(1, math.floor(target)), min(n, math.ceil(target) + 1) + 1)
    columns = min(candidates, key=lambda c: (-n % c, abs(c - target)))
    return math.ceil(n / columns), columns


def _image_panels(figure: Any, n: int) -> list[Any]:
    """n image axes in a grid on `figure`, with no ticks; the unused cells of the grid removed."""
    width, height = figure.get_size_inches()
    rows, columns = _grid_shape(n, width / height)
    axes = figure.subplots(rows, columns, squeeze=False).ravel().tolist()
    for extra in axes[n:]:
        extra.remove()
    for panel in axes[:n]:
        panel.set_xticks([])
        panel.set_yticks([])
    return axes[:n]


def hidden_units(weights: Any, figure: Any, *, shape: tuple[int, int] = (8, 8)) -> Any:
    """Each hidden unit's incoming weights drawn as a `shape` image: what the unit looks for.

    `weights` is an `nn.Layer` (e.g. `model.layers[0]`), an `MLP` (its first layer), or rows of
    numbers with one row per unit: row j holds the weights w_{i->j}, i.e. W^(1)[j, :]. Red is a
    positive weight, blue a negative one, white zero, on one scale shared by every panel (so
    units can be compared). Returns `figure`.
    """
    import numpy as np

    rows = _as_rows(weights)
    if rows.shape[1] != shape[0] * shape[1]:
        raise ValueError(
            f"each unit has {rows.shape[1]} weights, which is not a {shape[0]}x{shape[1]} image; pass shape="
        )
    figure.set_layout_engine("constrained")
    largest = float(np.abs(rows).max()) or 1.0
    axes = _image_panels(figure, len(rows))
    for unit, (panel, row) in enumerate(zip(axes, rows)):
        image = panel.imshow(row.reshape(shape), cmap="RdBu_r", vmin=-largest, vmax=largest)
        panel.set_title(f"unit {unit}", fontsize="x-small", pad=2)
    figure.colorbar(image, ax=axes, shrink=0.8, label="weight")
    figure.suptitle(f"hidden units: the {rows.shape[1]} weights into each unit, drawn as {shape[0]}x{shape[1]} pixels")
    return figure


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], n_classes: int | None = None) -> list[list[int]]:
    """counts[t][p]: how many samples of true class t were predicted as class p."""
    if len(y_true) != len(y_pred):
        raise ValueError(f"confusion_matrix: {len(y_true)} true labels but {len(y_pred)} predictions")
    true, pred = [int(t) for t in y_true], [int(p) for p in y_pred]
    if any(c < 0 for c in true + pred):
        raise ValueError("confusion_matrix: class labels must be 0, 1, ...")
    k = n_classes if n_classes is not None else max(true + pred, default=-1) + 1
    counts = [[0] * k for _ in range(k)]
    for t, p in zip(true, pred):
        counts[t][p] += 1
    return counts


def confusion(
    y_true: Sequence[int], y_pred: Sequence[int], ax: Any = None, *, class_names: Sequence[str] | None = None
) -> Any:
    """The confusion matrix with every count written in its cell; rows are the true class,
    columns the predicted class, so the diagonal holds the correct answers. Returns `ax`."""
    import numpy as np

    if len(y_true) == 0:
        raise ValueError("confusion: no samples to count (y_true is empty)")
    k = max(len(class_names or []), max(list(y_true) + list(y_pred), default=-1) + 1)
    counts = np.array(confusion_matrix(y_true, y_pred, k))
    ax = ax if ax is not None else _new_axes()
    ax.imshow(counts, cmap="Blues", vmin=0)
    darkest = counts.max() or 1
    for t in range(k):
        for p in range(k):
            # white on dark cells, black on light ones; zeros are grey to let the errors stand out
            color = "white" if counts[t, p] > darkest / 2 else ("0.6" if counts[t, p] == 0 else "black")
            ax.text(p, t, str(counts[t, p]), ha="center", va="center", color=color, fontsize="small")
    names = list(class_names) if class_names is not None else [str(c) for c in range(k)]
    ax.set_xticks(range(k), names)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    total = int(counts.sum())
    right = int(np.trace(counts))
    ax.set_title(f"confusion matrix: {right} of {total} right ({right / total:.1%})" if total else "confusion matrix")
    return ax


def mistakes(
    images: Sequence[Sequence[float]],
    y_true: Sequence[int],
    y_pred: Sequence[int],
    figure: Any,
    *,
    shape: tuple[int, int] = (8, 8),
    limit: int = 36,
) -> Any:
    """A grid of the misclassified images, each titled "true 3 / pred 8"; returns `figure`.

    `images` has one row of pixels per sample (64 numbers for an 8x8 digit); the first `limit`
    mistakes are shown in order. With no mistakes the figure says so instead of staying blank.
    """
    import numpy as np

    pixels = np.asarray(images, dtype=float)
    if not (len(pixels) == len(y_true) == len(y_pred)):
        raise ValueError(f"mistakes: {len(pixels)} images, {len(y_true)} true labels, {len(y_pred)} predictions")
    if len(pixels) and (pixels.ndim != 2 or pixels.shape[1] != shape[0] * shape[1]):
        raise ValueError(f"mistakes: images must be rows of {shape[0] * shape[1]} pixels; got shape {pixels.shape}")
    wrong = [n for n, (t, p) in enumerate(zip(y_true, y_pred)) if int(t) != int(p)]
    if not wrong:
        panel = figure.add_subplot()
        panel.axis("off")
        panel.text(0.5, 0.5, f"no mistakes on these {len(pixels)} images", ha="center", va="center")
        return figure
    figure.set_layout_engine("constrained")
    shown = wrong[:limit]
    low, high = float(pixels.min()), float(pixels.max())  # one grey scale for every panel
    for panel, n in zip(_image_panels(figure, len(shown)), shown):
        panel.imshow(pixels[n].reshape(shape), cmap="gray_r", vmin=low, vmax=high)
        panel.set_title(f"true {int(y_true[n])} / pred {int(y_pred[n])}", fontsize="small", pad=2)
    figure.suptitle(
        f"{len(wrong)} of {len(pixels)} images misclassified"
        + (f" (first {len(shown)} shown)" if len(shown) < len(wrong) else "")
    )
    return figure
