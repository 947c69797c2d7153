"""The Value node: construction, attributes, operators with numbers on either side."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from autograd import Value


@pytest.mark.parametrize("data", [3, 2.5, Fraction(1, 4), np.float64(1.5), np.float32(0.5), np.int64(7)])
def test_value_accepts_real_numbers_and_stores_a_python_float(data: object) -> None:
    v = Value(data)
    assert type(v.data) is float
    assert v.data == float(data)


@pytest.mark.parametrize(
    ("data", "type_name"),
    [("3", "str"), (None, "NoneType"), (1 + 2j, "complex"), (True, "bool"), ([1.0], "list")],
)
def test_value_rejects_non_real_data_naming_the_type(data: object, type_name: str) -> None:
    with pytest.raises(TypeError, match=type_name):
        Value(data)


def test_value_of_a_value_is_refused_and_points_to_detach() -> None:
    with pytest.raises(TypeError, match="detach"):
        Value(Value(1.0))


def test_label_must_be_a_string() -> None:
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


def test_a_new_value_is_a_leaf_with_zero_grad() -> None:
    v = Value(2.0, label="w")
    assert (v.data, v.grad, v.label, v.op, v.parents) == (2.0, 0.0, "w", "", ())


def test_parents_are_kept_in_operand_order_and_repeat_for_a_plus_a() -> None:
    a, b = Value(1.0), Value(2.0)
    assert (b - a).parents[0] is b
    assert (a * b).parents == (a, b)
    assert (b * a).parents == (b, a)
    assert (a + a).parents == (a, a)


def test_plain_numbers_are_constants_not_nodes() -> None:
    a = Value(3.0)
    for node in (a + 1, 1 + a, a * 2.0, 2 * a, a**2, 2**a):
        assert node.parents == (a,)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (lambda a, b: a + b, 5.0),
        (lambda a, b: a - b, -1.0),
        (lambda a, b: a * b, 6.0),
        (lambda a, b: a / b, 2.0 / 3.0),
        (lambda a, b: a**b, 8.0),
        (lambda a, b: -a, -2.0),
        (lambda a, b: abs(-b), 3.0),
        (lambda a, b: a + 1, 3.0),
        (lambda a, b: 1 + a, 3.0),
        (lambda a, b: a - 1, 1.0),
        (lambda a, b: 1 - a, -1.0),
        (lambda a, b: a * 4, 8.0),
        (lambda a, b: 4 * a, 8.0),
        (lambda a, b: a / 4, 0.5),
        (lambda a, b: 4 / a, 2.0),
        (lambda a, b: a**3, 8.0),
        (lambda a, b: 3**a, 9.0),
        (lambda a, b: a * Fraction(1, 2), 1.0),
        (lambda a, b: np.float64(2.0) * a, 4.0),
    ],
)
def test_operators_compute_the_value_with_values_and_numbers_on_either_side(expr, expected: float) -> None:
    assert expr(Value(2.0), Value(3.0)).data == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    ("method", "x", "expected"),
    [
        ("exp", 1.0, math.e),
        ("log", math.e, 1.0),
        ("sqrt", 9.0, 3.0),
        ("tanh", 0.5, math.tanh(0.5)),
        ("sigmoid", 0.0, 0.5),
        ("relu", -1.0, 0.0),
        ("relu", 2.0, 2.0),
        ("sin", 1.0, math.sin(1.0)),
        ("cos", 1.0, math.cos(1.0)),
    ],
)
def test_methods_compute_their_function(method: str, x: float, expected: float) -> None:
    assert getattr(Value(x), method)().data == pytest.approx(expected, rel=1e-15)


def test_x_to_the_power_of_a_value_differentiates_in_base_and_exponent() -> None:
    x, y = Value(2.0), Value(3.0)
    (x**y).backward()
    assert x.grad == pytest.approx(3.0 * 2.0**2)
    assert y.grad == pytest.approx(8.0 * math.log(2.0))
    z = Value(1.5)
    (2**z).backward()
    assert z.grad == pytest.approx(2**1.5 * math.log(2.0))


def test_comparisons_compare_data_and_return_bool() -> None:
    a, b = Value(1.0), Value(2.0)
    assert (a < b) is True and (a <= 1) is True and (b > a) is True and (b >= 3) is False
    assert (0 < a) is True and (2 >= b) is True  # numbers on the left use the reflected operator


def test_equality_and_hash_are_identity_so_values_can_be_dict_keys() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a: 1, b: 2}) == 2


def test_float_and_item_return_data() -> None:
    assert float(Value(2.5)) == 2.5 and Value(2.5).item() == 2.5


def test_detach_makes_a_new_leaf_with_the_same_data() -> None:
    a = Value(2.0)
    b = (a * 3).detach()
    assert (b.data, b.parents, b.op) == (6.0, (), "")
    (b * 2).backward()
    assert a.grad == 0.0


@pytest.mark.parametrize("bad", ["a", None, [1.0], 1j])
def test_arithmetic_with_a_non_number_raises_type_error_naming_it(bad: object) -> None:
    a = Value(1.0)
    for op in (lambda: a + bad, lambda: bad + a, lambda: a * bad, lambda: a - bad, lambda: a / bad, lambda: a**bad):
        with pytest.raises(TypeError, match=type(bad).__name__):
            op()


def test_comparison_with_a_non_number_raises_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        Value(1.0) < "a"  # noqa: B015


def test_repr_shows_data_grad_and_label() -> None:
    assert repr(Value(2.0, "w")) == "Value(data=2, grad=0, label='w')"
