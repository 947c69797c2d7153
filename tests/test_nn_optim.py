"""SGD and Adam take the same ten steps as torch.optim (to 1e-12); LinearDecay is micrograd's schedule."""

from __future__ import annotations

import math

import pytest
import torch

from autograd import Value, mean
from nn.optim import SGD, Adam, LinearDecay

START = [0.5, -1.5, 2.0, 0.25]
TARGETS = [1.0, 0.5, -1.0, 3.0]


def our_loss(params):
    """A small non-quadratic problem, so momentum and Adam's moments matter."""
    return mean([(p - t) * (p - t) + (p * t).tanh() for p, t in zip(params, TARGETS)])


def torch_loss(params):
    targets = torch.tensor(TARGETS, dtype=torch.float64)
    return ((params - targets) ** 2 + torch.tanh(params * targets)).mean()


def run_ours(make_optimizer, steps=10):
    params = [Value(p) for p in START]
    opt = make_optimizer(params)
    for _ in range(steps):
        opt.zero_grad()
        our_loss(params).backward()
        opt.step()
    return [p.data for p in params]


def run_torch(make_optimizer, steps=10):
    params = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt = make_optimizer([params])
    for _ in range(steps):
        opt.zero_grad()
        torch_loss(params).backward()
        opt.step()
    return params.tolist()


def assert_same(ours, theirs):
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) for a, b in zip(ours, theirs)), (ours, theirs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"lr": 0.1},
        {"lr": 0.1, "momentum": 0.9},
        {"lr": 0.05, "weight_decay": 0.01},
        {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1},
    ],
)
def test_sgd_matches_torch_for_ten_steps(kwargs):
    assert_same(run_ours(lambda p: SGD(p, **kwargs)), run_torch(lambda p: torch.optim.SGD(p, **kwargs)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"lr": 0.1},
        {"lr": 0.05, "betas": (0.8, 0.99), "eps": 1e-6},
        {"lr": 0.05, "weight_decay": 0.1},
    ],
)
def test_adam_matches_torch_for_ten_steps(kwargs):
    assert_same(run_ours(lambda p: Adam(p, **kwargs)), run_torch(lambda p: torch.optim.Adam(p, **kwargs)))


def test_lr_can_be_changed_between_steps_as_in_torch():
    def ours(params):
        return SGD(params, lr=0.1, momentum=0.9)

    params_ours = [Value(p) for p in START]
    opt = ours(params_ours)
    params_torch = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    torch_opt = torch.optim.SGD([params_torch], lr=0.1, momentum=0.9)
    for k in range(5):
        opt.lr = torch_opt.param_groups[0]["lr"] = 0.1 / (k + 1)
        opt.zero_grad()
        our_loss(params_ours).backward()
        opt.step()
        torch_opt.zero_grad()
        torch_loss(params_torch).backward()
        torch_opt.step()
    assert_same([p.data for p in params_ours], params_torch.tolist())


def test_step_reads_grad_and_changes_data_only():
    p = Value(1.0)
    p.grad = 2.0
    SGD([p], lr=0.5).step()
    assert p.data == 0.0 and p.grad == 2.0


def test_zero_grad_resets_the_parameters_gradients():
    params = [Value(1.0), Value(2.0)]
    our_loss(params + [Value(0.0), Value(0.0)]).backward()
    opt = Adam(params)
    opt.zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_linear_decay_reproduces_micrograds_schedule():
    opt = SGD([Value(0.0)], lr=1.0)
    schedule = LinearDecay(opt, start=1.0, end=0.1, steps=100)
    seen = []
    for _ in range(100):
        seen.append(opt.lr)
        schedule.step()
    assert seen == pytest.approx([1.0 - 0.9 * k / 100 for k in range(100)], abs=1e-15)
    assert opt.lr == pytest.approx(0.1)
    schedule.step()
    assert opt.lr == pytest.approx(0.1)  # held at the end


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: SGD([], lr=0.1), "empty parameter list"),
        (lambda: SGD([Value(1.0)], lr=-1.0), "lr"),
        (lambda: SGD([Value(1.0)], lr=0.1, momentum=-0.5), "momentum"),
        (lambda: Adam([Value(1.0)], betas=(1.0, 0.999)), "betas"),
    ],
)
def test_bad_settings_raise_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_parameters_must_be_values():
    with pytest.raises(TypeError, match="Value"):
        SGD([1.0], lr=0.1)
