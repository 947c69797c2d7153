"""Reverse mode: walk the graph from the output back to the leaves, without recursion.

Backprop is dynamic programming. d out / d node is the sum, over the node's consumers, of
d out / d consumer * d consumer / d node. Visiting nodes in reverse topological order (every
consumer before the nodes it consumed) means each sum is complete when it is read, so every
intermediate gradient is computed exactly once and reused by all the paths through it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from typing import Any

from . import ops
from .mode import ANOMALY, enable_grad, get_mode
from .value import Number, Value, _as_float, operands_of


def _count_consumers(root: Value) -> dict[Value, int]:
    """For every node below `root`: how many edges of the graph lead out of it."""
    consumers: dict[Value, int] = {}
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent in consumers:
                consumers[parent] += 1
            else:
                consumers[parent] = 1
                stack.append(parent)
    return consumers


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents; `root` comes last."""
    consumers = _count_consumers(root)
    order, ready = [], [root]
    while ready:  # Kahn's algorithm, run from the output: a node is ready once its consumers are done
        node = ready.pop()
        order.append(node)
        for parent in node.parents:
            consumers[parent] -= 1
            if consumers[parent] == 0:
                ready.append(parent)
    order.reverse()
    return order


def _local_grads_as_values(node: Value) -> tuple:
    """Re-run the op's derivative rules on Values, so the derivative is a graph too."""
    op = ops.OPS[node.op]
    operands = operands_of(node)
    if op.nary:
        derivatives = op.derivatives(operands, node)
        return tuple(d for d, o in zip(derivatives, operands) if isinstance(o, Value))
    return tuple(rule(*operands, node) for rule, o in zip(op.derivatives, operands) if isinstance(o, Value))


def _sweep(root: Value, seed: Any, create_graph: bool) -> Iterator[tuple[Value, Any]]:
    """Yield (node, d root / d node) for every node below root, consumers first."""
    grads: dict[Value, Any] = {root: seed}
    check = get_mode() & ANOMALY
    for node in reversed(topological_order(root)):
        g = grads.pop(node)
        yield node, g
        local = _local_grads_as_values(node) if create_graph and node.parents else node.local_grads
        for parent, d in zip(node.parents, local):
            contribution = g * d
            if check and not math.isfinite(contribution):
                _report_anomaly(node, parent, g, d)
            if parent in grads:
                grads[parent] = grads[parent] + contribution
            else:
                grads[parent] = contribution


def _report_anomaly(node: Value, parent: Value, g: Any, d: Any) -> None:
    inputs = ", ".join(f"{p.data!r}" for p in node.parents)
    raise FloatingPointError(
        f"detect_anomaly: backward through {node.op}({inputs}) gave gradient "
        f"{float(g)!r} * local derivative {float(d)!r} = {float(g) * float(d)!r} for an operand"
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
    with enable_grad() if create_graph else nullcontext():
        for node, g in _sweep(root, seed, create_graph):
            if node.parents:
                node.grad = g  # interior: the gradient of this backward, as in PyTorch's retain_grad
            else:
                node.grad = node.grad + g  # leaves accumulate across calls, as in PyTorch


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
    wanted: dict[Value, list[int]] = {}
    for i, x in enumerate(inputs):
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs[{i}] must be a Value, got {type(x).__name__} {x!r}")
        wanted.setdefault(x, []).append(i)
    results: list[Any] = [0.0] * len(inputs)
    remaining = len(wanted)
    with enable_grad() if create_graph else nullcontext():
        for node, g in _sweep(output, _seed(1.0, create_graph), create_graph):
            if node in wanted:
                for i in wanted[node]:
                    results[i] = g
                remaining -= 1
                if remaining == 0:
                    break  # a node's gradient is final once it is yielded: stop early
    if create_graph:  # constants (and inputs the output ignores) become leaves: d/dx of them is 0
        results = [r if isinstance(r, Value) else Value(r) for r in results]
    return results
