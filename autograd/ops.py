"""The op table: every primitive's forward value and local derivatives, in one place.

A primitive is made by `@primitive` (primitives.py) from one function, its *rule*: given the
operands, it returns the op's value and one local derivative per operand. Built-in ops and
your own are made the same way (in your code, `ops.log` etc.):

    @primitive
    def softplus(x):
        return log(1.0 + exp(x)), (sigmoid(x),)

The rule is written once and serves three callers:

* recording an op calls it with floats, and the node keeps the resulting numbers, so
  `backward()` only multiplies and adds;
* `create_graph=True` calls the very same rule with `Value`s, so the derivative is itself a
  graph that can be differentiated again (second, third derivatives for free);
* the primitive itself, called on plain floats, returns a plain float: so every primitive is
  also a *dual function*, usable inside other rules (`exp`, `log`, `sigmoid` above).

That is why rules use only `+ - * /` and the primitives below, which accept a float or a
`Value`. Float forwards follow IEEE-754 / PyTorch float64 rather than raising: `log(0) =
-inf`, `1 / 0 = inf`, `(-8) ** (1/3) = nan`, never a Python exception.
"""

from __future__ import annotations

import builtins
import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

from .primitives import Primitive, Rule

INF = math.inf
NAN = math.nan
MIN_NORMAL = 2.2250738585072014e-308  # below this a float64 has lost digits (subnormal)

R = ((-3.0, 3.0),)  # the whole real line, as far as tests need
POS = ((0.05, 5.0),)  # strictly positive
AWAY = ((-3.0, -0.01), (0.01, 3.0))  # the kink (or pole) at 0 is left out of smoothness checks


# -- local derivatives that are more than a number ---------------------------------------------
# backward() multiplies an incoming gradient g by each recorded local derivative. PyTorch does
# so too, except in two kinds of places: it selects 0 (Masked, below) or divides g (Quotient
# for recorded numbers, Divisor for derivatives computed on Values by create_graph). Masked
# and Quotient are floats, so that readers of `local_grads` see plain numbers.


class Masked(float):
    """A local derivative 0 that PyTorch gives by a select, not a product: g * it is 0.0 for
    every g, inf and nan included (relu at x <= 0, x ** y in x at y == 0)."""

    __slots__ = ()

    def __mul__(self, g: Any) -> float:
        return 0.0

    __rmul__ = __mul__


MASKED = Masked(0.0)


class Quotient(float):
    """The local derivative 1/y where 1/y alone overflows or loses digits: g * it is computed
    as g / y, as PyTorch does, so it is finite whenever the gradient is (d(x/y)/dx, log')."""

    __slots__ = ("divisor",)

    def __mul__(self, g: Any) -> Any:
        return f_div(g, self.divisor) if type(g) is float else g / self.divisor

    __rmul__ = __mul__

    def __reduce__(self) -> tuple:
        return (inverse, (self.divisor,))


class Divisor:
    """1/y as a local derivative computed on Values (create_graph): the engine applies it to
    a gradient g as the node g / y, as PyTorch does, rather than as g * (1/y)."""

    __slots__ = ("divisor",)

    def __init__(self, divisor: Any) -> None:
        self.divisor = divisor

    def __mul__(self, g: Any) -> Any:
        return div(g, self.divisor)

    __rmul__ = __mul__

    def __float__(self) -> float:
        return f_div(1.0, value_of(self.divisor))


# --- IEEE-754 float functions: Python's math raises where PyTorch float64 returns inf/nan ---


def f_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def f_log(x: float) -> float:
    if x > 0:
        return math.log(x)
    return -INF if x == 0 else NAN  # log(0) = -inf; negative or nan -> nan


def f_sqrt(x: float) -> float:
    return math.sqrt(x) if x >= 0 else NAN


def f_div(x: float, y: float) -> float:
    try:
        return x / y  # correctly rounded, as IEEE division is
    except ZeroDivisionError:  # x / +-0: signed infinity, or nan for 0/0 and nan/0
        return NAN if x == 0 or x != x else math.copysign(INF, x) * math.copysign(1.0, y)


