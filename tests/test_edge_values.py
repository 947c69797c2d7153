"""Float64 edge values follow PyTorch, forward and gradient, never a Python exception."""

from __future__ import annotations

import math

import pytest
import torch

from autograd import Value
from tests.reference import same_float

# (name, chaingrad expression, torch expression) of one input x.
CASES = [
    ("1/0", 0.0, lambda x: 1 / x, lambda x: 1 / x),
    ("log(0)", 0.0, lambda x: x.log(), torch.log),
    ("log(-1)", -1.0, lambda x: x.log(), torch.log),
    ("sqrt(-1)", -1.0, lambda x: x.sqrt(), torch.sqrt),
    ("sqrt(0)", 0.0, lambda x: x.sqrt(), torch.sqrt),
    ("exp(1000)", 1000.0, lambda x: x.exp(), torch.exp),
    ("exp(-1000)", -1000.0, lambda x: x.exp(), torch.exp),
    ("1e200**2", 1e200, lambda x: x**2, lambda x: x**2),
    ("(-8)**(1/3)", -8.0, lambda x: x ** (1 / 3), lambda x: x ** (1 / 3)),
    ("(-2)**3", -2.0, lambda x: x**3, lambda x: x**3),
    ("0**-1", 0.0, lambda x: x**-1, lambda x: x**-1),
    ("(-1e200)**3", -1e200, lambda x: x**3, lambda x: x**3),
    ("tanh(1000)", 1000.0, lambda x: x.tanh(), torch.tanh),
    ("tanh(-1000)", -1000.0, lambda x: x.tanh(), torch.tanh),
    ("sigmoid(1000)", 1000.0, lambda x: x.sigmoid(), torch.sigmoid),
    ("sigmoid(-1000)", -1000.0, lambda x: x.sigmoid(), torch.sigmoid),
    ("relu(0)", 0.0, lambda x: x.relu(), torch.relu),
    ("abs(0)", 0.0, lambda x: abs(x), torch.abs),
    ("x**0 at 0", 0.0, lambda x: x**0, lambda x: x**0),
    ("x**0 at 2", 2.0, lambda x: x**0, lambda x: x**0),
    ("0**0.5", 0.0, lambda x: x**0.5, lambda x: x**0.5),
    ("2**x at -2000", -2000.0, lambda x: 2**x, lambda x: 2**x),
    ("sin(inf)", math.inf, lambda x: x.sin(), torch.sin),
    ("cos(-inf)", -math.inf, lambda x: x.cos(), torch.cos),
    ("log(inf)", math.inf, lambda x: x.log(), torch.log),
    ("exp(nan)", math.nan, lambda x: x.exp(), torch.exp),
    ("relu(nan)", math.nan, lambda x: x.relu(), torch.relu),
    ("x/x at 0", 0.0, lambda x: x / x, lambda x: x / x),
]


@pytest.mark.parametrize(("name", "x0", "ours", "theirs"), CASES, ids=[c[0] for c in CASES])
def test_edge_value_and_gradient_match_torch_float64(name: str, x0: float, ours, theirs) -> None:
    x = Value(x0)
    y = ours(x)
    y.backward()
    t = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    ty = theirs(t)
    ty.backward()
    assert same_float(y.data, ty.item()), f"{name}: value {y.data} vs torch {ty.item()}"
    assert same_float(x.grad, t.grad.item()), f"{name}: gradient {x.grad} vs torch {t.grad.item()}"


def test_the_issues_edge_values_by_name() -> None:
    assert (Value(1) / 0).data == math.inf
    assert Value(0).log().data == -math.inf
    assert math.isnan(Value(-1).log().data) and math.isnan(Value(-1).sqrt().data)
    assert Value(1000).exp().data == math.inf and (Value(1e200) ** 2).data == math.inf
    assert math.isnan((Value(-8) ** (1 / 3)).data)
    for f, x0, slope in [(Value.relu, 0.0, 0.0), (abs, 0.0, 0.0), (Value.sqrt, 0.0, math.inf)]:
        x = Value(x0)
        f(x).backward()
        assert x.grad == slope
    x = Value(0.0)
    (x**0).backward()
    assert x.grad == 0.0
