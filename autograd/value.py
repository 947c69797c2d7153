"""The `Value` node: one float, and how it was made.

A `Value` is either a leaf (made by you) or the output of an op. An op records, at the
moment it runs, the node's `parents` (the Value operands, in operand order) and its
`local_grads` (d node / d parent, as numbers). Plain numbers taking part in an op are
constants: they are not wrapped as nodes. Recording the derivative as a number at that
moment is what makes gradients use the values as they were when the op ran, and what makes
`backward()` a cheap multiply-and-add walk (see engine.py).

What each op computes lives in ops.py; this file only turns Python syntax into ops.
"""

from __future__ import annotations

import math
import numbers
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Union

from . import ops
from .mode import ANOMALY, GRAD, RECORDING, get_mode
from .ops import Op

Number = Union[int, float]
Operand = Union["Value", int, float]


def _as_float(x: Any, where: str) -> float:
    """A real number as a Python float; anything else is a TypeError naming what came in."""
    if type(x) is float:
        return x
    if isinstance(x, numbers.Real) and not isinstance(x, Value):
        try:
            return float(x)
        except OverflowError:
            raise ValueError(f"{where}: {x!r} is too large for a float64") from None
    raise TypeError(f"{where}: expected a Value or a real number, got {type(x).__name__} {x!r}")