def _is_odd_integer(y: float) -> bool:
    return math.isfinite(y) and y == int(y) and int(y) % 2 == 1


def f_pow(x: float, y: float) -> float:
    try:
        return math.pow(x, y)
    except OverflowError:  # |result| too large: the sign survives only for odd integer powers
        return -INF if x < 0 and _is_odd_integer(y) else INF
    except ValueError:  # 0 ** negative -> inf (C99 keeps the sign of -0.0); negative ** fraction -> nan
        if x == 0:
            return math.copysign(INF, x) if _is_odd_integer(y) else INF
        return NAN


def f_sigmoid(x: float) -> float:
    # Two branches so exp() only ever sees a non-positive argument: no overflow at +-1000.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def f_relu(x: float) -> float:
    return 0.0 if x < 0 else x  # relu(nan) is nan and relu(-0.0) is -0.0, as in PyTorch


def f_sin(x: float) -> float:
    return math.sin(x) if math.isfinite(x) else NAN


def f_cos(x: float) -> float:
    return math.cos(x) if math.isfinite(x) else NAN


def value_of(x: Any) -> float:
    return x if type(x) is float else x.data


def step(x: Any) -> float:
    """relu'(x): 1 where x > 0 (or nan), elsewhere no gradient at all (0 at x = 0, as PyTorch)."""
    return MASKED if value_of(x) <= 0 else 1.0


def sign(x: Any) -> float:
    """abs'(x): -1, 0 or 1; 0 at x = 0 and at nan, as PyTorch's sgn. Piecewise constant."""
    x = value_of(x)
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


def inverse(y: Any) -> Any:
    """1/y as a local derivative: a float, or a Quotient (see there), or on Values a Divisor."""
    if type(y) is not float:
        return Divisor(y)
    r = f_div(1.0, y)
    if MIN_NORMAL <= builtins.abs(r) <= 1.7976931348623157e308:
        return r
    q = Quotient(r)
    q.divisor = y
    return q


# The built-in ops by name, each with the torch function the tests compare it with.
OPS: dict[str, Primitive] = {}


def builtin(torch_name: str, **options: Any) -> Callable[[Rule], Primitive]:
    """@primitive for the ops below: also names the torch function that computes the same op
    (for the tests) and, for n-ary ops, how many sequences of operands it takes; enters OPS."""

    def make(rule: Rule) -> Primitive:
        op = Primitive(rule, torch_name=torch_name, **options)
        OPS[op.name] = op
        return op

    return make


# --- The table. Each rule computes an op's value and its local derivatives side by side. ---
# With floats (when the op is recorded) the rule's value is its forward's; with Values
# (create_graph) the calls below record the same ops again, so derivatives such as
# tanh' = 1 - t*t are graphs of the input and can be differentiated once more.

ONE_ONE = (1.0, 1.0)  # shared: an addition allocates no derivative tuple
ONE, NONE = (1.0,), (MASKED,)


@builtin("add", name="+", forward=operator.add, domain=(R, R))
def add(x: Any, y: Any) -> tuple:
    return x + y, ONE_ONE


@builtin("mul", name="*", forward=operator.mul, domain=(R, R))
def mul(x: Any, y: Any) -> tuple:
    return x * y, (y, x)


@builtin("div", name="/", forward=f_div, domain=(R, AWAY))
def div(x: Any, y: Any) -> tuple:
    q = div(x, y)
    # d/dy = -(x/y)/y, not -x/y**2: y**2 would overflow or underflow long before the result.
    return q, (inverse(y), -div(q, y))


@builtin("pow", name="**", forward=f_pow, domain=(POS, R))
def pow(x: Any, y: Any) -> tuple:
    out = pow(x, y)
    x0, y0 = value_of(x), value_of(y)
    # PyTorch selects 0 for d/dx where y == 0 (so x ** 0 passes no gradient, not 0 * inf =
    # nan, even at x = 0 or subnormal x) and multiplies by 0 for d/dy where x == 0 <= y
    # (instead of 0 * log(0) = nan). Constants, so their own derivatives are 0, as in torch.
    d_base = MASKED if y0 == 0 else y * pow(x, y - 1.0)
    d_exponent = 0.0 if x0 == 0 and y0 >= 0 else out * log(x)
    return out, (d_base, d_exponent)


