"""Checks against central finite differences: gradcheck, check_op, check_graph.

The independent witness for every derivative rule: if a rule is wrong, the slope measured by
nudging an input disagrees with it. `gradcheck` says which input of a function is off,
`check_graph` which node of a recorded graph, `check_op` which point of one primitive.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from .engine import grad, primitive_of, topological_order
from .ops import Primitive
from .value import Value, _as_float, operands_of


class GradcheckError(AssertionError):
    """Reverse-mode and finite-difference gradients disagree."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check d f / d inputs against central differences (f(x+eps) - f(x-eps)) / 2 eps.

    `f` is called as `f(*values)` with one Value per input and must return a Value.
    Returns True, or raises GradcheckError naming the worst input and both numbers.

    >>> gradcheck(lambda x, y: x * y.tanh(), [0.3, -1.2])
    True
    """
    if not callable(f):
        raise TypeError(f"gradcheck: f must be callable, got {type(f).__name__}")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"gradcheck: inputs must be a list of numbers, got {type(inputs).__name__}")
    point = [_as_float(x, f"gradcheck: inputs[{i}]") for i, x in enumerate(inputs)]
    if not eps > 0:
        raise ValueError(f"gradcheck: eps must be positive, got {eps!r}")

    values = [Value(x) for x in point]
    out = f(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__} {out!r}")
    analytic = grad(out, values)

    def f_nudged(i: int, delta: float) -> float:
        # Not under no_grad: f may itself differentiate (gradcheck of a gradient).
        return f(*(Value(x + delta if j == i else x) for j, x in enumerate(point))).data

    worst = None
    for i in range(len(point)):
        numeric = (f_nudged(i, eps) - f_nudged(i, -eps)) / (2 * eps)
        error = abs(analytic[i] - numeric)
        if not error <= atol + rtol * abs(numeric):  # `not <=` also catches nan
            if worst is None or not error <= worst[0]:
                worst = (error, i, analytic[i], numeric)
    if worst is not None:
        error, i, a, n = worst
        message = (
            f"gradcheck: d f / d inputs[{i}] at {point}: backward gives {a!r}, "
            f"central differences give {n!r} (|difference| {error:.3g} > atol {atol} + rtol {rtol} * |numeric|)"
        )
        wrong = check_graph(out, eps=eps, atol=atol, rtol=rtol)
        if wrong:
            message += f". The first node whose recorded derivative is off: {wrong[0]}"
        raise GradcheckError(message)
    return True


def _close(recorded: float, numeric: float, atol: float, rtol: float) -> bool:
    """Within atol + rtol * |numeric|; nan agrees with nan and an infinity with itself."""
    if recorded == numeric or (recorded != recorded and numeric != numeric):
        return True
    return abs(recorded - numeric) <= atol + rtol * abs(numeric)


def _slope(f: Callable[[list[float]], Any], point: list[float], i: int, eps: float) -> float:
    """d f / d point[i] by central differences; f returns a float."""
    up, down = list(point), list(point)
    up[i] += eps
    down[i] -= eps
    return (float(f(up)) - float(f(down))) / (2 * eps)


def describe(node: Value) -> str:
    """`label` or `op(operands) = data`, for messages."""
    if node.label:
        return f"{node.label!r} ({node.op} = {node.data!r})"
    operands = ", ".join(repr(o.data if isinstance(o, Value) else o) for o in operands_of(node))
    return f"{node.op}({operands}) = {node.data!r}"


@dataclass(frozen=True)
class Mismatch:
    """A node whose recorded local derivative disagrees with central differences of its op."""

    node: Value
    op: str
    operand: int  # index into node.parents and node.local_grads
    recorded: float
    numeric: float

    def __str__(self) -> str:
        return (
            f"{describe(self.node)}: d/d operand {self.operand} recorded {self.recorded!r}, "
            f"central differences give {self.numeric!r}"
        )


def check_graph(root: Value, *, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3) -> list[Mismatch]:
    """Re-derive every recorded local derivative below `root` by central differences of its
    op at the recorded operands; the disagreements, in topological order ([] if none).

    >>> [str(m) for m in check_graph(loss)]     # which node's rule is wrong, and by how much
    """
    if not isinstance(root, Value):
        raise TypeError(f"check_graph: expected a Value, got {type(root).__name__} {root!r}")
    mismatches = []
    for node in topological_order(root):
        if not node.parents:
            continue
        op = primitive_of(node)
        operands = operands_of(node)
        numbers = [o.data if isinstance(o, Value) else o for o in operands]

        def f(xs: list[float], op: Primitive = op) -> float:
            return op.forward(*op.split(xs))

        positions = [i for i, o in enumerate(operands) if isinstance(o, Value)]
        for m, (i, recorded) in enumerate(zip(positions, node.local_grads)):
            numeric = _slope(f, numbers, i, eps)
            if not _close(float(recorded), numeric, atol, rtol):
                mismatches.append(Mismatch(node, op.name, m, float(recorded), numeric))
    return mismatches


def _points(op: Primitive, count: int, seed: int) -> list[list[float]]:
    """`count` points drawn uniformly from the op's domain (3 numbers per sequence if n-ary)."""
    if not op.domain:
        raise ValueError(f"check_op: op {op.name!r} has no domain; give one, e.g. @primitive(domain=[(-3, 3)] * 2)")
    unions = [op.domain[0]] * (3 * op.vectors) if op.nary else list(op.domain)
    rng = random.Random(seed)
    return [[rng.uniform(*rng.choice(union)) for union in unions] for _ in range(count)]


