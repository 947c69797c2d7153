"""Writing a trace as a Python function: the forward pass, then the backward pass.

    from autograd.compiler.floats import tanh


    def f(a, b):
        # forward: one line per op
        v1 = a * b
        v2 = tanh(a)
        v3 = v1 + v2
        out = 0.0 if v3 < 0.0 else v3  # relu
        # backward: g_x = dout/dx, summed over the consumers of x, consumers first
        g_out = 1.0
        g_v3 = 0.0 if v3 <= 0.0 else g_out * 1.0
        g_v1 = g_v3 * 1.0
        g_v2 = g_v3 * 1.0
        g_a = g_v1 * b
        g_b = g_v1 * a
        g_a += g_v2 * (1.0 - v2 * v2)
        return out, [g_a, g_b]

Each line is one flat statement, so Python compiles a graph of any size without recursing.
The backward pass visits nodes in exactly the order `backward()` does and adds the same
products in the same order, so the numbers agree with the engine's to the last bit.

Three dialects share this writer: "float" (the program above), "safe" (the same with dot
products through ops.dot_value, for the rare call where math.fsum raises) and "numpy" (one
array per node: conditional expressions become `where`, guards become a mask `ok`, and
`+=` becomes `g = g + ...` so no array is changed in place under another name). The float
program also comes as a loop over rows with shared parameters (`loop_source`), and the
NumPy one with a layer's dots as a matrix product (layers.py): how `nn` trains on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .. import ops
from ..engine import primitive_of
from ..ops import Primitive
from ..value import Value, operands_of
from .rules import Local, float_namespace, identifier, taken_names, template, tuple_text, unique_name
from .trace import Trace

# Built-in op names and helpers: what autograd.compiler.floats exports.
FLOAT_NAMES = set(float_namespace(list(ops.OPS.values())))

# n-ary ops skip their sum when their gradient is 0, as backward() does: nothing flows
# through finite derivatives (dot's derivatives are its operands: all finite when its
# value is finite). A dead relu then costs one comparison instead of a whole neuron.
# `h - h != 0.0` is `not isfinite(h)` (inf - inf and nan - nan are nan) without a call:
# a dead neuron's test is 7% of micrograd's moons step.
_SKIP_TEST = {id(ops.sum): "{g} != 0.0", id(ops.mean): "{g} != 0.0", id(ops.dot): "{g} != 0.0 or {out} - {out} != 0.0"}


# Longer sums stay calls: a + b + c + ... nests one level per term in Python's parser.
INLINE_SUM = 256  # Python compiles a 1,000-term sum; 5,000 hit its recursion limit


def _literal(x: float) -> str:
    return repr(float(x))


class Writer:
    """Names the nodes of one trace and writes its program in one dialect."""

    def __init__(self, trace: Trace, arg_names: Sequence[str], exact: bool = True) -> None:
        self.trace = trace
        self.exact = exact
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
            if not node.parents:  # a leaf made inside f (or under no_grad): a constant
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
            self.text[node] = unique_name(label, used)
            self.nodes.append(node)
        self.grad_name: dict[Value, str] = {}
        for node in (*trace.inputs, *self.nodes):
            self.grad_name[node] = unique_name("g_" + self.text[node], used)
        # Each node's op with its rule (engine.primitive_of: an old pickle may hold a plain name).
        self.op: dict[Value, Primitive] = {node: primitive_of(node) for node in self.nodes}
        self.used_ops: list[Primitive] = list({id(op): op for op in self.op.values()}.values())
        self.used = used
        # Set by numpy_rows_source (see layers.py): lines that replace a node's own lines.
        self.fused_forward: dict[Value, str | None] = {}
        self.fused_backward: dict[Value, Any] = {}
        self.reduced: set[Value] = set()  # gradients summed over the rows as they are added to
        self.wanted: set[Value] | None = None  # inputs whose gradients are returned (None: all)
        self._templates: dict[Value, Any] = {}
        self._fields: dict[Value, dict[str, str]] = {}

    def check_ops(self) -> None:
        """Derive every node's template (rules.template): raises for an op it cannot write."""
        for node in self.nodes:
            self.template(node)

    def template(self, node: Value) -> Any:
        """The node's template, looked up once per node (forward and backward both need it)."""
        found = self._templates.get(node)
        if found is None:
            found = self._templates[node] = template(self.op[node], operands_of(node))
        return found

    def operand_text(self, x: Any) -> str:
        return self.text[x] if isinstance(x, Value) else _literal(x)

    def fields(self, node: Value) -> dict[str, str]:
        """What a template's fields stand for at this node: {a0}, {a1}, ... and {out}."""
        fields = self._fields.get(node)
        if fields is None:
            fields = {f"a{i}": self.operand_text(x) for i, x in enumerate(operands_of(node))}
            fields["out"] = self.text[node]
            self._fields[node] = fields
        return fields

    # -- the program ----------------------------------------------------------------------

    def source(self, name: str, dialect: str = "float") -> str:
        """The program: f's arguments in, (value, [gradient per argument]) out."""
        numpy = dialect == "numpy"
        self.dialect = dialect
        trace = self.trace
        args = ", ".join(self.text[v] for v in trace.inputs)
        lines = [f"def {name}({args}):", "    # forward: one line per op"]
        if numpy:
            lines.append("    ok = True")
        lines += self._body("raise" if not numpy else "mask", set())
        grads = ", ".join(self._final_grad(v) for v in trace.inputs)
        tail = (f", {self.extras_text()}" if trace.extras is not None else "") + (", ok" if numpy else "")
        lines.append(f"    return {self._result()}, [{grads}]{tail}")
        return self._with_imports("\n".join(lines) + "\n", numpy)

    def loop_source(self, name: str, shared: Sequence[bool], dialect: str = "float") -> str:
        """The same program in a loop over rows, for floats: the arguments marked `shared`
        (a model's parameters) are passed once, the others come row by row, and the
        gradients of the shared ones are summed over the rows as the backward pass goes.

        Returns (values, [summed gradient per shared argument], [outputs per row], failed):
        `failed` lists the rows whose branches differ from the trace (nothing of them is
        summed); the caller runs those on their own.
        """
        self.dialect = dialect
        trace = self.trace
        shared_inputs = [v for v, s in zip(trace.inputs, shared) if s]
        row_inputs = [v for v, s in zip(trace.inputs, shared) if not s]
        lines = [f"def {name}({', '.join([*(self.text[v] for v in shared_inputs), 'rows'])}):"]
        lines.append("    values, outputs, failed = [], [], []")
        if shared_inputs:
            lines.append(f"    {' = '.join(self.grad_name[v] for v in shared_inputs)} = 0.0")
        unpack = ", ".join(self.text[v] for v in row_inputs) + ("," if len(row_inputs) == 1 else "")
        lines.append(f"    for i, ({unpack}) in enumerate(rows):")
        self.wanted = set(shared_inputs)
        body = self._body("skip", set(shared_inputs))
        self.wanted = None
        body.append(f"    values.append({self._result()})")
        if trace.extras is not None:
            body.append(f"    outputs.append({self.extras_text()})")
        lines += ["    " + line for line in "\n".join(body).split("\n")]  # guards take 3 lines
        grads = ", ".join(self._final_grad(v) for v in shared_inputs)
        lines.append(f"    return values, [{grads}], outputs, failed")
        return self._with_imports("\n".join(lines) + "\n", False)

    def extras_text(self) -> str:
        """`[x, y]`: the values of the other outputs (outputs=True), as the program returns them."""
        return f"[{', '.join(self.operand_text(x) for x in self.trace.extras)}]"

    def _result(self) -> str:
        out = self.trace.output
        return self.operand_text(out) if isinstance(out, Value) else _literal(out)

    @staticmethod
    def _with_imports(text: str, numpy: bool) -> str:
        if numpy:
            return text
        # The float program imports the built-in names it calls, so it runs as printed.
        code = re.sub(r"#.*", "", text)  # not the names in comments (`# relu`)
        names = sorted(set(re.findall(r"[A-Za-z_]\w*", code)) & FLOAT_NAMES)
        return (f"from autograd.compiler.floats import {', '.join(names)}\n\n\n" if names else "") + text

    def _body(self, on_guard: str, preassigned: set) -> list[str]:
        """Forward lines (with the guards where the trace met them), then backward lines."""
        lines: list[str] = []
        guards_after = self._guard_positions()
        for guard_index in guards_after.get(-1, ()):
            lines.append(self._guard_line(guard_index, on_guard))
        for position, node in enumerate(self.nodes):
            if node in self.fused_forward:
                fused = self.fused_forward[node]
                if fused:
                    lines.append(fused)
            else:
                lines.append(f"    {self.text[node]} = {self._forward(node)}")
            for guard_index in guards_after.get(position, ()):
                lines.append(self._guard_line(guard_index, on_guard))
        lines.extend(self._backward(preassigned))
        return lines

    def _forward(self, node: Value) -> str:
        """The right-hand side of a node's forward line, in the current dialect."""
        operands = operands_of(node)
        if self.dialect != "numpy" and self.op[node] is ops.relu:  # ops.f_relu, written out: no call
            x = self.operand_text(operands[0])
            return f"0.0 if {x} < 0.0 else {x}  # relu"
        if self.dialect == "float" and self.op[node] is ops.dot:
            n = len(operands) // 2
            terms = [self._product(w, x) for w, x in zip(operands[:n], operands[n:])]
            if not self.exact and n <= INLINE_SUM:
                # exact=False: w0 * x0 + w1 * x1 + ..., added left to right as hand-written
                # floats do (no function call at all); it differs from math.fsum in the last bits.
                return " + ".join(terms)
            # ops.dot_value is fsum of the products: the same, without building two tuples
            # and calling it (a neuron's dot is most of a network's forward pass). fsum
            # raises where IEEE sums give inf or nan; the program is then run again in the
            # "safe" dialect, which calls dot().
            return f"fsum({tuple_text(terms)})"
        tpl = self.template(node)
        form = tpl.numpy_forward if self.dialect == "numpy" else tpl.forward
        return form.format(**self.fields(node))

    def _product(self, w: Any, x: Any) -> str:
        if not isinstance(x, Value) and x == 1.0:  # the bias's input: w * 1.0 is w exactly
            return self.operand_text(w)
        if not isinstance(w, Value) and w == 1.0:
            return self.operand_text(x)
        return f"{self.operand_text(w)} * {self.operand_text(x)}"

    def _guard_positions(self) -> dict[int, list[int]]:
        """Each guard goes right after the line computing its last operand (-1: at the top)."""
        position = {node: i for i, node in enumerate(self.nodes)}
        after: dict[int, list[int]] = {}
        for k, guard in enumerate(self.trace.guards):
            at = max(position.get(x, -1) if isinstance(x, Value) else -1 for x in (guard.left, guard.right))
            after.setdefault(at, []).append(k)
        return after

    def guard_test(self, k: int) -> str:
        """Guard k's comparison as program text: `v3 < 0.0`."""
        guard = self.trace.guards[k]
        return f"{self.operand_text(guard.left)} {guard.op} {self.operand_text(guard.right)}"

    def _guard_line(self, k: int, on_guard: str) -> str:
        guard = self.trace.guards[k]
        test = self.guard_test(k)
        if on_guard == "mask":
            return f"    ok = ok & ({test})" if guard.outcome else f"    ok = ok & ~({test})"
        check = f"    if {'not ' if guard.outcome else ''}{test}:  # the trace took {guard.outcome}"
        if on_guard == "skip":
            return f"{check}\n        failed.append(i)\n        continue"
        return f"{check}\n        raise GuardFailed({k})"

    def _final_grad(self, value: Value) -> str:
        return self.grad_name[value] if value in self.assigned else "0.0"

    def _backward(self, preassigned: set) -> list[str]:
        trace = self.trace
        numpy = self.dialect == "numpy"
        self.assigned: set[Value] = set(preassigned)
        out = trace.output
        if not isinstance(out, Value) or out not in self.grad_name:
            return []  # a constant output: every gradient is 0
        inputs = set(trace.inputs)
        # Nodes with a wanted input below them: only they need a gradient. (In a loop over
        # rows only the shared inputs' gradients are returned: a row's own are not computed.)
        needs = set(inputs if self.wanted is None else self.wanted)
        for node in self.nodes:
            if any(isinstance(p, Value) and p in needs for p in node.parents):
                needs.add(node)
        root = self.text[out]
        lines = [f"    # backward: g_x = d{root}/dx, summed over the consumers of x, consumers first"]
        if any(id(self.op[node]) in _SKIP_TEST for node in self.nodes) and not numpy:
            lines.append("    # (a sum whose gradient is 0 passes nothing on, unless it is inf or nan: h - h != 0.0)")
        lines.append(f"    {self.grad_name[out]} {'+=' if out in self.assigned else '='} 1.0")
        self.assigned.add(out)
        self.needs = needs
        for node in reversed(trace.order):
            if node in inputs or node not in needs or node not in self.grad_name:
                continue
            if node in self.fused_backward:
                fused = self.fused_backward[node]
                if fused is not None:
                    lines.extend(fused())
                continue
            operands = operands_of(node)
            tpl = self.template(node)
            g = self.grad_name[node]
            if node not in self.assigned:  # every contribution to it was masked: it is 0
                lines.append(f"    {g} = 0.0")
                self.assigned.add(node)
            fields = self.fields(node)
            body: list[str] = []
            first_inside: list[str] = []
            skip_test = None if numpy else _SKIP_TEST.get(id(self.op[node]))
            elide = numpy or self.wanted is not None
            for x, local in zip(operands, tpl.locals):
                if not isinstance(x, Value) or x not in needs or local.kind == "skip":
                    continue
                target = self.grad_name[x]
                first = x not in self.assigned
                if first:
                    self.assigned.add(x)
                    if skip_test:
                        first_inside.append(target)
                body.append(self._contribution(target, g, local, fields, first, numpy, x in self.reduced, elide))
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
    def _contribution(
        target: str, g: str, local: Local, fields: dict, first: bool, numpy: bool, reduced: bool, elide: bool
    ) -> str:
        expr = (local.numpy_expr or local.expr) if numpy else local.expr
        factor = expr.format(**fields)
        # `g_e = g_d * 1.0` shows the rule (d(e + c)/de = 1) in the program one reads; the
        # loops that train (and arrays) skip the product, which changes nothing: g * 1.0 is g.
        if numpy and local.kind == "divided":
            flow = f"{g} / {factor}"
        else:
            flow = g if factor == "1.0" and elide else f"{g} * {factor}"
        if local.kind == "masked":
            cond = (local.numpy_cond if numpy else local.cond).format(**fields)
            flow = f"where({cond}, 0.0, {flow})" if numpy else f"0.0 if {cond} else {flow}"
        if reduced:
            flow = f"rowsum({flow}, ok, n)"
        if first:
            return f"    {target} = {flow}"
        return f"    {target} = {target} + {flow}" if numpy else f"    {target} += {flow}"