@builtin("exp", forward=f_exp, domain=(R,))
def exp(x: Any) -> tuple:
    e = f_exp(x) if type(x) is float else exp(x)  # (the float function directly: the hot path)
    return e, (e,)


@builtin("log", forward=f_log, domain=(POS,))
def log(x: Any) -> tuple:
    return log(x), (inverse(x),)


@builtin("sqrt", forward=f_sqrt, domain=(POS,))
def sqrt(x: Any) -> tuple:
    r = sqrt(x)
    return r, (inverse(2.0 * r),)  # applied as g / (2 sqrt(x)), PyTorch's formula


@builtin("tanh", forward=math.tanh, domain=(R,))  # math.tanh saturates cleanly at +-1000
def tanh(x: Any) -> tuple:
    t = math.tanh(x) if type(x) is float else tanh(x)
    return t, (1.0 - t * t,)


@builtin("sigmoid", forward=f_sigmoid, domain=(R,))
def sigmoid(x: Any) -> tuple:
    s = f_sigmoid(x) if type(x) is float else sigmoid(x)
    return s, (s * (1.0 - s),)


@builtin("relu", forward=f_relu, domain=(AWAY,))
def relu(x: Any) -> tuple:
    if type(x) is float:  # value and step(x) at once: a network records one relu per neuron
        return (0.0 if x < 0 else x, NONE) if x <= 0 else (x, ONE)  # f_relu(x), inlined
    return relu(x), (step(x),)


@builtin("abs", forward=math.fabs, domain=(AWAY,))
def abs(x: Any) -> tuple:
    return abs(x), (sign(x),)


@builtin("sin", forward=f_sin, domain=(R,))
def sin(x: Any) -> tuple:
    return sin(x), (cos(x),)


@builtin("cos", forward=f_cos, domain=(R,))
def cos(x: Any) -> tuple:
    return cos(x), (-sin(x),)


# N-ary primitives: one node for a whole sum or dot product, one local derivative per operand.
# Their operands come as sequences (see Primitive.vectors).


def ieee_sum(terms: Sequence) -> float:
    """Sum of floats (or Values, read through float()): math.fsum, so the result is correctly
    rounded and does not depend on the order of the terms; but where fsum raises (inf - inf,
    overflow of finite terms) plain IEEE addition gives nan or inf, as PyTorch does."""
    try:
        return math.fsum(terms)
    except (OverflowError, ValueError):
        return builtins.sum(map(float, terms))


def mean_value(xs: Sequence) -> float:
    return ieee_sum(xs) / len(xs)


def dot_value(w: Sequence, x: Sequence) -> float:
    return dot.rule(w, x)[0]


@builtin("sum", forward=ieee_sum, domain=(R,), vectors=1)
def sum(xs: Sequence) -> tuple:
    return ieee_sum(xs), ((1.0,) * len(xs),)


@builtin("mean", forward=mean_value, domain=(R,), vectors=1)
def mean(xs: Sequence) -> tuple:
    n = len(xs)
    return mean_value(xs), ((1.0 / n,) * n,)


@builtin("dot", forward=dot_value, domain=(R,), vectors=2)
def dot(w: Sequence, x: Sequence) -> tuple:
    try:  # ieee_sum, inlined: no list of products on the common path (a neuron's whole sum)
        value = math.fsum(map(operator.mul, w, x))
    except (OverflowError, ValueError):
        value = ieee_sum(list(map(operator.mul, w, x)))
    # d/dw_i = x_i and d/dx_i = w_i: the operands themselves, so a layer's neurons share
    # the sequence of their inputs as their derivatives (see autograd.matvec).
    return value, (x, w)
