"""Checks for lesson 6, training: one epoch of mini-batches, picking a learning rate on held-out data,
one mini-batch step in matrix form (weights: row = receiving unit, examples: one per row)."""

from __future__ import annotations

import math

import numpy as np

from autograd import Value, dot
from autograd import sum as vsum
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


def _run(train_end: float, val: list[float]) -> dict[str, list[float]]:
    """A history like the lesson's sweep: training loss falling to `train_end`, the given validation curve."""
    n = len(val)
    train = [train_end + (1.0 - train_end) * (n - 1 - e) / (n - 1) for e in range(n)]
    return {"loss": train, "val_loss": list(val)}


def _pick_cases() -> list[tuple[str, dict[float, dict[str, list[float]]], float]]:
    """(what the case is about, runs, the right pick); each case trips one tempting shortcut."""
    nan, inf = math.nan, math.inf
    return [
        (
            "a sweep like the lesson's",
            {
                0.01: _run(0.60, [0.69, 0.66, 0.63, 0.61]),
                0.3: _run(0.22, [0.60, 0.40, 0.31, 0.27]),
                3.0: _run(0.35, [2.10, 0.80, 0.50, 0.42]),
                30.0: _run(3.00, [780.0, 5.9, 1.6, 5.3]),
            },
            0.3,
        ),
        (
            "a run that overfits: lowest training loss, rising validation loss",
            {
                0.03: _run(0.30, [0.65, 0.50, 0.40, 0.35]),
                0.1: _run(0.02, [0.50, 0.40, 0.42, 0.45]),
                0.3: _run(0.25, [0.60, 0.45, 0.39, 0.36]),
            },
            0.03,
        ),
        (
            "a run whose validation loss dipped low and then bounced back up",
            {
                1.0: _run(0.40, [0.70, 0.10, 0.50, 0.60]),
                0.1: _run(0.20, [0.60, 0.40, 0.30, 0.25]),
                0.01: _run(0.50, [0.69, 0.65, 0.60, 0.55]),
            },
            0.1,
        ),
        (
            "a sweep listed from the largest rate down, whose largest rate ended in NaN",
            {
                10.0: _run(nan, [3.0, 50.0, inf, nan]),
                1.0: _run(0.30, [0.60, 0.40, 0.35, 0.33]),
                0.1: _run(0.45, [0.68, 0.60, 0.52, 0.47]),
            },
            1.0,
        ),
        (
            "a sweep whose largest rate ended at infinity",
            {
                0.05: _run(0.50, [0.69, 0.62, 0.57, 0.52]),
                0.5: _run(0.28, [0.55, 0.41, 0.35, 0.31]),
                5.0: _run(inf, [9.0, 1e30, inf, inf]),
            },
            0.5,
        ),
    ]


def _pick_by(runs: dict, key) -> float:
    finite = [lr for lr in runs if math.isfinite(key(runs[lr]))]
    return min(finite, key=lambda lr: key(runs[lr])) if finite else math.nan


@exercise("6.2", "pick a learning rate from the curves", "pick_learning_rate")
def check_pick_learning_rate(answer) -> str:
    for about, runs, want in _pick_cases():
        copied = {lr: {name: list(curve) for name, curve in run.items()} for lr, run in runs.items()}
        got = number(call(answer, copied), f"pick_learning_rate(runs) on {about}")
        if got == want:
            continue
        listed = ", ".join(f"{lr}: ends at {fmt(run['val_loss'][-1])}" for lr, run in runs.items())
        where = f"on {about} (validation losses {listed}), you picked {fmt(got)}, not {want}"
        if got not in runs:
            raise Hint(f"{where}: return one of the learning rates, the keys of runs.")
        if not math.isfinite(runs[got]["val_loss"][-1]):
            raise Hint(
                f"{where}: that run's validation loss ended at {runs[got]['val_loss'][-1]}. A NaN compares False "
                "with everything, so min() can return it when it comes first: leave out runs whose last validation "
                "loss is not finite (math.isfinite)."
            )
        if got == _pick_by(runs, lambda run: run["loss"][-1]):
            raise Hint(
                f"{where}: that run has the lowest TRAINING loss. The training loss rewards memorising; choose by "
                "the validation loss, measured on data the run never trained on."
            )
        if got == _pick_by(runs, lambda run: min(run["val_loss"])):
            raise Hint(
                f"{where}: that run's validation loss was lowest at some epoch, but the weights you keep are those "
                "at the end of the run: compare the last validation loss of each run."
            )
        raise Hint(f"{where}: the rule is the lowest last validation loss, run['val_loss'][-1], among finite ones.")
    return "The same rule picks a batch size, an initialisation or a network size: on held-out data, at the end."


def _sigmoid(S: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-S))


def _batch_case(B: int, n_in: int, n_hidden: int, n_out: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, (B, n_in))
    Y = rng.uniform(0, 1, (B, n_out))
    W1, b1 = rng.uniform(-1, 1, (n_hidden, n_in)), rng.uniform(-0.5, 0.5, n_hidden)
    W2, b2 = rng.uniform(-1, 1, (n_out, n_hidden)), rng.uniform(-0.5, 0.5, n_out)
    return X, Y, W1, b1, W2, b2


