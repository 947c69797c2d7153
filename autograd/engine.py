"""Reverse mode: walk the graph from the output back to the leaves, without recursion.

Backprop is dynamic programming. d out / d node is the sum, over the node's consumers, of
d out / d consumer * d consumer / d node. Visiting nodes in reverse topological order (every
consumer before the nodes it consumed) means each sum is complete when it is read, so every
intermediate gradient is computed exactly once and reused by all the paths through it.
"""

from __future__ import annotations

import builtins
import math
import threading
from collections.abc import Iterable
from contextlib import nullcontext
from itertools import chain, filterfalse
from typing import Any

from . import ops
from .mode import ANOMALY, enable_grad, get_mode, without_anomaly
from .value import Number, Value, _as_float, operands_of


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents; `root` comes last."""
    order: list[Value] = []
    seen: set[Value] = set()
    # A depth-first walk with an explicit stack instead of recursion. Going down, each node
    # that waits for a parent joins the current `run`: the nodes of a run wait each for the
    # next, so when the walk comes back up, the run is done and enters `order` reversed, in
    # one step. A node with several parents to visit ends its run: the run waits on the
    # stack, under the parents still to visit (Values).
    stack: list[Any] = []
    # Bound once: this loop runs once per node and edge. Parents are read from the node's
    # slots (see Value) rather than through `.parents`, which builds a tuple.
    push, push_all, emit, emit_all = stack.append, stack.extend, order.append, order.extend
    is_seen, all_seen = seen.__contains__, seen.issuperset
    shared = None  # the last tuple of parents found all seen
    node, run = root, []
    # Loops are `while True` with breaks: CPython 3.11 specializes bytecode only after 8
    # calls or 8 unconditional back jumps, and `while <test>:` jumps back conditionally,
    # so it would walk a deep graph unspecialized (about 1.5x slower) on the first calls.
    while True:
        while True:  # down, from `node`
            if node in seen:  # already visited, so already in order: a graph has no cycles
                break
            seen.add(node)
            parent1, parent2 = node._parent1, node._parent2
            if type(parent1) is tuple:  # an n-ary node: its parents are filtered in C
                # The neurons of a layer share their inputs' tuple (autograd.matvec): once
                # it is all seen, the next neurons need not look at it again.
                if all_seen(parent1) and (parent2 is None or parent2 is shared or all_seen(parent2)):
                    shared = parent2
                    emit(node)
                else:
                    run.append(node)
                    push(run)
                    run = []
                    push_all(filterfalse(is_seen, parent1))
                    if parent2 is not None:
                        push_all(filterfalse(is_seen, parent2))
                break
            if parent2 is None:
                if parent1 is None:  # a leaf
                    emit(node)
                    break
                run.append(node)
                node = parent1
            elif parent1 is None or parent1 in seen:  # f(2.0, x), or the first parent is done
                run.append(node)
                node = parent2
            else:  # two parents to visit: parent2 now, parent1 after it
                run.append(node)
                push(run)
                run = []
                push(parent1)
                node = parent2
        if len(run) == 1:  # up: the current run is done
            emit(run.pop())
        elif run:
            emit_all(reversed(run))
            run.clear()
        while True:
            if not stack:
                return order
            node = stack.pop()
            if type(node) is not list:
                break  # a Value to visit
            emit_all(reversed(node))  # a run whose other parents are done


def primitive_of(node: Value) -> ops.Primitive:
    """The op that made `node`, with its rule (a plain name is read as a built-in's, as a
    graph pickled by an older chaingrad holds)."""
    op = node.op
    if isinstance(op, ops.Primitive):
        return op
    if op in ops.OPS:
        return ops.OPS[op]
    raise TypeError(f"node {node!r} has op {op!r}, which is not a primitive: there is no rule to re-run")


def local_grads_as_values(node: Value) -> tuple:
    """The node's local derivatives re-computed by its rule on Values: graphs, not numbers."""
    op = primitive_of(node)
    operands = operands_of(node)
    # Anomalies are checked on the gradients that flow, not inside the rule, which also
    # computes derivatives for constant operands that nobody uses.
    with without_anomaly():
        _, derivatives = op.rule(*op.split(operands))
    if op.nary:  # one sequence of derivatives per sequence of operands
        derivatives = tuple(chain.from_iterable(derivatives))
    return tuple(d for d, o in zip(derivatives, operands) if isinstance(o, Value))


