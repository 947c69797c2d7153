"""Each op's local derivatives as text, read off the op table's own rules.

A rule (autograd/ops.py) runs on floats and on Values. Run on Values standing for its
operands, it records its derivatives as small graphs: tanh's rule gives the graph of
`1.0 - t * t`, where t is the rule's own output. Printing those graphs gives the text the
compiled program uses: `1.0 - e * e` for a node e = tanh(d). So the program's derivatives
are the table's rules, written out, and an op you define with @primitive compiles like a
built-in one.

Three built-in rules pick a branch by looking at a number (relu: is x > 0?, abs: its sign,
pow: is an operand 0?). A graph cannot show that branch, so their local derivatives are
written out below as conditional expressions, beside the rule they mirror; the tests
compare them with the rules on both sides of every branch.

A template is text with fields: `{a0}`, `{a1}`, ... for the operands (names or numbers) and
`{out}` for the node itself. Unary minus binds tighter than every operator we print, so a
negative number can fill any field without parentheses.
"""

from __future__ import annotations

import keyword
import math
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .. import ops
from ..engine import topological_order
from ..mode import enable_grad, without_anomaly
from ..ops import Primitive
from ..primitives import UnresolvedPrimitive
from ..value import Value, operands_of
from .trace import recording_guards

ATOM, UNARY, PRODUCT, SUM, CONDITIONAL = 4, 3, 2, 1, 0  # how tightly a printed expression binds


@dataclass(frozen=True)
class Local:
    """How gradient flows from a node into one operand.

    kind "skip": nothing flows (a masked 0: no gradient at all, as torch's select);
    kind "times": g * expr;  kind "masked": nothing where `cond` holds, else g * expr;
    kind "divided": g * inverse(y) (ops.inverse), which arrays compute as g / y (numpy_expr: y).
    `expr`/`cond` are templates; `numpy_cond` is cond for arrays (`&` instead of `and`).
    """

    kind: str
    expr: str = "1.0"
    cond: str = ""
    numpy_expr: str = ""  # expr for arrays, when it differs (a conditional expression)
    numpy_cond: str = ""


SKIP = Local("skip")


@dataclass(frozen=True)
class Template:
    """An op written out: its value (`forward`, a call of the op's float function, or an
    operator) and one Local per operand. `numpy_forward` is the value for arrays when the
    op's float function cannot take arrays (a user op: its rule's value, written out)."""

    forward: str
    locals: tuple[Local, ...]
    numpy_forward: str


# -- names: how the program calls each op ------------------------------------------------

HELPERS = {"inverse", "sign", "isfinite", "where", "inf", "nan", "GuardFailed", "fsum"}
# Ops are keyed by identity: a Primitive is a str, so a user op named "exp" == ops.exp.
_names: dict[int, tuple[Primitive, str]] = {}  # every op seen by any compile, process-wide (kept alive)
_taken: set[str] = set(HELPERS) | set(keyword.kwlist)
_names_lock = threading.Lock()


def identifier(text: str) -> str:
    """`text` as a Python identifier: other characters become `_`, a leading digit gets `_`."""
    name = re.sub(r"\W", "_", text, flags=re.ASCII)
    return "_" + name if not name or name[0].isdigit() else name


def unique_name(base: str, used: set[str]) -> str:
    """`base`, or `base_2`, `base_3`, ... : the first that is not in `used` (which it joins)."""
    name, i = base, 2
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def op_name(op: Primitive) -> str:
    """The name a program calls `op` by: its own name if free, else with a suffix."""
    found = _names.get(id(op))
    if found is None:
        with _names_lock:
            found = _names.get(id(op))
            if found is None:
                base = identifier(getattr(op, "__name__", "") or op.name)  # the rule's name: `pow`, not `**`
                found = _names[id(op)] = (op, unique_name(base, _taken))
    return found[1]


def is_built_in(op: Primitive) -> bool:
    """One of the ops of autograd/ops.py (by identity: a user op may share a built-in's name)."""
    return id(op) in _BUILT_IN


_BUILT_IN = {id(op) for op in ops.OPS.values()}


for _op in ops.OPS.values():  # built-ins first: they keep their own names
    if _op.name not in ("+", "*"):
        op_name(_op)


def taken_names() -> set[str]:
    """Names a program variable must not take (ops, helpers, keywords)."""
    return set(_taken)


# -- the graph of a rule's derivative, printed ---------------------------------------------


def _const(x: float) -> tuple[str, int]:
    text = repr(float(x))
    return text, (UNARY if text.startswith("-") else ATOM)


def tuple_text(items: Sequence[str]) -> str:
    """`(a, b)`, `(a,)`, `()`: items as the text of a Python tuple."""
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _wrap(part: tuple[str, int], at_least: int) -> str:
    return part[0] if part[1] >= at_least else f"({part[0]})"