def check_op(
    op: Primitive, *, points: int = 20, eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3, seed: int = 0
) -> bool:
    """Test one primitive as the test suite tests every built-in, at `points` points of its
    domain: its forward against its rule's value and against the recorded node, its first
    derivatives against central differences of the forward, and its second derivatives
    (create_graph through the rule) against central differences of the first.

    Returns True, or raises GradcheckError naming the op, the point and the numbers.

    >>> check_op(softplus)
    True
    """
    if not isinstance(op, Primitive):
        raise TypeError(f"check_op: expected an op made with @primitive, got {type(op).__name__} {op!r}")
    name = op.name

    def fail(point: list[float], what: str, got: float, expected: float, source: str) -> None:
        raise GradcheckError(f"check_op: {name!r} at {point}: {what} is {got!r}, {source} {expected!r}")

    def first_derivatives(xs: list[float]) -> list[float]:
        derivatives = op.rule(*op.split(xs))[1]
        return [float(d) for d in (chain.from_iterable(derivatives) if op.nary else derivatives)]

    for point in _points(op, points, seed):
        value = float(op.forward(*op.split(point)))
        rule_value = float(op.rule(*op.split(point))[0])
        if not _close(rule_value, value, atol, rtol):
            fail(point, "the rule's value", rule_value, value, "its forward function gives")
        xs = [Value(x) for x in point]
        out = op(*op.split(xs))
        if not _close(out.data, value, atol, rtol):
            fail(point, "the recorded value", out.data, value, "its forward function gives")
        recorded = first_derivatives(point)
        firsts = grad(out, xs, create_graph=True)
        for i, d in enumerate(recorded):
            numeric = _slope(lambda p: op.forward(*op.split(p)), point, i, eps)
            if not _close(d, numeric, atol, rtol):
                fail(point, f"d/d operand {i} (from its rule)", d, numeric, "central differences give")
            if not _close(firsts[i].data, d, atol, rtol):
                what = f"d/d operand {i} computed on Values (create_graph)"
                fail(point, what, firsts[i].data, d, "its rule on floats gives")
            seconds = grad(firsts[i], xs)
            for j, second in enumerate(seconds):
                numeric = _slope(lambda p, i=i: first_derivatives(p)[i], point, j, eps)
                if not _close(second, numeric, atol, rtol):
                    what = f"d2/d operand {i} d operand {j} (create_graph through its rule)"
                    fail(point, what, second, numeric, "central differences of its first derivative give")
    return True
