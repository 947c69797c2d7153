"""The op table: every primitive's forward value and local derivatives, in one place.

Each entry says how to compute an op on plain floats and how its output changes with each
operand (its *local derivative*). The rules are written once and serve two callers:

* the fast path calls them with floats when the op is recorded, and the node keeps the
  resulting numbers, so `backward()` only multiplies and adds;
* `create_graph=True` calls the very same rules with `Value`s, so the derivative is itself a
  graph that can be differentiated again (second, third derivatives for free).

That is why rules use only `+ - *` and the dual functions below (`log`, `pow`, ...), which
accept a float or a `Value`. Float forwards follow IEEE-754 / PyTorch float64 rather than
raising: `log(0) = -inf`, `0 ** -1 = inf`, `(-8) ** (1/3) = nan`, never a Python exception.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

INF = math.inf
NAN = math.nan


class Op(NamedTuple):
    """A primitive: its name in graphs, its rule, and where it is smooth (for the tests)."""

    name: str
    # rule(*operands) -> (value, local derivatives): one derivative per operand, in order.
    # An n-ary op's operands are `vectors` equal-length sequences, and its rule returns one
    # sequence of derivatives per operand sequence: dot's rule(w, x) returns (w . x, (x, w)).
    rule: Callable[..., tuple[Any, tuple]]
    # forward(*operands) -> the value alone: the float function the rule computes its value
    # with, used where no derivative is wanted (no_grad). The tests check they agree.
    forward: Callable[..., float]
    # Where the op is smooth, per operand: the tests draw points from here and compare with
    # finite differences and with `torch.<torch_name>`, so a new primitive is tested for free.
    domain: tuple[tuple[tuple[float, float], ...], ...]
    torch_name: str
    vectors: int = 0  # 0: the operands are numbers; else how many sequences of them

    @property
    def nary(self) -> bool:
        return self.vectors > 0

    def split(self, operands: Sequence) -> tuple:
        """An n-ary op's operands, given one after another, as its `vectors` sequences."""
        n = len(operands) // self.vectors
        return tuple(tuple(operands[i * n : (i + 1) * n]) for i in range(self.vectors))


OPS: dict[str, Op] = {}


def _register(name: str, rule: Callable, forward: Callable, domain: tuple, torch_name: str, vectors: int = 0) -> Op:
    OPS[name] = op = Op(name, rule, forward, domain, torch_name, vectors)
    return op


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
    return 0.0 if x <= 0 else x  # written so that relu(nan) is nan, as in PyTorch


def f_sin(x: float) -> float:
    return math.sin(x) if math.isfinite(x) else NAN


def f_cos(x: float) -> float:
    return math.cos(x) if math.isfinite(x) else NAN


def step(x: Any) -> float:
    """relu'(x): 1 where x > 0, else 0 (0 at x = 0, as in PyTorch). Piecewise constant."""
    x = x if type(x) is float else x.data
    return 0.0 if x <= 0 else 1.0


def sign(x: Any) -> float:
    """abs'(x): -1, 0 or 1 (0 at x = 0, as in PyTorch). Piecewise constant."""
    x = x if type(x) is float else x.data
    return 1.0 if x > 0 else -1.0 if x < 0 else x * 0.0  # x * 0.0 keeps nan as nan


# --- Dual functions: a float in, a float out; a Value in, a recorded Value out ---


def exp(x: Any) -> Any:
    return f_exp(x) if type(x) is float else x.exp()


def log(x: Any) -> Any:
    return f_log(x) if type(x) is float else x.log()


def cos(x: Any) -> Any:
    return f_cos(x) if type(x) is float else x.cos()


def sin(x: Any) -> Any:
    return f_sin(x) if type(x) is float else x.sin()


def pow(x: Any, y: Any) -> Any:
    return f_pow(x, y) if type(x) is float and type(y) is float else x**y


def recip(x: Any) -> Any:
    return f_pow(x, -1.0) if type(x) is float else x**-1.0


def value_of(x: Any) -> float:
    return x if type(x) is float else x.data


# --- The table. Each rule computes an op's value and its local derivatives side by side. ---
# With floats (when the op is recorded) the forward is the IEEE float function; with Values
# (create_graph) it is the same op recorded again, so derivatives such as tanh' = 1 - t*t
# are graphs of the input and can be differentiated once more. Domains are unions of
# intervals, one union per operand.

R = ((-3.0, 3.0),)  # the whole real line, as far as tests need
POS = ((0.05, 5.0),)  # strictly positive
AWAY = ((-3.0, -0.01), (0.01, 3.0))  # the kink at 0 is left out of smoothness checks

ONE_ONE = (1.0, 1.0)  # shared: an addition allocates no derivative tuple


def _add(x: Any, y: Any) -> tuple:
    return x + y, ONE_ONE


