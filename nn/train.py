"""`fit`: the training loop written once: forward, loss, backward, update, per mini-batch.

It is the loop the course writes by hand, nothing more:

    for each epoch, for each mini-batch (Xb, yb):
        outputs = [model(x) for x in Xb]      # feed forward
        loss = loss_fn(outputs, yb)           # a batch mean: its gradient is the average
        optimizer.zero_grad(); loss.backward()  # feed backward
        optimizer.step()                      # update the weights

Accuracy is read from `.data` of the outputs the loop already computed (no second forward
pass), so an epoch's accuracy describes the model during that epoch, as micrograd prints it.
With `val=(X_val, y_val)` each epoch ends with one forward pass over the held-out data (no
graph), and `patience` turns that into early stopping that keeps the best weights seen.
"""

from __future__ import annotations

import math
import random
import sys
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


def predict_classes(model: Callable, X: Sequence[Any]) -> list[int]:
    """The class the model predicts for every row of X (see `predicted_class`), without recording a graph."""
    return [predicted_class(o) for o in predict(model, X)]


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
    val: tuple[Sequence[Any], Sequence[Any]] | None = None,
    patience: int | None = None,
    compile: bool = False,
) -> History:
    """Train `model` on (X, y); returns {"loss": [...], "accuracy": [...]}, one entry per epoch.

    `loss` is a function `loss(outputs, labels) -> Value` or a name from `nn.losses`
    ("hinge", "cross_entropy", ...). `batch_size=None` uses the whole dataset (full-batch
    gradient descent); otherwise the data is reshuffled each epoch (`seed` fixes the order).
    `l2 > 0` adds `l2 * sum of squared parameters` to every batch loss (micrograd's demo
    uses 1e-4). `scheduler.step()`, if given, runs after every optimizer step.

    `val=(X_val, y_val)` evaluates the model on held-out data after every epoch and adds
    "val_loss" (the loss alone, without the L2 term) and "val_accuracy" to the history.
    `patience=k` (needs `val`) stops when the validation loss has not improved for k epochs
    and puts back the weights of the epoch with the lowest validation loss, so the model
    returned is the best one seen, not the last.

    `compile=True` compiles one example's loss into a straight-line program once
    (`nn.compiled.CompiledLoss`) and replays it for every example instead of building a
    graph per step: the same weights and history (to 1e-9 relative), several times faster.

    An epoch whose loss is NaN or infinite (or overflows) ends training: no later step can
    recover from it, and the history shows where it happened.
    `progress=True` shows a tqdm bar on a terminal, else a plain line every tenth of the run.
    """
    loss_fn = losses.get(loss) if isinstance(loss, str) else loss
    if len(X) != len(y) or len(X) == 0:
        raise ValueError(f"fit: need as many labels as inputs (at least one), got {len(X)} inputs, {len(y)} labels")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 0:
        raise ValueError(f"fit: epochs must be an int >= 0, got {epochs!r}")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1):
        raise ValueError(f"fit: batch_size must be a positive int or None, got {batch_size!r}")
    if val is not None and (len(val) != 2 or len(val[0]) != len(val[1]) or len(val[0]) == 0):
        raise ValueError("fit: val must be a pair (X_val, y_val) of equal, non-zero lengths")
    if patience is not None:
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 1:
            raise ValueError(f"fit: patience must be a positive int or None, got {patience!r}")
        if val is None:
            raise ValueError("fit: patience needs validation data: pass val=(X_val, y_val)")
    size = batch_size or len(X)
    rng = random.Random(seed)
    params = model.parameters()
    history: History = {"loss": [], "accuracy": []}
    if val is not None:
        history.update(val_loss=[], val_accuracy=[])
    best_loss, best_weights, since_best = math.inf, None, 0
    report = _Progress(epochs, progress)
    compiled = None
    if compile:
        from .compiled import CompiledLoss  # the compiler is only imported when asked for

        compiled = CompiledLoss(model, loss_fn)
    for _ in range(epochs):
        total_loss, correct = 0.0, 0
        try:
            for Xb, yb in batches(X, y, size, shuffle=size < len(X), seed=rng):  # one rng: a new order each epoch
                if compiled is not None:  # the same step, replayed by a program (sets every .grad)
                    batch_value, outputs = compiled.batch_gradients(Xb, yb, l2)
                else:
                    outputs = [model(x) for x in Xb]
                    batch_loss = loss_fn(outputs, yb)
                    if l2:
                        batch_loss = batch_loss + l2 * l2_of(params)
                    optimizer.zero_grad()
                    batch_loss.backward()
                    batch_value = batch_loss.data
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                total_loss += batch_value * len(Xb)
                correct += count_correct(outputs, yb)
        except OverflowError:  # float ** and exp raise instead of giving inf: the loss did overflow
            total_loss = math.inf
        history["loss"].append(total_loss / len(X))
        history["accuracy"].append(correct / len(X))
        if val is not None:
            val_loss, val_accuracy = evaluate(model, val[0], val[1], loss_fn)
            history["val_loss"].append(val_loss)
            history["val_accuracy"].append(val_accuracy)
        report.epoch_done(history)
        if not math.isfinite(history["loss"][-1]):
            break
        if patience is not None:
            if history["val_loss"][-1] < best_loss:
                best_loss, best_weights, since_best = history["val_loss"][-1], [p.data for p in params], 0
            else:
                since_best += 1
                if since_best >= patience:
                    break
    report.close()
    if best_weights is not None:
        for p, w in zip(params, best_weights):
            p.data = w
    return history


def evaluate(model: Callable, X: Sequence[Any], y: Sequence[Any], loss: Loss) -> tuple[float, float]:
    """(loss, accuracy) of `model` on (X, y), without recording a graph; an overflow gives inf."""
    loss_fn = losses.get(loss) if isinstance(loss, str) else loss
    outputs = predict(model, X)
    try:
        with no_grad():
            value = loss_fn(outputs, list(y)).data
    except OverflowError:
        value = math.inf
    return value, count_correct(outputs, y) / len(X)


class _Progress:
    """A tqdm bar when stderr is a terminal; otherwise one plain line per tenth of the run,
    so that a log file gets ten readable lines instead of hundreds of carriage returns."""

    def __init__(self, epochs: int, enabled: bool) -> None:
        self.epochs, self.enabled, self.done = epochs, enabled, 0
        self.every = max(1, -(-epochs // 10))
        self.bar = None
        if enabled and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:  # tqdm is optional (the `progress` extra): plain lines instead
                pass
            else:
                self.bar = tqdm(total=epochs, desc="training", unit="epoch")

    def epoch_done(self, history: History) -> None:
        self.done += 1
        if not self.enabled:
            return
        numbers = {"loss": f"{history['loss'][-1]:.4f}", "accuracy": f"{history['accuracy'][-1]:.1%}"}
        if "val_loss" in history:
            numbers.update(val_loss=f"{history['val_loss'][-1]:.4f}", val_accuracy=f"{history['val_accuracy'][-1]:.1%}")
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_postfix(numbers)
        elif self.done % self.every == 0 or self.done == self.epochs or not math.isfinite(history["loss"][-1]):
            shown = ", ".join(f"{k}={v}" for k, v in numbers.items())
            print(f"epoch {self.done}/{self.epochs}: {shown}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
