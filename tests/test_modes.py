"""no_grad / enable_grad / detect_anomaly: nesting, decorators, threads, exceptions."""

from __future__ import annotations

import threading

import pytest

from autograd import Value, detect_anomaly, enable_grad, is_grad_enabled, no_grad


def test_ops_under_no_grad_record_nothing() -> None:
    x = Value(2.0)
    with no_grad():
        y = (x * 3).tanh() + x
    assert y.parents == () and y.op == "" and y.data == pytest.approx(__import__("math").tanh(6.0) + 2.0)
    y.backward()
    assert x.grad == 0.0


def test_no_grad_nests_with_enable_grad_and_restores_on_exit() -> None:
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        with enable_grad():
            assert is_grad_enabled()
            assert (Value(1.0) * 2).parents != ()
        with no_grad():
            assert not is_grad_enabled()
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_is_restored_after_an_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert is_grad_enabled()


def test_no_grad_works_as_a_decorator_including_recursion() -> None:
    @no_grad()
    def depth(n: int) -> bool:
        return is_grad_enabled() if n == 0 else depth(n - 1)

    assert depth(3) is False
    assert is_grad_enabled()


def test_grad_mode_is_per_thread() -> None:
    seen = []
    inside = threading.Event()
    release = threading.Event()

    def other_thread() -> None:
        inside.wait()
        seen.append(is_grad_enabled())
        release.set()

    t = threading.Thread(target=other_thread)
    t.start()
    with no_grad():
        inside.set()
        release.wait(10)
    t.join()
    assert seen == [True]


def test_detect_anomaly_names_the_op_that_first_produces_nan_in_the_forward_pass() -> None:
    x = Value(-1.0)
    with detect_anomaly(), pytest.raises(FloatingPointError, match=r"log\(-2\.0\) produced nan"):
        (x * 2).log()


def test_detect_anomaly_names_the_op_whose_backward_produces_inf() -> None:
    x = Value(0.0)
    with detect_anomaly():
        y = x.sqrt() * 0.0 + x  # forward is finite; sqrt's local derivative at 0 is inf
        with pytest.raises(FloatingPointError, match="sqrt"):
            y.backward()


def test_without_detect_anomaly_nan_flows_silently_like_pytorch() -> None:
    x = Value(-1.0)
    assert x.log().data != x.log().data  # nan


def test_detect_anomaly_leaves_finite_computations_alone() -> None:
    x = Value(0.5)
    with detect_anomaly():
        y = (x * x).tanh().exp()
        y.backward()
    assert x.grad > 0