def _mul(x: Any, y: Any) -> tuple:
    return x * y, (y, x)


def _pow(x: Any, y: Any) -> tuple:
    out = pow(x, y)
    # d/dx = y * x**(y-1), which is 0 at y == 0. Keeping the formula there (PyTorch returns a
    # constant 0) keeps d2/dx dy = 1/x right: only 0 * inf at x == 0 (or nan) needs the mask.
    x0, y0 = value_of(x), value_of(y)
    d_base = 0.0 if y0 == 0 and (x0 == 0 or x0 != x0) else y * pow(x, y - 1.0)
    # d/dy = x**y * log(x); PyTorch defines it as 0 where x == 0 and y >= 0.
    d_exponent = 0.0 if x0 == 0 and y0 >= 0 else out * log(x)
    return out, (d_base, d_exponent)


def _exp(x: Any) -> tuple:
    e = exp(x)
    return e, (e,)


def _log(x: Any) -> tuple:
    return log(x), (recip(x),)


def _sqrt(x: Any) -> tuple:
    r = f_sqrt(x) if type(x) is float else x.sqrt()
    return r, (0.5 * recip(r),)


def _tanh(x: Any) -> tuple:
    t = math.tanh(x) if type(x) is float else x.tanh()  # math.tanh saturates cleanly at +-1000
    return t, (1.0 - t * t,)


def _sigmoid(x: Any) -> tuple:
    s = f_sigmoid(x) if type(x) is float else x.sigmoid()
    return s, (s * (1.0 - s),)


ONE, ZERO = (1.0,), (0.0,)


def _relu(x: Any) -> tuple:
    if type(x) is float:  # value and step(x) at once: a network records one relu per neuron
        return (0.0, ZERO) if x <= 0 else (x, ONE)  # f_relu(x) and step(x)
    return x.relu(), (step(x),)


def _abs(x: Any) -> tuple:
    return abs(x), (sign(x),)


def _sin(x: Any) -> tuple:
    return sin(x), (cos(x),)


def _cos(x: Any) -> tuple:
    return cos(x), (-1.0 * sin(x),)


ADD = _register("+", _add, operator.add, (R, R), "add")
MUL = _register("*", _mul, operator.mul, (R, R), "mul")
POW = _register("**", _pow, f_pow, (POS, R), "pow")
EXP = _register("exp", _exp, f_exp, (R,), "exp")
LOG = _register("log", _log, f_log, (POS,), "log")
SQRT = _register("sqrt", _sqrt, f_sqrt, (POS,), "sqrt")
TANH = _register("tanh", _tanh, math.tanh, (R,), "tanh")
SIGMOID = _register("sigmoid", _sigmoid, f_sigmoid, (R,), "sigmoid")
RELU = _register("relu", _relu, f_relu, (AWAY,), "relu")
ABS = _register("abs", _abs, abs, (AWAY,), "abs")
SIN = _register("sin", _sin, f_sin, (R,), "sin")
COS = _register("cos", _cos, f_cos, (R,), "cos")


# N-ary primitives: one node for a whole sum or dot product, one local derivative per operand.
# Their operands come as sequences (see Op.vectors).


def ieee_sum(terms: list) -> float:
    """Sum of floats (or Values, read through float()): math.fsum, so the result is correctly
    rounded and does not depend on the order of the terms; but where fsum raises (inf - inf,
    overflow of finite terms) plain IEEE addition gives nan or inf, as PyTorch does."""
    try:
        return math.fsum(terms)
    except (OverflowError, ValueError):
        return sum(map(float, terms))


def _sum(xs: tuple) -> tuple:
    return ieee_sum(xs), ((1.0,) * len(xs),)


def mean_value(xs: tuple) -> float:
    return ieee_sum(xs) / len(xs)


def _mean(xs: tuple) -> tuple:
    n = len(xs)
    return mean_value(xs), ((1.0 / n,) * n,)


def _dot(w: tuple, x: tuple) -> tuple:
    try:  # ieee_sum, inlined: no list of products on the common path
        value = math.fsum(map(operator.mul, w, x))
    except (OverflowError, ValueError):
        value = ieee_sum(list(map(operator.mul, w, x)))
    # d/dw_i = x_i and d/dx_i = w_i: the operands themselves, so a layer's neurons share
    # the sequence of their inputs as their derivatives (see autograd.matvec).
    return value, (x, w)


def dot_value(w: tuple, x: tuple) -> float:
    return _dot(w, x)[0]


SUM = _register("sum", _sum, ieee_sum, (R,), "sum", vectors=1)
MEAN = _register("mean", _mean, mean_value, (R,), "mean", vectors=1)
DOT = _register("dot", _dot, dot_value, (R,), "dot", vectors=2)
