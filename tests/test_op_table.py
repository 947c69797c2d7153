"""Every primitive in the op table, checked without writing a test per op.

For points drawn by hypothesis inside each op's domain: the value, first, second and third
derivatives (all mixed partials) must match PyTorch float64, and the first and second
derivatives must match central finite differences. Binary ops are also checked with a
plain-number operand on either side, since constants take a different recording path.
"""

from __future__ import annotations

import itertools
import math
import struct

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, grad, gradcheck, no_grad, ops
from autograd.value import apply, operands_of
from tests.reference import same_float, torch_apply

FIXED_ARITY = [op for op in ops.OPS.values() if not op.nary]
NARY = [op for op in ops.OPS.values() if op.nary]


def in_union(intervals: tuple) -> st.SearchStrategy[float]:
    return st.one_of(*[st.floats(lo, hi) for lo, hi in intervals])


def operand_points(op: ops.Op) -> st.SearchStrategy[list[float]]:
    if op.nary:
        size = st.integers(1, 4).map(lambda n: 2 * n if op.torch_name == "dot" else n)
        return size.flatmap(lambda n: st.lists(in_union(op.domain[0]), min_size=n, max_size=n))
    return st.tuples(*[in_union(d) for d in op.domain]).map(list)


def value_method(op: ops.Op, reflected: bool = False):
    """The Value method made from this op (every fixed-arity op must have one)."""
    for method in vars(Value).values():
        if getattr(method, "op", None) is op and getattr(method, "reflected", False) == reflected:
            return method
    raise AssertionError(f"no Value method records {op.name!r} (reflected={reflected})")


def record(op: ops.Op, operands: list) -> Value:
    """Run the op the way user code reaches it: Value's methods, or apply for n-ary ops."""
    if op.nary:
        return apply(op, tuple(operands))
    if len(operands) == 2 and not isinstance(operands[0], Value):
        return value_method(op, reflected=True)(operands[1], operands[0])
    return value_method(op)(*operands)


def constant_patterns(op: ops.Op) -> list[tuple[bool, ...]]:
    """Which operands are Values: all of them, and for binary ops each one alone."""
    n = len(op.domain)
    patterns = [(True,) * n]
    if n == 2:
        patterns += [(True, False), (False, True)]
    return patterns


def derivatives_up_to_third(f_out: Value, xs: list[Value]) -> dict:
    """{(i,): d/dx_i, (i, j): d2/dx_i dx_j, (i, j, k): ...} computed by chaingrad."""
    found = {}
    firsts = grad(f_out, xs, create_graph=True)
    for i, g in enumerate(firsts):
        found[(i,)] = g.data
        seconds = grad(g, xs, create_graph=True)
        for j, h in enumerate(seconds):
            found[(i, j)] = h.data
            for k, t in enumerate(grad(h, xs)):
                found[(i, j, k)] = t
    return found


def torch_derivatives_up_to_third(out: torch.Tensor, ts: list[torch.Tensor]) -> dict:
    def d(y: torch.Tensor, create: bool) -> list:
        if not y.requires_grad:
            return [torch.zeros((), dtype=torch.float64) for _ in ts]
        gs = torch.autograd.grad(y, ts, create_graph=create, retain_graph=True, allow_unused=True)
        return [torch.zeros((), dtype=torch.float64) if g is None else g for g in gs]

    found = {}
    for i, g in enumerate(d(out, True)):
        found[(i,)] = g.item()
        for j, h in enumerate(d(g, True)):
            found[(i, j)] = h.item()
            for k, t in enumerate(d(h, False)):
                found[(i, j, k)] = t.item()
    return found


