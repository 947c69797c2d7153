"""Pictures of training: the decision boundary over the data, and the loss/accuracy curves.

matplotlib (and numpy, which it depends on) are imported only when a picture is drawn, so
`nn` itself needs neither. Pass `ax` to draw into your own axes (the CLI does, with a
plain `Figure`, so no window or pyplot state is involved); without it pyplot makes a figure.

A decision boundary needs the model's class at thousands of grid points. For an MLP those
are computed with numpy from the weights' `.data` (the same arithmetic, no graph: a scalar
engine would spend seconds on what is a few matrix products); other models are called
point by point under `no_grad()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .layers import MLP
from .train import History, predict, predicted_class


def _new_axes() -> Any:
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _mlp_scores(model: MLP, points: Any) -> Any:
    """The MLP's outputs at many points at once: rows of `points` in, rows of outputs out."""
    import numpy as np

    h = points
    for layer in model.layers:
        weights = np.array([[w.data for w in n.w] for n in layer.neurons])
        biases = np.array([n.b.data for n in layer.neurons])
        h = h @ weights.T + biases
        activation = layer.activation
        if activation == "relu":
            h = np.maximum(h, 0.0)
        elif activation == "tanh":
            h = np.tanh(h)
        elif activation == "sigmoid":
            h = 0.5 * (1.0 + np.tanh(0.5 * h))  # sigmoid without exp overflow
    return h


def grid_classes(model: Any, xs: Any, ys: Any) -> Any:
    """The predicted class at every point of the grid (xs, ys), as a 2-d array."""
    import numpy as np

    points = np.column_stack([xs.ravel(), ys.ravel()])
    if isinstance(model, MLP):
        scores = _mlp_scores(model, points)
        classes = (scores[:, 0] > 0).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)
    else:
        classes = np.array([predicted_class(o) for o in predict(model, points.tolist())])
    return classes.reshape(xs.shape)


def decision_boundary(
    model: Any, X: Sequence[Sequence[float]], y: Sequence[int], ax: Any = None, *, resolution: int = 200
) -> Any:
    """Colour the plane by the class `model` predicts and draw the data on top; returns `ax`.

    Works for models with two inputs. One output: class 1 where the score is > 0;
    several outputs: the argmax.
    """
    import numpy as np

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision_boundary draws 2-d inputs; X has shape {X.shape}")
    ax = ax if ax is not None else _new_axes()
    margin = 0.25 * (X.max(axis=0) - X.min(axis=0)) + 1e-9
    low, high = X.min(axis=0) - margin, X.max(axis=0) + margin
    xs, ys = np.meshgrid(np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution))
    classes = grid_classes(model, xs, ys)
    labels = np.asarray([int(c) for c in y])
    k = int(max(labels.max(), classes.max())) + 1
    levels = np.arange(k + 1) - 0.5
    ax.contourf(xs, ys, classes, levels=levels, cmap="Spectral", alpha=0.35)
    ax.scatter(X[:, 0], X[:, 1], c=labels, cmap="Spectral", vmin=0, vmax=k - 1, s=25, edgecolors="k", linewidths=0.5)
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_title("decision boundary")
    return ax


def history(history: History, ax: Any = None) -> Any:
    """Loss (left axis) and accuracy (right axis) per epoch, from `fit`'s history; returns `ax`."""
    ax = ax if ax is not None else _new_axes()
    epochs = range(1, len(history["loss"]) + 1)
    ax.plot(epochs, history["loss"], color="tab:blue", label="loss")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss", color="tab:blue")
    if history.get("accuracy"):
        right = ax.twinx()
        right.plot(epochs, history["accuracy"], color="tab:orange", label="accuracy")
        right.set_ylabel("accuracy", color="tab:orange")
        right.set_ylim(0.0, 1.05)
    ax.set_title("training")
    return ax
