"""Checks for lesson 3, the chain rule in the card's notation: the last layer, one layer back, a backward sweep.

Every cost is E = 1/2 (z - y)**2, so the flowing gradient at the top is z - y (no 2): an answer
that is exactly twice the right one used the other convention, and its hint says so.
"""

from __future__ import annotations

import math

from autograd import Value, grad

from .core import Hint, call, close, exercise, fmt, number, numbers_list


def sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))


def sigmoid_prime(s: float) -> float:
    return sigmoid(s) * (1.0 - sigmoid(s))


HALF = "E = 1/2 (z - y)**2, so the flowing gradient dE/dz = z - y: the 1/2 cancels the 2 of the square."


@exercise("3.1", "the last layer's gradients", "last_layer_grads")
def check_last_layer_grads(answer) -> str:
    for z_prev, w, b, y in ((0.6, 1.3, -0.4, 1.0), (-1.1, 0.8, 0.2, 0.0), (2.0, -0.5, 0.9, 0.3)):
        result = call(answer, z_prev, w, b, y)
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            raise Hint(f"return three numbers, (dE/dw, dE/db, dE/dz_prev); got {result!r:.80}.")
        got = [number(v, f"entry {i} of last_layer_grads(...)") for i, v in enumerate(result)]
        vz, vw, vb = Value(z_prev), Value(w), Value(b)
        want = grad(0.5 * ((vw * vz + vb).sigmoid() - y) ** 2, [vw, vb, vz])
        s = w * z_prev + b
        dz_ds, dE_dz = sigmoid_prime(s), sigmoid(s) - y
        where = f"at z_prev = {z_prev}, w = {w}, b = {b}, y = {y}"
        # the local derivative that only dE/dw, dE/db, dE/dz_prev has, in that order
        first = {0: ("ds/dw = z_prev", z_prev), 1: ("ds/db = 1", 1.0), 2: ("ds/dz_prev = w", w)}
        for i, name in enumerate(("dE/dw", "dE/db", "dE/dz_prev")):
            if close(got[i], want[i]):
                continue
            factor_name, factor = first[i]
            if close(got[i], 2 * want[i]):
                raise Hint(f"{where}, {name} is twice the right value. {HALF}")
            if close(got[i], dz_ds * dE_dz) and factor != 1.0:
                raise Hint(f"{where}, {name} is missing its first factor, the local derivative {factor_name}.")
            if close(got[i], factor * dE_dz) or close(got[i], 2 * factor * dE_dz):
                raise Hint(f"{where}, {name} is missing the local derivative dz/ds = sigma'(s) = z (1 - z).")
            if close(got[i], factor * dz_ds) or close(got[i], 2 * factor * dz_ds):
                raise Hint(f"{where}, {name} is missing the flowing gradient dE/dz = z - y.")
            if close(got[i], -want[i]):
                raise Hint(f"{where}, {name} has the wrong sign: dE/dz = z - y, not y - z.")
            raise Hint(f"{where}, {name} should be {fmt(want[i])}, got {fmt(got[i])}.")
    return "The product of the last two factors, sigma'(s) (z - y), is the unit's error delta."


@exercise("3.2", "one layer further back", "first_layer_grad")
def check_first_layer_grad(answer) -> str:
    for x, w1, b1, w2, b2, y in ((1.5, 0.7, -0.2, -1.3, 0.4, 1.0), (-0.8, 1.1, 0.3, 0.9, -0.6, 0.0)):
        got = number(call(answer, x, w1, b1, w2, b2, y), "first_layer_grad(...)")
        v = {name: Value(n) for name, n in zip(("x", "w1", "b1", "w2", "b2"), (x, w1, b1, w2, b2))}
        z1 = (v["w1"] * v["x"] + v["b1"]).sigmoid()
        z2 = (v["w2"] * z1 + v["b2"]).sigmoid()
        (want,) = grad(0.5 * (z2 - y) ** 2, [v["w1"]])
        if close(got, want):
            continue
        where = f"at x = {x}, w1 = {w1}, b1 = {b1}, w2 = {w2}, b2 = {b2}, y = {y}"
        if close(got, 2 * want):
            raise Hint(f"{where}, your dE/dw(1) is twice the right value. {HALF}")
        s1 = w1 * x + b1
        s2 = w2 * sigmoid(s1) + b2
        factors = {
            "ds(1)/dw(1) = x": x,
            "dz(1)/ds(1) = sigma'(s(1))": sigmoid_prime(s1),
            "ds(2)/dz(1) = w(2)": w2,
            "dz(2)/ds(2) = sigma'(s(2))": sigmoid_prime(s2),
            "dE/dz(2) = z(2) - y": sigmoid(s2) - y,
        }
        for name, factor in factors.items():
            if factor != 0 and close(got, want / factor):
                raise Hint(f"{where}, your product is missing the factor {name}.")
        if close(got, -want):
            raise Hint(f"{where}, the sign is off: dE/dz(2) = z(2) - y.")
        raise Hint(
            f"{where}, dE/dw(1) should be {fmt(want)}, got {fmt(got)}. It is the product of four local "
            "derivatives and the flowing gradient: x * sigma'(s(1)) * w(2) * sigma'(s(2)) * (z(2) - y)."
        )
    return "Four local derivatives times one flowing gradient: that is all the chain rule is."