def _engine_batch_step(X, Y, W1, b1, W2, b2, eta: float) -> list[np.ndarray]:
    """The step computed by chaingrad, one Value per number: the batch mean of 1/2 sum (y_hat - y)**2."""
    W1v = [[Value(w) for w in row] for row in W1.tolist()]
    W2v = [[Value(w) for w in row] for row in W2.tolist()]
    b1v, b2v = [Value(b) for b in b1.tolist()], [Value(b) for b in b2.tolist()]
    costs = []
    for x, y in zip(X.tolist(), Y.tolist()):
        z = [(dot(row, x) + b).sigmoid() for row, b in zip(W1v, b1v)]
        y_hat = [(dot(row, z) + b).sigmoid() for row, b in zip(W2v, b2v)]
        costs.append(0.5 * vsum([(p - t) ** 2 for p, t in zip(y_hat, y)]))
    (vsum(costs) / len(costs)).backward()
    new = []
    for params in (W1v, b1v, W2v, b2v):
        if isinstance(params[0], list):
            new.append(np.array([[p.data - eta * p.grad for p in row] for row in params]))
        else:
            new.append(np.array([p.data - eta * p.grad for p in params]))
    return new


def _batch_variants(X, Y, W1, b1, W2, b2, eta: float) -> dict[str, list[np.ndarray]]:
    """Tempting slips, in NumPy: the batch sum instead of the mean; no sigma' in delta(1) or delta(2);
    W2 updated before delta(1) is computed."""
    B = len(X)
    Z1 = _sigmoid(X @ W1.T + b1)
    Y_hat = _sigmoid(Z1 @ W2.T + b2)
    out = {}
    for name, scale, hidden_slope, output_slope, late in (
        ("sum", 1.0, True, True, False),
        ("no hidden slope", 1.0 / B, False, True, False),
        ("no output slope", 1.0 / B, True, False, False),
        ("late", 1.0 / B, True, True, True),
    ):
        D2 = (Y_hat - Y) * (Y_hat * (1 - Y_hat) if output_slope else 1.0)
        new_W2, new_b2 = W2 - eta * scale * D2.T @ Z1, b2 - eta * scale * D2.sum(axis=0)
        D1 = (Z1 * (1 - Z1) if hidden_slope else 1.0) * (D2 @ (new_W2 if late else W2))
        out[name] = [W1 - eta * scale * D1.T @ X, b1 - eta * scale * D1.sum(axis=0), new_W2, new_b2]
    return out


def _as_arrays(result: object, like: list[np.ndarray]) -> list[np.ndarray]:
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        raise Hint(f"return the four updated arrays (W1, b1, W2, b2); got {type(result).__name__} {result!r:.60}.")
    arrays = []
    for name, got, want in zip(("W1", "b1", "W2", "b2"), result, like):
        try:
            array = np.asarray(got, dtype=float)
        except (TypeError, ValueError):
            raise Hint(f"{name} should be an array of numbers, got {type(got).__name__}.") from None
        if array.shape != want.shape:
            raise Hint(f"{name} should have the shape {want.shape} (row = receiving unit), got {array.shape}.")
        arrays.append(array)
    return arrays


@exercise("6.3", "a mini-batch step in matrix form", "minibatch_step")
def check_minibatch_step(answer) -> str:
    names = ("W1", "b1", "W2", "b2")
    for B, sizes, seed, eta in ((5, (2, 3, 2), 0, 0.5), (4, (3, 4, 1), 1, 2.0)):
        case = _batch_case(B, *sizes, seed)
        originals = [a.copy() for a in case]
        try:
            result = call(answer, *[a.copy() for a in case], eta)
        except Hint as hint:
            if "shapes" in str(hint) or "broadcast" in str(hint) or "mismatch" in str(hint):
                raise Hint(
                    f"{hint} With one example per row, S1 = X @ W1.T + b1 is B x n_hidden (W1 is n_hidden x n_in), "
                    "and the gradient of W2 is D2.T @ Z1: write each shape down."
                ) from None
            raise
        want = _engine_batch_step(*originals, eta)
        got = _as_arrays(result, want)
        if all(np.allclose(g, w, rtol=1e-9, atol=1e-12) for g, w in zip(got, want)):
            continue
        where = f"for a batch of {B} in a {'-'.join(map(str, sizes))} network with eta = {eta}"
        if all(np.allclose(g, o) for g, o in zip(got, originals[2:])):
            raise Hint(f"{where}: nothing changed: every parameter moves by -eta times its gradient.")
        variants = _batch_variants(*originals, eta)
        first = next(i for i in (2, 3, 0, 1) if not np.allclose(got[i], want[i], rtol=1e-9, atol=1e-12))

        def same(name: str, got: list = got, variants: dict = variants) -> bool:
            return all(np.allclose(g, v, rtol=1e-9, atol=1e-12) for g, v in zip(got, variants[name]))

        if same("sum"):
            raise Hint(
                f"{where}: every step is {B} times too big: E is the batch MEAN, so divide the summed gradients "
                "(D.T @ Z and D.sum(axis=0)) by B."
            )
        if same("no output slope"):
            raise Hint(
                f"{where}: W2 is off first: delta(2) = (Y_hat - Y) * sigma'(S2), with sigma' = Y_hat (1 - Y_hat)."
            )
        if same("no hidden slope"):
            raise Hint(
                f"{where}: W2 and b2 are right; delta(1) misses sigma'(S1) = Z1 (1 - Z1): D1 = Z1 (1 - Z1) * (D2 @ W2)."
            )
        if same("late"):
            raise Hint(f"{where}: W2 and b2 are right, but delta(1) used the updated W2: compute both deltas first.")
        right = [names[i] for i in (2, 3, 0, 1)][: (2, 3, 0, 1).index(first)]
        said = f" ({', '.join(right)} right)" if right else ""
        raise Hint(
            f"{where}: {names[first]} is the first result that is off{said}: expected "
            f"{np.round(want[first], 6).tolist()}, got {np.round(got[first], 6).tolist()}."
        )
    return "That is the step nn.Linear layers take in PyTorch, batch and all."