class Value:
    """A scalar that remembers the ops that made it, so gradients can flow back through them."""

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")

    data: float
    grad: Any  # a float; a Value after backward(create_graph=True), as in PyTorch
    label: str
    op: str
    parents: tuple[Value, ...]
    local_grads: tuple[Any, ...]

    def __init__(self, data: Number, label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError("Value(data): data is already a Value; use .detach() for a new leaf")
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value(data): expected a real number, got {type(data).__name__} {data!r}")
        if not isinstance(label, str):
            raise TypeError(f"Value(label=...): expected a str, got {type(label).__name__} {label!r}")
        self.data = _as_float(data, "Value(data)")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.parents = ()
        self.local_grads = ()

    # -- arithmetic: primitives (+, *, **) and one-line derived ops ------------------------

    def __add__(self, other: Operand) -> Value:
        return _binary(ops.ADD, self, other)

    def __radd__(self, other: Operand) -> Value:
        return _binary(ops.ADD, other, self)

    def __mul__(self, other: Operand) -> Value:
        return _binary(ops.MUL, self, other)

    def __rmul__(self, other: Operand) -> Value:
        return _binary(ops.MUL, other, self)

    def __pow__(self, other: Operand) -> Value:
        return _binary(ops.POW, self, other)

    def __rpow__(self, other: Operand) -> Value:
        return _binary(ops.POW, other, self)

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        return self + _negate(other, "operand of '-'")

    def __rsub__(self, other: Operand) -> Value:
        return -self + other

    def __truediv__(self, other: Operand) -> Value:
        return self * _reciprocal(other)

    def __rtruediv__(self, other: Operand) -> Value:
        return self**-1.0 * other

    def __abs__(self) -> Value:
        return _unary(ops.ABS, self)

    # -- elementary functions -------------------------------------------------------------

    def exp(self) -> Value:
        return _unary(ops.EXP, self)

    def log(self) -> Value:
        return _unary(ops.LOG, self)

    def sqrt(self) -> Value:
        return _unary(ops.SQRT, self)

    def tanh(self) -> Value:
        return _unary(ops.TANH, self)

    def sigmoid(self) -> Value:
        return _unary(ops.SIGMOID, self)

    def relu(self) -> Value:
        return _unary(ops.RELU, self)

    def sin(self) -> Value:
        return _unary(ops.SIN, self)

    def cos(self) -> Value:
        return _unary(ops.COS, self)

    # -- leaving the graph ----------------------------------------------------------------

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from this node's graph."""
        return Value(self.data, self.label)

    def item(self) -> float:
        return self.data

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        return self.data != 0.0

    # Comparisons look at data and return bool; == and hash stay identity-based so that
    # Values can be dict keys (the engine keys its bookkeeping on nodes).
    def __lt__(self, other: Operand) -> bool:
        return self.data < _data(other, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= _data(other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > _data(other, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _data(other, ">=")

    def backward(self, gradient: Number = 1.0, *, create_graph: bool = False) -> None:
        """Fill `.grad` of every node this one depends on with d self / d node.

        Leaves accumulate (+=) across calls, as in PyTorch; interior nodes hold the
        gradient of the latest call. `gradient` seeds d self / d self.
        """
        from .engine import backward

        backward(self, gradient, create_graph=create_graph)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={float(self.grad):.6g}{label})"

    # -- pickle / deepcopy ----------------------------------------------------------------
    # The default protocol would recurse once per node of depth, so a deep graph would hit
    # the recursion limit. Instead, the first node reduced lists all its ancestors,
    # parents before children, ahead of its own fields: each ancestor then meets only
    # parents that are already pickled (memoized), and depth never grows.

    def __reduce__(self) -> tuple:
        fields = (self.data, self.grad, self.label, self.op, self.parents, self.local_grads)
        pending = _pickling.__dict__.setdefault("pending", set())
        if id(self) in pending:
            pending.discard(id(self))
            return (_blank, (), fields)
        from .engine import topological_order

        ancestors = topological_order(self)[:-1]
        pending.clear()  # an earlier top-level reduce has finished by now; drop its leftovers
        pending.update(map(id, ancestors))
        return (_blank, (), (tuple(ancestors), *fields))

    def __setstate__(self, state: tuple) -> None:
        self.data, self.grad, self.label, self.op, self.parents, self.local_grads = state[-6:]


_pickling = threading.local()
_new = object.__new__


def _blank() -> Value:
    return _new(Value)


def _node(data: float, op: str, parents: tuple, local_grads: tuple) -> Value:
    """Make a node without the checks of Value(): the hot path of every op."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node.label = ""
    node.op = op
    node.parents = parents
    node.local_grads = local_grads
    return node


def _operand(x: Any, op: Op) -> float:
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    return _as_float(x, f"operand of {op.name!r}")


def _data(x: Operand, where: str) -> float:
    return x.data if isinstance(x, Value) else _as_float(x, where)


def _negate(x: Operand, where: str) -> Operand:
    return -x if isinstance(x, Value) else -_as_float(x, where)


def _reciprocal(x: Operand) -> Operand:
    return x**-1.0 if isinstance(x, Value) else ops.f_pow(_as_float(x, "operand of '/'"), -1.0)


# -- recording ----------------------------------------------------------------------------
# `_unary` and `_binary` are the fast paths (recording on, no anomaly checks); every other
# case goes through `apply`, the general path, which computes the same things.


def _unary(op: Op, x: Value) -> Value:
    if get_mode() != RECORDING:
        return apply(op, (x,))
    a = x.data
    out = op.forward(a)
    return _node(out, op.name, (x,), (op.derivatives[0](a, out),))


def _binary(op: Op, x: Operand, y: Operand) -> Value:
    x_is_value, y_is_value = isinstance(x, Value), isinstance(y, Value)
    a = x.data if x_is_value else _operand(x, op)
    b = y.data if y_is_value else _operand(y, op)
    if get_mode() != RECORDING:
        return apply(op, (x if x_is_value else a, y if y_is_value else b))
    out = op.forward(a, b)
    dx, dy = op.derivatives
    if x_is_value and y_is_value:
        return _node(out, op.name, (x, y), (dx(a, b, out), dy(a, b, out)))
    # A plain-number operand is kept after the derivatives, so create_graph can re-run the rule.
    if x_is_value:
        return _node(out, op.name, (x,), (dx(a, b, out), x, b))
    return _node(out, op.name, (y,), (dy(a, b, out), a, y))


def apply(op: Op, operands: tuple) -> Value:
    """Run `op` on `operands` (Values and floats) and record it: the general path.

    Handles what the fast paths skip: no_grad (nothing recorded), anomaly checks, and
    n-ary ops. Local derivatives are computed only for Value operands.
    """
    values = tuple(o.data if isinstance(o, Value) else o for o in operands)
    out = op.forward(values) if op.nary else op.forward(*values)
    mode = get_mode()
    if mode & ANOMALY and not math.isfinite(out):
        inputs = ", ".join(map(repr, values))
        raise FloatingPointError(f"detect_anomaly: {op.name}({inputs}) produced {out} in the forward pass")
    is_value = [isinstance(o, Value) for o in operands]
    if not mode & GRAD or not any(is_value):
        return _node(out, "", (), ())
    parents = tuple(o for o, v in zip(operands, is_value) if v)
    if op.nary:
        local = tuple(d for d, v in zip(op.derivatives(values, out), is_value) if v)
    else:
        local = tuple(rule(*values, out) for rule, v in zip(op.derivatives, is_value) if v)
    if len(parents) < len(operands):
        local += operands
    return _node(out, op.name, parents, local)


def operands_of(node: Value) -> tuple:
    """The operands an op ran on, plain numbers included, in order."""
    extra = node.local_grads[len(node.parents) :]
    return extra or node.parents


# -- n-ary primitives: one node, one local derivative per Value operand --------------------


def _operands(values: Iterable[Operand], where: str) -> tuple:
    return tuple(v if isinstance(v, Value) else _as_float(v, where) for v in values)


def sum(values: Iterable[Operand]) -> Value:
    """One node for v0 + v1 + ... (Python's sum() also works, as a chain of additions)."""
    return apply(ops.SUM, _operands(values, "autograd.sum"))


def mean(values: Iterable[Operand]) -> Value:
    """One node for (v0 + ... + vn-1) / n."""
    operands = _operands(values, "autograd.mean")
    if not operands:
        raise ValueError("autograd.mean: got no values; the mean of nothing is undefined")
    return apply(ops.MEAN, operands)


def dot(weights: Sequence[Operand], inputs: Sequence[Operand]) -> Value:
    """One node for w0*x0 + w1*x1 + ...: a neuron's weighted sum without 2n nodes."""
    w, x = _operands(weights, "autograd.dot"), _operands(inputs, "autograd.dot")
    if len(w) != len(x):
        raise ValueError(f"autograd.dot: {len(w)} weights but {len(x)} inputs; they must match")
    return apply(ops.DOT, w + x)
