"""explain: the chain rule spelled out, one product of local derivatives per path.

∂root/∂wrt is the sum, over every path from `wrt` up to `root`, of the product of the
local derivatives along the path. Paths multiply: a graph of n layers can have 2**n of them.
Backward never lists them; it visits each node once, keeping ∂root/∂node and reusing it
for every path through that node. Dynamic programming. `explain` counts the paths first (by
the same kind of dynamic programming, with exact Python ints) and lists them only when there
are few enough to read, so the two numbers can be set side by side.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from ..engine import grad
from ..value import Value
from .graph import creation_order, fmt, local_partial, node_names, operand, output_op, partial

MAX_SUM_TERMS = 8  # a longer sum is written as "the sum of the n products above"


class ChainPath(NamedTuple):
    """One path from `wrt` up to `root`: its nodes, the local derivative of each step, their product."""

    nodes: tuple[Value, ...]  # wrt first, root last
    factors: tuple[float, ...]  # factors[k] = d nodes[k+1] / d nodes[k]
    product: float


def explain(root: Value, wrt: Value, max_paths: int = 1000) -> Explanation:
    """∂root/∂wrt as the chain rule writes it: a sum over paths of products of local derivatives.

    `str()` gives text, Jupyter shows LaTeX. With more than `max_paths` paths, they are
    counted but not listed, and set against the number of nodes backward visits.

    >>> a = Value(2.0, "a"); b = a * 3; b.label = "b"; c = b + a; c.label = "c"
    >>> print(explain(c, a))          # two paths: a -> b -> c and a -> c
    """
    for name, x in (("root", root), ("wrt", wrt)):
        if not isinstance(x, Value):
            raise TypeError(f"explain: {name} must be a Value, got {type(x).__name__} {x!r}")
    if isinstance(max_paths, bool) or not isinstance(max_paths, int) or max_paths < 0:
        raise ValueError(f"explain: max_paths must be a non-negative int, got {max_paths!r}")
    return Explanation(root, wrt, max_paths)


class Explanation:
    """The paths from `wrt` to `root`, their products and sum, next to what backward computes."""

    def __init__(self, root: Value, wrt: Value, max_paths: int) -> None:
        order = creation_order(root)  # parents before children: a topological order, as backward's
        self.root, self.wrt, self.max_paths = root, wrt, max_paths
        self.names = node_names(order)
        # wrt may lie outside the graph (then the gradient is 0): it is named by its label.
        self.names.setdefault(wrt, wrt.label or "wrt")
        self.nodes_visited = len(order)  # what backward visits: each node once
        self.edges_visited = sum(len(node.parents) for node in order)
        self.gradient: float = grad(root, [wrt])[0]
        self.path_count = _count_paths(order, wrt)
        self.paths: list[ChainPath] | None = None
        self.total: float | None = None  # the sum over the listed paths
        if self.path_count <= max_paths:
            self.paths = _list_paths(root, wrt, self._paths_to_root(order))
            self.total = math.fsum(path.product for path in self.paths)

    def _paths_to_root(self, order: list[Value]) -> set[Value]:
        """The nodes lying on some path from wrt to root: the only ones worth descending into."""
        on_path = {self.wrt}
        for node in order:
            if any(parent in on_path for parent in node.parents):
                on_path.add(node)
        return on_path

    def _d(self, top: Value, bottom: Value) -> str:
        return partial(self.names[top], self.names[bottom])

    def __repr__(self) -> str:
        return f"<explain {self._d(self.root, self.wrt)}: {self.path_count} paths, gradient {fmt(self.gradient)}>"

    def __str__(self) -> str:
        wanted, out = self._d(self.root, self.wrt), self.names[self.root]
        wrt = self.names[self.wrt]
        if self.path_count == 0:
            return f"{wanted} = 0: {out} does not depend on {wrt} (no path leads from {wrt} to {out})."
        if self.paths is None:
            return "\n".join(self._too_many())
        if self.wrt is self.root:
            return f"{wanted} = {fmt(1.0)}: the output changes one-for-one with itself (the empty path)."
        lines = [f"{wanted} by the chain rule: one product of local derivatives per path from {wrt} to {out}."]
        for k, path in enumerate(self.paths, 1):
            route = " -> ".join(self.names[node] for node in path.nodes)
            symbols = " · ".join(
                local_partial(top, self.names[bottom], self.names, self.root)
                for bottom, top in zip(path.nodes, path.nodes[1:])
            )
            lines.append(f"  path {k}: {route}")
            if len(path.factors) == 1:  # one local derivative: no product to spell out
                lines.append(f"    local {symbols} = {fmt(path.product)}")
            else:
                numbers = " · ".join(operand(f) for f in path.factors)
                lines.append(f"    {symbols} = {numbers} = {fmt(path.product)}")
        if len(self.paths) == 1:
            lines.append(f"{wanted} = {fmt(self.total)}")
        elif len(self.paths) <= MAX_SUM_TERMS:
            lines.append(f"{wanted} = {' + '.join(operand(p.product) for p in self.paths)} = {fmt(self.total)}")
        else:
            lines.append(f"{wanted} = the sum of the {len(self.paths)} products above = {fmt(self.total)}")
        lines.append(
            f"backward() computes the same number ({fmt(self.gradient)}) by dynamic programming: it visits each "
            f"of the {self.nodes_visited} nodes once and reuses ∂{out}/∂(node) for every path through that node."
        )
        return "\n".join(lines)

    def _too_many(self) -> list[str]:
        wanted, out, wrt = self._d(self.root, self.wrt), self.names[self.root], self.names[self.wrt]
        return [
            f"{wanted}: {self.path_count:,} paths lead from {wrt} to {out}, more than max_paths={self.max_paths}, "
            "so they are not listed.",
            f"The chain rule sums one product of local derivatives per path, but backward() visited only "
            f"{self.nodes_visited:,} nodes ({self.edges_visited:,} edges): it keeps ∂{out}/∂(node) for each node "
            "and reuses it for every path through that node. That reuse is dynamic programming, and it is why "
            "backprop is fast.",
            f"{wanted} = {fmt(self.gradient)}",
        ]

    def _tex_op(self, top: Value) -> str:
        # the output's own local derivative is written with its op, as in __str__: ∂(d·f)/∂d
        written = output_op(top, self.names, self.root)
        if written:
            return "(" + _tex_name(written).replace("\\ *\\ ", " \\cdot ") + ")"
        return _tex_name(self.names[top])

    def _repr_latex_(self) -> str:
        out, wrt = _tex_name(self.names[self.root]), _tex_name(self.names[self.wrt])
        wanted = _tex_partial(out, wrt)
        if self.path_count == 0:
            return f"$${wanted} = 0 \\quad \\text{{(no path leads from }} {wrt} \\text{{ to }} {out}\\text{{)}}$$"
        if self.paths is None:
            return (
                f"$${wanted} = {fmt(self.gradient)} \\quad \\text{{({self.path_count:,} paths; backward visited "
                f"{self.nodes_visited:,} nodes)}}$$"
            )
        if self.wrt is self.root:
            return f"$${wanted} = 1$$"
        rows = []
        for k, path in enumerate(self.paths):
            symbols = " \\, ".join(
                _tex_partial(self._tex_op(top), _tex_name(self.names[bottom]))
                for bottom, top in zip(path.nodes, path.nodes[1:])
            )
            numbers = " \\cdot ".join(operand(f) for f in path.factors)
            product = f"{numbers} = {fmt(path.product)}"
            if len(path.factors) == 1:  # one local derivative: no product to spell out
                symbols, product = f"\\text{{local }} {symbols}", fmt(path.product)
            lead = f"{wanted} &= " if k == 0 else "&\\quad + "
            rows.append(f"{lead}{symbols} && = {product}")
        if len(self.paths) > 1:  # one path: its product is already the answer
            rows.append(f"&= {fmt(self.total)}")
        return "$$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$$"


def _count_paths(order: list[Value], wrt: Value) -> int:
    """How many paths lead from wrt up to the root (order[-1]): exact, however many there are."""
    paths = {wrt: 1}  # paths[node]: the number of paths from wrt up to node
    for node in order:
        if node is not wrt:
            count = sum(paths.get(parent, 0) for parent in node.parents)  # a + a counts twice: two edges
            if count:
                paths[node] = count
    return paths.get(order[-1], 0)


def _list_paths(root: Value, wrt: Value, on_path: set[Value]) -> list[ChainPath]:
    """Every path from wrt to root, found by an explicit stack (no recursion: graphs can be deep)."""
    paths = []
    # Each entry: a node and the route above it as a linked list (node, local, rest): O(1) per step.
    stack: list[tuple[Value, tuple | None]] = [(root, None)]
    while stack:
        node, above = stack.pop()
        if node is wrt:
            nodes, factors, product = [node], [], 1.0
            while above is not None:
                upper, local, above = above
                nodes.append(upper)
                factors.append(local)
            for local in reversed(factors):  # multiply from the root down, as backward does
                product *= local
            paths.append(ChainPath(tuple(nodes), tuple(factors), product))
            continue
        for parent, local in reversed(list(zip(node.parents, node.local_grads))):
            if parent in on_path:
                stack.append((parent, (node, local, above)))
    return paths


def _tex_partial(top: str, bottom: str) -> str:
    return f"\\frac{{\\partial {top}}}{{\\partial {bottom}}}"


_TEX_SPECIALS = {
    "\\": "\\backslash ",
    "{": "\\{",
    "}": "\\}",
    "_": "\\_",
    "#": "\\#",
    "$": "\\$",
    "%": "\\%",
    "&": "\\&",
    "^": "\\hat{}",
    "~": "\\sim ",
    " ": "\\ ",
}


def _tex_name(name: str) -> str:
    """A node name set upright in LaTeX, with TeX's special characters escaped."""
    return "\\mathrm{" + "".join(_TEX_SPECIALS.get(ch, ch) for ch in name) + "}"
