"""Float64 edge values follow PyTorch, forward and gradient, never a Python exception."""

from __future__ import annotations

import math

import pytest
import torch

from autograd import Value
from tests.reference import same_float


def tensor(x: float) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


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
    # division is one correctly rounded op, whose derivatives do not overflow before the result
    # (torch computes number / tensor as reciprocal(tensor) * number: a deliberate difference,
    # chaingrad divides once either way; the tensor / tensor division is compared)
    ("49/x at 49", 49.0, lambda x: 49.0 / x, lambda x: tensor(49.0) / x),
    ("x/x at 49", 49.0, lambda x: x / x, lambda x: x / x),
    ("1e-300/x at 1e-310", 1e-310, lambda x: 1e-300 / x, lambda x: tensor(1e-300) / x),
    ("1e300/y at 1e200", 1e200, lambda y: 1e300 / y, lambda y: tensor(1e300) / y),
    ("x/x at 1e-200", 1e-200, lambda x: x / x, lambda x: x / x),
    ("x/1e-310 at 1e-300", 1e-300, lambda x: x / 1e-310, lambda x: x / 1e-310),
    ("(x/5e-324)*1e-320", 1.0, lambda x: (x / 5e-324) * 1e-320, lambda x: (x / 5e-324) * 1e-320),
    ("log(x)*1e-320 at 5e-324", 5e-324, lambda x: x.log() * 1e-320, lambda x: x.log() * 1e-320),
    ("x/0 at -1", -1.0, lambda x: x / 0.0, lambda x: x / 0.0),
    ("x/-0.0 at 1", 1.0, lambda x: x / -0.0, lambda x: x / -0.0),
    # where torch selects (not multiplies) a zero gradient, no inf or nan passes
    ("relu(x)*inf at -1", -1.0, lambda x: x.relu() * math.inf, lambda x: torch.relu(x) * math.inf),
    ("relu(x)*inf at -0.0", -0.0, lambda x: x.relu() * math.inf, lambda x: torch.relu(x) * math.inf),
    ("relu(x)*inf at nan", math.nan, lambda x: x.relu() * math.inf, lambda x: torch.relu(x) * math.inf),
    ("abs(x) at nan", math.nan, lambda x: abs(x), torch.abs),
    ("abs(x)*inf at 0", 0.0, lambda x: abs(x) * math.inf, lambda x: torch.abs(x) * math.inf),
    ("x**0.0 at 5e-324", 5e-324, lambda x: x**0.0, lambda x: x**0.0),
    ("x**0.0*inf at 2", 2.0, lambda x: x**0.0 * math.inf, lambda x: x**0.0 * math.inf),
    ("0**y*inf at y=2", 2.0, lambda y: 0.0**y * math.inf, lambda y: 0.0**y * math.inf),  # a product: nan
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


def test_division_is_correctly_rounded() -> None:
    assert (Value(49.0) / Value(49.0)).data == 1.0  # 49 * (1/49) is 0.9999999999999999
    quotient = (Value(1e-300) / Value(1e-310)).data  # 1/1e-310 alone would be inf
    t = torch.tensor(1e-300, dtype=torch.float64) / torch.tensor(1e-310, dtype=torch.float64)
    assert quotient == t.item() and quotient == pytest.approx(1e10, rel=1e-14)


def test_the_derivatives_of_a_quotient_do_not_overflow_or_underflow_before_the_result() -> None:
    y = Value(1e200)
    (1e300 / y).backward()
    assert y.grad == -1e-100  # -x/y**2 would give -1e300/inf = -0.0
    x = Value(1e-200)
    (x / x).backward()
    assert x.grad == 0.0  # 1/x - (x/x)/x, not 1/x - x/x**2 = 1e200 - inf


def test_relu_of_minus_zero_is_minus_zero_as_in_torch() -> None:
    ours = Value(-0.0).relu().data
    theirs = torch.relu(torch.tensor(-0.0, dtype=torch.float64)).item()
    assert math.copysign(1.0, ours) == math.copysign(1.0, theirs) == -1.0


def test_a_masked_relu_passes_zero_not_nan_from_an_infinite_gradient() -> None:
    x = Value(-1.0)
    (x.relu() * math.inf).backward()
    assert x.grad == 0.0


@pytest.mark.parametrize(
    "operation",
    [
        lambda big: Value(2.0) + big,
        lambda big: big + Value(2.0),
        lambda big: Value(2.0) - big,
        lambda big: Value(2.0) * big,
        lambda big: big / Value(2.0),
        lambda big: Value(2.0) ** big,
        lambda big: Value(2.0) < big,
    ],
)
def test_an_int_too_large_for_a_float_is_the_same_clear_value_error_as_in_value(operation) -> None:
    with pytest.raises(ValueError, match="too large for a float64") as from_value:
        Value(10**400)
    with pytest.raises(ValueError, match="too large for a float64") as from_operand:
        operation(10**400)
    assert "401 digits" in str(from_value.value) and "401 digits" in str(from_operand.value)


def test_masked_and_divided_derivatives_survive_pickling_and_deepcopy() -> None:
    import copy
    import pickle

    x, y = Value(-1.0), Value(5e-324)
    root = x.relu() * math.inf + y.log() * 1e-320
    for clone in (copy.deepcopy, lambda g: pickle.loads(pickle.dumps(g))):
        root2, x2, y2 = clone((root, x, y))
        root2.backward()
        assert x2.grad == 0.0  # still masked: no nan from inf * 0
        assert y2.grad == 1e-320 / 5e-324  # still divided: 1/y alone would be inf
