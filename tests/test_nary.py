"""sum, mean, dot: one node for a whole reduction, one local derivative per Value operand."""

from __future__ import annotations

import builtins
import math

import pytest

import autograd
from autograd import Value, grad
from autograd.value import operands_of


def test_sum_records_one_node_whose_parents_are_the_value_operands() -> None:
    xs = [Value(float(i)) for i in range(5)]
    s = autograd.sum([*xs, 10.0])
    assert s.op == "sum" and s.parents == tuple(xs) and s.data == 20.0
    assert grad(s, xs) == [1.0] * 5


def test_mean_divides_the_gradient_by_the_count() -> None:
    xs = [Value(1.0), Value(2.0), Value(6.0)]
    m = autograd.mean(xs + [3.0])
    assert m.data == 3.0 and grad(m, xs) == [0.25] * 3


def test_mean_of_nothing_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="no values"):
        autograd.mean([])


def test_dot_records_one_node_with_each_weight_getting_its_input() -> None:
    w = [Value(0.5), Value(-1.0), Value(2.0)]
    x = [1.0, 2.0, 3.0]
    d = autograd.dot(w, x)
    assert d.op == "dot" and d.parents == tuple(w) and d.data == 0.5 - 2.0 + 6.0
    assert grad(d, w) == x


def test_dot_with_values_on_both_sides_differentiates_both() -> None:
    w, x = [Value(2.0), Value(3.0)], [Value(5.0), Value(7.0)]
    d = autograd.dot(w, x)
    assert grad(d, w + x) == [5.0, 7.0, 2.0, 3.0]


def test_dot_of_different_lengths_is_a_value_error_naming_both() -> None:
    with pytest.raises(ValueError, match="2 weights but 3 inputs"):
        autograd.dot([Value(1.0), Value(2.0)], [1.0, 2.0, 3.0])


def test_nary_ops_reject_non_numbers() -> None:
    with pytest.raises(TypeError, match="str"):
        autograd.sum([Value(1.0), "a"])


def test_pythons_builtin_sum_still_works_as_a_chain_of_additions() -> None:
    xs = [Value(1.0), Value(2.0), Value(3.0)]
    s = builtins.sum(xs)
    assert s.data == 6.0 and s.op == "+"
    s.backward()
    assert [x.grad for x in xs] == [1.0, 1.0, 1.0]


def test_second_derivatives_through_dot_and_sum() -> None:
    w, x = Value(2.0), Value(3.0)
    y = autograd.dot([w, x], [x, w])  # 2wx
    (dw,) = grad(y, [w], create_graph=True)
    assert dw.data == 6.0 and grad(dw, [x]) == [2.0]
    s = autograd.sum([w * w, x])
    (ds,) = grad(s, [w], create_graph=True)
    assert grad(ds, [w]) == [2.0]


SHAPES = {
    "values times floats": lambda w, x: ([Value(a) for a in w], list(x)),
    "values times values": lambda w, x: ([Value(a) for a in w], [Value(b) for b in x]),
    "values times values then a constant (a neuron's bias)": lambda w, x: (
        [Value(a) for a in w],
        [Value(b) for b in x[:-1]] + [x[-1]],
    ),
    "constants among the inputs": lambda w, x: (
        [Value(a) for a in w],
        [b if i % 2 else Value(b) for i, b in enumerate(x)],
    ),
    "floats times values": lambda w, x: (list(w), [Value(b) for b in x]),
    "constants among the weights": lambda w, x: ([a if i == 1 else Value(a) for i, a in enumerate(w)], list(x)),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_of_dot_matches_the_unfused_sum_to_second_order(shape: str) -> None:
    w, x = SHAPES[shape]([0.5, -1.5, 2.0, 0.25], [1.5, 0.5, -2.0, 1.0])
    fused = autograd.dot(w, x)
    unfused = builtins.sum((a * b for a, b in zip(w, x)), 0.0)
    assert fused.data == pytest.approx(unfused.data, rel=1e-15)
    leaves = [v for v in w + x if isinstance(v, Value)]
    assert fused.parents == tuple(leaves)
    # d/dleaf of (d/dleaf0 of the dot): mixed second derivatives through create_graph
    first_fused = grad(fused, leaves, create_graph=True)
    first_unfused = grad(unfused, leaves, create_graph=True)
    assert [g.data for g in first_fused] == pytest.approx([g.data for g in first_unfused], rel=1e-15)
    for g_f, g_u in zip(first_fused, first_unfused):
        assert grad(g_f, leaves) == pytest.approx(grad(g_u, leaves), rel=1e-15)


def test_sums_that_overflow_or_cancel_infinities_give_inf_and_nan_like_pytorch() -> None:
    inf = float("inf")
    assert autograd.sum([Value(1e308), Value(1e308)]).data == inf
    assert math.isnan(autograd.sum([Value(inf), Value(-inf)]).data)
    assert math.isnan(autograd.mean([Value(inf), -inf]).data)
    assert math.isnan(autograd.dot([Value(inf), Value(-1.0)], [1.0, inf]).data)
    assert autograd.dot([Value(1e308), Value(1e308)], [10.0, 10.0]).data == inf


def test_matvec_records_one_dot_node_per_row_exactly_as_dot_does() -> None:
    x = [Value(0.5), Value(-2.0), 1.0]
    rows = [[Value(1.0), Value(2.0), Value(-1.0)], [Value(0.25), Value(3.0), Value(0.5)]]
    sums = autograd.matvec(rows, x)
    for row, s in zip(rows, sums):
        d = autograd.dot(row, x)
        assert (s.op, s.data, s.parents, s.local_grads) == (d.op, d.data, d.parents, d.local_grads)
        assert operands_of(s) == operands_of(d) == (*row, *x)


@pytest.mark.parametrize("shape", SHAPES)
def test_matvec_matches_dot_for_every_shape_of_inputs(shape: str) -> None:
    w, x = SHAPES[shape]([0.5, -1.5, 2.0, 0.25], [1.5, 0.5, -2.0, 1.0])
    (s,) = autograd.matvec([w], x)
    d = autograd.dot(w, x)
    assert (s.data, s.parents, s.local_grads, operands_of(s)) == (d.data, d.parents, d.local_grads, operands_of(d))


def test_matvec_names_the_row_whose_length_is_wrong() -> None:
    with pytest.raises(ValueError, match="row 1 has 1 weights but there are 2 inputs"):
        autograd.matvec([[Value(1.0), Value(2.0)], [Value(1.0)]], [1.0, 2.0])


def test_matvec_rejects_non_numbers_in_a_row() -> None:
    with pytest.raises(TypeError, match="str"):
        autograd.matvec([[Value(1.0), "w"]], [Value(1.0), 2.0])
