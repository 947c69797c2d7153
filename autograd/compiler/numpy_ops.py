"""The names of a program, for NumPy arrays: each op's float function, element-wise.

Imported only by `Program.batch`, so the engine keeps no dependency on NumPy. Every
function follows its float version in ops.py at the edges (log(0) = -inf, relu(nan) = nan,
x / 0 = +-inf, sign(nan) = 0); sums are added left to right, so a batch can differ from the
float program, whose sums are correctly rounded (math.fsum), in the last bits.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import add
from typing import Any

import numpy as np

from .. import ops
from ..ops import Primitive
from .rules import GuardFailed, is_built_in, op_name


def _sum(xs: Sequence[Any]) -> Any:
    return reduce(add, xs)


def _mean(xs: Sequence[Any]) -> Any:
    return reduce(add, xs) / len(xs)


def _dot(w: Sequence[Any], x: Sequence[Any]) -> Any:
    return reduce(add, map(np.multiply, w, x))


def _sigmoid(x: Any) -> Any:
    # exp of -|x| only, as ops.f_sigmoid: no overflow at +-1000
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _relu(x: Any) -> Any:
    return np.where(x < 0, 0.0, x)  # relu(nan) = nan, relu(-0.0) = -0.0


def _sign(x: Any) -> Any:
    return np.where(x > 0, 1.0, np.where(x < 0, -1.0, 0.0))  # 0 at nan, as torch's sgn


def rowsum(x: Any, ok: Any, n: int) -> float:
    """The sum over the rows whose guards held (ok) of x, an array or one number for every row."""
    if isinstance(x, np.ndarray) and x.ndim:
        return float(x.sum() if ok is True else x[ok].sum())
    return float(x) * (n if ok is True else int(np.count_nonzero(ok)))


def _rows(values: Sequence[Any], n: int) -> Any:
    """Numbers and arrays of n rows as one (len(values), n) array (assignment broadcasts:
    cheaper than np.broadcast_to, which costs microseconds a call)."""
    out = np.empty((len(values), n))
    for i, v in enumerate(values):
        out[i] = v
    return out


def layer(weights: Any, inputs: Sequence[Any], n: int) -> list:
    """The dots of neurons reading the same inputs: rows of weights @ inputs (see layers.py)."""
    return list(np.asarray(weights, dtype=np.float64) @ _rows(inputs, n))


def layer_grad(weights: Any, inputs: Sequence[Any], grads: Sequence[Any], ok: Any, n: int) -> tuple:
    """(d/dweights summed over the rows whose guards held, d/dinputs per row) for `layer`."""
    X, G = _rows(inputs, n), _rows(grads, n)
    W = np.asarray(weights, dtype=np.float64)
    d_inputs = list(W.T @ G)
    if ok is not True:  # rows that branched otherwise add nothing
        X, G = np.where(ok, X, 0.0), np.where(ok, G, 0.0)
    return (G @ X.T).tolist(), d_inputs


def _inverse(x: Any) -> Any:
    return np.divide(1.0, x)


BUILT_IN = {
    ops.div: np.divide,
    ops.pow: np.power,
    ops.exp: np.exp,
    ops.log: np.log,
    ops.sqrt: np.sqrt,
    ops.tanh: np.tanh,
    ops.sigmoid: _sigmoid,
    ops.relu: _relu,
    ops.abs: np.abs,
    ops.sin: np.sin,
    ops.cos: np.cos,
    ops.sum: _sum,
    ops.mean: _mean,
    ops.dot: _dot,
}


def _no_numpy(op: Primitive) -> Any:
    def refuse(*args: Any) -> Any:
        raise TypeError(
            f"batch: op {op.name!r} computes its value from plain numbers (its rule does not record it "
            "with the ops of autograd.ops), so it cannot run on arrays; set `op.numpy` to a function on arrays"
        )

    return refuse


def numpy_namespace(used: Sequence[Primitive]) -> dict[str, Any]:
    """Globals for a program in the "numpy" dialect. A user op is written out in it (its
    rule's value as an expression of built-in ops), so only built-ins need functions here."""
    namespace: dict[str, Any] = {
        "inverse": _inverse,
        "sign": _sign,
        "isfinite": np.isfinite,
        "where": np.where,
        "rowsum": rowsum,
        "layer": layer,
        "layer_grad": layer_grad,
        "inf": np.inf,
        "nan": np.nan,
        "GuardFailed": GuardFailed,
    }
    for op, function in BUILT_IN.items():
        namespace[op_name(op)] = function
    for op in used:
        if is_built_in(op):
            continue
        # A user op's value is written out from its rule where the rule records it; else the
        # op must bring its own function on arrays, `op.numpy` (see nn.compiled.max_value).
        namespace[op_name(op)] = getattr(op, "numpy", None) or _no_numpy(op)
    return namespace
