"""Checks for lesson 3, the chain rule and its notation: sigma', the last layer's gradients, one layer further back."""

from __future__ import annotations

import math

from autograd import Value, grad

from .core import Hint, call, close, exercise, fmt, number


def sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-s)) if s >= 0 else math.exp(s) / (1.0 + math.exp(s))


@exercise("3.1", "the sigmoid's slope", "sigmoid_prime")
def check_sigmoid_prime(answer) -> str:
    for s in (0.0, 0.5, -2.0, 3.0, -30.0):
        got = number(call(answer, s), f"sigmoid_prime({s})")
        sv = Value(s)
        (want,) = grad(sv.sigmoid(), [sv])
        if close(got, want, rel=1e-9, abs_tol=1e-15):
            continue
        sig = sigmoid(s)
        if close(got, sig):
            raise Hint(f"at s = {s} you return sigma(s) itself ({fmt(sig)}); its slope is sigma(s) * (1 - sigma(s)).")
        if close(got, s * (1 - s)):
            raise Hint("you applied the pattern to s instead of to sigma(s): sigma'(s) = sigma(s) * (1 - sigma(s)).")
        if close(got, 1 - sig * sig):
            raise Hint(
                "1 - sigma(s)**2 is the pattern of tanh' (1 - tanh**2); for sigma it is sigma(s) * (1 - sigma(s))."
            )
        raise Hint(f"at s = {s} the slope of sigma is {fmt(want)}, got {fmt(got)}.")
    return "Its largest value is sigma'(0) = 0.25."


def _chain(a_prev: float, w: float, b: float, y: float) -> dict[str, float]:
    """The pieces of the last layer: z, a, and the three local derivatives of the chain."""
    z = w * a_prev + b
    a = sigmoid(z)
    return {"z": z, "a": a, "dz_dw": a_prev, "da_dz": a * (1 - a), "dC_da": 2 * (a - y), "dz_da_prev": w}


@exercise("3.2", "the last layer's gradients", "last_layer_grads")
def check_last_layer_grads(answer) -> str:
    for a_prev, w, b, y in ((0.6, 1.3, -0.4, 1.0), (-1.1, 0.8, 0.2, 0.0), (2.0, -0.5, 0.9, 0.3)):
        result = call(answer, a_prev, w, b, y)
        if not isinstance(result, (tuple, list)) or len(result) != 3:
            raise Hint(f"return three numbers, (dC/dw, dC/db, dC/da_prev); got {result!r}.")
        got = [number(v, f"entry {i} of last_layer_grads(...)") for i, v in enumerate(result)]
        va, vw, vb = Value(a_prev), Value(w), Value(b)
        cost = ((vw * va + vb).sigmoid() - y) ** 2
        want = grad(cost, [vw, vb, va])
        p = _chain(a_prev, w, b, y)
        where = f"at a_prev = {a_prev}, w = {w}, b = {b}, y = {y}"
        # the local derivative that only dC/dw, dC/db, dC/da_prev has, in that order
        first = {0: ("dz/dw = a^(L-1)", p["dz_dw"]), 1: ("dz/db = 1", 1.0), 2: ("dz/da^(L-1) = w^(L)", p["dz_da_prev"])}
        for i, name in enumerate(("dC/dw", "dC/db", "dC/da_prev")):
            if close(got[i], want[i]):
                continue
            shared = p["da_dz"] * p["dC_da"]
            factor_name, factor = first[i]
            if close(got[i], shared) and factor != 1.0:
                raise Hint(f"{where}, {name} is missing its first factor {factor_name}.")
            if close(got[i], factor * p["dC_da"]):
                raise Hint(f"{where}, {name} is missing da/dz = sigma'(z^(L)) = a (1 - a).")
            if close(got[i], factor * p["da_dz"]):
                raise Hint(f"{where}, {name} is missing dC/da^(L) = 2 (a^(L) - y).")
            if close(got[i], want[i] / 2):
                raise Hint(f"{where}, {name} is half the right value: dC/da^(L) = 2 (a^(L) - y), with the 2.")
            if close(got[i], -want[i]):
                raise Hint(f"{where}, {name} has the wrong sign: dC/da^(L) = 2 (a^(L) - y), not 2 (y - a^(L)).")
            raise Hint(f"{where}, {name} should be {fmt(want[i])}, got {fmt(got[i])}.")
    return None


@exercise("3.3", "one layer further back", "first_layer_grad")
def check_first_layer_grad(answer) -> str:
    for a0, w1, b1, w2, b2, y in ((1.5, 0.7, -0.2, -1.3, 0.4, 1.0), (-0.8, 1.1, 0.3, 0.9, -0.6, 0.0)):
        got = number(call(answer, a0, w1, b1, w2, b2, y), "first_layer_grad(...)")
        v = {name: Value(x) for name, x in zip(("a0", "w1", "b1", "w2", "b2"), (a0, w1, b1, w2, b2))}
        a1 = (v["w1"] * v["a0"] + v["b1"]).sigmoid()
        a2 = (v["w2"] * a1 + v["b2"]).sigmoid()
        (want,) = grad((a2 - y) ** 2, [v["w1"]])
        if close(got, want):
            continue
        where = f"at a0 = {a0}, w1 = {w1}, b1 = {b1}, w2 = {w2}, b2 = {b2}, y = {y}"
        z1 = w1 * a0 + b1
        s1 = sigmoid(z1)
        s2 = sigmoid(w2 * s1 + b2)
        factors = {
            "dz^(1)/dw^(1) = a^(0)": a0,
            "da^(1)/dz^(1) = sigma'(z^(1))": s1 * (1 - s1),
            "dz^(2)/da^(1) = w^(2)": w2,
            "da^(2)/dz^(2) = sigma'(z^(2))": s2 * (1 - s2),
            "dC/da^(2) = 2 (a^(2) - y)": 2 * (s2 - y),
        }
        for name, factor in factors.items():
            if factor != 0 and close(got, want / factor):
                raise Hint(f"{where}, your product is missing the factor {name}.")
        if close(got, -want):
            raise Hint(f"{where}, the sign is off: dC/da^(2) = 2 (a^(2) - y).")
        raise Hint(
            f"{where}, dC/dw^(1) should be {fmt(want)}, got {fmt(got)}. It is the product of five local "
            "derivatives: a^(0) * sigma'(z^(1)) * w^(2) * sigma'(z^(2)) * 2 (a^(2) - y)."
        )
    return "Five local derivatives, multiplied: that is all the chain rule is."
