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
import operator
import threading
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress, repeat
from operator import not_
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


_new = object.__new__  # allocate a node without running __init__'s checks


def _operand(x: Any, op: Op) -> float:
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    return _as_float(x, f"operand of {op.name!r}")


# -- recording ----------------------------------------------------------------------------
# Every op ends in _new_node. The methods that Value gets from the op table are made by
# _unary_method and _binary_method; n-ary ops and anything unusual go through `apply`.


def _new_node(value: float, op: Op, parents: tuple, local_grads: tuple) -> Value:
    """The output of an op, honouring no_grad and detect_anomaly (the mode is read once)."""
    node = _new(Value)
    node.data = value
    node.grad = 0.0
    node.label = ""
    mode = get_mode()
    if mode == RECORDING:
        node.op, node.parents, node.local_grads = op.name, parents, local_grads
    elif mode & ANOMALY and not math.isfinite(value):
        operands = ", ".join(
            repr(o.data if isinstance(o, Value) else o) for o in local_grads[len(parents) :] or parents
        )
        raise FloatingPointError(f"detect_anomaly: {op.name}({operands}) produced {value} in the forward pass")
    elif mode & GRAD:
        node.op, node.parents, node.local_grads = op.name, parents, local_grads
    else:  # no_grad: a leaf, so nothing behind it is kept alive
        node.op, node.parents, node.local_grads = "", (), ()
    return node


def _unary_method(op: Op) -> Callable[[Value], Value]:
    rule, name = op.rule, op.name

    def method(self: Value) -> Value:
        value, local_grads = rule(self.data)
        if get_mode() != RECORDING:
            return _new_node(value, op, (self,), local_grads)
        node = _new(Value)  # _new_node, inlined: this is the hottest path of the engine
        node.data = value
        node.grad = 0.0
        node.label = ""
        node.op = name
        node.parents = (self,)
        node.local_grads = local_grads
        return node

    method.__name__ = method.__qualname__ = op.torch_name
    method.__doc__ = f"Record `{op.name}` of this Value (its rule is in autograd/ops.py)."
    method.op = op  # type: ignore[attr-defined]  # lets the tests find every op's method
    return method


def _binary_method(op: Op, reflected: bool = False) -> Callable[[Value, Operand], Value]:
    rule, name = op.rule, op.name

    def method(self: Value, other: Operand) -> Value:
        if type(other) is not float and isinstance(other, Value):
            parents = (other, self) if reflected else (self, other)
            value, local_grads = rule(parents[0].data, parents[1].data)
        else:
            c = other if type(other) is float else _operand(other, op)
            parents = (self,)
            # A plain number is a constant, not a node: only the Value's derivative is kept,
            # followed by (position, number) so that create_graph can re-run the rule.
            if reflected:
                value, (_, d) = rule(c, self.data)
                local_grads = (d, 0, c)
            else:
                value, (d, _) = rule(self.data, c)
                local_grads = (d, 1, c)
        if get_mode() != RECORDING:
            return _new_node(value, op, parents, local_grads)
        node = _new(Value)  # _new_node, inlined
        node.data = value
        node.grad = 0.0
        node.label = ""
        node.op = name
        node.parents = parents
        node.local_grads = local_grads
        return node

    method.__name__ = method.__qualname__ = f"__{'r' if reflected else ''}{op.torch_name}__"
    method.__doc__ = f"Record `{op.name}` (its rule is in autograd/ops.py)."
    method.op, method.reflected = op, reflected  # type: ignore[attr-defined]
    return method


def apply(op: Op, operands: Sequence[Operand]) -> Value:
    """Record `op` on `operands` (Values and numbers): the general path, used by n-ary ops.

    Local derivatives are kept for the Value operands only; plain numbers are constants.
    """
    operands = tuple(operands)
    if set(map(type, operands)) == _ONLY_VALUES:  # the common case, classified in C
        values = tuple(map(_get_data, operands))
        value, local_grads = op.rule(values) if op.nary else op.rule(*values)
        return _new_node(value, op, operands, local_grads)
    is_value = list(map(isinstance, operands, repeat(Value)))
    if not set(map(type, compress(operands, map(not_, is_value)))) <= _ONLY_FLOATS:
        operands = tuple(o if v else _operand(o, op) for o, v in zip(operands, is_value))
    values = tuple(map(getattr, operands, repeat("data"), operands))  # .data, or the number itself
    value, derivatives = op.rule(values) if op.nary else op.rule(*values)
    parents = tuple(compress(operands, is_value))
    local_grads = tuple(compress(derivatives, is_value))
    if len(parents) < len(operands):
        local_grads += _constants(operands, is_value)
    return _new_node(value, op, parents, local_grads)


def _constants(operands: tuple, is_value: Iterable[bool]) -> tuple:
    """(position, number) for each plain-number operand: stored after a node's derivatives.

    They hold no Value, so the garbage collector stops tracking the tuple after one look.
    """
    return tuple(chain.from_iterable((i, o) for i, (o, v) in enumerate(zip(operands, is_value)) if not v))