def _is_negation(node: Any) -> bool:
    """`x * -1.0`, as `-x` records: printed as a subtraction or a minus sign."""
    if not isinstance(node, Value) or node.op is not ops.mul:
        return False
    operands = operands_of(node)
    return len(operands) == 2 and operands[1] == -1.0 and not isinstance(operands[1], Value)


def print_graph(root: Any, fields: dict[Value, str]) -> tuple[str, int]:
    """The expression computing `root` from the Values in `fields` (printed as their text).

    Nodes are printed parents first from engine.topological_order: no recursion however
    deep the expression.
    """
    if not isinstance(root, Value):
        return _const(root)
    printed: dict[Value, tuple[str, int]] = {}

    def part(x: Any) -> tuple[str, int]:
        return printed[x] if isinstance(x, Value) else _const(x)

    for node in topological_order(root):
        if node in fields:
            printed[node] = (fields[node], ATOM)
            continue
        if not node.parents:  # a leaf the rule made itself: a constant
            printed[node] = _const(node.data)
            continue
        operands = operands_of(node)
        op = node.op
        if op is ops.add and len(operands) == 2:
            a, b = operands
            if _is_negation(b) and b not in fields:
                text = f"{_wrap(part(a), SUM)} - {_wrap(part(operands_of(b)[0]), PRODUCT)}"
            elif _is_negation(a) and a not in fields:
                text = f"{_wrap(part(b), SUM)} - {_wrap(part(operands_of(a)[0]), PRODUCT)}"
            else:
                text = f"{_wrap(part(a), SUM)} + {_wrap(part(b), PRODUCT)}"
            printed[node] = (text, SUM)
        elif op is ops.mul and len(operands) == 2:
            a, b = operands
            if _is_negation(node):
                printed[node] = (f"-{_wrap(part(a), UNARY)}", UNARY)
            else:
                printed[node] = (f"{_wrap(part(a), PRODUCT)} * {_wrap(part(b), UNARY)}", PRODUCT)
        elif isinstance(op, Primitive) and op.nary:
            groups = op.split(operands)
            printed[node] = (f"{op_name(op)}({', '.join(tuple_text([part(x)[0] for x in g]) for g in groups)})", ATOM)
        elif isinstance(op, Primitive):
            printed[node] = (f"{op_name(op)}({', '.join(part(x)[0] for x in operands)})", ATOM)
        else:
            raise TypeError(f"compile: node {node!r} has op {op!r}, which is not a primitive")
    return printed[root]


# -- templates ---------------------------------------------------------------------------


def forward_text(op: Primitive, n: int) -> str:
    fields = [f"{{a{i}}}" for i in range(n)]
    if op is ops.add:
        return "{a0} + {a1}"
    if op is ops.mul:
        return "{a0} * {a1}"
    if op.nary:
        return f"{op_name(op)}({', '.join(tuple_text(g) for g in op.split(fields))})"
    return f"{op_name(op)}({', '.join(fields)})"


def _relu(constants: Sequence) -> tuple[Local, ...]:
    # ops.step: relu'(x) is 1 where x > 0 or x is nan; at x <= 0 a masked 0 (nothing flows).
    return (Local("masked", "1.0", "{a0} <= 0.0", numpy_cond="{a0} <= 0.0"),)


def _abs(constants: Sequence) -> tuple[Local, ...]:
    return (Local("times", "sign({a0})"),)  # ops.sign: -1, 0 or 1 (0 at 0 and at nan)


def _pow(constants: Sequence) -> tuple[Local, ...]:
    # ops.pow: d/dx is masked where y == 0, else y * x ** (y - 1); d/dy is a plain 0 where
    # x == 0 <= y, else x ** y * log(x). A branch whose operand is a constant is decided now.
    x, y = constants
    if y is not None and y == 0:
        d_base = SKIP
    elif y is not None:
        d_base = Local("times", "({a1} * pow({a0}, {a1} - 1.0))")
    else:
        d_base = Local("masked", "({a1} * pow({a0}, {a1} - 1.0))", "{a1} == 0.0", numpy_cond="{a1} == 0.0")
    if x is not None and y is not None:
        zero = x == 0 and y >= 0
        d_exp = Local("times", "0.0" if zero else "({out} * log({a0}))")
    else:
        d_exp = Local(
            "times",
            "(0.0 if {a0} == 0.0 and {a1} >= 0.0 else {out} * log({a0}))",
            numpy_expr="where(({a0} == 0.0) & ({a1} >= 0.0), 0.0, {out} * log({a0}))",
        )
    return (d_base, d_exp)


