"""The NumPy program over rows, with a model's parameters shared: layers as matrix products.

`Program.run_rows(shared, rows, numpy=True)` runs a program on a batch: its first
arguments (a model's parameters) are the same floats for every row, the others are one
array per input. Written one array per node, a layer of 16 neurons reading 17 inputs is
272 products of arrays; NumPy's cost per call (about a microsecond) then dominates. So here
the dot nodes that read the same inputs with shared weights (a layer: autograd.matvec) are
computed together, as rows of one matrix product, and their backward pass as two more:

    v1, v2, ..., v16 = layer(W_1, (x0, x1, 1.0), n)       # W_1 @ X: one row per neuron
    dW_1, dX_1 = layer_grad(W_1, (x0, x1, 1.0), (g_v1, ..., g_v16), ok, n)
    (g_w00, g_w01, g_b0), (g_w10, ...), ... = dW_1          # summed over the rows already

Every node still has its array; only the arithmetic is grouped. Gradients of the shared
arguments are summed over the rows as they are added (`rowsum`), leaving out rows whose
branches (guards) differ from the trace.
"""

from __future__ import annotations

from .. import ops
from ..value import Value, operands_of
from .emit import Writer
from .rules import tuple_text, unique_name


def numpy_rows_source(writer: Writer, name: str, n_shared: int) -> str:
    """The program's NumPy version with its first `n_shared` arguments shared by all rows.

    Returns (value per row, [gradient per shared argument, summed over rows], [outputs], ok).
    """
    trace = writer.trace
    shared = trace.inputs[:n_shared]
    shared_set = set(shared)
    writer.dialect = "numpy"
    writer.reduced = set(shared)
    writer.fused_forward, writer.fused_backward = {}, {}
    _fuse_layers(writer, shared_set)
    args = [writer.text[v] for v in trace.inputs] + ["n"]
    lines = [f"def {name}({', '.join(args)}):", "    ok = True"]
    writer.wanted = set(shared)
    lines += writer._body("mask", set())
    writer.wanted = None
    grads = ", ".join(writer._final_grad(v) for v in shared)
    extras = f", {writer.extras_text()}" if trace.extras is not None else ""
    lines.append(f"    return {writer._result()}, [{grads}]{extras}, ok")
    writer.fused_forward, writer.fused_backward, writer.reduced = {}, {}, set()
    return "\n".join(lines) + "\n"


def _fuse_layers(writer: Writer, shared: set) -> None:
    """Group the dot nodes whose weights are shared (or constants) by the inputs they read."""
    groups: dict[tuple, list[Value]] = {}
    for node in writer.nodes:
        if writer.op[node] is not ops.dot:
            continue
        operands = operands_of(node)
        k = len(operands) // 2
        weights, inputs = operands[:k], operands[k:]
        if any(isinstance(w, Value) and w not in shared for w in weights):
            continue
        key = tuple(("v", id(x)) if isinstance(x, Value) else ("c", x) for x in inputs)
        groups.setdefault(key, []).append(node)
    for number, members in enumerate(groups.values(), 1):
        _fuse(writer, members, number)


def _fuse(writer: Writer, members: list[Value], number: int) -> None:
    text = writer.operand_text
    operands = operands_of(members[0])
    k = len(operands) // 2
    inputs = operands[k:]
    W = unique_name(f"W_{number}", writer.used)
    dW, dX = unique_name(f"dW_{number}", writer.used), unique_name(f"dX_{number}", writer.used)
    rows = tuple_text([tuple_text([text(w) for w in operands_of(m)[:k]]) for m in members])
    xs = tuple_text([text(x) for x in inputs])
    names = ", ".join(writer.text[m] for m in members) + ("," if len(members) == 1 else "")
    writer.fused_forward[members[0]] = f"    {W} = {rows}\n    {names} = layer({W}, {xs}, n)"
    for m in members[1:]:
        writer.fused_forward[m] = None

    def backward() -> list[str]:
        needs, assigned = writer.needs, writer.assigned
        grads = tuple_text([writer._final_grad(m) for m in members])
        lines = [f"    {dW}, {dX} = layer_grad({W}, {xs}, {grads}, ok, n)"]
        weights = [w for m in members for w in operands_of(m)[:k]]
        fresh = all(isinstance(w, Value) and w in needs and w not in assigned for w in weights)
        if fresh and len(set(weights)) == len(weights):
            # The usual case, each weight read once: one unpacking, (g_w00, ...), ... = dW
            rows = [tuple_text([writer.grad_name[w] for w in operands_of(m)[:k]]) for m in members]
            lines.append(f"    {', '.join(rows)}{',' if len(rows) == 1 else ''} = {dW}")
            assigned.update(weights)
        else:
            for j, m in enumerate(members):
                for i, w in enumerate(operands_of(m)[:k]):
                    if isinstance(w, Value) and w in needs:
                        lines.append(_add(writer, w, f"{dW}[{j}][{i}]"))
        for i, x in enumerate(inputs):
            if isinstance(x, Value) and x in needs:
                flow = f"rowsum({dX}[{i}], ok, n)" if x in writer.reduced else f"{dX}[{i}]"
                lines.append(_add(writer, x, flow))
        return lines

    # The group's backward goes where its first-made member's would: by then every member's
    # gradient is complete (each member's consumers come before it, in reverse order).
    for m in members:
        writer.fused_backward[m] = None
    first_in_backward = min(members, key={node: i for i, node in enumerate(writer.trace.order)}.__getitem__)
    writer.fused_backward[first_in_backward] = backward


def _add(writer: Writer, target: Value, flow: str) -> str:
    name = writer.grad_name[target]
    if target in writer.assigned:
        return f"    {name} = {name} + {flow}"
    writer.assigned.add(target)
    return f"    {name} = {flow}"
