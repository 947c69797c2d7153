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

import contextvars
import math
import numbers
import threading
from collections.abc import Callable, Iterable, Sequence
from itertools import chain, compress
from typing import Any, Union

from . import ops, primitives
from .mode import ANOMALY, GRAD, RECORDING, UNRECORDED, get_mode
from .primitives import Primitive

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
            # (str() of an int past 4300 digits raises: count the digits with log10)
            digits = f"an int of {math.floor(math.log10(abs(x))) + 1} digits" if isinstance(x, int) else repr(x)
            raise ValueError(f"{where}: {digits} is too large for a float64 (max about 1.8e308)") from None
    raise TypeError(f"{where}: expected a Value or a real number, got {type(x).__name__} {x!r}")


_new = object.__new__  # allocate a node without running __init__'s checks
_INT_LIMIT = 2**1023  # every int of smaller size converts to a float without overflow


def _operand(x: Any, op: Primitive) -> float:
    if type(x) is float:
        return x
    if type(x) is int and -_INT_LIMIT < x < _INT_LIMIT:  # the common case, without the checks below
        return float(x)
    return _as_float(x, f"operand of {op.name!r}")


# -- recording ----------------------------------------------------------------------------
# Every op ends in a node laid out as Value's slots describe. The methods that Value gets
# from the op table are made by _unary_method and _binary_method; n-ary ops, primitives
# called on Values (`call`, from Primitive.__call__) and anything unusual go through
# `apply`. All of them build the node with _record, except that the methods inline it in
# mode RECORDING (the hottest path of the engine), and that under no_grad the methods and
# matvec compute the value alone and return a bare _leaf.


def _record(
    value: float, op: Primitive, parent1: Any, local1: Any, parent2: Any = None, local2: Any = None, const: Any = None
) -> Value:
    """The output of an op, honouring no_grad and detect_anomaly (the mode is read once)."""
    node = _new(Value)
    node.data = value
    node.grad = 0.0
    node.label = ""
    node.op = op  # the Primitive itself: a str equal to its name, carrying its rule
    node._parent1 = parent1
    node._local1 = local1
    node._parent2 = parent2
    node._local2 = local2
    node._const = const
    mode = get_mode()
    if mode == RECORDING:
        return node
    if mode & ANOMALY and not math.isfinite(value):
        operands = ", ".join(repr(float(o)) for o in operands_of(node))
        raise FloatingPointError(f"detect_anomaly: {op.name}({operands}) produced {value} in the forward pass")
    if not mode & GRAD:  # no_grad: a leaf, so nothing behind it is kept alive
        node.op = ""
        node._parent1 = node._local1 = node._parent2 = node._local2 = node._const = None
    return node


def _leaf(value: float) -> Value:
    """A node that records nothing: what an op returns under no_grad."""
    node = _new(Value)
    node.data = value
    node.grad = 0.0
    node.label = node.op = ""
    node._parent1 = node._local1 = node._parent2 = node._local2 = node._const = None
    return node


def _unary_method(op: Primitive) -> Callable[[Value], Value]:
    rule, forward = op.rule, op.forward

    def method(self: Value) -> Value:
        mode = get_mode()
        if mode == UNRECORDED:
            return _leaf(forward(self.data))
        value, (local,) = rule(self.data)
        if mode != RECORDING:
            return _record(value, op, self, local)
        node = _new(Value)  # _record, inlined: this is the hottest path of the engine
        node.data = value
        node.grad = 0.0
        node.label = ""
        node.op = op
        node._parent1 = self
        node._local1 = local
        node._parent2 = node._local2 = node._const = None
        return node

    method.__name__ = method.__qualname__ = op.__name__
    method.__doc__ = f"Record `{op.name}` of this Value (its rule is in autograd/ops.py)."
    method.op = op  # type: ignore[attr-defined]  # lets the tests find every op's method
    return method


