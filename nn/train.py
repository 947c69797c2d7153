"""`fit`: the training loop written once: forward, loss, backward, update, per mini-batch.

It is the loop the course writes by hand, nothing more:

    for each epoch, for each mini-batch (Xb, yb):
        outputs = [model(x) for x in Xb]      # feed forward
        loss = loss_fn(outputs, yb)           # a batch mean: its gradient is the average
        optimizer.zero_grad(); loss.backward()  # feed backward
        optimizer.step()                      # update the weights

Accuracy is read from `.data` of the outputs the loop already computed (no second forward
pass), so an epoch's accuracy describes the model during that epoch, as micrograd prints it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Union

from autograd import Value, no_grad

from . import losses
from .data import batches
from .losses import l2 as l2_of
from .module import Module

LossFn = Callable[[list, list], Value]
Loss = Union[str, LossFn]
History = dict[str, list[float]]


def predicted_class(output: Any) -> int:
    """The class an output votes for: argmax of a list; for one score, 1 if it is > 0 else 0.

    One score is a logit or a margin (hinge, binary cross-entropy), so its threshold is 0.
    """
    if isinstance(output, (list, tuple)):
        scores = [float(o) for o in output]
        return scores.index(max(scores))
    return 1 if float(output) > 0 else 0


def _true_class(label: Any) -> int:
    """Class of a label: a class index, a +-1 label (-1 -> 0), or a one-hot/target list (argmax)."""
    if isinstance(label, (list, tuple)):
        return label.index(max(label))
    return 0 if label < 0 else int(label)


def count_correct(outputs: Sequence[Any], labels: Sequence[Any]) -> int:
    """How many outputs predict their label's class."""
    return sum(predicted_class(o) == _true_class(t) for o, t in zip(outputs, labels))


def predict(model: Callable, X: Sequence[Any]) -> list[Any]:
    """The model's outputs on every row of X, without recording a graph."""
    with no_grad():
        return [model(x) for x in X]


def accuracy(model: Callable, X: Sequence[Any], y: Sequence[Any]) -> float:
    """Fraction of rows of X whose predicted class is their label's class."""
    if len(X) == 0:
        raise ValueError("accuracy: X is empty")
    return count_correct(predict(model, X), y) / len(X)


def fit(
    model: Module,
    X: Sequence[Any],
    y: Sequence[Any],
    *,
    loss: Loss,
    optimizer: Any,
    epochs: int,
    batch_size: int | None = None,
    progress: bool = True,
    l2: float = 0.0,
    scheduler: Any = None,
    seed: int | None = None,
) -> History:
    """Train `model` on (X, y); returns {"loss": [...], "accuracy": [...]}, one entry per epoch.

    `loss` is a function `loss(outputs, labels) -> Value` or a name from `nn.losses`
    ("hinge", "cross_entropy", ...). `batch_size=None` uses the whole dataset (full-batch
    gradient descent); otherwise the data is reshuffled each epoch (`seed` fixes the order).
    `l2 > 0` adds `l2 * sum of squared parameters` to every batch loss (micrograd's demo
    uses 1e-4). `scheduler.step()`, if given, runs after every optimizer step.
    A progress bar (tqdm, if installed) shows the loss and accuracy.
    """
    loss_fn = losses.get(loss) if isinstance(loss, str) else loss
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"fit: need as many labels as inputs (at least one), got {len(X)} inputs, {len(y)} labels")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    size = batch_size or len(X)
    rng = random.Random(seed)
    params = model.parameters()
    history: History = {"loss": [], "accuracy": []}
    bar = _progress_bar(epochs, progress)
    for _ in bar:
        total_loss, correct = 0.0, 0
        for Xb, yb in batches(X, y, size, shuffle=size < len(X), seed=rng):  # one rng: a new order each epoch
            outputs = [model(x) for x in Xb]
            batch_loss = loss_fn(outputs, yb)
            if l2:
                batch_loss = batch_loss + l2 * l2_of(params)
            optimizer.zero_grad()
            batch_loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            total_loss += batch_loss.data * len(Xb)
            correct += count_correct(outputs, yb)
        history["loss"].append(total_loss / len(X))
        history["accuracy"].append(correct / len(X))
        if progress and hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{history['loss'][-1]:.4f}", accuracy=f"{history['accuracy'][-1]:.1%}")
    return history


def _progress_bar(epochs: int, progress: bool) -> Any:
    if progress:
        try:
            from tqdm.auto import tqdm
        except ImportError:  # tqdm is optional (the `progress` extra): train without a bar
            return range(epochs)
        return tqdm(range(epochs), desc="training", unit="epoch")
    return range(epochs)