@pytest.mark.parametrize("op", FIXED_ARITY + NARY, ids=lambda op: op.torch_name)
@settings(max_examples=25)
@given(data=st.data())
def test_value_and_derivatives_to_third_order_match_torch(op: ops.Op, data: st.DataObject) -> None:
    point = data.draw(operand_points(op))
    patterns = constant_patterns(op) if not op.nary else [(True,) * len(point)]
    for is_value in patterns:
        operands = [Value(x) if v else x for x, v in zip(point, is_value)]
        xs = [o for o in operands if isinstance(o, Value)]
        out = record(op, operands)

        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=v) for x, v in zip(point, is_value)]
        t_operands = [t if v else x for t, x, v in zip(ts, point, is_value)]
        t_out = torch_apply(op, t_operands)
        assert same_float(out.data, t_out.item()), f"{op.name}{point}: {out.data} vs torch {t_out.item()}"

        ours = derivatives_up_to_third(out, xs)
        theirs = torch_derivatives_up_to_third(t_out, [t for t, v in zip(ts, is_value) if v])
        for key, expected in theirs.items():
            assert same_float(ours[key], expected, rel=1e-9, abs_tol=1e-9), (
                f"{op.name} at {point} (Values: {is_value}): d^{len(key)}/d{key} is {ours[key]}, torch says {expected}"
            )


@pytest.mark.parametrize("op", FIXED_ARITY + NARY, ids=lambda op: op.torch_name)
@settings(max_examples=25)
@given(data=st.data())
def test_first_and_second_derivatives_match_finite_differences(op: ops.Op, data: st.DataObject) -> None:
    point = data.draw(operand_points(op))
    f = lambda *xs: record(op, list(xs))
    assert gradcheck(f, point, eps=1e-6, atol=1e-5, rtol=1e-4)
    if op is ops.pow and point[1] == 0.0:
        # Excluded: d/dx x**y is a constant 0 at y == 0, as PyTorch selects it (a mask, so that
        # inf * 0 passes no nan); its derivative in y is then 0, not the true 1/x.
        return
    for i in range(len(point)):
        # d f / d x_i is itself a function of the point: its gradient is row i of the Hessian.
        df_i = lambda *xs, i=i: grad(f(*xs), list(xs), create_graph=True)[i]
        assert gradcheck(df_i, point, eps=1e-5, atol=1e-4, rtol=1e-3)


@pytest.mark.parametrize("op", FIXED_ARITY, ids=lambda op: op.torch_name)
def test_fast_path_and_general_path_record_the_same_node(op: ops.Op) -> None:
    point = [intervals[0][0] * 0.5 + intervals[0][1] * 0.5 for intervals in op.domain]
    for is_value in constant_patterns(op):
        operands = [Value(x) if v else x for x, v in zip(point, is_value)]
        fast, general = record(op, operands), apply(op, tuple(operands))
        assert (fast.data, fast.op, fast.parents, fast.local_grads, operands_of(fast)) == (
            general.data,
            general.op,
            general.parents,
            general.local_grads,
            operands_of(general),
        )
        assert operands_of(fast) == tuple(operands)  # the constant comes back in its place


EDGES = [0.0, -0.0, 0.5, -1.0, 2.0, -8.0, 1e-300, 1e200, -1e200, 1000.0, -1000.0, math.inf, -math.inf, math.nan]


def edge_points(op: ops.Op) -> list[list[float]]:
    if op.nary:
        return [[a, b, c, d] for a, b, c, d in itertools.product(EDGES[::3], repeat=4)]
    return [list(p) for p in itertools.product(EDGES, repeat=len(op.domain))]


def same_bits(a: float, b: float) -> bool:
    return struct.pack("<d", a) == struct.pack("<d", b) or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("op", FIXED_ARITY + NARY, ids=lambda op: op.torch_name)
def test_the_forward_function_computes_exactly_the_rules_value(op: ops.Op) -> None:
    # no_grad uses op.forward; recording uses op.rule: a value must not depend on the mode.
    for point in edge_points(op):
        args = op.split(point) if op.nary else point
        assert same_bits(op.forward(*args), op.rule(*args)[0]), f"{op.name} at {point}"


@pytest.mark.parametrize("op", FIXED_ARITY + NARY, ids=lambda op: op.torch_name)
def test_no_grad_gives_the_recorded_value_and_a_leaf(op: ops.Op) -> None:
    for point in edge_points(op)[::7]:
        patterns = [(True,) * 4, (True, False, False, True)] if op.nary else constant_patterns(op)
        for is_value in patterns:
            operands = [Value(x) if v else x for x, v in zip(point, is_value)]
            recorded = record(op, operands)
            with no_grad():
                free = record(op, operands)
            assert same_bits(free.data, recorded.data), f"{op.name} at {point}"
            assert (free.op, free.parents, free.local_grads) == ("", (), ())