def _binary_method(op: Primitive, name: str, reflected: bool = False) -> Callable[[Value, Operand], Value]:
    rule, forward = op.rule, op.forward

    def method(self: Value, other: Operand) -> Value:
        mode = get_mode()
        if type(other) is not float and isinstance(other, Value):
            parent1, parent2 = (other, self) if reflected else (self, other)
            if mode == UNRECORDED:
                return _leaf(forward(parent1.data, parent2.data))
            value, (local1, local2) = rule(parent1.data, parent2.data)
            const = None
        else:
            # A plain number is a constant, not a node: it takes the place of the missing
            # parent (None), its derivative is dropped, and it is kept so that create_graph
            # can re-run the rule.
            const = other if type(other) is float else _operand(other, op)
            if mode == UNRECORDED:
                return _leaf(forward(const, self.data) if reflected else forward(self.data, const))
            if reflected:
                value, (_, local2) = rule(const, self.data)
                parent1, local1, parent2 = None, None, self
            else:
                value, (local1, _) = rule(self.data, const)
                parent1, parent2, local2 = self, None, None
        if mode != RECORDING:
            return _record(value, op, parent1, local1, parent2, local2, const)
        node = _new(Value)  # _record, inlined
        node.data = value
        node.grad = 0.0
        node.label = ""
        node.op = op
        node._parent1 = parent1
        node._local1 = local1
        node._parent2 = parent2
        node._local2 = local2
        node._const = const
        return node

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Record `{op.name}` (its rule is in autograd/ops.py)."
    method.op, method.reflected = op, reflected  # type: ignore[attr-defined]
    return method


def call(op: Primitive, operands: Sequence[Any]) -> Any:
    """A primitive called with something else than floats (see Primitive.__call__): a recorded
    node if a Value is among the operands, else the plain float value."""
    if op.nary:
        if len(operands) != op.vectors:
            raise TypeError(f"{op.name}: expected {op.vectors} sequence(s) of operands, got {len(operands)}")
        sequences = [tuple(seq) for seq in operands]
        if len(set(map(len, sequences))) > 1:
            raise ValueError(f"{op.name}: sequences of different lengths {[len(seq) for seq in sequences]}")
        flat = tuple(chain.from_iterable(sequences))
        if any(isinstance(o, Value) for o in flat):
            return apply(op, flat)
        return op.forward(*[tuple(_operand(o, op) for o in seq) for seq in sequences])
    if any(isinstance(o, Value) for o in operands):
        return apply(op, operands)
    return op.forward(*[_operand(o, op) for o in operands])


primitives.record_call = call  # see primitives.record_call


def apply(op: Primitive, operands: Sequence[Operand]) -> Value:
    """Record `op` on `operands` (Values and numbers): the general path of every op.

    An n-ary op's operands come one after another (dot: w0, ..., w[n-1], x0, ..., x[n-1]).
    Local derivatives are kept for the Value operands only; plain numbers are constants.
    """
    operands = tuple(operands)
    if op.vectors == 1 and set(map(type, operands)) == _ONLY_VALUES:  # sum(values): classified in C
        numbers = tuple([v.data for v in operands])
        if get_mode() == UNRECORDED:
            return _leaf(op.forward(numbers))
        value, (local,) = op.rule(numbers)
        return _record(value, op, operands, local, const=())
    is_value = [isinstance(o, Value) for o in operands]
    if not all(is_value):
        operands = tuple(o if v else _operand(o, op) for o, v in zip(operands, is_value))
    numbers = tuple([o.data if v else o for o, v in zip(operands, is_value)])
    args = op.split(numbers)
    if get_mode() == UNRECORDED:
        return _leaf(_as_float(op.forward(*args), f"the value of {op.name!r}"))
    value, derivatives = _checked_rule(op, args)
    if op.vectors:
        # One (Values, their derivatives) pair of tuples per operand sequence; see Value.
        groups = [
            (tuple(compress(vector, keep)), tuple(compress(local, keep)))
            for vector, local, keep in zip(op.split(operands), derivatives, op.split(is_value))
        ]
        (parent1, local1), (parent2, local2) = groups[0], groups[1] if len(groups) > 1 else (None, None)
        if not parent2:
            parent2 = local2 = None
        if not parent1 and parent2 is None:  # no Value at all: nothing to differentiate
            parent1 = local1 = None
        return _record(value, op, parent1, local1, parent2, local2, const=_constants(operands, is_value))
    if not any(is_value):
        raise ValueError(f"apply({op.name!r}): needs at least one Value among the operands; got {operands!r}")
    if len(operands) == 1:
        return _record(value, op, operands[0], derivatives[0])
    if len(operands) == 2:
        if all(is_value):
            return _record(value, op, operands[0], derivatives[0], operands[1], derivatives[1])
        if is_value[0]:
            return _record(value, op, operands[0], derivatives[0], const=operands[1])
        return _record(value, op, None, None, operands[1], derivatives[1], const=operands[0])
    # Three or more operands: laid out as an n-ary node's first sequence (see Value).
    parents, local = tuple(compress(operands, is_value)), tuple(compress(derivatives, is_value))
    return _record(value, op, parents, local, const=_constants(operands, is_value))


