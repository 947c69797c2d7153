"""Reverse mode: walk the graph from the output back to the leaves, without recursion.

Backprop is dynamic programming. d out / d node is the sum, over the node's consumers, of
d out / d consumer * d consumer / d node. Visiting nodes in reverse topological order (every
consumer before the nodes it consumed) means each sum is complete when it is read, so every
intermediate gradient is computed exactly once and reused by all the paths through it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from . import ops
from .mode import ANOMALY, enable_grad, get_mode, without_anomaly
from .value import Number, Value, _as_float, operands_of


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents; `root` comes last."""
    order: list[Value] = []
    seen: set[Value] = set()
    stack: list[Value | None] = [root]
    pop, push = stack.pop, stack.append  # bound once: this loop runs once per node and edge
    while stack:  # depth-first, with an explicit stack instead of recursion
        node = pop()
        if node is None:  # the marker: everything pushed after it (the parents) is done
            order.append(pop())  # type: ignore[arg-type]
        elif node not in seen:
            seen.add(node)
            push(node)
            push(None)
            for parent in node.parents:
                if parent not in seen:
                    push(parent)
    return order


def local_grads_as_values(node: Value) -> tuple:
    """The node's local derivatives re-computed by its rule on Values: graphs, not numbers."""
    op = ops.OPS[node.op]
    operands = operands_of(node)
    # Anomalies are checked on the gradients that flow, not inside the rule, which also
    # computes derivatives for constant operands that nobody uses.
    with without_anomaly():
        _, derivatives = op.rule(operands) if op.nary else op.rule(*operands)
    return tuple(d for d, o in zip(derivatives, operands) if isinstance(o, Value))


def _report_anomaly(node: Value, g: Any, d: Any) -> None:
    inputs = ", ".join(repr(p.data) for p in node.parents)
    raise FloatingPointError(
        f"detect_anomaly: backward through {node.op}({inputs}): gradient {float(g)!r} "
        f"* local derivative {float(d)!r} = {float(g) * float(d)!r}"
    )


def _seed(gradient: Any, create_graph: bool) -> Any:
    if isinstance(gradient, Value):
        return gradient if create_graph else gradient.data
    return _as_float(gradient, "backward(gradient=...)")


def backward(root: Value, gradient: Number = 1.0, *, create_graph: bool = False) -> None:
    """Write d root / d node into `.grad` of every node below `root` (leaves accumulate)."""
    if not isinstance(root, Value):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__} {root!r}")
    seed = _seed(gradient, create_graph)
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = 0.0  # interior nodes start over; leaves accumulate, as in PyTorch
    root.grad += seed
    if create_graph or get_mode() & ANOMALY:
        _checked_sweep(order, create_graph)
        return
    for node in reversed(order):  # consumers first: node.grad is complete when read
        parents = node.parents
        if parents:
            g = node.grad
            local = node.local_grads
            # Indexing rather than zip(): this loop is half of backward's time, and most
            # nodes have one or two parents.
            parents[0].grad += g * local[0]
            if len(parents) > 1:
                for i in range(1, len(parents)):
                    parents[i].grad += g * local[i]


def _checked_sweep(order: list[Value], create_graph: bool) -> None:
    """backward's sweep, with derivatives as graphs (create_graph) and anomaly checks."""
    check = get_mode() & ANOMALY
    with enable_grad() if create_graph else nullcontext():
        for node in reversed(order):
            if node.parents:
                g = node.grad
                local = local_grads_as_values(node) if create_graph else node.local_grads
                for parent, d in zip(node.parents, local):
                    if check and not math.isfinite(g * d):
                        _report_anomaly(node, g, d)
                    parent.grad += g * d


def grad(output: Value, inputs: Sequence[Value], *, create_graph: bool = False) -> list:
    """d output / d each input, leaving every `.grad` untouched.

    With `create_graph=True` the results are Values that can be differentiated again.
    An input that `output` does not depend on gets 0.0.

    >>> x = Value(3.0); y = x ** 3
    >>> dy, = grad(y, [x], create_graph=True)    # 27.0, as a Value
    >>> grad(dy, [x])                            # [18.0]
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__} {output!r}")
    if isinstance(inputs, Value):
        inputs = [inputs]
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__} {x!r}")
    wanted = set(inputs)
    found: dict[Value, Any] = {}
    grads: dict[Value, Any] = {output: _seed(1.0, create_graph)}
    check = get_mode() & ANOMALY
    with enable_grad() if create_graph else nullcontext():
        for node in reversed(topological_order(output)):
            g = grads.pop(node)
            if node in wanted:
                found[node] = g
                if len(found) == len(wanted):
                    break  # a gradient is final once its node is reached: stop early
            local = local_grads_as_values(node) if create_graph and node.parents else node.local_grads
            for parent, d in zip(node.parents, local):
                if check and not math.isfinite(g * d):
                    _report_anomaly(node, g, d)
                grads[parent] = grads[parent] + g * d if parent in grads else g * d
    results = [found.get(x, 0.0) for x in inputs]
    if create_graph:  # constants (and inputs the output ignores) become leaves: d/dx of them is 0
        results = [r if isinstance(r, Value) else Value(r) for r in results]
    return results
