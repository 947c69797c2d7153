"""Tracing: run a function once on leaf Values and keep the graph it records, and its branches.

A trace is the graph of one call: its inputs (the leaves we made from the arguments), every
node the output depends on, parents first, and the *guards*: each comparison or `bool()` of
a Value that the function's Python code looked at. A guard is a branch the trace took; the
compiled program checks it again on every call, because other arguments may take the other
branch, and then the recorded graph is not the function's graph any more.

Comparisons report to value.py's COMPARISON_LISTENER, a context variable: a trace listens
in its own thread only, and the answers the function sees are the ordinary ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..engine import topological_order
from ..mode import enable_grad
from ..value import COMPARISON_LISTENER, Value


@dataclass
class Guard:
    """`left <op> right` came out `outcome` during the trace (left/right: Values or floats)."""

    left: Any
    op: str
    right: Any
    outcome: bool


@dataclass
class Trace:
    """One call of a function, recorded: inputs, nodes parents-first, output, guards."""

    inputs: list[Value]
    order: list[Value]  # engine.topological_order(output): the backward pass walks it reversed
    forward: list[Value]  # the nodes below the output and the guards, parents first (forward_order)
    output: Any  # a Value, or a plain number if the function returned a constant
    guards: list[Guard] = field(default_factory=list)
    extras: list | None = None  # other Values whose numbers the program returns (outputs=True)


class recording_guards:
    """`with recording_guards() as guards:` every comparison of a Value in this thread is
    appended to `guards` (a list of Guard), through value.py's COMPARISON_LISTENER."""

    def __enter__(self) -> list[Guard]:
        self.guards: list[Guard] = []

        def listen(value: Value, op: str, other: Any, outcome: bool) -> None:
            right = other if isinstance(other, Value) else float(other)
            self.guards.append(Guard(value, op, right, outcome))

        self._token = COMPARISON_LISTENER.set(listen)
        return self.guards

    def __exit__(self, *exc: object) -> None:
        COMPARISON_LISTENER.reset(self._token)


def trace(
    f: Callable,
    args: Sequence[float],
    names: Sequence[str],
    leaves: Sequence[Value] | None = None,
    outputs: bool = False,
) -> Trace:
    """Call f on one leaf Value per argument (labelled with `names`) and record the graph.

    `leaves`: Values that already exist (a model's parameters) to stand for the arguments
    instead of new ones; their data is set to `args` during the call and then put back.
    `outputs`: f returns (output, [other Values]) and the program returns their values too.
    """
    inputs = list(leaves) if leaves is not None else [Value(x, name) for x, name in zip(args, names)]
    saved = [v.data for v in inputs]
    try:
        for v, x in zip(inputs, args):
            v.data = x
        with enable_grad(), recording_guards() as guards:  # compile() inside no_grad still records
            output = f(*inputs)
    finally:
        for v, x in zip(inputs, saved):
            v.data = x
    extras = None
    if outputs:
        output, extras = output
        extras = list(extras)
    if isinstance(output, Value):
        order = topological_order(output)
    elif isinstance(output, (int, float)) and not isinstance(output, bool):
        output, order = float(output), []
    else:
        raise TypeError(f"compile: the function must return a Value (or a number), got {type(output).__name__}")
    roots = [output, *(extras or ()), *(x for g in guards for x in (g.left, g.right))]
    return Trace(inputs, order, forward_order(roots), output, guards, extras)


def forward_order(roots: Sequence[Any]) -> list[Value]:
    """Every node below `roots`, parents first, each node's operands in operand order.

    For code written as expressions this is the order the nodes were made in (Python
    evaluates the left operand first), so the program reads like the function. An explicit
    stack, no recursion: a chain of 10^5 ops is as easy as a short one.
    """
    seen: set[Value] = set()
    order: list[Value] = []
    for root in roots:
        if not isinstance(root, Value) or root in seen:
            continue
        stack: list[tuple[Value, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            stack.extend((p, False) for p in reversed(node.parents) if p not in seen)
    return order
