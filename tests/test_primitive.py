"""@primitive: your own ops, recorded as one node, differentiable to any order, copyable.

softplus and a smooth max (log-sum-exp of two operands) are checked against PyTorch float64
up to second derivatives; the built-in ops are made by the same decorator.
"""

from __future__ import annotations

import copy
import math
import pickle

import pytest
import torch

import autograd
from autograd import GradcheckError, Primitive, Value, check_op, grad, gradcheck, no_grad, ops, primitive


@primitive
def softplus(x):
    """log(1 + e^x)"""
    return ops.log(1.0 + ops.exp(x)), (ops.sigmoid(x),)


@primitive(name="smax", domain=[(-3.0, 3.0), (-3.0, 3.0)])
def smooth_max(x, y):
    """log(e^x + e^y): a max with a gradient everywhere (the weights of a softmax)."""
    m = ops.log(ops.exp(x) + ops.exp(y))
    return m, (ops.exp(x - m), ops.exp(y - m))


@primitive(domain=[(0.5, 3.0)] * 3)
def volume(a, b, c):
    return a * b * c, (b * c, a * c, a * b)


def torch_softplus(t: torch.Tensor) -> torch.Tensor:
    return torch.nn.functional.softplus(t)


def torch_smooth_max(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return torch.logsumexp(torch.stack([a, b]), dim=0)


def first_and_second(out: Value, xs: list[Value]) -> tuple[list[float], list[list[float]]]:
    firsts = grad(out, xs, create_graph=True)
    return [g.data for g in firsts], [grad(g, xs) for g in firsts]


def torch_first_and_second(out: torch.Tensor, ts: list[torch.Tensor]) -> tuple[list[float], list[list[float]]]:
    firsts = torch.autograd.grad(out, ts, create_graph=True)
    seconds = [[h.item() for h in torch.autograd.grad(g, ts, retain_graph=True)] for g in firsts]
    return [g.item() for g in firsts], seconds


def test_a_primitive_on_floats_returns_a_plain_float() -> None:
    assert type(softplus(0.5)) is float and softplus(0.5) == pytest.approx(math.log1p(math.exp(0.5)), rel=1e-15)
    assert softplus(1) == softplus(1.0)  # other real numbers are taken as floats
    assert smooth_max(0.0, 0.0) == pytest.approx(math.log(2.0), rel=1e-15)


def test_a_primitive_on_a_value_records_one_node_named_after_the_function() -> None:
    x = Value(0.5)
    y = softplus(x)
    assert isinstance(y, Value) and y.op == "softplus" and y.parents == (x,)
    assert y.local_grads == (pytest.approx(1 / (1 + math.exp(-0.5)), rel=1e-15),)
    y.backward()
    assert x.grad == pytest.approx(1 / (1 + math.exp(-0.5)), rel=1e-15)
    assert smooth_max(x, Value(1.0)).op == "smax"  # name=... overrides the function's name


@pytest.mark.parametrize("x0", [-30.0, -2.0, 0.0, 0.5, 3.0, 15.0])  # torch: x itself above 20
def test_softplus_matches_torch_to_second_order(x0: float) -> None:
    x = Value(x0)
    out = softplus(x)
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    t_out = torch_softplus(t)
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    ours, theirs = first_and_second(out, [x]), torch_first_and_second(t_out, [t])
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12)
    assert ours[1] == [pytest.approx(row, rel=1e-9, abs=1e-300) for row in theirs[1]]


@pytest.mark.parametrize(("a0", "b0"), [(0.3, -1.2), (2.0, 2.0), (-5.0, 1.0), (10.0, -10.0)])
def test_a_two_operand_smooth_max_matches_torch_to_second_order(a0: float, b0: float) -> None:
    a, b = Value(a0), Value(b0)
    out = smooth_max(a, b)
    ta, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (a0, b0))
    t_out = torch_smooth_max(ta, tb)
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    ours, theirs = first_and_second(out, [a, b]), torch_first_and_second(t_out, [ta, tb])
    assert ours[0] == pytest.approx(theirs[0], rel=1e-12)
    assert ours[1] == [pytest.approx(row, rel=1e-9, abs=1e-15) for row in theirs[1]]


def test_a_plain_number_operand_of_a_user_op_is_a_constant_on_either_side() -> None:
    a = Value(0.3)
    for out, t_fn in [(smooth_max(a, 1.5), lambda t: [t, 1.5]), (smooth_max(1.5, a), lambda t: [1.5, t])]:
        assert out.parents == (a,)
        t = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        t_out = torch_smooth_max(
            *[v if isinstance(v, torch.Tensor) else torch.tensor(v, dtype=torch.float64) for v in t_fn(t)]
        )
        ours, theirs = first_and_second(out, [a]), torch_first_and_second(t_out, [t])
        assert ours[0] == pytest.approx(theirs[0], rel=1e-12)
        assert ours[1][0] == pytest.approx(theirs[1][0], rel=1e-9)


def test_an_op_of_three_operands_with_a_constant_among_them() -> None:
    a, c = Value(2.0), Value(5.0)
    out = volume(a, 3.0, c)
    assert out.data == 30.0 and out.parents == (a, c) and out.local_grads == (15.0, 6.0)
    assert autograd.value.operands_of(out) == (a, 3.0, c)
    assert grad(out, [a, c]) == [15.0, 6.0]
    (d_a,) = grad(out, [a], create_graph=True)
    assert grad(d_a, [a, c]) == [0.0, 3.0]  # d/dc of b*c
    assert gradcheck(lambda a, b, c: volume(a, b, c) * volume(c, a, a), [0.7, 1.3, 2.1])