def times(g: Any, d: Any) -> Any:
    """g * d for the slow paths, where g may be a Value. Written d * g so that a Masked,
    Quotient or Divisor local derivative (see ops.py) applies itself to g even when g is a
    Value, whose own * would take it for a plain number."""
    return d * g


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


# backward() resets and accumulates `.grad` on nodes that graphs may share, so two threads
# sweeping at once would mix their sums. One sweep at a time makes concurrent calls give what
# the same calls give one after another. (grad() writes no node and needs no lock.)
_sweeping = threading.RLock()


def backward(root: Value, gradient: Number = 1.0, *, create_graph: bool = False) -> None:
    """Write d root / d node into `.grad` of every node below `root` (leaves accumulate)."""
    if not isinstance(root, Value):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__} {root!r}")
    seed = _seed(gradient, create_graph)
    with _sweeping:
        _backward(root, seed, create_graph)


def _backward(root: Value, seed: Any, create_graph: bool) -> None:
    order = topological_order(root)
    for node in order:
        if node._parent1 is not None or node._parent2 is not None:
            node.grad = 0.0  # interior nodes start over; leaves accumulate, as in PyTorch
    root.grad += seed
    if create_graph or get_mode() & ANOMALY:
        _checked_sweep(order, create_graph)
        return
    isfinite, total = math.isfinite, builtins.sum
    for node in reversed(order):  # consumers first: node.grad is complete when read
        g = node.grad
        parent1 = node._parent1
        if type(parent1) is tuple:  # an n-ary node: tuples of parents and their derivatives
            local1, parent2, local2 = node._local1, node._parent2, node._local2
            # A zero gradient adds nothing through finite derivatives, so a dead relu or a
            # satisfied hinge skips the whole sum below it. (0 * inf is nan: then we go on.)
            if g == 0.0 and isfinite(total(local1)) and (local2 is None or isfinite(total(local2))):
                continue
            for parent, local in zip(parent1, local1):
                parent.grad += g * local
            if parent2 is not None:
                for parent, local in zip(parent2, local2):
                    parent.grad += g * local
            continue
        # (A Masked or Quotient local derivative (see ops.py) does its own multiplication.)
        if parent1 is not None:
            parent1.grad += g * node._local1
        parent2 = node._parent2
        if parent2 is not None:
            parent2.grad += g * node._local2


def _checked_sweep(order: list[Value], create_graph: bool) -> None:
    """backward's sweep, with derivatives as graphs (create_graph) and anomaly checks."""
    check = get_mode() & ANOMALY
    with enable_grad() if create_graph else nullcontext():
        for node in reversed(order):
            parents = node.parents
            if parents:
                g = node.grad
                local = local_grads_as_values(node) if create_graph else node.local_grads
                for parent, d in zip(parents, local):
                    contribution = times(g, d)
                    if check and not math.isfinite(contribution):
                        _report_anomaly(node, g, d)
                    parent.grad += contribution


def grad(output: Value, inputs: Iterable[Value], *, create_graph: bool = False) -> list:
    """d output / d each input, leaving every `.grad` untouched.

    `inputs`: a Value or any iterable of Values (list, tuple, generator). With
    `create_graph=True` the results are Values that can be differentiated again. An input
    that `output` does not depend on gets 0.0.

    >>> x = Value(3.0); y = x ** 3
    >>> dy, = grad(y, [x], create_graph=True)    # 27.0, as a Value
    >>> grad(dy, [x])                            # [18.0]
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__} {output!r}")
    if isinstance(inputs, Value):
        inputs = [inputs]
    else:
        try:
            inputs = list(inputs)  # any iterable: a generator is read once, here
        except TypeError:
            raise TypeError(
                f"grad: inputs must be a Value or an iterable of Values, got {type(inputs).__name__} {inputs!r}"
            ) from None
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
            parents = node.parents
            local = local_grads_as_values(node) if create_graph and parents else node.local_grads
            for parent, d in zip(parents, local):
                contribution = times(g, d)
                if check and not math.isfinite(contribution):
                    _report_anomaly(node, g, d)
                grads[parent] = grads[parent] + contribution if parent in grads else contribution
    results = [found.get(x, 0.0) for x in inputs]
    if create_graph:  # constants (and inputs the output ignores) become leaves: d/dx of them is 0
        results = [r if isinstance(r, Value) else Value(r) for r in results]
    return results
