"""Checks for lesson 2, Value and the computation graph: backprop by hand, topological order, a backward pass."""

from __future__ import annotations

from autograd import Value, grad
from autograd.engine import topological_order

from .core import Hint, call, close, exercise, fmt, number


@exercise("2.1", "backprop by hand", "grads_by_hand")
def check_grads_by_hand(answer) -> str:
    for x, y, z in ((2.0, -3.0, 10.0), (0.5, 1.5, -2.0), (-1.2, 0.3, 0.7)):
        result = call(answer, x, y, z)
        if not isinstance(result, dict) or set(result) != {"x", "y", "z"}:
            raise Hint(
                f"return a dict with the keys 'x', 'y' and 'z', e.g. {{'x': ..., 'y': ..., 'z': ...}}; got {result!r}."
            )
        got = {k: number(v, f"grads_by_hand({x}, {y}, {z})[{k!r}]") for k, v in result.items()}
        vx, vy, vz = Value(x), Value(y), Value(z)
        out = (vx * vy + vz) * vx
        want = dict(zip("xyz", grad(out, [vx, vy, vz])))
        where = f"at x = {x}, y = {y}, z = {z}"
        r = x * y + z
        if not close(got["x"], want["x"]):
            if close(got["x"], r):
                raise Hint(
                    f"{where}, d out/dx is off: you have the contribution through out = r * x (that is r), but x is "
                    "also used in q = x * y. Add d out/dq * dq/dx = x * y: a node used twice gets two contributions."
                )
            if close(got["x"], x * y):
                raise Hint(
                    f"{where}, d out/dx is off: you have the contribution through q = x * y, but x is also used "
                    "directly in out = r * x, which adds d out/dx = r."
                )
            raise Hint(f"{where}, d out/dx should be {fmt(want['x'])}, got {fmt(got['x'])}.")
        if not close(got["y"], want["y"]):
            if close(got["y"], x):
                raise Hint(
                    f"{where}, d out/dy is off: dq/dy = x, but the gradient arriving at q is d out/dq = x too "
                    "(out = r * x, r = q + z): multiply them."
                )
            raise Hint(f"{where}, d out/dy should be {fmt(want['y'])}, got {fmt(got['y'])}.")
        if not close(got["z"], want["z"]):
            if close(got["z"], 1.0):
                raise Hint(f"{where}, d out/dz is off: dr/dz = 1, but r is then multiplied by x, so d out/dz = x * 1.")
            raise Hint(f"{where}, d out/dz should be {fmt(want['z'])}, got {fmt(got['z'])}.")
    return None


def _small_graph() -> tuple[dict[str, Value], Value]:
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b
    c.label = "c"
    d = c + a
    d.label = "d"
    e = d.tanh()
    e.label = "e"
    return {"a": a, "b": b, "c": c, "d": d, "e": e}, e


@exercise("2.2", "is it a topological order?", "is_topological")
def check_is_topological(answer) -> str:
    nodes, _ = _small_graph()
    orders = {
        "a b c d e": True,
        "b a c d e": True,
        "a c b d e": False,  # c before its parent b
        "e d c b a": False,  # reversed
        "a b d c e": False,  # d before its parent c
        "b a c e d": False,  # e before its parent d
    }
    for text, valid in orders.items():
        order = [nodes[name] for name in text.split()]
        got = call(answer, order)
        if not isinstance(got, bool):
            raise Hint(f"is_topological should return True or False, got {got!r}.")
        if got == valid:
            continue
        names = " -> ".join(text.split())
        if valid:
            raise Hint(
                f"[{names}] is a topological order (each node comes after all of its parents), but you said "
                "False. Check that you test 'parent before node', not the other way round."
            )
        position = {id(node): i for i, node in enumerate(order)}
        child, parent = next((n.label, p.label) for n in order for p in n.parents if position[id(p)] > position[id(n)])
        raise Hint(
            f"[{names}] is not a topological order: {child} comes before its parent {parent}, but you said True."
        )
    # a + a: one parent, used twice; still a valid order
    a = Value(1.0, "a")
    s = a + a
    if call(answer, [a, s]) is not True:
        raise Hint("[a, a + a] is a valid order (a comes before the node that uses it, twice), but you said False.")
    return None


def _graphs() -> list[tuple[str, Value]]:
    """Fresh graphs (all grads 0): a chain, fan-out, the lesson's graph, a diamond."""
    x = Value(0.5, "x")
    chain = ((x * 3.0).tanh() + 1.0) * 2.0
    chain.label = "chain"
    a = Value(3.0, "a")
    twice = a + a
    twice.label = "a + a"
    a2, b2, c2, f2 = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e2 = a2 * b2
    d2 = e2 + c2
    lesson = d2 * f2
    lesson.label = "E"
    p = Value(1.5, "p")
    q = p.tanh()
    diamond = p * q + q
    diamond.label = "diamond"
    return [
        ("a chain of ops", chain),
        ("b = a + a", twice),
        ("the lesson's E = (a*b + c) * f", lesson),
        ("p*q + q with q = tanh(p)", diamond),
    ]


def _simulate(root: Value, *, accumulate: bool, reverse: bool) -> dict[Value, float]:
    """What a backward sweep gives when done right, with `=` instead of `+=`, or in the wrong order."""
    order = topological_order(root)
    grads = dict.fromkeys(order, 0.0)
    grads[root] = 1.0
    for node in reversed(order) if reverse else order:
        for parent, local in zip(node.parents, node.local_grads):
            contribution = grads[node] * local
            grads[parent] = grads[parent] + contribution if accumulate else contribution
    return grads


@exercise("2.3", "a backward pass of your own", "my_backward")
def check_my_backward(answer) -> str:
    for description, root in _graphs():
        order = topological_order(root)
        call(answer, root, allow_none=True)
        got = {node: float(node.grad) for node in order}
        want = dict(zip(order, grad(root, order)))
        want[root] = 1.0
        if all(close(got[n], want[n]) for n in order):
            continue
        if all(g == 0.0 for g in got.values()):
            raise Hint(
                f"on {description}, every .grad is still 0: start with root.grad = 1.0, then for each node in "
                "reversed(topological_order(root)) pass node.grad * local derivative to each parent."
            )
        if not close(got[root], 1.0):
            raise Hint(f"on {description}, root.grad is {fmt(got[root])}: it should be 1.0 (d root / d root).")
        overwrite = _simulate(root, accumulate=False, reverse=True)
        if all(close(got[n], overwrite[n]) for n in order):
            raise Hint(
                f"on {description}, a node used more than once kept only its last contribution: add "
                "contributions with +=, do not overwrite with =."
            )
        forward = _simulate(root, accumulate=True, reverse=False)
        if all(close(got[n], forward[n]) for n in order):
            raise Hint(
                f"on {description}, you walked the nodes parents first. Walk reversed(topological_order(root)): "
                "a node's gradient is complete only after every node that uses it has been visited."
            )
        names = {n: n.label or f"({n.op} node)" for n in order}
        bad = next(n for n in reversed(order) if not close(got[n], want[n]))
        raise Hint(f"on {description}, {names[bad]}.grad should be {fmt(want[bad])}, got {fmt(got[bad])}.")
    return "That loop is the whole of backward(); autograd/engine.py has the same one."
