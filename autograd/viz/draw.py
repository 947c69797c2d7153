"""draw_dot: a Graphviz picture of a graph: one record per Value, one small node per op.

graphviz is imported inside functions, so `import autograd` never needs it. Without
Graphviz's `dot` program the picture can still be built (and its `.source` read); rendering
then fails with one sentence on how to install Graphviz, instead of graphviz's PATH error.

Labels are Graphviz HTML-like labels: escaping them is plain HTML escaping (plus `\\`, which
Graphviz would otherwise read as an escape), far less fragile than record-shape escaping.
"""

from __future__ import annotations

import functools
import html
from types import ModuleType
from typing import TYPE_CHECKING

from ..value import Value, operands_of
from .graph import constant, fmt, graph_below, kind_of, module_prefix, node_names

if TYPE_CHECKING:
    import graphviz

INSTALL_GRAPHVIZ = (
    "Graphviz's `dot` program is not on your PATH, so the picture cannot be rendered: install Graphviz "
    "(Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: `brew install graphviz`, "
    "conda: `conda install graphviz`, others: https://graphviz.org/download/) and try again."
)

# Kinds of Value are told apart by colour and by border, so they differ in grey print too.
FILL = {"input": "#dbeafe", "parameter": "#ffedd5", "interior": "#ffffff", "root": "#dcfce7"}
BORDER = {"input": "1", "parameter": "1", "interior": "1", "root": "3"}
STYLE = {"parameter": ' STYLE="rounded"'}
OP_NODE = {"shape": "ellipse", "margin": "0.03,0.01", "width": "0.3", "height": "0.3", "fontsize": "10"}
OP_NODE |= {"class": "op", "style": "filled", "fillcolor": "#f3f4f6", "color": "#6b7280"}
RANKDIRS = ("LR", "TB", "RL", "BT")
FONT = "Helvetica,Arial,sans-serif"


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    edge_labels: bool = False,
    max_nodes: int = 250,
) -> graphviz.Digraph:
    """A picture of every Value `root` depends on, ready to show in Jupyter or `.render()`.

    Each Value is a record `name | data | grad` (4 decimals); each op is a small node between
    its operands and its result, with one edge per operand in operand order (`a + a` has two).
    Inputs, parameters (leaves labelled `layer0.neuron3.w1` by nn) and the root have their own
    colours; Values sharing a module prefix sit in one box per neuron. `edge_labels=True`
    writes the local derivative d result / d operand on each operand's edge.

    >>> a = Value(2.0, "a"); b = Value(-3.0, "b"); L = a * b + a; L.label = "L"
    >>> L.backward()
    >>> draw_dot(L)                                       # shows inline in Jupyter
    >>> draw_dot(L).render("graph", format="svg")         # writes graph.svg
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    order = graph_below(root, max_nodes, "draw_dot")
    return build_picture(order, rankdir=rankdir, show_data=show_data, show_grad=show_grad, edge_labels=edge_labels)


def build_picture(
    order: list[Value],
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    edge_labels: bool = False,
    grads: dict[Value, float] | None = None,
) -> graphviz.Digraph:
    """The picture of a graph given in topological order (the players share it with draw_dot).

    Ids in the SVG are stable, so a player can restyle nodes and edges with CSS: Value `i` of
    `order` is `v<i>`, its op `v<i>_op`, the edge op -> Value `v<i>_out`, and the edge from its
    `j`-th operand `v<i>_in<j>`. `grads` overrides `.grad` (players show fresh gradients).
    """
    picture = picture_class()(
        graph_attr={"rankdir": rankdir, "nodesep": "0.2", "ranksep": "0.3", "fontname": FONT},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "9", "arrowsize": "0.6"},
    )
    root, names = order[-1], node_names(order)
    index = {node: i for i, node in enumerate(order)}
    clusters: dict[str, list[Value]] = {}
    for node in order:
        prefix = module_prefix(node.label)
        if prefix is not None:
            clusters.setdefault(prefix, []).append(node)
    clustered = {node for members in clusters.values() for node in members}

    def add_nodes(graph: graphviz.Digraph, nodes: list[Value]) -> None:
        for node in nodes:
            i, kind = index[node], kind_of(node, root)
            grad = grads[node] if grads is not None else node.grad
            label = _record(names[node], node, kind, show_data, show_grad, grad)
            graph.node(f"v{i}", label=label, shape="plain", id=f"v{i}", **{"class": kind})
            if node.parents:
                graph.node(f"v{i}_op", label=f"<{_escape(_op_text(node))}>", id=f"v{i}_op", **OP_NODE)

    add_nodes(picture, [node for node in order if node not in clustered])
    for n, (prefix, members) in enumerate(clusters.items()):
        with picture.subgraph(name=f"cluster_{n}") as box:
            box.attr(label=f"<{_escape(prefix)}>", style="rounded,dashed", color="#9ca3af", fontsize="10")
            add_nodes(box, members)

    for i, node in enumerate(order):
        if not node.parents:
            continue
        picture.edge(f"v{i}_op", f"v{i}", id=f"v{i}_out")
        for j, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            label = {"label": fmt(local)} if edge_labels else {}
            picture.edge(f"v{index[parent]}", f"v{i}_op", id=f"v{i}_in{j}", **label)
    return picture


def _escape(text: str) -> str:
    # html.escape covers & < > " '; Graphviz still reads `\` as an escape in HTML labels.
    return html.escape(text).replace("\\", "&#92;")


def _record(name: str, node: Value, kind: str, show_data: bool, show_grad: bool, grad: float) -> str:
    """`name | data 2.0000 | grad 1.0000` as a one-row HTML-like table."""
    title = _escape(name)
    if not node.label:  # a generated name (v3, or L for the output): set in italics
        title = f"<I>{title}</I>"
    cells = [title]
    if show_data:
        cells.append(f"data {fmt(node.data)}")
    if show_grad:
        cells.append(f"grad {fmt(grad)}")
    row = "".join(f"<TD>{cell}</TD>" for cell in cells)
    table = (
        f'<TABLE BORDER="{BORDER[kind]}" CELLBORDER="0" COLUMNS="*" CELLSPACING="0" CELLPADDING="4"'
        f' BGCOLOR="{FILL[kind]}"{STYLE.get(kind, "")}>'
    )
    return f"<{table}<TR>{row}</TR></TABLE>>"


def _op_text(node: Value) -> str:
    """The op's name; with its constants when it had some: `· ** 2` for `x ** 2`."""
    operands = operands_of(node)
    if len(operands) == len(node.parents) or len(operands) > 3:
        return node.op
    terms = ["·" if isinstance(x, Value) else constant(x) for x in operands]
    if len(terms) == 2 and node.op in ("+", "*", "**"):
        return f"{terms[0]} {node.op} {terms[1]}"
    return f"{node.op}({', '.join(terms)})"