# The three rules that branch on numbers, written out (see the module docstring).
BRANCHING = {id(ops.relu): _relu, id(ops.abs): _abs, id(ops.pow): _pow}

_templates: dict[tuple, Template] = {}
_keep_alive: list[Primitive] = []


def template(op: Primitive, operands: Sequence[Any]) -> Template:
    """The template of `op` on these operands (Values or numbers), derived once per op and
    operand count from the op's rule (per operand constants too, for a branching rule)."""
    branching = BRANCHING.get(id(op))
    constants = tuple(None if isinstance(x, Value) else float(x) for x in operands)
    key = (id(op), len(operands), constants if branching else None)
    found = _templates.get(key)
    if found is not None:
        return found
    forward = forward_text(op, len(operands))
    if branching is not None:
        made = Template(forward, branching(constants), forward)
    else:
        numbers = [x.data if isinstance(x, Value) else float(x) for x in operands]
        made = derive(op, numbers, forward)
        if not is_built_in(op):
            _check_one_formula(op, numbers, forward, made)
    _templates[key] = made
    _keep_alive.append(op)  # its id stays its own while the template is cached
    return made


def _check_one_formula(op: Primitive, numbers: Sequence[float], forward: str, made: Template) -> None:
    """A rule that picks its formula by looking at numbers (`.data`, ops.step) records only
    the branch taken, and the program would use it everywhere. Derive the rule again at
    points on the other side of 0 and further out: the text must not change."""
    for probe in ([-x - 0.5 for x in numbers], [2.0 * x + 1.0 for x in numbers]):
        other = derive(op, probe, forward)
        if other != made:
            raise ValueError(
                f"compile: the rule of op {op.name!r} gives different formulas at {list(numbers)} and at "
                f"{probe} (it reads numbers, through .data or a function such as ops.step); compile writes "
                "each local derivative as one formula: write the rule with the dual functions of autograd.ops"
            )


def derive(op: Primitive, numbers: Sequence[float], forward: str) -> Template:
    """Run op's rule on Values standing for its operands and print what it records."""
    if isinstance(op, UnresolvedPrimitive):
        raise LookupError(f"compile: op {op.name!r} has no rule here ({op.reason}); it cannot be compiled")
    with enable_grad(), without_anomaly(), recording_guards() as guards:
        stand_ins = [Value(x) for x in numbers]
        args = op.split(stand_ins) if op.nary else stand_ins
        value, derivatives = op.rule(*args)
    if guards:
        g = guards[0]
        raise ValueError(
            f"compile: the rule of op {op.name!r} compares its operands ({g.op}); compile writes each "
            "local derivative as one formula, so write the rule with relu/abs/... or split the op"
        )
    if op.nary:
        derivatives = [d for group in derivatives for d in group]
    fields = {v: f"{{a{i}}}" for i, v in enumerate(stand_ins)}
    if isinstance(value, Value):
        numpy_forward = print_graph(value, fields)[0]
        fields[value] = "{out}"
    else:  # the value was computed from numbers alone: arrays must go through op.forward
        numpy_forward = forward
    locals_ = []
    for d in derivatives:
        if type(d) is ops.Masked:
            locals_.append(SKIP)
        elif isinstance(d, ops.Divisor):
            # inverse(y), as the rules write 1/y: on floats it is 1/y, or where 1/y alone would
            # overflow an ops.Quotient that divides g by y as torch does; the program calls it too.
            # Arrays divide (numpy_expr is the divisor): 1/y overflows where g / y does not.
            divisor = print_graph(d.divisor, fields)
            locals_.append(Local("divided", f"inverse({divisor[0]})", numpy_expr=_wrap(divisor, UNARY)))
        elif isinstance(d, (Value, float, int)):
            locals_.append(Local("times", _wrap(print_graph(d, fields), UNARY)))
        else:  # a kind of derivative this writer does not know: never bake it into a number
            raise TypeError(f"compile: the rule of op {op.name!r} gives a local derivative of type {type(d).__name__}")
    return Template(forward, tuple(locals_), numpy_forward)


# -- what the names in a program mean ------------------------------------------------------


class GuardFailed(Exception):
    """Raised by a compiled program when a branch goes another way than in its trace."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def float_namespace(used: Sequence[Primitive]) -> dict[str, Any]:
    """The globals of a program on floats: each op's float function, as the engine runs it."""
    namespace: dict[str, Any] = {
        "inverse": ops.inverse,
        "sign": ops.sign,
        "isfinite": math.isfinite,
        "fsum": math.fsum,
        "inf": math.inf,
        "nan": math.nan,
        "GuardFailed": GuardFailed,
    }
    for op in used:
        if op is not ops.add and op is not ops.mul:
            namespace[op_name(op)] = op.forward
    return namespace
