"""grad(): gradients without touching .grad, and derivatives of derivatives."""

from __future__ import annotations

import math

import pytest

from autograd import Value, grad


def test_grad_returns_floats_and_leaves_dot_grad_untouched() -> None:
    x, y = Value(2.0), Value(3.0)
    out = x * y + x
    assert grad(out, [x, y]) == [4.0, 2.0]
    assert (x.grad, y.grad, out.grad) == (0.0, 0.0, 0.0)


def test_an_input_the_output_does_not_depend_on_gets_zero() -> None:
    x, unused = Value(2.0), Value(7.0)
    assert grad(x * x, [x, unused]) == [4.0, 0.0]
    assert grad(x * x, [unused], create_graph=True)[0].data == 0.0


def test_grad_with_respect_to_an_interior_node_and_the_output_itself() -> None:
    x = Value(2.0)
    h = x * 3.0
    y = h * h
    assert grad(y, [h, y]) == [12.0, 1.0]


def test_the_same_input_twice_gets_the_same_gradient_twice() -> None:
    x = Value(2.0)
    assert grad(x * x, [x, x]) == [4.0, 4.0]


def test_second_and_third_derivatives_of_a_cubic() -> None:
    x = Value(3.0)
    (d1,) = grad(x**3, [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x], create_graph=True)
    assert (d1.data, d2.data, d3.data) == (27.0, 18.0, 6.0)
    assert grad(d3, [x]) == [0.0]


def test_create_graph_results_are_values_even_when_the_derivative_is_constant() -> None:
    x = Value(2.0)
    (d,) = grad(x * 5.0, [x], create_graph=True)
    assert isinstance(d, Value) and d.data == 5.0
    assert grad(d, [x]) == [0.0]


def test_mixed_partials_of_a_function_of_two_variables_are_symmetric() -> None:
    x, y = Value(0.7), Value(-1.3)
    f = (x * y).sin() + x.exp() * y**2
    dx, dy = grad(f, [x, y], create_graph=True)
    dxdy = grad(dx, [y])[0]
    dydx = grad(dy, [x])[0]
    expected = math.cos(0.7 * -1.3) - 0.7 * -1.3 * math.sin(0.7 * -1.3) + 2 * -1.3 * math.exp(0.7)
    assert dxdy == pytest.approx(expected, rel=1e-13)
    assert dydx == pytest.approx(expected, rel=1e-13)


def test_backward_with_create_graph_leaves_differentiable_gradients_in_dot_grad() -> None:
    x = Value(2.0)
    y = x**3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 12.0
    g = x.grad
    x.grad = 0.0
    g.backward()
    assert x.grad == 12.0  # d/dx 3x^2 = 6x


def test_newtons_method_with_second_derivatives_finds_a_minimum() -> None:
    x = Value(3.0)
    for _ in range(20):
        f = (x - 1.5) ** 4 + (x - 1.5) ** 2
        (d1,) = grad(f, [x], create_graph=True)
        (d2,) = grad(d1, [x])
        x = Value(x.data - d1.data / d2)
    assert x.data == pytest.approx(1.5, abs=1e-9)


def test_create_graph_works_with_plain_number_operands_on_either_side() -> None:
    x = Value(1.7)
    cases = [
        (lambda v: v**3.0, 6 * 1.7),
        (lambda v: 3.0**v, 3.0**1.7 * math.log(3.0) ** 2),
        (lambda v: 2.0 / v, 4.0 / 1.7**3),
        (lambda v: 5.0 - v * v, -2.0),
    ]
    for f, second in cases:
        (d1,) = grad(f(x), [x], create_graph=True)
        assert grad(d1, [x])[0] == pytest.approx(second, rel=1e-13)


def test_grad_accepts_a_single_value_as_inputs() -> None:
    x = Value(2.0)
    assert grad(x * x, x) == [4.0]


def test_grad_accepts_any_iterable_of_inputs_including_a_generator() -> None:
    x, y = Value(2.0), Value(3.0)
    assert grad(x * y, (v for v in [x, y])) == [3.0, 2.0]
    assert grad(x * y, {x: 0}.keys()) == [3.0]


def test_grad_with_inputs_that_are_not_iterable_says_what_it_expects() -> None:
    x = Value(2.0)
    with pytest.raises(TypeError, match="inputs must be a Value or an iterable of Values, got float"):
        grad(x * x, 2.0)
