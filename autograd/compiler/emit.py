"""Writing a trace as a Python function: the forward pass, then the backward pass.

    def f(a, b):
        # forward: one line per op
        v1 = a * b
        v2 = tanh(a)
        v3 = v1 + v2
        out = relu(v3)
        # backward: g_x is d out / d x, summed over x's consumers, consumers first
        g_out = 1.0
        g_v3 = 0.0 if v3 <= 0.0 else g_out
        g_v1 = g_v3
        g_v2 = g_v3
        g_a = g_v2 * (1.0 - v2 * v2)
        g_a += g_v1 * b
        g_b = g_v1 * a
        return out, [g_a, g_b]

Each line is one flat statement, so Python compiles a graph of any size without recursing.
The backward pass visits nodes in exactly the order `backward()` does and adds the same
products in the same order, so the numbers agree with the engine's to the last bit.

Two dialects share this writer: "float" (the program above, for floats) and "numpy" (one
array per node: conditional expressions become `where`, guards become a mask `ok`, and
`+=` becomes `g = g + ...` so no array is changed in place under another name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .. import ops
from ..ops import Primitive
from ..value import Value, operands_of
from .rules import Local, float_namespace, identifier, taken_names, template
from .trace import Trace

# Built-in op names and helpers: what autograd.compiler.floats exports.
FLOAT_NAMES = set(float_namespace(list(ops.OPS.values())))

# n-ary ops skip their sum when their gradient is 0, as backward() does: nothing flows
# through finite derivatives (dot's derivatives are its operands: all finite when its
# value is finite). A dead relu then costs one comparison instead of a whole neuron.
_SKIP_TEST = {ops.sum: "{g} != 0.0", ops.mean: "{g} != 0.0", ops.dot: "{g} != 0.0 or not isfinite({out})"}


def _unique(base: str, used: set[str]) -> str:
    name, i = base, 2
    while name in used:
        name, i = f"{base}_{i}", i + 1
    used.add(name)
    return name


def _literal(x: float) -> str:
    return repr(float(x))


class Writer:
    """Names the nodes of one trace and writes its program in one dialect."""

    def __init__(self, trace: Trace, arg_names: Sequence[str]) -> None:
        self.trace = trace
        used = taken_names() | set(arg_names)
        self.text: dict[Value, str] = {}
        for value, name in zip(trace.inputs, arg_names):
            self.text[value] = name
        inputs = set(trace.inputs)
        unnamed = 0
        self.nodes: list[Value] = []  # the op nodes, parents first: one forward line each
        for node in trace.forward:
            if node in inputs:
                continue
            if node._parent1 is None and node._parent2 is None:  # a leaf made inside f: a constant
                self.text[node] = _literal(node.data)
                continue
            label = identifier(node.label) if node.label else ""
            if not label and node is trace.output:
                label = "out"
            if not label:
                unnamed += 1
                while f"v{unnamed}" in used:
                    unnamed += 1
                label = f"v{unnamed}"
            self.text[node] = _unique(label, used)
            self.nodes.append(node)
        self.grad_name: dict[Value, str] = {}
        for node in (*trace.inputs, *self.nodes):
            self.grad_name[node] = _unique("g_" + self.text[node], used)
        self.used_ops: list[Primitive] = list({node.op: None for node in self.nodes})

    def operand_text(self, x: Any) -> str:
        return self.text[x] if isinstance(x, Value) else _literal(x)

    def fields(self, node: Value) -> dict[str, str]:
        fields = {f"a{i}": self.operand_text(x) for i, x in enumerate(operands_of(node))}
        fields["out"] = self.text[node]
        return fields

    # -- the program ----------------------------------------------------------------------

    def source(self, name: str, dialect: str = "float") -> str:
        numpy = dialect == "numpy"
        trace = self.trace
        args = ", ".join(self.text[v] for v in trace.inputs)
        lines = [f"def {name}({args}):", "    # forward: one line per op"]
        if numpy:
            lines.append("    ok = True")
        guards_after = self._guard_positions()
        for guard_index in guards_after.get(-1, ()):
            lines.append(self._guard_line(guard_index, numpy))
        for position, node in enumerate(self.nodes):
            tpl = template(node.op, operands_of(node))
            form = tpl.numpy_forward if numpy else tpl.forward
            lines.append(f"    {self.text[node]} = {form.format(**self.fields(node))}")
            for guard_index in guards_after.get(position, ()):
                lines.append(self._guard_line(guard_index, numpy))
        out = trace.output
        result = self.operand_text(out) if isinstance(out, Value) else _literal(out)
        lines.extend(self._backward(numpy))
        grads = ", ".join(self._final_grad(v) for v in trace.inputs)
        tail = ", ok" if numpy else ""
        lines.append(f"    return {result}, [{grads}]{tail}")
        text = "\n".join(lines) + "\n"
        if numpy:
            return text
        # The float program imports the built-in names it calls, so it runs as printed.
        names = sorted(set(re.findall(r"[A-Za-z_]\w*", text)) & FLOAT_NAMES)
        return (f"from autograd.compiler.floats import {', '.join(names)}\n\n\n" if names else "") + text

    def _guard_positions(self) -> dict[int, list[int]]:
        """Each guard goes right after the line computing its last operand (-1: at the top)."""
        position = {node: i for i, node in enumerate(self.nodes)}
        after: dict[int, list[int]] = {}
        for k, guard in enumerate(self.trace.guards):
            at = max(position.get(x, -1) if isinstance(x, Value) else -1 for x in (guard.left, guard.right))
            after.setdefault(at, []).append(k)
        return after

    def _guard_line(self, k: int, numpy: bool) -> str:
        guard = self.trace.guards[k]
        test = f"{self.operand_text(guard.left)} {guard.op} {self.operand_text(guard.right)}"
        if numpy:
            return f"    ok = ok & ({test})" if guard.outcome else f"    ok = ok & ~({test})"
        check = f"    if {'not ' if guard.outcome else ''}{test}:  # the trace took {guard.outcome}"
        return f"{check}\n        raise GuardFailed({k})"

    def _final_grad(self, value: Value) -> str:
        return self.grad_name[value] if value in self.assigned else "0.0"

    def _backward(self, numpy: bool) -> list[str]:
        trace = self.trace
        self.assigned: set[Value] = set()
        out = trace.output
        if not isinstance(out, Value) or out not in self.grad_name:
            return []  # a constant output: every gradient is 0
        inputs = set(trace.inputs)
        needs = set(inputs)  # nodes with an input below them: only they need a gradient
        for node in self.nodes:
            if any(isinstance(p, Value) and p in needs for p in node.parents):
                needs.add(node)
        lines = ["    # backward: g_x = d(output)/dx, summed over the consumers of x, consumers first"]
        lines.append(f"    {self.grad_name[out]} = 1.0")
        self.assigned.add(out)
        for node in reversed(trace.order):
            if node in inputs or node not in needs or node not in self.grad_name:
                continue
            operands = operands_of(node)
            tpl = template(node.op, operands)
            g = self.grad_name[node]
            if node not in self.assigned:  # every contribution to it was masked: it is 0
                lines.append(f"    {g} = 0.0")
                self.assigned.add(node)
            fields = self.fields(node)
            body: list[str] = []
            first_inside: list[str] = []
            skip_test = None if numpy else _SKIP_TEST.get(node.op)
            for x, local in zip(operands, tpl.locals):
                if not isinstance(x, Value) or x not in needs or local.kind == "skip":
                    continue
                target = self.grad_name[x]
                first = x not in self.assigned
                if first:
                    self.assigned.add(x)
                    if skip_test:
                        first_inside.append(target)
                body.append(self._contribution(target, g, local, fields, first, numpy))
            if skip_test and body:
                lines.append(f"    if {skip_test.format(g=g, out=fields['out'])}:")
                lines.extend("    " + line for line in body)
                if first_inside:
                    lines.append("    else:")
                    lines.append(f"        {' = '.join(first_inside)} = 0.0")
            else:
                lines.extend(body)
        return lines

    @staticmethod
    def _contribution(target: str, g: str, local: Local, fields: dict, first: bool, numpy: bool) -> str:
        expr = (local.numpy_expr or local.expr) if numpy else local.expr
        factor = expr.format(**fields)
        flow = g if factor == "1.0" else f"{g} * {factor}"
        if local.kind == "masked":
            cond = (local.numpy_cond if numpy else local.cond).format(**fields)
            flow = f"where({cond}, 0.0, {flow})" if numpy else f"0.0 if {cond} else {flow}"
        if first:
            return f"    {target} = {flow}"
        return f"    {target} = {target} + {flow}" if numpy else f"    {target} += {flow}"
