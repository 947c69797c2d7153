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
from collections.abc import Callable
from typing import Any, NamedTuple

INF = math.inf
NAN = math.nan


class Op(NamedTuple):
    """A primitive: name shown in graphs, float forward, and local derivative rules."""

    name: str
    forward: Callable[..., float]
    # Unary/binary ops: one rule per operand, `rule(*operands, out) -> d out / d operand`,
    # so a plain-number operand never costs (or records) a derivative nobody needs.
    # N-ary ops: a single rule `rule(operands, out) -> tuple`, one derivative per operand.
    derivatives: Any
    # Where the op is smooth, per operand: the tests draw points from here and compare with
    # finite differences and with `torch.<torch_name>`, so a new primitive is tested for free.
    domain: tuple[tuple[tuple[float, float], ...], ...]
    torch_name: str
    nary: bool = False


OPS: dict[str, Op] = {}


def _register(
    name: str, forward: Callable[..., float], derivatives: Any, domain: tuple, torch_name: str, nary: bool = False
) -> Op:
    OPS[name] = op = Op(name, forward, derivatives, domain, torch_name, nary)
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


def f_tanh(x: float) -> float:
    return math.tanh(x)  # math.tanh saturates to +-1.0 cleanly, no overflow at +-1000


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


# --- Derivative rules that need care at the edges (masks chosen to match PyTorch) ---


def d_pow_base(x: Any, y: Any, out: Any) -> Any:
    # d/dx x**y = y * x**(y-1), which is 0 at y == 0. Keeping the formula there (PyTorch
    # returns a constant 0) keeps d2/dx dy = 1/x right; only 0 * inf at x == 0 needs the mask.
    x0 = value_of(x)
    return 0.0 if value_of(y) == 0 and (x0 == 0 or x0 != x0) else y * pow(x, y - 1.0)


def d_pow_exponent(x: Any, y: Any, out: Any) -> Any:
    # d/dy x**y = x**y * log(x); PyTorch defines it as 0 where x == 0 and y >= 0.
    return 0.0 if value_of(x) == 0 and value_of(y) >= 0 else out * log(x)


# --- The table. Read one line to know an op: name, forward, d out / d operand ---

# Domains are unions of intervals, one union per operand.
R = ((-3.0, 3.0),)  # the whole real line, as far as tests need
POS = ((0.05, 5.0),)  # strictly positive
AWAY = ((-3.0, -0.01), (0.01, 3.0))  # the kink at 0 is left out of smoothness checks

ADD = _register("+", lambda x, y: x + y, (lambda x, y, out: 1.0, lambda x, y, out: 1.0), (R, R), "add")
MUL = _register("*", lambda x, y: x * y, (lambda x, y, out: y, lambda x, y, out: x), (R, R), "mul")
POW = _register("**", f_pow, (d_pow_base, d_pow_exponent), (POS, R), "pow")
EXP = _register("exp", f_exp, (lambda x, out: out,), (R,), "exp")
LOG = _register("log", f_log, (lambda x, out: recip(x),), (POS,), "log")
SQRT = _register("sqrt", f_sqrt, (lambda x, out: 0.5 * recip(out),), (POS,), "sqrt")
TANH = _register("tanh", f_tanh, (lambda x, out: 1.0 - out * out,), (R,), "tanh")
SIGMOID = _register("sigmoid", f_sigmoid, (lambda x, out: out * (1.0 - out),), (R,), "sigmoid")
RELU = _register("relu", f_relu, (lambda x, out: step(x),), (AWAY,), "relu")
ABS = _register("abs", abs, (lambda x, out: sign(x),), (AWAY,), "abs")
SIN = _register("sin", f_sin, (lambda x, out: cos(x),), (R,), "sin")
COS = _register("cos", f_cos, (lambda x, out: -1.0 * sin(x),), (R,), "cos")


# N-ary primitives: one node for a whole sum or dot product, one local derivative per operand.
# Their domain is that of every operand; the tests draw a few operands at a time.
def _dot_forward(operands: tuple) -> float:
    n = len(operands) // 2
    return math.fsum(map(float.__mul__, operands[:n], operands[n:])) if n else 0.0


def _mean_forward(operands: tuple) -> float:
    return math.fsum(operands) / len(operands)


def _dot_derivatives(operands: tuple, out: Any) -> tuple:
    # operands = (w0, ..., w[n-1], x0, ..., x[n-1]); d/dw_i = x_i and d/dx_i = w_i: swap the halves.
    n = len(operands) // 2
    return operands[n:] + operands[:n]


SUM = _register("sum", math.fsum, lambda xs, out: (1.0,) * len(xs), (R,), "sum", nary=True)
MEAN = _register("mean", _mean_forward, lambda xs, out: (1.0 / len(xs),) * len(xs), (R,), "mean", nary=True)
DOT = _register("dot", _dot_forward, _dot_derivatives, (R,), "dot", nary=True)
