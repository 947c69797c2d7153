"""What an op is: `@primitive` makes one from a rule; pickle finds it again by its name.

A `Primitive` is a `str` (the op's name, what graphs show) that carries the op's rule, its
float forward and the domain where it is smooth. Every node's `op` holds the Primitive
that made it, so the engine re-runs a rule (`create_graph`) without looking anything up.
The ops themselves, built-in ones included, are defined in ops.py.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable, Sequence
from typing import Any

REAL_LINE = ((-3.0, 3.0),)  # the default domain of an operand: the real line, as far as tests need

Rule = Callable[..., tuple[Any, tuple]]


class Primitive(str):
    """An op: a str (its name in graphs) carrying its rule, float forward and smooth domain.

    Being a str, `node.op == "softplus"` and everything that prints ops keeps working, while
    the engine reads the rule straight from `node.op`, never looking a name up.
    """

    name: str
    rule: Rule
    # forward(*operands) -> the value alone: what a call on floats and no_grad compute. For
    # built-ins, the float function the rule computes its value with (tested to agree).
    forward: Callable[..., float]
    # Where the op is smooth, per operand, a union of intervals: check_op and the tests draw
    # points from here and compare with finite differences (and torch, for built-ins).
    domain: tuple[tuple[tuple[float, float], ...], ...]
    # 0: the operands are numbers. Else the built-in n-ary ops (sum, mean, dot) take this many
    # sequences, and their rule returns one sequence of derivatives per sequence.
    vectors: int
    torch_name: str | None  # the torch function computing the same op, for the tests

    def __new__(
        cls,
        rule: Rule,
        *,
        name: str | None = None,
        forward: Callable[..., float] | None = None,
        domain: Sequence | None = None,
        vectors: int = 0,
        torch_name: str | None = None,
    ) -> Primitive:
        if not callable(rule):
            raise TypeError(f"primitive: the rule must be a function, got {type(rule).__name__} {rule!r}")
        self = super().__new__(cls, name if name is not None else rule.__name__)
        functools.update_wrapper(self, rule)  # __module__, __qualname__, __doc__: how pickle finds it
        self.name = str(self)
        self.rule = rule
        self.forward = forward if forward is not None else functools.partial(_value_of_rule, rule)
        self.domain = _domain(rule, domain, self.name)
        self.vectors, self.torch_name = vectors, torch_name
        return self

    @property
    def nary(self) -> bool:
        return self.vectors > 0

    def split(self, operands: Sequence) -> tuple:
        """The operands, given one after another, as the rule takes them: an n-ary op's as its
        `vectors` sequences, any other op's unchanged."""
        if not self.vectors:
            return tuple(operands)
        n = len(operands) // self.vectors
        return tuple(tuple(operands[i * n : (i + 1) * n]) for i in range(self.vectors))

    def __call__(self, *operands: Any) -> Any:
        """On floats, the value (a float); with a Value among the operands, a recorded node."""
        for x in operands:
            if type(x) is not float:
                return record_call(self, operands)
        return self.forward(*operands)

    def __repr__(self) -> str:
        return f"<primitive {self.name!r} {self.__module__}.{self.__qualname__}>"

    # -- copying: an op is found again by its qualified name, never copied ---------------------

    def __reduce__(self) -> tuple:
        return (find_primitive, (self.name, self.__module__, self.__qualname__))

    def __copy__(self) -> Primitive:
        return self

    def __deepcopy__(self, memo: dict) -> Primitive:
        return self


def record_call(op: Primitive, operands: tuple) -> Any:
    """value.call: record `op` on Values, or compute it on other numbers. value.py (which
    imports this module) puts `call` itself here when it loads: no import per call."""
    from .value import call

    return call(op, operands)


def _value_of_rule(rule: Rule, *operands: Any) -> Any:
    return rule(*operands)[0]


def _domain(rule: Rule, domain: Sequence | None, name: str) -> tuple:
    """One union of intervals per operand; by default the real line for each parameter."""
    if domain is None:
        params = inspect.signature(rule).parameters.values()
        if any(p.kind is p.VAR_POSITIONAL for p in params):
            return ()  # variadic: check_op needs domain=... to know how many operands to draw
        return tuple(REAL_LINE for p in params if p.default is p.empty and p.kind is not p.KEYWORD_ONLY)
    unions = []
    for i, entry in enumerate(domain):
        intervals = (tuple(entry),) if len(entry) == 2 and not isinstance(entry[0], Sequence) else tuple(entry)
        for interval in intervals:
            if len(interval) != 2 or not interval[0] < interval[1]:
                raise ValueError(f"primitive {name!r}: domain[{i}] must be (low, high) intervals, got {entry!r}")
        unions.append(tuple((float(lo), float(hi)) for lo, hi in intervals))
    return tuple(unions)


def primitive(
    rule: Rule | None = None,
    *,
    name: str | None = None,
    domain: Sequence | None = None,
    forward: Callable[..., float] | None = None,
) -> Any:
    """Make a function returning (value, local derivatives) into an op of the engine.

    >>> @primitive
    ... def softplus(x):
    ...     return ops.log(1.0 + ops.exp(x)), (ops.sigmoid(x),)
    >>> softplus(0.5)                 # floats in, a float out
    >>> y = softplus(Value(0.5))      # a Value in: one node, y.op == "softplus"

    The rule must work on floats and on Values: use arithmetic and the primitives of
    autograd.ops (exp, log, sqrt, tanh, sigmoid, sin, cos, pow, abs, relu, div), never `math` or
    `.data`, so that `create_graph` can differentiate it again. `name` (default: the
    function's name) shows in graphs; `domain`, one (low, high) interval or a list of them per
    operand, is where `check_op` tests it (default: (-3, 3) for each operand).
    """
    if rule is None:
        return lambda f: Primitive(f, name=name, domain=domain, forward=forward)
    return Primitive(rule, name=name, domain=domain, forward=forward)


class UnresolvedPrimitive(Primitive):
    """An op of an unpickled graph whose definition could not be imported: its recorded
    numbers still serve backward(), but it has no rule for create_graph."""

    def __call__(self, *operands: Any) -> Any:
        raise self._error()

    def _error(self) -> LookupError:
        return LookupError(
            f"op {self.name!r} ({self.__module__}.{self.__qualname__}) could not be found again after "
            f"unpickling: {self.reason}. Its recorded derivatives still work for backward(); "
            "create_graph and check_graph need its rule: define the op at the top level of an "
            "importable module (not in a function or __main__) and import it before unpickling."
        )


def find_primitive(name: str, module: str, qualname: str) -> Primitive:
    """The op `module.qualname` (how pickle finds an op again); an UnresolvedPrimitive if gone."""
    try:
        found: Any = importlib.import_module(module)
        for part in qualname.split("."):
            found = getattr(found, part)
        if isinstance(found, Primitive):
            return found
        reason = f"{module}.{qualname} is a {type(found).__name__}, not a primitive"
    except Exception as e:  # any failure to import is reported when the rule is needed
        reason = f"{type(e).__name__}: {e}"

    def no_rule(*operands: Any) -> Any:
        raise op._error()

    no_rule.__module__, no_rule.__qualname__ = module, qualname
    op = UnresolvedPrimitive(no_rule, name=name, forward=no_rule, domain=())
    op.reason = reason
    return op
