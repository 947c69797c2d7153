"""Checks for lesson 6, training: one epoch of mini-batches, the learning rate, the scale of initial weights."""

from __future__ import annotations

import math

from nn import MLP
from nn.data import batches, make_moons
from nn.losses import binary_cross_entropy

from .core import Hint, call, close, exercise, fmt, number


def _reference_epoch(
    model: MLP, X: list, y: list, batch_size: int, lr: float, seed: int, *, zero: bool = True, scale: float = 1.0
) -> list[float]:
    """The lesson's loop; `zero=False` forgets zero_grad, `scale` multiplies the loss (a sum instead of a mean)."""
    losses = []
    for Xb, yb in batches(X, y, batch_size, seed=seed):
        loss = binary_cross_entropy([model(x) for x in Xb], yb)
        if scale != 1.0:
            loss = loss * scale
        if zero:
            model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


@exercise("6.1", "one epoch of mini-batch training", "train_epoch")
def check_train_epoch(answer) -> str:
    X, y = make_moons(24, noise=0.1, seed=3)
    batch_size, lr, seed = 8, 0.5, 11
    model = MLP(2, [4, 1], seed=1)
    result = call(answer, model, X, y, batch_size, lr, seed)
    got = [p.data for p in model.parameters()]
    want_model = MLP(2, [4, 1], seed=1)
    want_losses = _reference_epoch(want_model, X, y, batch_size, lr, seed)
    want = [p.data for p in want_model.parameters()]
    if not all(close(a, b, rel=1e-9) for a, b in zip(got, want)):
        start = [p.data for p in MLP(2, [4, 1], seed=1).parameters()]
        if got == start:
            raise Hint("the model's parameters did not change: update each p.data after loss.backward().")
        variants = (
            ({"zero": False}, "gradients piled up across batches: call model.zero_grad() before each loss.backward()."),
            (
                {"scale": float(batch_size)},
                "the steps are batch_size times too big: use the batch's mean loss "
                "(binary_cross_entropy already averages), not a sum.",
            ),
        )
        for kwargs, message in variants:
            other = MLP(2, [4, 1], seed=1)
            _reference_epoch(other, X, y, batch_size, lr, seed, **kwargs)
            if all(close(a, p.data, rel=1e-9) for a, p in zip(got, other.parameters())):
                raise Hint(message)
        one_batch = MLP(2, [4, 1], seed=1)
        _reference_epoch(one_batch, X, y, len(X), lr, seed)
        if all(close(a, p.data, rel=1e-9) for a, p in zip(got, one_batch.parameters())):
            raise Hint(
                f"you made one step on the whole data set; make one step per mini-batch of {batch_size} (nn.data.batches)."
            )
        raise Hint(
            "after one epoch the parameters differ from the lesson's loop. For each (Xb, yb) in "
            "batches(X, y, batch_size, seed=seed): outputs, binary_cross_entropy, zero_grad, backward, "
            "p.data -= lr * p.grad."
        )
    if not isinstance(result, (list, tuple)) or len(result) != len(want_losses):
        raise Hint(f"the parameters are right; now return the list of the {len(want_losses)} batch losses (floats).")
    losses = [number(v, "a batch loss") for v in result]
    if not all(close(a, b, rel=1e-9) for a, b in zip(losses, want_losses)):
        raise Hint(f"the parameters are right, but the batch losses should be {[round(v, 6) for v in want_losses]}.")
    return None


@exercise("6.2", "the learning rate that lands in one step", "one_step_lr")
def check_one_step_lr(answer) -> str:
    for a in (1.0, 0.5, 3.0, 10.0):
        lr = number(call(answer, a), f"one_step_lr({a})")
        want = 1.0 / (2.0 * a)
        if close(lr, want):
            continue
        factor = 1.0 - 2.0 * lr * a  # w -> factor * w after one step on f(w) = a w**2
        where = f"for f(w) = {a} w**2, lr = {fmt(lr)} turns w into {fmt(factor)} * w"
        if close(lr, 1.0 / a):
            raise Hint(f"{where}: w flips sign and never settles. f'(w) = 2 a w, so the factor is 1 - 2 * lr * a.")
        if close(lr, 2.0 / a) or close(lr, a) or close(lr, 2.0 * a):
            raise Hint(f"{where}. Solve 1 - 2 * lr * a = 0 for lr.")
        raise Hint(f"{where}, not 0 * w. Solve 1 - 2 * lr * a = 0 for lr.")
    return "A larger lr overshoots; beyond 1/a every step makes |w| larger: divergence."


@exercise("6.3", "how big should initial weights be?", "init_std")
def check_init_std(answer) -> str:
    for nin, nout, activation in (
        (16, 16, "relu"),
        (2, 16, "relu"),
        (16, 3, "tanh"),
        (8, 8, "sigmoid"),
        (100, 10, "tanh"),
    ):
        got = number(call(answer, nin, nout, activation), f"init_std({nin}, {nout}, {activation!r})")
        he, xavier = math.sqrt(2.0 / nin), math.sqrt(2.0 / (nin + nout))
        want = he if activation == "relu" else xavier
        if close(got, want):
            continue
        where = f"init_std({nin}, {nout}, {activation!r})"
        if close(got, want**2):
            raise Hint(f"{where} returned the variance {fmt(got)}; the standard deviation is its square root.")
        if activation == "relu" and close(got, xavier):
            raise Hint(f"{where}: relu units get He's std sqrt(2 / nin), Xavier's is for tanh and sigmoid.")
        if activation != "relu" and close(got, he):
            raise Hint(f"{where}: tanh and sigmoid units get Xavier's std sqrt(2 / (nin + nout)); He's is for relu.")
        if close(got, math.sqrt(2.0 / nout)):
            raise Hint(f"{where}: He's std divides by the number of inputs, nin: sqrt(2 / nin).")
        raise Hint(f"{where} should be {fmt(want)}, got {fmt(got)}.")
    return "With these scales the signal neither dies out nor blows up from layer to layer."
