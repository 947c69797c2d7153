"""Checks for lesson 5, one hidden layer by hand: output and hidden deltas, one full training step in floats.

Weight matrices follow the notation card: row = receiving unit (out x in, like PyTorch).

Every expected number comes from chaingrad: the delta of a unit is the .grad of its weighted
input s, so the checks build the same network out of Values and read the gradients.
"""

from __future__ import annotations

import copy
import math
import random

from autograd import Value, grad
from autograd import sum as vsum

from .core import Hint, call, close, exercise, fmt, number, numbers_list


def sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))


@exercise("5.1", "the output delta with cross-entropy", "output_delta_bce")
def check_output_delta_bce(answer) -> str:
    for s_o, y in ((0.8, 1.0), (-1.3, 0.0), (2.5, 0.0), (0.0, 1.0)):
        y_hat = sigmoid(s_o)
        got = number(call(answer, y_hat, y, s_o), f"output_delta_bce({fmt(y_hat)}, {y}, {s_o})")
        s = Value(s_o)
        p = s.sigmoid()
        cost = -(y * p.log() + (1 - y) * (1 - p).log())
        (want,) = grad(cost, [s])
        if close(got, want, rel=1e-9, abs_tol=1e-12):
            continue
        where = f"at s_o = {s_o}, y = {y}"
        if close(got, (y_hat - y) * y_hat * (1 - y_hat)):
            raise Hint(
                f"{where}: you return (y_hat - y) sigma'(s_o), the delta for squared error. With cross-entropy, "
                "dE/dy_hat = (y_hat - y) / (y_hat (1 - y_hat)), and sigma'(s_o) = y_hat (1 - y_hat) cancels it."
            )
        if close(got, -want):
            raise Hint(f"{where}: the sign is off: delta_o = dE/ds_o is positive when y_hat is above y.")
        raise Hint(f"{where}: delta_o = dE/ds_o should be {fmt(want)}, got {fmt(got)}.")
    return "sigma' cancels: that is why sigmoid outputs are trained with cross-entropy."


def _upstream_grads(s_hidden: list[float], W_out: list[list[float]], deltas_out: list[float]) -> list[float]:
    """dE/ds_j from chaingrad, for tanh hidden units whose outputs feed units with deltas `deltas_out`.

    E = sum_k delta_k * s_k is a cost whose dE/ds_k is exactly delta_k, so s_j.grad is delta_j.
    W_out[k][j] is w_(j->k): row = receiving unit, as on the notation card.
    """
    s = [Value(v) for v in s_hidden]
    z = [sj.tanh() for sj in s]
    s_out = [vsum([W_out[k][j] * z[j] for j in range(len(s))]) for k in range(len(deltas_out))]
    cost = vsum([d * sk for d, sk in zip(deltas_out, s_out)])
    return grad(cost, s)


@exercise("5.2", "hidden deltas for tanh units", "hidden_deltas_tanh")
def check_hidden_deltas_tanh(answer) -> str:
    cases = (  # the first is square, so using rows instead of columns gives numbers, not an IndexError
        ([0.3, -1.2], [[0.5, -0.4], [1.1, 0.2]], [0.25, -0.1]),
        ([0.3, -1.2, 0.8], [[0.5, -0.4, 0.9], [1.1, 0.2, -0.7]], [0.25, -0.1]),
        ([1.5, -0.2], [[0.3, -1.0], [0.8, 0.4], [0.6, -0.2]], [0.05, 0.3, -0.2]),
    )
    for s_hidden, W_out, deltas_out in cases:
        try:
            result = call(answer, list(s_hidden), copy.deepcopy(W_out), list(deltas_out))
        except Hint as hint:
            if "IndexError" in str(hint):
                raise Hint(
                    f"{hint} W_out[k][j] is w_(j->k): row k is the receiving unit (out x in), so W_out has one "
                    "row per output unit and unit j's weights are column j: sum_k W_out[k][j] * deltas_out[k]."
                ) from None
            raise
        got = numbers_list(result, len(s_hidden), f"hidden_deltas_tanh({s_hidden}, W_out, {deltas_out})")
        want = _upstream_grads(s_hidden, W_out, deltas_out)
        if all(close(g, t) for g, t in zip(got, want)):
            continue
        n_hidden, n_out = len(s_hidden), len(deltas_out)
        sums = [sum(W_out[k][j] * deltas_out[k] for k in range(n_out)) for j in range(n_hidden)]
        where = f"for s_hidden = {s_hidden}, W_out = {W_out}, deltas_out = {deltas_out}"
        if all(close(g, sg) for g, sg in zip(got, sums)):
            raise Hint(f"{where}: you return sum_k w_(j->k) delta_k; multiply it by tanh'(s_j) = 1 - tanh(s_j)**2.")
        if all(close(g, sigmoid(s) * (1 - sigmoid(s)) * sg) for g, s, sg in zip(got, s_hidden, sums)):
            raise Hint(f"{where}: you used sigma'(s_j); these hidden units are tanh units: tanh'(s) = 1 - tanh(s)**2.")
        if n_hidden == n_out:
            rows = [
                (1 - math.tanh(s) ** 2) * sum(W_out[j][k] * deltas_out[k] for k in range(n_out))
                for j, s in enumerate(s_hidden)
            ]
            if all(close(g, r) for g, r in zip(got, rows)):
                raise Hint(
                    f"{where}: you summed along row j of W_out, but row k holds the weights INTO unit k "
                    "(W_out[k][j] is w_(j->k)). Unit j's outgoing weights are column j: that is the transpose in "
                    "delta(1) = f'(s(1)) * W(2)^T delta(2)."
                )
        first = [(1 - math.tanh(s) ** 2) * W_out[0][j] * deltas_out[0] for j, s in enumerate(s_hidden)]
        if all(close(g, f) for g, f in zip(got, first)):
            raise Hint(
                f"{where}: you used only the first output unit: delta_j sums over every unit k that unit j feeds."
            )
        j = next(j for j, (g, t) in enumerate(zip(got, want)) if not close(g, t))
        raise Hint(
            f"{where}: delta_{j} should be (1 - tanh(s_{j})**2) * sum_k W_out[k][{j}] * deltas_out[k] = {fmt(want[j])}, "
            f"got {fmt(got[j])}."
        )
    return "In matrix form: delta(1) = tanh'(s(1)) * (W(2)^T delta(2)), entry by entry."


