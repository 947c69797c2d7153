"""Checks for lesson 7, under the hood: counting paths by dynamic programming, inference without a graph, a Newton step."""

from __future__ import annotations

import math

from autograd import Value, explain, is_grad_enabled
from nn import MLP

from .core import Hint, call, close, exercise, fmt, number, numbers_list


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


class _Recorder:
    """A model that remembers whether each call recorded a graph."""

    def __init__(self) -> None:
        self.model = MLP(2, [4, 1], seed=0)
        self.recorded: list[bool] = []

    def __call__(self, x):
        self.recorded.append(is_grad_enabled())
        return self.model(x)

    def __repr__(self) -> str:
        return "model"


@exercise("7.2", "predictions without a graph", "predict_without_graph")
def check_predict_without_graph(answer) -> str:
    X = [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8]]
    model = _Recorder()
    result = call(answer, model, [list(x) for x in X])
    if isinstance(result, (list, tuple)) and any(isinstance(v, Value) for v in result):
        raise Hint("return plain floats (out.data or float(out)), not Values.")
    got = numbers_list(result, len(X), "predict_without_graph(model, X)")
    want = [model.model(x).data for x in X]
    if not model.recorded:
        raise Hint("the model was never called: return [model(x) ... for x in X], as floats.")
    if any(model.recorded):
        raise Hint("the model ran with recording on, so every call built a graph: wrap the loop in `with no_grad():`.")
    if not all(close(a, b) for a, b in zip(got, want)):
        raise Hint(f"the predictions should be {[round(v, 6) for v in want]}, got {[round(v, 6) for v in got]}.")
    return "No graph, no parents kept: inference costs less time and memory."


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
