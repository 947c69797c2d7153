"""Checks for lesson 7, under the hood: counting paths by dynamic programming, finding wrong local derivatives
with gradcheck, a Newton step."""

from __future__ import annotations

import math

from autograd import Value, explain

from .core import Hint, call, close, exercise, fmt, number


def ladder(x: Value, n: int) -> Value:
    """n rungs of y = sin(y) + cos(y): each rung doubles the number of paths from x."""
    y = x
    for _ in range(n):
        y = y.sin() + y.cos()
    return y


def _graphs() -> list[tuple[str, Value, Value]]:
    a = Value(1.0, "a")
    b = Value(2.0, "b")
    unrelated = Value(5.0, "u")
    chain = a
    for _ in range(1500):
        chain = chain * 1.0001
    x = Value(0.3, "x")
    c = x * x * x
    return [
        ("a * b (one path)", a * b, a),
        ("a + a (two edges from a)", a + a, a),
        ("x * x * x", c, x),
        ("a ladder of 5 rungs", ladder(x, 5), x),
        ("a ladder of 12 rungs", ladder(x, 12), x),
        ("a * b, counted from a Value it does not use", a * b, unrelated),
        ("a chain of 1500 multiplications", chain, a),
    ]


@exercise("7.1", "counting paths by dynamic programming", "count_paths")
def check_count_paths(answer) -> str:
    for description, root, wrt in _graphs():
        got = call(answer, root, wrt)
        if isinstance(got, bool) or not isinstance(got, int):
            raise Hint(f"count_paths should return an int (a number of paths), got {got!r}.")
        want = explain(root, wrt, max_paths=0).path_count
        if got == want:
            continue
        if description.startswith("a + a") and got == 1:
            raise Hint(
                "a + a has two edges from a, one per operand: count every entry of node.parents, duplicates too."
            )
        if want == 0:
            raise Hint(f"on {description}: no path leads from {wrt.label} to the output, so the count is 0; got {got}.")
        raise Hint(
            f"on {description}: expected {want:,} paths, got {got:,}. paths[node] = sum of paths[parent] over "
            "node.parents, visiting nodes in topological_order(root), starting from paths[wrt] = 1."
        )
    return "Counting paths took one visit per node, as backward does; listing them would take 2**n."


def op_from(name: str, f, f_prime):
    """An op with value f(x) and the supplied local derivative f_prime(x), as in the lesson."""

    def op(x: Value) -> Value:
        return (x - x.data) * f_prime(x.data) + f(x.data)

    op.__name__ = name
    return op


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _suspects() -> list[tuple[dict, list[float], set[str], str]]:
    """(ops, points, the wrong ones, the op that is right at the first point but wrong at a later one)."""
    softplus = op_from("softplus", lambda x: math.log1p(math.exp(x)), _sigmoid)
    smooth_abs = op_from("smooth_abs", lambda x: math.sqrt(x * x + 1), lambda x: x / math.sqrt(x * x + 1))
    cube = op_from("cube", lambda x: x**3, lambda x: 3 * x)  # right only at x = 0 and x = 1
    swish = op_from(  # x sigma(x); the slip flips a sign: right only at x = 0
        "swish", lambda x: x * _sigmoid(x), lambda x: _sigmoid(x) + x * _sigmoid(x) * (1 + _sigmoid(x))
    )
    swish_ok = op_from("swish", lambda x: x * _sigmoid(x), lambda x: _sigmoid(x) + x * _sigmoid(x) * (1 - _sigmoid(x)))
    square = op_from("square", lambda x: x * x, lambda x: 2 * x)
    exp_slip = op_from("exp2", lambda x: math.exp(2 * x), lambda x: math.exp(2 * x))  # forgot the inner 2
    return [
        (
            {"softplus": softplus, "cube": cube, "smooth_abs": smooth_abs, "swish": swish},
            [1.0, 0.0, -0.7, 2.0],
            {"cube", "swish"},
            "cube",
        ),
        ({"square": square, "exp2": exp_slip, "swish": swish_ok}, [0.3, -1.2], {"exp2"}, ""),
        ({"softplus": softplus, "square": square}, [-2.0, 0.5], set(), ""),
    ]


