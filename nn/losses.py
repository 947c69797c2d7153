"""Loss functions: plain functions from a batch of model outputs and labels to one Value.

Each batch loss is the mean over the batch (so a mini-batch gradient is the average of the
per-example gradients); `l2` is a plain sum of squares, as in micrograd's demo. Every loss is
composed of engine ops, so its gradient needs no code here, and is written so that logits of
+-1000 give finite values and gradients (torch float64 gives the same numbers).
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Union

from autograd import Value, dot, mean
from autograd import sum as vsum

Scalar = Union[Value, float]


def _batch(outputs: Any, labels: Any, who: str) -> tuple[list, list]:
    """Outputs and labels as equal-length, non-empty lists (a single example becomes a batch)."""
    if isinstance(outputs, (Value, numbers.Real)):
        outputs, labels = [outputs], [labels]
    outputs, labels = list(outputs), list(labels)
    if len(outputs) != len(labels):
        raise ValueError(f"{who}: {len(outputs)} outputs but {len(labels)} labels; they must match")
    if not outputs:
        raise ValueError(f"{who}: got an empty batch")
    return outputs, labels


def _value(x: Any) -> Value:
    """Outputs may be plain numbers (say, a constant baseline): lift them to leaves."""
    return x if isinstance(x, Value) else Value(x)


def _number(x: Any, who: str) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{who}: labels must be numbers, got {type(x).__name__} {x!r}")
    return float(x)


def mse(preds: Sequence[Any], targets: Sequence[Any]) -> Value:
    """Mean squared error over every output of the batch (as torch's MSELoss).

    A prediction may be a Value or a list of Values (a multi-output model); its target is
    then a number or a list of numbers of the same length.
    """
    preds, targets = _batch(preds, targets, "mse")
    squares = []
    for i, (p, t) in enumerate(zip(preds, targets)):
        if isinstance(p, (Value, numbers.Real)):
            p, t = [p], [t]
        if len(p) != len(t):
            raise ValueError(f"mse: example {i} has {len(p)} outputs but {len(t)} targets")
        for pj, tj in zip(p, t):
            diff = pj - _number(tj, "mse")
            squares.append(diff * diff)
    return mean(squares)


def _signed_labels(labels: list, who: str) -> list[float]:
    """Labels as +-1: +-1 are kept, and 0/1 labels (class indices) map 0 -> -1."""
    values = [_number(y, who) for y in labels]
    seen = set(values)
    if not seen <= {-1.0, 1.0} and not seen <= {0.0, 1.0}:
        raise ValueError(f"{who}: labels must be all +-1 or all 0/1, got {sorted(seen)}")
    return [1.0 if y > 0 else -1.0 for y in values]


def hinge(scores: Sequence[Scalar], labels: Sequence[Any]) -> Value:
    """Mean max-margin loss max(0, 1 - y * score), micrograd's SVM loss.

    Labels are +-1, or 0/1 where 0 means -1 (so class indices work as they are).
    """
    scores, labels = _batch(scores, labels, "hinge")
    signed = _signed_labels(labels, "hinge")
    return mean([(_value(s) * -y + 1.0).relu() for s, y in zip(scores, signed)])


def binary_cross_entropy(logits: Sequence[Scalar], labels: Sequence[Any]) -> Value:
    """Mean binary cross-entropy of sigmoid(logit) against labels in [0, 1] (0/1 classes).

    Computed from logits as max(z, 0) - z*y + log(1 + exp(-|z|)), torch's
    BCEWithLogitsLoss formula: exp() only sees non-positive numbers, so it never overflows,
    and log(sigmoid) is never formed, so a logit of -1000 gives 1000, not inf. The sign of
    z picks the branch (as max-subtraction picks m in `cross_entropy`) instead of relu()
    and abs(): their derivative 0 at z = 0 would make the gradient there -y, not 0.5 - y.
    """
    logits, labels = _batch(logits, labels, "binary_cross_entropy")
    losses = []
    for z, y in zip(logits, labels):
        y = _number(y, "binary_cross_entropy")
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"binary_cross_entropy: labels must be 0/1 (or in [0, 1]), got {y!r}")
        z = _value(z)
        if z.data >= 0:
            losses.append(z * (1.0 - y) + ((-z).exp() + 1.0).log())
        else:
            losses.append(z * -y + (z.exp() + 1.0).log())
    return mean(losses)


def _class_index(c: Any, k: int) -> int:
    if isinstance(c, bool) or not isinstance(c, numbers.Real) or c != int(c):
        raise ValueError(f"cross_entropy: class indices must be whole numbers, got {c!r}")
    if not 0 <= c < k:
        raise ValueError(f"cross_entropy: class index {int(c)} is out of range for {k} logits")
    return int(c)


def cross_entropy(logits_batch: Sequence[Sequence[Scalar]], class_indices: Sequence[int]) -> Value:
    """Mean softmax cross-entropy, -log softmax(z)[c], as torch's CrossEntropyLoss.

    -log softmax(z)[c] = logsumexp(z) - z[c], and logsumexp(z) = m + log(sum(exp(z - m)))
    with m = max(z) held as a constant: every exp() argument is <= 0, so nothing overflows,
    and the term exp(0) = 1 keeps the log away from log(0). The constant m does not change
    the gradient (softmax(z) - onehot(c)), only keeps the numbers representable.
    """
    logits_batch, class_indices = _batch(logits_batch, class_indices, "cross_entropy")
    losses = []
    for i, z in enumerate(logits_batch):
        if isinstance(z, (Value, numbers.Real)) or len(z) < 2:
            raise ValueError(f"cross_entropy: example {i} needs a list of at least 2 logits, got {z!r}")
        c = _class_index(class_indices[i], len(z))
        z = [_value(zj) for zj in z]
        m = max(zj.data for zj in z)
        log_sum_exp = vsum([(zj - m).exp() for zj in z]).log() + m
        losses.append(log_sum_exp - z[c])
    return mean(losses)


def l2(params: Iterable[Value]) -> Value:
    """Sum of squares of `params` (add `alpha * l2(model.parameters())` to regularise).

    One `dot(p, p)` node: its two edges to each p carry p each, so d/dp = 2p as it should.
    """
    params = list(params)
    return dot(params, params)


LOSSES: dict[str, Callable[..., Value]] = {
    "mse": mse,
    "hinge": hinge,
    "binary_cross_entropy": binary_cross_entropy,
    "cross_entropy": cross_entropy,
}


def get(name: str) -> Callable[..., Value]:
    """A loss by name: mse, hinge, binary_cross_entropy (or bce), cross_entropy."""
    loss = LOSSES.get("binary_cross_entropy" if name == "bce" else name)
    if loss is None:
        raise ValueError(f"unknown loss {name!r}; expected one of {', '.join(LOSSES)}")
    return loss