# -- rendering: a Digraph that says how to install Graphviz when `dot` is missing -----------


def import_graphviz() -> ModuleType:
    """The graphviz package, or an ImportError that says how to install it."""
    try:
        import graphviz
    except ImportError:
        raise ImportError(
            "drawing graphs needs the graphviz Python package: pip install 'chaingrad[viz]' "
            "(and Graphviz's `dot` program)"
        ) from None
    return graphviz


@functools.cache
def picture_class() -> type:
    """graphviz.Digraph, except that a missing `dot` program is explained in one sentence."""
    graphviz = import_graphviz()

    class DotNotFound(graphviz.ExecutableNotFound):
        """Graphviz's `dot` program is missing (still a graphviz.ExecutableNotFound / RuntimeError)."""

        def __init__(self) -> None:
            RuntimeError.__init__(self, INSTALL_GRAPHVIZ)

    class Picture(graphviz.Digraph):
        """A graphviz.Digraph whose rendering explains how to install Graphviz when `dot` is missing."""

        def pipe(self, *args, **kwargs):
            try:
                return super().pipe(*args, **kwargs)
            except graphviz.ExecutableNotFound:
                raise DotNotFound() from None

        def render(self, *args, **kwargs):
            try:
                return super().render(*args, **kwargs)
            except graphviz.ExecutableNotFound:
                raise DotNotFound() from None

    return Picture


def render_svg(picture: graphviz.Digraph) -> str:
    """The picture as an `<svg>` element, without the XML prolog, ready to inline in HTML."""
    svg = picture.pipe(format="svg", encoding="utf-8")
    return svg[svg.index("<svg") :]
