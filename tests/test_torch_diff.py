"""A differential test against PyTorch float64 on random expression graphs.

Hypothesis draws small programs: 1-3 leaves whose values include the float64 edge cases
(0, -0.0, subnormals, +-1e300, +-inf, nan), then up to 8 ops, each of every kind chaingrad
has (+ - * / ** neg exp log sqrt tanh sigmoid relu abs sin cos sum mean dot), whose operands
are any earlier node (so subexpressions are shared) or a plain number. The same program runs
in chaingrad and in torch; values of every node, first derivatives of the root (backward() and
grad()) and second derivatives (create_graph) must agree.

How the comparison works, and every exclusion (each is also listed in the README):

1. The whole graph is compared first, to 1e-7 relative.
2. Where the whole graph differs, the difference must come from rounding (or an overflow
   point) that the graph amplified, never from an op: then EVERY node is checked on its own
   against torch, given chaingrad's own operand values and its incoming gradient: value,
   the gradient it passes to each operand (where masks, inf and nan show), and its second
   derivatives, to 1e-9 relative. Graph-level differences of this kind are excluded:
   - SUM_IS_CORRECTLY_ROUNDED: sum, mean and dot add with math.fsum (exact, then rounded
     once); torch adds in its own order, so under cancellation the two differ (1e300 + 1 -
     1e300 is 1 here, 0 in torch). At node level their values must agree within the error
     bound of a float64 sum (4 ulp of the sum of |terms|).
   - SIGMOID_KEEPS_SUBNORMALS: sigmoid(-740) is 4e-322 here, 0 in torch (which computes
     1 / (1 + exp(740))); node level agrees to 1e-300 absolute.
   - ROUNDING_ORDER: the same math rounded, or built, another way. A node's gradient sums
     its consumers' contributions in reverse topological order, torch in its own; where
     torch divides a gradient (log', sqrt', d(x/y)/dx: g / x) chaingrad multiplies by the
     recorded 1/x (it divides too where 1/x alone would overflow or lose digits); torch's
     second-order graphs come from other formulas (x/x: torch adds g/y and -g*((x/y)/y),
     chaingrad g*(1/y) and g*(-(1/y))), so a product 0 * inf = nan in one engine's graph
     may have no counterpart in the other's. Near 0 (a true second derivative 0 comes out
     as 1e-16 in one engine) or past an overflow, such differences show at graph level,
     never in a single node.
   - WHERE_NAN_IN_TORCH: second derivatives of x ** y at y == 0 or x == 0 <= y: torch's mask
     is a `where` whose other branch, differentiated, gives 0 * inf = nan; chaingrad's mask is
     a constant, so its derivatives are 0 (see where_nan_in_torch).
3. NUMBER_OVER_TENSOR: plain numbers are given to torch as float64 tensors: torch computes
   `number / tensor` as reciprocal(tensor) * number (two roundings: 1e-300 / x at 1e-310 is
   inf there), chaingrad always divides once, as torch does for two tensors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, grad
from autograd.engine import times
from autograd.value import operands_of

EDGES = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-310, 1e300, -1e300]
EDGES += [math.inf, -math.inf, math.nan, 1.0, -1.0, 0.5, 2.0, -2.5, 3.0]
UNARY = ["neg", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "sin", "cos"]
BINARY = ["add", "sub", "mul", "div", "pow"]
NARY = ["sum", "mean", "dot"]

numbers = st.one_of(st.sampled_from(EDGES), st.floats(-4.0, 4.0))


@dataclass(frozen=True)
class Program:
    leaves: list[float]
    steps: list[tuple[str, list]]  # (op, operands): an operand is ("node", i) or ("number", x)

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        lines = [f"leaves {self.leaves}"]
        lines += [f"n{i + len(self.leaves)} = {op}{operands}" for i, (op, operands) in enumerate(self.steps)]
        return "\n".join(lines)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    leaves = draw(st.lists(numbers, min_size=1, max_size=3))
    steps: list[tuple[str, list]] = []
    for _ in range(draw(st.integers(1, 8))):
        size = len(leaves) + len(steps)
        node = st.integers(0, size - 1).map(lambda i: ("node", i))
        operand = st.one_of(node, node, node, numbers.map(lambda x: ("number", x)))
        op = draw(st.sampled_from(UNARY + BINARY + NARY))
        if op in UNARY:
            operands = [draw(node)]
        elif op in BINARY:
            operands = draw(st.lists(operand, min_size=2, max_size=2))
        else:
            n = draw(st.integers(1, 3))
            operands = draw(
                st.lists(operand, min_size=2 * n if op == "dot" else n, max_size=2 * n if op == "dot" else n)
            )
        if all(kind == "number" for kind, _ in operands):
            operands[0] = draw(node)  # at least one node, so the result is part of the graph
        steps.append((op, operands))
    return Program(leaves, steps)


def apply_ours(op: str, args: list):
    if op in UNARY:
        return -args[0] if op == "neg" else abs(args[0]) if op == "abs" else getattr(args[0], op)()
    if op in BINARY:
        a, b = args
        return {"add": lambda: a + b, "sub": lambda: a - b, "mul": lambda: a * b, "div": lambda: a / b}.get(
            op, lambda: a**b
        )()
    if op == "dot":
        return autograd.dot(args[: len(args) // 2], args[len(args) // 2 :])
    return getattr(autograd, op)(args)


def apply_torch(op: str, args: list) -> torch.Tensor:
    if op in UNARY:
        return -args[0] if op == "neg" else getattr(torch, op)(args[0])
    if op in BINARY:
        a, b = args
        return {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div, "pow": torch.pow}[op](a, b)
    if op == "dot":
        n = len(args) // 2
        return torch.dot(torch.stack(args[:n]), torch.stack(args[n:]))
    return getattr(torch, op)(torch.stack(args))


def tensor(x: float, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=requires_grad)


def run(program: Program) -> tuple[list[Value], list[Value], list[torch.Tensor], list[torch.Tensor], list]:
    """Both engines' nodes (leaves first), their leaves, and each step's operand numbers."""
    ours = [Value(x) for x in program.leaves]
    theirs = [tensor(x, requires_grad=True) for x in program.leaves]
    for op, operands in program.steps:
        ours.append(apply_ours(op, [ours[i] if kind == "node" else i for kind, i in operands]))
        theirs.append(apply_torch(op, [theirs[i] if kind == "node" else tensor(i) for kind, i in operands]))
    n = len(program.leaves)
    return ours, ours[:n], theirs, theirs[:n], program.steps


def close(ours: float, theirs: float, rel: float, abs_tol: float) -> bool:
    ours, theirs = float(ours), float(theirs)
    if math.isnan(ours) or math.isnan(theirs):
        return math.isnan(ours) and math.isnan(theirs)
    if math.isinf(ours) or math.isinf(theirs):
        return ours == theirs
    return abs(ours - theirs) <= abs_tol + rel * abs(theirs)


def torch_grads(out: torch.Tensor, inputs: list[torch.Tensor], create_graph: bool = False, seed=None) -> list:
    if not out.requires_grad:
        return [tensor(0.0) for _ in inputs]
    found = torch.autograd.grad(
        out, inputs, grad_outputs=seed, create_graph=create_graph, retain_graph=True, allow_unused=True
    )
    return [tensor(0.0) if g is None else g for g in found]


def whole_graph_differences(program: Program) -> list[str]:
    """Where chaingrad and torch disagree on the whole graph (1e-7 relative)."""
    ours, leaves, theirs, t_leaves, _ = run(program)
    root, t_root = ours[-1], theirs[-1]
    differences = [f"n{i} value {a.data!r} vs {b.item()!r}" for i, (a, b) in enumerate(zip(ours, theirs))]
    differences = [d for d, a, b in zip(differences, ours, theirs) if not close(a.data, b.item(), 1e-7, 1e-300)]
    root.backward()
    firsts = grad(root, leaves, create_graph=True)
    t_firsts = torch_grads(t_root, t_leaves, create_graph=True)
    for i, (x, g, t) in enumerate(zip(leaves, firsts, t_firsts)):
        assert grad(root, leaves)[i] == x.grad or (x.grad != x.grad and grad(root, leaves)[i] != grad(root, leaves)[i])
        if not close(x.grad, t.item(), 1e-7, 1e-300):
            differences.append(f"d root/d x{i}: {x.grad!r} vs {t.item()!r}")
        if not close(g.data, t.item(), 1e-7, 1e-300):
            differences.append(f"d root/d x{i} (create_graph): {g.data!r} vs {t.item()!r}")
        for j, (h, th) in enumerate(zip(grad(g, leaves), torch_grads(t, t_leaves))):
            if not close(h, th.item(), 1e-7, 1e-300):
                differences.append(f"d2 root/d x{i} d x{j}: {h!r} vs {th.item()!r}")
    return differences


def check_every_node_alone(program: Program) -> None:
    """Each node against torch on chaingrad's own operand values and incoming gradient."""
    ours, _, _, _, _ = run(program)
    ours[-1].backward()
    nodes = {id(n): n for node in ours for n in autograd.topological_order(node) if n.parents}
    for node in nodes.values():
        operands = operands_of(node)
        is_value = [isinstance(o, Value) for o in operands]
        numbers_in = [o.data if v else o for o, v in zip(operands, is_value)]
        where = f"{node.op}{tuple(numbers_in)} with gradient {node.grad!r}"
        ts = [tensor(x, requires_grad=v) for x, v in zip(numbers_in, is_value)]
        t_out = torch_node(node.op, ts)
        if node.op in ("sum", "mean", "dot"):  # SUM_IS_CORRECTLY_ROUNDED
            n = len(numbers_in) // 2
            terms = numbers_in if node.op != "dot" else [a * b for a, b in zip(numbers_in[:n], numbers_in[n:])]
            bound = 4 * 2.2e-16 * math.fsum(map(abs, terms)) if all(map(math.isfinite, terms)) else 0.0
            assert close(node.data, t_out.item(), 0.0, bound + 1e-300), (
                f"{where}: value {node.data!r} vs {t_out.item()!r}"
            )
        else:
            assert close(node.data, t_out.item(), 1e-9, 1e-300), (
                f"{where}: value {node.data!r} vs torch {t_out.item()!r}"
            )
        # the gradient passed to each operand: where masks (relu, x ** 0) and inf * 0 show
        passed = torch_grads(t_out, [t for t, v in zip(ts, is_value) if v], seed=tensor(float(node.grad)))
        for k, (local, t) in enumerate(zip(node.local_grads, passed)):
            mine = times(node.grad, local)
            assert close(mine, t.item(), 1e-9, 1e-300), f"{where}: passes {mine!r} to operand {k}, torch {t.item()!r}"
        # second derivatives of the op alone, every operand a variable
        xs = [Value(x) for x in numbers_in]
        t_xs = [tensor(x, requires_grad=True) for x in numbers_in]
        firsts = grad(apply_node(node.op, xs), xs, create_graph=True)
        for i, (g, t) in enumerate(zip(firsts, torch_grads(torch_node(node.op, t_xs), t_xs, create_graph=True))):
            assert close(g.data, t.item(), 1e-9, 1e-300), f"{where}: d/d{i} {g.data!r} vs torch {t.item()!r}"
            for j, (h, th) in enumerate(zip(grad(g, xs), torch_grads(t, t_xs))):
                if where_nan_in_torch(node.op, numbers_in, h, th.item()):
                    continue
                assert close(h, th.item(), 1e-9, 1e-300), f"{where}: d2/d{i}d{j} {h!r} vs torch {th.item()!r}"


def where_nan_in_torch(op: str, operands: list[float], ours: float, theirs: float) -> bool:
    """WHERE_NAN_IN_TORCH: torch masks d/dx x**y at y == 0 and d/dy x**y at x == 0 <= y with
    `where(mask, 0, formula)`; its second derivatives also differentiate the formula not
    taken, where 0 * inf or 0 / 0 makes nan. chaingrad's masked derivatives are constants, so
    their own derivatives are 0 and the others finite."""
    if op != "**":
        return False
    x, y = operands
    return (y == 0 or (x == 0 and y >= 0)) and math.isfinite(ours) and math.isnan(theirs)


NAMES = {"+": "add", "*": "mul", "/": "div", "**": "pow"}


def torch_node(op: str, ts: list[torch.Tensor]) -> torch.Tensor:
    return apply_torch(NAMES.get(op, op), ts)


def apply_node(op: str, xs: list[Value]) -> Value:
    return apply_ours(NAMES.get(op, op), xs)


@settings(max_examples=2000, deadline=None)
@given(programs())
def test_random_graphs_agree_with_torch_float64_to_second_order(program: Program) -> None:
    if whole_graph_differences(program):
        check_every_node_alone(program)