def test_a_user_op_is_differentiable_to_third_order() -> None:
    x = Value(0.4)
    (d1,) = grad(softplus(x), [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    s = 1 / (1 + math.exp(-0.4))
    assert (d1.data, d2.data, d3) == pytest.approx((s, s * (1 - s), s * (1 - s) * (1 - 2 * s)), rel=1e-12)


def test_under_no_grad_a_user_op_returns_a_leaf() -> None:
    x = Value(0.5)
    with no_grad():
        y = softplus(x)
    assert y.parents == () and y.data == softplus(0.5)


def test_every_built_in_op_is_a_primitive_made_the_same_way() -> None:
    for name, op in ops.OPS.items():
        assert isinstance(op, Primitive) and op == name and op.rule is not None
    a, b = Value(2.0), Value(3.0)
    assert (a * b).op is ops.mul and (a / b).op is ops.div and a.exp().op is ops.exp
    assert ops.exp(a).op is ops.exp and ops.exp(1.0) == math.exp(1.0)  # a built-in is a dual function too


@pytest.mark.parametrize("clone", [copy.deepcopy, lambda g: pickle.loads(pickle.dumps(g))], ids=["deepcopy", "pickle"])
def test_a_graph_holding_user_ops_survives_copying_and_differentiates_again(clone) -> None:
    a, b = Value(0.3, "a"), Value(-1.2, "b")
    out = smooth_max(a, b) * softplus(a) + volume(a, 2.0, b)
    out2, (a2, b2) = clone((out, [a, b]))
    assert out2.data == out.data and {n.op for n in autograd.topological_order(out2)} >= {"smax", "softplus", "volume"}
    ops_found = {n.op for n in autograd.topological_order(out2) if n.op}
    assert all(isinstance(op, Primitive) for op in ops_found)
    assert smooth_max in ops_found and softplus in ops_found  # the same objects, found by qualified name
    assert grad(out2, [a2, b2]) == grad(out, [a, b])
    first, second = first_and_second(out2, [a2, b2]), first_and_second(out, [a, b])
    assert first == second


def test_an_op_that_cannot_be_found_after_unpickling_still_backpropagates_but_create_graph_says_why() -> None:
    @primitive
    def cube(x):  # defined in a function: pickle cannot find it again by its qualified name
        return x * x * x, (3.0 * x * x,)

    x = Value(2.0)
    out = pickle.loads(pickle.dumps(cube(x) + 1.0))
    assert out.data == 9.0 and out.parents[0].op == "cube"
    out.backward()
    assert out.parents[0].parents[0].grad == 12.0  # recorded numbers still work
    with pytest.raises(LookupError, match=r"op 'cube' \(.*<locals>\.cube\) could not be found again") as error:
        grad(out, [out.parents[0].parents[0]], create_graph=True)
    assert not isinstance(error.value, KeyError)


def test_a_rule_returning_the_wrong_number_of_derivatives_is_a_clear_error() -> None:
    @primitive
    def broken(x, y):
        return x + y, (1.0,)

    with pytest.raises(TypeError, match=r"'broken'.*1 local derivative\(s\) for 2 operand\(s\)"):
        broken(Value(1.0), Value(2.0))


def test_check_op_passes_for_correct_user_ops_and_every_built_in() -> None:
    for op in [softplus, smooth_max, volume, *ops.OPS.values()]:
        assert check_op(op) is True, op


def test_check_op_fails_on_a_planted_wrong_derivative_naming_op_point_and_numbers() -> None:
    @primitive(domain=[(0.5, 2.0)])
    def square(x):
        return x * x, (3.0 * x,)  # planted: should be 2x

    with pytest.raises(
        GradcheckError, match=r"check_op: 'square' at \[[0-9.]+\]: d/d operand 0 .* is [0-9.]+, central"
    ):
        check_op(square)


def test_check_op_fails_on_a_rule_whose_derivative_is_a_constant_for_create_graph() -> None:
    @primitive
    def square(x):
        # planted: reading .data makes the derivative a constant, right in value, wrong in slope
        return x * x, (2.0 * (x.data if isinstance(x, Value) else x),)

    with pytest.raises(GradcheckError, match=r"check_op: 'square' at .*d2/d operand 0 d operand 0.* is 0\.0"):
        check_op(square)


def test_check_op_needs_a_domain_for_a_variadic_op() -> None:
    @primitive
    def total(*xs):
        return sum(xs), (1.0,) * len(xs)

    assert total(Value(1.0), 2.0, Value(3.0)).data == 6.0
    with pytest.raises(ValueError, match="'total' has no domain"):
        check_op(total)
    assert check_op(primitive(total.rule, name="total", domain=[(-1, 1)] * 4))


def test_a_node_whose_op_is_a_plain_built_in_name_still_differentiates_again() -> None:
    # as in a graph pickled by a chaingrad whose nodes held op names, not ops
    x = Value(3.0)
    y = x * x
    y.op = "*"
    (d,) = grad(y, [x], create_graph=True)
    assert grad(d, [x]) == [2.0]
    y.op = "no such op"
    with pytest.raises(TypeError, match="'no such op', which is not a primitive"):
        grad(y, [x], create_graph=True)


def test_a_user_op_shows_under_its_name_in_pictures_and_players() -> None:
    from autograd.viz import animate_backward, draw_dot

    a = Value(0.3, "a")
    y = smooth_max(a, softplus(a))
    assert "smax" in draw_dot(y).source and "softplus" in draw_dot(y).source
    html = animate_backward(y).html_fragment()
    assert "smax" in html and "softplus" in html


def test_an_op_pickles_and_copies_as_a_reference_to_itself() -> None:
    for op in (softplus, smooth_max, ops.exp, ops.div):
        assert pickle.loads(pickle.dumps(op)) is op
        assert copy.deepcopy(op) is op and copy.copy(op) is op