Params = tuple[list[list[float]], list[float], list[list[float]], list[float]]
NAMES = ("W1", "b1", "W2", "b2")
BACKPROP_ORDER = (2, 3, 0, 1)  # W2 and b2 come from delta(2), which backprop computes first


def _random_params(n_in: int, n_hidden: int, n_out: int, seed: int) -> Params:
    """W1 is n_hidden x n_in and W2 is n_out x n_hidden: row = receiving unit."""
    rng = random.Random(seed)
    W1 = [[rng.uniform(-1, 1) for _ in range(n_in)] for _ in range(n_hidden)]
    b1 = [rng.uniform(-0.5, 0.5) for _ in range(n_hidden)]
    W2 = [[rng.uniform(-1, 1) for _ in range(n_hidden)] for _ in range(n_out)]
    b2 = [rng.uniform(-0.5, 0.5) for _ in range(n_out)]
    return W1, b1, W2, b2


def _engine_step(x: list[float], y: list[float], params: Params, eta: float) -> Params:
    """One gradient step computed by chaingrad: the network of the lesson, in Values."""
    W1 = [[Value(w) for w in row] for row in params[0]]
    b1 = [Value(b) for b in params[1]]
    W2 = [[Value(w) for w in row] for row in params[2]]
    b2 = [Value(b) for b in params[3]]
    z = [vsum([w * xi for w, xi in zip(row, x)] + [b]).sigmoid() for row, b in zip(W1, b1)]
    y_hat = [vsum([w * zj for w, zj in zip(row, z)] + [b]).sigmoid() for row, b in zip(W2, b2)]
    cost = 0.5 * vsum([(p - t) ** 2 for p, t in zip(y_hat, y)])
    cost.backward()
    return (
        [[w.data - eta * w.grad for w in row] for row in W1],
        [b.data - eta * b.grad for b in b1],
        [[w.data - eta * w.grad for w in row] for row in W2],
        [b.data - eta * b.grad for b in b2],
    )


def _float_variants(x: list[float], y: list[float], params: Params, eta: float) -> dict[str, Params]:
    """Common slips, in floats: W2 updated before the hidden deltas; sigma' left out of a delta."""
    W1, b1, W2, b2 = params
    n_in, n_hidden, n_out = len(x), len(b1), len(b2)
    z = [sigmoid(sum(W1[j][i] * x[i] for i in range(n_in)) + b1[j]) for j in range(n_hidden)]
    y_hat = [sigmoid(sum(W2[k][j] * z[j] for j in range(n_hidden)) + b2[k]) for k in range(n_out)]
    variants = {}
    for name, late, hidden_slope, output_slope in (
        ("late", True, True, True),
        ("no hidden slope", False, False, True),
        ("no output slope", False, True, False),
    ):
        d_out = [(y_hat[k] - y[k]) * (y_hat[k] * (1 - y_hat[k]) if output_slope else 1.0) for k in range(n_out)]
        new_W2 = [[W2[k][j] - eta * d_out[k] * z[j] for j in range(n_hidden)] for k in range(n_out)]
        new_b2 = [b2[k] - eta * d_out[k] for k in range(n_out)]
        W_used = new_W2 if late else W2
        d_hidden = [
            (z[j] * (1 - z[j]) if hidden_slope else 1.0) * sum(W_used[k][j] * d_out[k] for k in range(n_out))
            for j in range(n_hidden)
        ]
        new_W1 = [[W1[j][i] - eta * d_hidden[j] * x[i] for i in range(n_in)] for j in range(n_hidden)]
        new_b1 = [b1[j] - eta * d_hidden[j] for j in range(n_hidden)]
        variants[name] = (new_W1, new_b1, new_W2, new_b2)
    return variants