def _constants(operands: tuple, is_value: list[bool]) -> tuple:
    """(position, number, ...) for the plain numbers among the operands (see Value)."""
    return tuple(chain.from_iterable((i, o) for i, (o, v) in enumerate(zip(operands, is_value)) if not v))


def _checked_rule(op: Primitive, args: tuple) -> tuple:
    """op.rule(*args), with a clear error if it does not return (value, one derivative each)."""
    result = op.rule(*args)
    if type(result) is not tuple or len(result) != 2 or not isinstance(result[1], (tuple, list)):
        raise TypeError(f"op {op.name!r}: its rule must return (value, (local derivatives...)), got {result!r}")
    value, derivatives = result
    count = len(args)
    if len(derivatives) != count:
        raise TypeError(
            f"op {op.name!r}: its rule returned {len(derivatives)} local derivative(s) for {count} operand(s)"
        )
    if type(value) is not float:
        value = _as_float(value, f"the value of {op.name!r}")
    return value, derivatives


def operands_of(node: Value) -> tuple:
    """The operands an op ran on, plain numbers included, in order (create_graph needs them)."""
    const = node._const
    if const is None:
        return node.parents
    if type(const) is float:  # one constant, in the place of the missing parent
        return (const, node._parent2) if node._parent1 is None else (node._parent1, const)
    operands = list(node.parents)
    for i in range(0, len(const), 2):  # (position, number) pairs; positions ascend, so each lands in place
        operands.insert(const[i], const[i + 1])
    return tuple(operands)