@exercise("7.2", "find the planted wrong derivatives", "wrong_ops")
def check_wrong_ops(answer) -> str:
    for ops, points, want, late in _suspects():
        try:
            result = call(answer, dict(ops), list(points))
        except Hint as hint:
            if "GradcheckError" in str(hint):
                raise Hint(
                    f"{hint} gradcheck does not return False when the derivatives disagree: it raises "
                    "GradcheckError. Catch it (try: ... except GradcheckError: ...) and note the op's name."
                ) from None
            raise
        if isinstance(result, str) or not all(isinstance(name, str) for name in result):
            raise Hint(f"return a list of op names (strings), like ['cube']; got {result!r:.60}.")
        got = set(result)
        if got == want:
            continue
        where = f"with ops {list(ops)} at points {points}"
        if got - set(ops):
            raise Hint(f"{where}: {sorted(got - set(ops))} are not names in ops; return the keys of the ops that fail.")
        if got == set(ops) - want and want:
            raise Hint(f"{where}: you returned the ops that pass gradcheck; return the ones that fail it.")
        missed, extra = want - got, got - want
        if late in missed:
            raise Hint(
                f"{where}: you missed {late!r}. Its derivative happens to be right at x = {points[0]} (and 0), and "
                "wrong at the others: check every point, not only the first."
            )
        if extra:
            raise Hint(
                f"{where}: {sorted(extra)} has a correct derivative, yet you flagged it. Use gradcheck(op, [x]) as "
                "it is: its central differences and tolerances are chosen so that right derivatives pass."
            )
        raise Hint(f"{where}: you missed {sorted(missed)}: its derivative fails gradcheck at one of the points.")
    return "Check every derivative you write at several points: a wrong formula can agree at a lucky one."


def quartic(x):
    return x**4 - 3 * x**2 + x


def wave(x):
    return x.cos() + 0.1 * x * x


@exercise("7.3", "a Newton step with second derivatives", "newton_step")
def check_newton_step(answer) -> str:
    cases = (
        (quartic, 2.0, lambda x: 4 * x**3 - 6 * x + 1, lambda x: 12 * x**2 - 6),
        (quartic, -1.5, lambda x: 4 * x**3 - 6 * x + 1, lambda x: 12 * x**2 - 6),
        (wave, 0.4, None, None),
    )
    for f, x, d1, d2 in cases:
        try:
            got = number(call(answer, f, x), f"newton_step({f.__name__}, {x})")
        except Hint as hint:
            if "must be a Value" in str(hint) or "'float' object has no attribute" in str(hint):
                raise Hint(
                    f"{hint} To differentiate a derivative, ask for it as a Value: grad(f(x), [x], create_graph=True)."
                ) from None
            raise
        if d1 is None:
            first, second = -math.sin(x) + 0.2 * x, -math.cos(x) + 0.2
        else:
            first, second = d1(x), d2(x)
        want = x - first / second
        if close(got, want):
            continue
        where = f"for {f.__name__} at x = {x} (f' = {fmt(first)}, f'' = {fmt(second)})"
        if close(got, x - first):
            raise Hint(
                f"{where}: you took a gradient step x - f'(x); Newton divides by the curvature: x - f'(x) / f''(x)."
            )
        if close(got, x - second / first):
            raise Hint(f"{where}: the fraction is upside down: x - f'(x) / f''(x).")
        if close(got, x + first / second):
            raise Hint(f"{where}: the sign is off: x - f'(x) / f''(x).")
        raise Hint(f"{where}: the Newton step gives {fmt(want)}, got {fmt(got)}.")
    return "Near a minimum each Newton step roughly doubles the number of correct digits."
