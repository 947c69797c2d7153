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
import itertools
import re
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING

from ..value import Value, operands_of
from .graph import INFIX_OPS, constant, fmt, graph_below, kind_of, module_prefix, node_names, parameter_rank

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
OP_NODE |= {"ordering": "in"}  # operands enter top to bottom in operand order: w0, w1, ..., b, x0, x1, ...
CONSTANT_NODE = {"shape": "box", "style": "dashed,rounded", "color": "#9ca3af", "fontsize": "10", "class": "constant"}
CONSTANT_NODE |= {"margin": "0.05,0.02", "width": "0.3", "height": "0.25"}
HIGHLIGHT = "#dc2626"  # red: the nodes passed as highlight= (check_graph's mismatches)
MIN_WIDTH_PX = 320  # below this a picture scrolls instead of shrinking: its text would be unreadable
RANKDIRS = ("LR", "TB", "RL", "BT")
FONT = "Helvetica,Arial,sans-serif"


def draw_dot(
    root: Value,
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    edge_labels: bool = False,
    highlight: Iterable[Value] = (),
    max_nodes: int = 250,
) -> graphviz.Digraph:
    """A picture of every Value `root` depends on: shows itself in Jupyter; in a script, `.render()` it.

    Each Value is a record `name | data | grad` (4 decimals); each op is a small node between
    its operands and its result, with one edge per operand in operand order (`a + a` has two).
    A node's name is its label; unlabelled nodes are `v1, v2, ...` in the order they were
    created, and an unlabelled root is `out` (the same names as the players and `explain`).
    Inputs, parameters (leaves labelled `layer0.neuron3.w1` by nn) and the root have their own
    colours; a neuron's parameters sit in one box, `w0 ... w(n-1), b` from top to bottom.
    Plain numbers an n-ary op (a neuron's `dot`) read are drawn as dashed constant boxes.
    `edge_labels=True` writes the local derivative ∂result/∂operand on each operand's edge;
    `highlight=[nodes]` draws those Values with a thick red border (`highlight=check_graph(root)`
    marks the nodes whose recorded derivatives disagree with finite differences).

    In Jupyter the picture scales down to the width of the cell (it is also sent as inline HTML:
    JupyterLab shows a bare SVG as an image at its natural size). In a plain script nothing is
    shown: write a file and open it.

    >>> a = Value(2.0, "a"); b = Value(-3.0, "b"); c = a * b + a.tanh(); c.label = "c"
    >>> c.backward()
    >>> draw_dot(c)                                       # shows inline in Jupyter
    >>> draw_dot(c).render("graph", format="png")         # writes graph.png (a script: then open it)
    >>> draw_dot(c).render("graph", format="svg", view=True)   # writes graph.svg and opens it
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    order = graph_below(root, max_nodes, "draw_dot")
    marked = _highlighted(highlight, order)
    return build_picture(
        order, rankdir=rankdir, show_data=show_data, show_grad=show_grad, edge_labels=edge_labels, highlight=marked
    )


def _highlighted(highlight: Iterable[Value], order: list[Value]) -> set[Value]:
    if isinstance(highlight, Value):  # one node passed alone: accept it rather than iterate a Value
        highlight = [highlight]
    try:
        marked = list(highlight)
    except TypeError:
        raise TypeError(f"draw_dot: highlight must be a list of Values, got {highlight!r}") from None
    # check_graph's mismatches carry their node: `highlight=check_graph(root)` works as is.
    marked = [item.node if isinstance(getattr(item, "node", None), Value) else item for item in marked]
    in_graph = set(order)
    for node in marked:
        if not isinstance(node, Value):
            raise TypeError(f"draw_dot: highlight must hold Values, got {type(node).__name__} {node!r}")
        if node not in in_graph:
            raise ValueError(f"draw_dot: highlight holds {node!r}, which the drawn graph does not contain")
    return set(marked)


def build_picture(
    order: list[Value],
    *,
    rankdir: str = "LR",
    show_data: bool = True,
    show_grad: bool = True,
    edge_labels: bool = False,
    grads: dict[Value, float] | None = None,
    highlight: set[Value] = frozenset(),
) -> graphviz.Digraph:
    """The picture of a graph given in creation order (the players share it with draw_dot).

    Ids in the SVG are stable, so a player can restyle nodes and edges with CSS: Value `i` of
    `order` is `n<i>`, its op `n<i>_op`, the edge op -> Value `n<i>_out`, and the edge from its
    `j`-th Value operand `n<i>_in<j>`; constant boxes are `c<k>`, their edges `n<i>_const<position>`.
    (`n`, not `v`: a browser shows the id as a tooltip, which must not look like the name `v1`
    of another node.) `grads` overrides `.grad` (players show fresh gradients).
    """
    # ordering=out: a Value used twice feeds its consumers top to bottom in creation order, so
    # the picture reads in the order the code was written (a * b above tanh(a)), with fewer crossings.
    picture = picture_class()(
        graph_attr={"rankdir": rankdir, "nodesep": "0.2", "ranksep": "0.3", "fontname": FONT, "ordering": "out"},
        node_attr={"fontname": FONT, "fontsize": "11"},
        edge_attr={"fontname": FONT, "fontsize": "9", "arrowsize": "0.6"},
    )
    root, names = order[-1], node_names(order)
    picture.about = f"{len(order)} Values below {names[root]}"  # for its repr
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
            label = _record(names[node], node, kind, show_data, show_grad, grad, node in highlight)
            classes = kind + (" highlight" if node in highlight else "")
            graph.node(f"n{i}", label=label, shape="plain", id=f"n{i}", **{"class": classes})
            if node.parents:
                graph.node(f"n{i}_op", label=f"<{_escape(_op_text(node))}>", id=f"n{i}_op", **OP_NODE)

    add_nodes(picture, [node for node in order if node not in clustered])
    for n, (prefix, members) in enumerate(clusters.items()):
        with picture.subgraph(name=f"cluster_{n}") as box:
            box.attr(label=f"<{_escape(prefix)}>", style="rounded,dashed", color="#9ca3af", fontsize="10")
            # w0 ... w(n-1), b from top to bottom, whatever order the graph met them in
            ranked = sorted(members, key=lambda node: parameter_rank(node.label, index[node]))
            add_nodes(box, ranked)
    _stack(picture, [f"n{index[node]}" for node in _indexed_inputs(order)])
    _add_edges(picture, order, index, edge_labels)
    return picture


def _indexed_inputs(order: list[Value]) -> list[Value]:
    """Unclustered leaves labelled name + index (`x0, x1, ...`), in index order, when there are several."""
    indexed = {n: _INDEXED.fullmatch(n.label) for n in order if not n.parents and module_prefix(n.label) is None}
    inputs = sorted((n for n, match in indexed.items() if match), key=lambda n: (indexed[n][1], int(indexed[n][2])))
    return inputs if len(inputs) > 1 else []


_INDEXED = re.compile(r"([A-Za-z_]+)(\d+)")


def _stack(graph: graphviz.Digraph, ids: list[str]) -> None:
    """Keep these nodes in one rank, in this order (top to bottom when rankdir is LR).

    Graphviz orders a rank to minimise crossings, which put `x1` above `x0`; invisible edges
    inside a `rank=same` group fix the order a reader expects.
    """
    if len(ids) < 2:
        return
    with graph.subgraph() as rank:
        rank.attr(rank="same")
        for upper, lower in itertools.pairwise(ids):
            rank.edge(upper, lower, style="invis")


def _add_edges(picture: graphviz.Digraph, order: list[Value], index: dict[Value, int], edge_labels: bool) -> None:
    """Edges into each op in operand order, drawing the plain numbers of n-ary ops as constant boxes.

    A constant box is shared by the ops that read the same number in the same operand slot (the
    neurons of a layer read the same inputs), and the boxes an op reads are chained in one rank
    by invisible edges, so they stand top to bottom in operand order: x0, x1, ..., then the 1
    whose weight is the bias.
    """
    constants: dict[tuple, str] = {}
    chains: set[tuple[str, ...]] = set()
    for i, node in enumerate(order):
        if not node.parents:
            continue
        picture.edge(f"n{i}_op", f"n{i}", id=f"n{i}_out")
        operands, derivatives, j, chain = operands_of(node), iter(node.local_grads), 0, []
        for position, x in enumerate(operands):
            if isinstance(x, Value):
                label = {"label": fmt(next(derivatives))} if edge_labels else {}
                picture.edge(f"n{index[x]}", f"n{i}_op", id=f"n{i}_in{j}", **label)
                j += 1
            elif not _constants_in_op_text(node):
                key = (node.op, len(operands), position, float(x))
                if key not in constants:
                    constants[key] = f"c{len(constants)}"
                    picture.node(constants[key], label=f"<{_escape(constant(x))}>", id=constants[key], **CONSTANT_NODE)
                picture.edge(constants[key], f"n{i}_op", id=f"n{i}_const{position}", style="dashed", color="#9ca3af")
                chain.append(constants[key])
        if len(chain) > 1:
            chains.add(tuple(chain))
    for chain in sorted(chains):
        _stack(picture, list(chain))


def _escape(text: str) -> str:
    # html.escape covers & < > " '; Graphviz still reads `\` as an escape in HTML labels.
    return html.escape(text).replace("\\", "&#92;")


def _record(name: str, node: Value, kind: str, show_data: bool, show_grad: bool, grad: float, marked: bool) -> str:
    """`name | data 2.0000 | grad 1.0000` as a one-row HTML-like table (red-bordered when `marked`)."""
    title = _escape(name)
    if not node.label:  # a generated name (v3, or out for the output): set in italics
        title = f"<I>{title}</I>"
    cells = [title]
    if show_data:
        cells.append(f"data {fmt(node.data)}")
    if show_grad:
        cells.append(f"grad {fmt(grad)}")
    row = "".join(f"<TD>{cell}</TD>" for cell in cells)
    border = f'BORDER="4" COLOR="{HIGHLIGHT}"' if marked else f'BORDER="{BORDER[kind]}"'
    table = (
        f'<TABLE {border} CELLBORDER="0" COLUMNS="*" CELLSPACING="0" CELLPADDING="4"'
        f' BGCOLOR="{FILL[kind]}"{STYLE.get(kind, "")}>'
    )
    return f"<{table}<TR>{row}</TR></TABLE>>"


def _constants_in_op_text(node: Value) -> bool:
    """Ops of up to 3 operands write their constants inline (`· ** 2`); longer ones get constant boxes."""
    return len(operands_of(node)) <= 3


def _op_text(node: Value) -> str:
    """The op's name; with its constants when it had some: `· ** 2` for `x ** 2`."""
    operands = operands_of(node)
    if len(operands) == len(node.parents) or not _constants_in_op_text(node):
        return node.op
    terms = ["·" if isinstance(x, Value) else constant(x) for x in operands]
    if len(terms) == 2 and node.op in INFIX_OPS:
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
        """A graph picture: shows itself in Jupyter; in a script, `.render("graph", format="png")` writes graph.png.

        A graphviz.Digraph whose SVG scales down to its container and whose rendering explains
        how to install Graphviz when `dot` is missing.
        """

        about = "a graph"

        def __repr__(self) -> str:
            return (
                f"<chaingrad picture of {self.about}: Jupyter shows it; in a script call "
                f'.render("graph", format="png") to write graph.png (or format="svg"), then open that file>'
            )

        def _repr_image_svg_xml(self) -> str:
            return responsive_svg(super()._repr_image_svg_xml())

        def _repr_mimebundle_(self, include=None, exclude=None, **kwargs) -> dict[str, str]:
            # JupyterLab shows image/svg+xml as an <img> at natural size, which its CSS does not
            # shrink: the same SVG inline as text/html (which JupyterLab prefers) scales to the cell.
            bundle = super()._repr_mimebundle_(include, exclude, **kwargs)
            if "image/svg+xml" in bundle:
                svg = bundle["image/svg+xml"]
                bundle["text/html"] = f'<div style="max-width:100%;overflow-x:auto">{svg[svg.index("<svg") :]}</div>'
            return bundle

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
    """The picture as an `<svg>` element scaled to its container (responsive_svg), ready to inline in HTML."""
    svg = picture.pipe(format="svg", encoding="utf-8")
    return responsive_svg(svg[svg.index("<svg") :])


def responsive_svg(svg: str) -> str:
    """The SVG scaled to its container: as wide as the container, never wider than drawn, never clipped.

    Graphviz writes a fixed size (`width="1210pt"`) and a viewBox. A style makes the inline SVG
    (Jupyter's HTML output, VS Code, exported HTML, the players) take the container's width up to
    that natural size, keeping its proportions, and not shrink below MIN_WIDTH_PX (unreadable
    text): narrower containers scroll instead. (Shown as an <img>, as JupyterLab shows bare
    image/svg+xml, the style does not apply: hence Picture's text/html copy.)
    """
    match = re.search(r'<svg width="([\d.]+)pt"', svg)
    if match is None or "viewBox" not in svg[: svg.index(">", match.start())]:
        return svg
    natural = float(match.group(1)) * 4 / 3  # pt to CSS px
    style = f"width:100%;max-width:{natural:.0f}px;min-width:{min(natural, MIN_WIDTH_PX):.0f}px;height:auto"
    return svg.replace("<svg ", f'<svg style="{style}" ', 1)