class Value:
    """A scalar that remembers the ops that made it, so gradients can flow back through them."""

    # How a node stores the op that made it. Slots rather than a tuple of parents and a tuple
    # of derivatives: the node of a unary or binary op is then ONE object, a third less memory
    # and a third of the objects for the garbage collector to walk. Read the graph through
    # `.parents` and `.local_grads` (tuples, built on demand); engine.py reads the slots.
    #
    #   leaf (or made under no_grad)  _parent1 = _parent2 = None
    #   f(x)                          _parent1 = x, _local1 = df/dx
    #   f(x, y)                       _parent1 = x, _local1 = df/dx, _parent2 = y, _local2 = df/dy
    #   f(x, 2.0), f(2.0, y)          _const = 2.0, in the place of the parent that is None
    #   n-ary f(xs) or f(ws, xs)      _parent1 = (Values among the first sequence), _local1 =
    #                                 (their derivatives); _parent2, _local2 the same for the
    #                                 second sequence, if any; _const = (position, number, ...)
    #                                 for plain numbers, positions counted across all operands
    __slots__ = ("data", "grad", "label", "op", "_parent1", "_local1", "_parent2", "_local2", "_const")

    data: float
    grad: Any  # a float; a Value after backward(create_graph=True), as in PyTorch
    label: str
    op: str

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
        self._parent1 = self._local1 = self._parent2 = self._local2 = self._const = None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Value operands of the op that made this node, in operand order (() for a leaf)."""
        parent1, parent2 = self._parent1, self._parent2
        if type(parent1) is tuple:
            return parent1 if parent2 is None else parent1 + parent2
        if parent1 is None:
            return () if parent2 is None else (parent2,)
        return (parent1,) if parent2 is None else (parent1, parent2)

    @property
    def local_grads(self) -> tuple[Any, ...]:
        """d self / d parent, one per parent, as numbers recorded when the op ran."""
        if type(self._parent1) is tuple:
            return self._local1 if self._parent2 is None else self._local1 + self._local2
        if self._parent1 is None:
            return () if self._parent2 is None else (self._local2,)
        return (self._local1,) if self._parent2 is None else (self._local1, self._local2)

    # -- arithmetic: primitives (+, *, **) and one-line derived ops ------------------------
    # Primitive methods are made from the op table by _unary_method/_binary_method below.

    __add__ = _binary_method(ops.add, "__add__")
    __radd__ = _binary_method(ops.add, "__radd__", reflected=True)
    __mul__ = _binary_method(ops.mul, "__mul__")
    __rmul__ = _binary_method(ops.mul, "__rmul__", reflected=True)
    __truediv__ = _binary_method(ops.div, "__truediv__")
    __rtruediv__ = _binary_method(ops.div, "__rtruediv__", reflected=True)
    __pow__ = _binary_method(ops.pow, "__pow__")
    __rpow__ = _binary_method(ops.pow, "__rpow__", reflected=True)

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Operand) -> Value:
        return self + _negate(other)

    def __rsub__(self, other: Operand) -> Value:
        return -self + other

    # -- elementary functions -------------------------------------------------------------

    __abs__ = _unary_method(ops.abs)
    exp = _unary_method(ops.exp)
    log = _unary_method(ops.log)
    sqrt = _unary_method(ops.sqrt)
    tanh = _unary_method(ops.tanh)
    sigmoid = _unary_method(ops.sigmoid)
    relu = _unary_method(ops.relu)
    sin = _unary_method(ops.sin)
    cos = _unary_method(ops.cos)

    # -- leaving the graph ----------------------------------------------------------------

    def detach(self) -> Value:
        """A new leaf with the same data and label, cut off from this node's graph."""
        return Value(self.data, self.label)

    def item(self) -> float:
        return self.data

    def __float__(self) -> float:
        return self.data

    def __bool__(self) -> bool:
        return _observed(self, "!=", 0.0, self.data != 0.0)

    # Comparisons look at data and return bool; == and hash stay identity-based so that
    # Values can be dict keys (the engine keys its bookkeeping on nodes).
    def __lt__(self, other: Operand) -> bool:
        return _observed(self, "<", other, self.data < _compare_data(other, "<"))

    def __le__(self, other: Operand) -> bool:
        return _observed(self, "<=", other, self.data <= _compare_data(other, "<="))

    def __gt__(self, other: Operand) -> bool:
        return _observed(self, ">", other, self.data > _compare_data(other, ">"))

    def __ge__(self, other: Operand) -> bool:
        return _observed(self, ">=", other, self.data >= _compare_data(other, ">="))

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
        fields = tuple(getattr(self, name) for name in Value.__slots__)
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
        for name, field in zip(Value.__slots__, state[-len(Value.__slots__) :]):
            setattr(self, name, field)


_pickling = threading.local()
_ONLY_VALUES = {Value}
_ONLY_FLOATS = {float}


def _blank() -> Value:
    return _new(Value)


def _compare_data(x: Operand, where: str) -> float:
    return x.data if isinstance(x, Value) else _as_float(x, where)


# A tracer (autograd.compile) listens to the branches a function takes on Values: each
# comparison and bool() is reported as (value, op, other, outcome). A context variable, so
# only comparisons made in the tracing thread (or task) are heard.
COMPARISON_LISTENER: contextvars.ContextVar[Callable[[Value, str, Any, bool], None] | None] = contextvars.ContextVar(
    "chaingrad_comparison_listener", default=None
)