def _sweep(x: float, ws: list[float], bs: list[float], y: float, *, slope: bool = True, shift: int = 0) -> list[float]:
    """The backward sweep, or one of its typical slips: no sigma' in the carried gradient, the wrong layer's w."""
    zs, ss = [x], []
    for w, b in zip(ws, bs):
        ss.append(w * zs[-1] + b)
        zs.append(sigmoid(ss[-1]))
    dE_dz, grads = zs[-1] - y, [0.0] * len(ws)
    for layer in reversed(range(len(ws))):
        delta = sigmoid_prime(ss[layer]) * dE_dz
        grads[layer] = zs[layer] * delta
        w = ws[min(layer + shift, len(ws) - 1)]
        dE_dz = w * delta if slope else w * dE_dz
    return grads


@exercise("3.3", "a backward sweep through L layers", "chain_grads")
def check_chain_grads(answer) -> str:
    cases = (
        (0.5, [1.2, -0.7, 2.0], [0.1, 0.3, -0.5], 1.0),
        (-1.0, [0.8, 1.5, -1.1, 0.6, 2.2], [0.0, -0.4, 0.2, 0.1, -0.3], 0.0),
        (0.3, [1.7], [-0.2], 0.9),
    )
    for x, ws, bs, y in cases:
        got = numbers_list(
            call(answer, x, list(ws), list(bs), y), len(ws), f"chain_grads(x, ws, bs, y) with {len(ws)} layers"
        )
        wv, bv = [Value(w) for w in ws], [Value(b) for b in bs]
        z = Value(x)
        for w, b in zip(wv, bv):
            z = (w * z + b).sigmoid()
        want = list(grad(0.5 * (z - y) ** 2, wv))
        if all(close(g, t) for g, t in zip(got, want)):
            continue
        where = f"for x = {x}, ws = {ws}, bs = {bs}, y = {y}"
        if len(ws) > 1 and all(close(g, t) for g, t in zip(got, reversed(want))):
            raise Hint(f"{where}: your list is in the reverse order; entry 0 is dE/dw(1), the first layer's.")
        if all(close(g, 2 * t) for g, t in zip(got, want)):
            raise Hint(f"{where}: every entry is twice the right value. {HALF}")
        if all(close(g, -t) for g, t in zip(got, want)):
            raise Hint(f"{where}: every entry has the wrong sign: the flowing gradient at the top is z(L) - y.")
        if all(close(g, t) for g, t in zip(got, _sweep(x, ws, bs, y, slope=False))):
            raise Hint(
                f"{where}: the top layer is right but the layers below are not: passing the gradient down "
                "from z(l) to z(l-1) multiplies it by w(l) AND sigma'(s(l)), i.e. by w(l) times the unit's delta."
            )
        if all(close(g, t) for g, t in zip(got, _sweep(x, ws, bs, y, shift=1))):
            raise Hint(
                f"{where}: the gradient passed from layer l down to z(l-1) must use layer l's own weight w(l) "
                "(the one that multiplies z(l-1)), not the weight of the layer above."
            )
        # the first wrong one in the order the sweep computes them: from the top layer down
        layer = next(i for i in reversed(range(len(ws))) if not close(got[i], want[i]))
        raise Hint(
            f"{where}: dE/dw({layer + 1}) should be {fmt(want[layer])}, got {fmt(got[layer])}"
            + (" (the top layer is wrong: start from dE/dz(L) = z(L) - y)." if layer == len(ws) - 1 else ".")
        )
    return "One sweep, each layer's shared factor computed once: backprop is dynamic programming."
