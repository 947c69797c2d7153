"""gradcheck: accepts right gradients, and names the input and numbers when one is wrong."""

from __future__ import annotations

import pytest

from autograd import GradcheckError, Value, gradcheck


def test_gradcheck_accepts_a_correct_composite_function() -> None:
    assert gradcheck(lambda x, y: (x * y).tanh() + x.exp() / (1 + y * y), [0.3, -1.2]) is True


def test_gradcheck_catches_a_gradient_broken_by_reading_data_and_names_input_and_numbers() -> None:
    # `x * x.data` computes x^2 but treats the second factor as a constant: slope x, not 2x.
    with pytest.raises(GradcheckError, match=r"inputs\[1\].*backward gives 3\.0.*central differences give 6\.0"):
        gradcheck(lambda w, x: w + x * x.data, [1.0, 3.0])


def test_gradcheck_error_is_an_assertion_error() -> None:
    assert issubclass(GradcheckError, AssertionError)


def test_gradcheck_rejects_a_function_that_does_not_return_a_value() -> None:
    with pytest.raises(TypeError, match="must return a Value"):
        gradcheck(lambda x: 3.0, [1.0])


def test_gradcheck_rejects_non_numeric_inputs() -> None:
    with pytest.raises(TypeError, match=r"inputs\[0\]"):
        gradcheck(lambda x: x, ["a"])


def test_gradcheck_flags_a_nan_gradient() -> None:
    with pytest.raises(GradcheckError):
        gradcheck(lambda x: x * Value(float("nan")).detach() * 0.0 + x, [1.0])