def operands_of(node: Value) -> tuple:
    """The operands an op ran on, plain numbers included, in order (create_graph needs them)."""
    constants = node.local_grads[len(node.parents) :]
    if not constants:
        return node.parents
    operands = list(node.parents)
    for i in range(0, len(constants), 2):  # positions ascend, so each insert lands in place
        operands.insert(constants[i], constants[i + 1])
    return tuple(operands)


class Value:
    """A scalar that remembers the ops that made it, so gradients can flow back through them."""

    __slots__ = ("data", "grad", "label", "op", "parents", "local_grads")

    data: float
    grad: Any  # a float; a Value after backward(create_graph=True), as in PyTorch
    label: str
    op: str
    parents: tuple[Value, ...]
    # d self / d parent, one per parent; after them, (position, number) for each plain-number
    # operand, so that create_graph can re-run the op's rule (see operands_of).
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
    # Primitive methods are made from the op table by _unary_method/_binary_method below.

    __add__ = _binary_method(ops.ADD)
    __radd__ = _binary_method(ops.ADD, reflected=True)
    __mul__ = _binary_method(ops.MUL)
    __rmul__ = _binary_method(ops.MUL, reflected=True)
    __pow__ = _binary_method(ops.POW)
    __rpow__ = _binary_method(ops.POW, reflected=True)

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        return self + _negate(other)

    def __rsub__(self, other: Operand) -> Value:
        return -self + other

    def __truediv__(self, other: Operand) -> Value:
        return self * _reciprocal(other)

    def __rtruediv__(self, other: Operand) -> Value:
        return self**-1.0 * other

    # -- elementary functions -------------------------------------------------------------

    __abs__ = _unary_method(ops.ABS)
    exp = _unary_method(ops.EXP)
    log = _unary_method(ops.LOG)
    sqrt = _unary_method(ops.SQRT)
    tanh = _unary_method(ops.TANH)
    sigmoid = _unary_method(ops.SIGMOID)
    relu = _unary_method(ops.RELU)
    sin = _unary_method(ops.SIN)
    cos = _unary_method(ops.COS)

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
        return self.data < _compare_data(other, "<")

    def __le__(self, other: Operand) -> bool:
        return self.data <= _compare_data(other, "<=")

    def __gt__(self, other: Operand) -> bool:
        return self.data > _compare_data(other, ">")

    def __ge__(self, other: Operand) -> bool:
        return self.data >= _compare_data(other, ">=")

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
_ONLY_VALUES = {Value}
_ONLY_FLOATS = {float}
_VALUES_AND_FLOATS = {Value, float}
_get_data = operator.attrgetter("data")


def _blank() -> Value:
    return _new(Value)


def _compare_data(x: Operand, where: str) -> float:
    return x.data if isinstance(x, Value) else _as_float(x, where)


def _negate(x: Operand) -> Operand:
    return -x if isinstance(x, Value) else -_as_float(x, "operand of '-'")


def _reciprocal(x: Operand) -> Operand:
    return x**-1.0 if isinstance(x, Value) else ops.f_pow(_as_float(x, "operand of '/'"), -1.0)


# -- n-ary primitives: one node, one local derivative per Value operand --------------------


def sum(values: Iterable[Operand]) -> Value:
    """One node for v0 + v1 + ... (Python's sum() also works, as a chain of additions)."""
    return apply(ops.SUM, values)


def mean(values: Iterable[Operand]) -> Value:
    """One node for (v0 + ... + vn-1) / n."""
    operands = tuple(values)
    if not operands:
        raise ValueError("autograd.mean: got no values; the mean of nothing is undefined")
    return apply(ops.MEAN, operands)


def dot(weights: Sequence[Operand], inputs: Sequence[Operand]) -> Value:
    """One node for w0*x0 + w1*x1 + ...: a neuron's weighted sum without 2n nodes."""
    w, x = tuple(weights), tuple(inputs)
    n = len(w)
    if len(x) != n:
        raise ValueError(f"autograd.dot: {n} weights but {len(x)} inputs; they must match")
    # The two shapes a network makes, recorded with as few passes over the operands as
    # possible (a neuron's dot is most of a forward pass); anything else goes through apply.
    if set(map(type, w)) == _ONLY_VALUES:
        x_types = set(map(type, x))
        if x_types == _ONLY_FLOATS:  # parameters times data: the inputs are constants
            value, derivatives = ops.DOT.rule(tuple(map(_get_data, w)) + x)
            return _new_node(value, ops.DOT, w, derivatives[:n] + tuple(chain.from_iterable(zip(range(n, 2 * n), x))))
        if x_types == _ONLY_VALUES:  # parameters times activations
            value, derivatives = ops.DOT.rule(tuple(map(_get_data, w + x)))
            return _new_node(value, ops.DOT, w + x, derivatives)
        if x_types == _VALUES_AND_FLOATS and type(x[-1]) is float and set(map(type, x[:-1])) == _ONLY_VALUES:
            # activations then one constant: [*a, 1.0], a neuron whose bias is the last weight
            value, derivatives = ops.DOT.rule(tuple(map(_get_data, w + x[:-1])) + x[-1:])
            return _new_node(value, ops.DOT, w + x[:-1], derivatives[: 2 * n - 1] + (2 * n - 1, x[-1]))
    return apply(ops.DOT, w + x)