def _observed(value: Value, op: str, other: Any, outcome: bool) -> bool:
    listener = COMPARISON_LISTENER.get()
    if listener is not None:
        listener(value, op, other, outcome)
    return outcome


def _negate(x: Operand) -> Operand:
    return -x if isinstance(x, Value) else -_as_float(x, "operand of '-'")


# -- n-ary primitives: one node, one local derivative per Value operand --------------------


def sum(values: Iterable[Operand]) -> Value:
    """One node for v0 + v1 + ... (Python's sum() also works, as a chain of additions)."""
    return apply(ops.sum, values)


def mean(values: Iterable[Operand]) -> Value:
    """One node for (v0 + ... + vn-1) / n."""
    operands = tuple(values)
    if not operands:
        raise ValueError("autograd.mean: got no values; the mean of nothing is undefined")
    return apply(ops.mean, operands)


def dot(weights: Sequence[Operand], inputs: Sequence[Operand]) -> Value:
    """One node for w0*x0 + w1*x1 + ...: a neuron's weighted sum without 2n nodes."""
    w, x = tuple(weights), tuple(inputs)
    if len(w) != len(x):
        raise ValueError(f"autograd.dot: {len(w)} weights but {len(x)} inputs; they must match")
    return _dots((w,), x)[0]


def matvec(rows: Iterable[Sequence[Operand]], inputs: Sequence[Operand]) -> list[Value]:
    """`[dot(row, inputs) for row in rows]`, reading the inputs once: a layer of neurons.

    Each row still records its own `dot` node; only the work of reading the shared inputs
    is done once instead of once per row.
    """
    x = tuple(inputs)
    rows = list(map(tuple, rows))
    if set(map(len, rows)) - {len(x)}:
        i, w = next((i, w) for i, w in enumerate(rows) if len(w) != len(x))
        raise ValueError(f"autograd.matvec: row {i} has {len(w)} weights but there are {len(x)} inputs")
    return _dots(rows, x)


def _dots(rows: Sequence[tuple], x: tuple) -> list[Value]:
    """dot(w, x) for each w in rows (all of len(x)), fast for the shapes a network makes."""
    n = len(x)
    # Reading .data and checking the type in one pass: a short count means some operand
    # is not a Value. The common shapes record with as few passes as possible (a neuron's
    # dot is most of a forward pass), and every row shares the inputs' tuples: the Values
    # among them, their numbers (d dot / d w) and the constants. Anything else goes
    # through apply.
    x_data = [v.data for v in x if type(v) is Value]
    if n and len(x_data) == n:  # weights times activations
        x_parents, x_numbers, constants = x, tuple(x_data), ()
    elif n and len(x_data) == n - 1 and type(x[-1]) is float:
        # activations then one constant, [*a, 1.0]: a neuron whose bias is the last weight
        x_parents, x_numbers, constants = x[:-1], (*x_data, x[-1]), (2 * n - 1, x[-1])
    elif n and not x_data and set(map(type, x)) == _ONLY_FLOATS:  # weights times data
        x_parents, x_numbers, constants = None, x, tuple(chain.from_iterable(enumerate(x, n)))
    else:
        return [apply(ops.dot, w + x) for w in rows]
    kept = n if x_parents is None else len(x_parents)  # the Values' derivatives among d dot / d x
    unrecorded, rule = get_mode() == UNRECORDED, ops.dot.rule
    nodes = []
    for w in rows:
        w_data = tuple([v.data for v in w if type(v) is Value])
        if len(w_data) != n:  # some weight is a plain number
            nodes.append(apply(ops.dot, w + x))
        elif unrecorded:
            nodes.append(_leaf(ops.dot.forward(w_data, x_numbers)))
        else:
            value, (d_w, d_x) = rule(w_data, x_numbers)
            d_x = None if x_parents is None else d_x[:kept]
            nodes.append(_record(value, ops.dot, w, d_w, x_parents, d_x, constants))
    return nodes