def _same(a: list, b: list) -> bool:
    flat_a = [v for row in a for v in row] if a and isinstance(a[0], list) else list(a)
    flat_b = [v for row in b for v in row] if b and isinstance(b[0], list) else list(b)
    return len(flat_a) == len(flat_b) and all(close(u, v) for u, v in zip(flat_a, flat_b))


def _as_params(result: object, like: Params) -> Params:
    if not isinstance(result, (tuple, list)) or len(result) != 4:
        raise Hint(f"return the four updated parameter lists (W1, b1, W2, b2); got {result!r:.80}.")
    out = []
    for name, got, want in zip(NAMES, result, like):
        if isinstance(want[0], list):
            shape = f"{len(want)} rows (one per receiving unit) of {len(want[0])}"
            if not isinstance(got, (list, tuple)) or len(got) != len(want):
                raise Hint(f"{name} should be a list of {shape}, got {got!r:.60}.")
            out.append([numbers_list(row, len(want[0]), f"{name}[{i}]") for i, row in enumerate(got)])
        else:
            out.append(numbers_list(got, len(want), name))
    return tuple(out)  # type: ignore[return-value]


@exercise("5.3", "one training step, in plain floats", "train_step")
def check_train_step(answer) -> str:
    for x, y, sizes, seed, eta in (
        ([0.35, 0.9], [1.0, 0.0], (2, 3, 2), 1, 0.5),
        ([1.0, -0.5, 0.2], [0.3], (3, 2, 1), 7, 2.0),
    ):
        params = _random_params(*sizes, seed)
        try:
            result = call(answer, list(x), list(y), copy.deepcopy(params), eta)
        except Hint as hint:
            if "IndexError" in str(hint):
                raise Hint(
                    f"{hint} W1[j][i] is w_(i->j) and W2[k][j] is w_(j->k): one row per receiving unit."
                ) from None
            raise
        got = _as_params(result, params)
        want = _engine_step(x, y, params, eta)
        if all(_same(g, w) for g, w in zip(got, want)):
            continue
        where = f"for the {'-'.join(map(str, sizes))} network with eta = {eta}"
        if all(_same(g, p) for g, p in zip(got, params)):
            raise Hint(f"{where}: nothing changed: every weight should move by -eta * delta_j * z_i.")
        uphill = [_combine(lambda p, w: 2 * p - w, p, w) for p, w in zip(params, want)]
        if all(_same(g, u) for g, u in zip(got, uphill)):
            raise Hint(
                f"{where}: every parameter moved uphill: the update is Delta w = -eta * delta_j * z_i, with the minus."
            )
        variants = _float_variants(x, y, params, eta)
        first_wrong = next(n for n in BACKPROP_ORDER if not _same(got[n], want[n]))
        name = NAMES[first_wrong]
        if first_wrong in (2, 3):  # delta(2) is off
            if _same(got[first_wrong], variants["no output slope"][first_wrong]):
                raise Hint(
                    f"{where}: {name} is the first result that is off (backprop computes delta(2) first): the output "
                    "deltas miss sigma'(s_k) = y_hat_k (1 - y_hat_k): delta_k = (y_hat_k - y_k) sigma'(s_k)."
                )
        else:  # delta(2), W2 and b2 are right; delta(1) is off
            if all(_same(g, v) for g, v in zip(got, variants["late"])):
                raise Hint(
                    f"{where}: W2 and b2 are right, but W1 was computed with the already-updated W2. Compute every "
                    "delta first (feed backward), then update all the weights."
                )
            if all(_same(g, v) for g, v in zip(got, variants["no hidden slope"])):
                raise Hint(
                    f"{where}: W2 and b2 are right; the hidden deltas miss sigma'(s_j) = z_j (1 - z_j): "
                    "delta_j = sigma'(s_j) sum_k w_(j->k) delta_k."
                )
        if name.startswith("b") and _same(got[first_wrong], params[first_wrong]):
            raise Hint(
                f"{where}: {name} did not change: a bias is the weight of an input that is always 1, "
                "so Delta b_j = -eta * delta_j."
            )
        before = ", ".join(NAMES[n] for n in BACKPROP_ORDER[: BACKPROP_ORDER.index(first_wrong)])
        right = f" ({before} {'is' if ',' not in before else 'are'} right)" if before else ""
        raise Hint(
            f"{where}: {name} is the first result that is off{right}: expected {_rounded(want[first_wrong])}, "
            f"got {_rounded(got[first_wrong])}."
        )
    return "Those are the feed-forward, feed-backward and update steps the next lesson repeats."


def _combine(f, a: list, b: list) -> list:
    """f applied entry by entry to two parameters of the same shape (a matrix or a vector)."""
    if isinstance(a[0], list):
        return [[f(u, v) for u, v in zip(row_a, row_b)] for row_a, row_b in zip(a, b)]
    return [f(u, v) for u, v in zip(a, b)]


def _rounded(m: list) -> list:
    return [[round(v, 6) for v in row] for row in m] if isinstance(m[0], list) else [round(v, 6) for v in m]
