"""draw_dot: what the picture contains (nodes, edges, labels, kinds, clusters) and how it fails.

Structure is read from the DOT source (`.source`); escaping and rendering go through the real
`dot` program, which CI installs.
"""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import graphviz
import pytest

from autograd import Value
from autograd.viz import animate_backward, draw_dot
from autograd.viz.draw import INSTALL_GRAPHVIZ, picture_class
from autograd.viz.graph import creation_order

SVG = "{http://www.w3.org/2000/svg}"


def value_nodes(source: str) -> list[str]:
    return re.findall(r"^\s*(n\d+) \[", source, re.M)


def op_nodes(source: str) -> list[str]:
    return re.findall(r"^\s*(n\d+_op) \[", source, re.M)


def edges(source: str) -> list[tuple[str, str, str]]:
    """(tail, head, id) for every edge, in the order they were added."""
    return re.findall(r"^\s*(\S+) -> (\S+) \[.*?id=(\w+)", source, re.M)


def svg_texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def small_expression() -> Value:
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    e = a * b
    e.label = "e"
    L = e + c
    L.label = "L"
    L.backward()
    return L


def test_one_record_per_value_and_one_node_per_op():
    source = draw_dot(small_expression()).source
    assert len(value_nodes(source)) == 5  # a, b, c, e, L
    assert len(op_nodes(source)) == 2  # *, +
    assert len(edges(source)) == 6  # 2 operands + 1 result, per op


def test_a_plus_a_draws_two_edges():
    a = Value(3.0, "a")
    b = a + a
    assert edges(draw_dot(b).source) == [
        ("n1_op", "n1", "n1_out"),
        ("n0", "n1_op", "n1_in0"),
        ("n0", "n1_op", "n1_in1"),
    ]


def test_edges_follow_operand_order():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    source = draw_dot(y**x).source  # y is the base, operand 0; y is met first, so it is n0
    assert ("n0", "n2_op", "n2_in0") in edges(source) and ("n1", "n2_op", "n2_in1") in edges(source)


def test_record_shows_label_data_and_grad_with_4_decimals():
    source = draw_dot(small_expression()).source
    assert "<TD>e</TD><TD>data -6.0000</TD><TD>grad 1.0000</TD>" in source
    assert "<TD>a</TD><TD>data 2.0000</TD><TD>grad -3.0000</TD>" in source


def test_data_and_grad_cells_can_be_left_out():
    source = draw_dot(small_expression(), show_data=False, show_grad=False).source
    assert "data " not in source and "grad " not in source
    assert "<TD>e</TD></TR>" in source


def test_edge_labels_are_the_local_derivatives():
    L = small_expression()
    ids = {node.label: f"n{i}" for i, node in enumerate(creation_order(L))}
    a, b, e = ids["a"], ids["b"], ids["e"]
    source = draw_dot(L, edge_labels=True).source
    assert f"{a} -> {e}_op [label=-3.0000 id={e}_in0]" in source  # d(a*b)/da = b
    assert f"{b} -> {e}_op [label=2.0000 id={e}_in1]" in source  # d(a*b)/db = a
    assert f"{e}_op -> {e} [id={e}_out]" in source  # the result's edge carries no derivative
    assert "label=" not in "".join(re.findall(r"-> .*", draw_dot(L).source))


def test_unlabelled_values_get_stable_generated_names():
    x = Value(1.0)
    y = (x * 2).tanh()
    source = draw_dot(y).source
    assert "<I>v1</I>" in source and "<I>v2</I>" in source and "<I>v0</I>" not in source
    assert "<I>out</I>" in source  # an unlabelled output is called out, as in the captions


def test_constants_show_in_their_op_node():
    x = Value(3.0, "x")
    source = draw_dot(2 ** (x**2)).source
    assert "label=<· ** 2>" in source and "label=<2 ** ·>" in source


def test_inputs_parameters_interior_and_root_look_different():
    w, x = Value(0.5, "layer0.neuron0.w0"), Value(2.0, "x")
    h = w * x
    L = h.tanh()
    source = draw_dot(L).source
    fills = {}
    for kind in ("input", "parameter", "interior", "root"):
        line = next(line for line in source.splitlines() if f"class={kind} " in line)
        fills[kind] = re.search(r'BGCOLOR="([^"]+)"', line).group(1)
    assert len(set(fills.values())) == 4


def test_parameters_of_each_neuron_share_one_cluster_box():
    p = {name: Value(0.1, f"layer0.{name}") for name in ("neuron0.w0", "neuron0.w1", "neuron0.b", "neuron1.w0")}
    L = (p["neuron0.w0"] + p["neuron0.w1"] + p["neuron0.b"]) * p["neuron1.w0"]
    source = draw_dot(L).source
    clusters = re.findall(r"subgraph cluster_\d+ \{(.*?)\n\t\}", source, re.S)
    members = {re.search(r"label=<(layer0\.neuron\d)>", box).group(1): len(value_nodes(box)) for box in clusters}
    assert members == {"layer0.neuron0": 3, "layer0.neuron1": 1}


def test_any_label_text_is_escaped_and_renders():
    nasty = 'q"<b>{c}|d\\e&f'
    x = Value(1.5, nasty)
    svg = draw_dot(x * 2).pipe(format="svg", encoding="utf-8")
    assert nasty in svg_texts(svg)


def test_renders_inline_in_jupyter_as_svg():
    bundle = draw_dot(small_expression())._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_too_many_values_is_refused_with_the_count_and_what_to_do():
    x = Value(1.0, "x")
    for _ in range(30):
        x = x * 1.0
    with pytest.raises(ValueError, match=r"31 Values, more than max_nodes=10.*max_nodes=31"):
        draw_dot(x, max_nodes=10)
    assert len(value_nodes(draw_dot(x, max_nodes=31).source)) == 31


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="expected a Value, got float"):
        draw_dot(1.0)
    with pytest.raises(ValueError, match="rankdir"):
        draw_dot(Value(1.0), rankdir="sideways")


def test_without_dot_the_picture_builds_and_rendering_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` anywhere
    picture = draw_dot(small_expression())
    assert "->" in picture.source
    for render in (
        lambda: picture.pipe(format="svg"),
        picture._repr_mimebundle_,
        lambda: picture.render(tmp_path / "g"),
    ):
        with pytest.raises(RuntimeError) as error:
            render()
        assert str(error.value) == INSTALL_GRAPHVIZ
        assert isinstance(error.value, graphviz.ExecutableNotFound)  # existing handlers still catch it
    with pytest.raises(RuntimeError, match="install Graphviz"):
        animate_backward(small_expression()).save_html(tmp_path / "player.html")


def test_without_the_graphviz_package_frames_work_and_drawing_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "graphviz", None)  # `import graphviz` now fails
    picture_class.cache_clear()
    try:
        assert len(animate_backward(small_expression()).frames) == 5
        with pytest.raises(ImportError, match=r"chaingrad\[viz\]"):
            draw_dot(small_expression())
    finally:
        picture_class.cache_clear()


def test_importing_autograd_does_not_import_graphviz():
    code = (
        "import sys, autograd, autograd.viz; assert 'graphviz' not in sys.modules; "
        "assert autograd.draw_dot is autograd.viz.draw_dot and autograd.explain is autograd.viz.explain"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- neurons, constants, highlight, sizing ---------------------------------------------------


def mlp_loss(inputs: list, sizes: tuple = (4, 1)) -> Value:
    from nn import MLP

    model = MLP(len(inputs), list(sizes), seed=0)
    loss = (model(inputs) - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return loss


def cluster_members(source: str) -> dict[str, list[str]]:
    """For each neuron box, the last part of its members' labels, in the order the box lists them."""
    boxes = re.findall(r"subgraph cluster_\d+ \{(.*?)\n\t\}", source, re.S)
    members = {}
    for box in boxes:
        prefix = re.search(r"label=<([\w.]+)>", box).group(1)
        members[prefix] = re.findall(rf"<TR><TD>{re.escape(prefix)}\.(\w+)</TD>", box)
    return members


def test_a_neuron_box_lists_w0_to_wn_then_b():
    members = cluster_members(draw_dot(mlp_loss([0.5, -1.0, 2.0], sizes=(2, 1))).source)
    assert members == {
        "layer0.neuron0": ["w0", "w1", "w2", "b"],
        "layer0.neuron1": ["w0", "w1", "w2", "b"],
        "layer1.neuron0": ["w0", "w1", "b"],
    }


def test_a_neuron_box_is_in_order_even_when_the_graph_meets_b_first():
    p = {name: Value(0.5, f"n.{name}") for name in ("b", "w1", "w0")}
    root = p["b"] + p["w1"] * 2 + p["w0"]
    assert cluster_members(draw_dot(root).source) == {"n": ["w0", "w1", "b"]}


def test_op_nodes_keep_their_operands_in_order():
    source = draw_dot(mlp_loss([0.5, -1.0])).source
    assert all("ordering=in" in line for line in source.splitlines() if re.match(r"\s*n\d+_op \[", line))


def test_plain_number_inputs_are_drawn_as_constant_boxes_shared_by_a_layer():
    source = draw_dot(mlp_loss([0.5, -1.0])).source
    boxes = dict(re.findall(r"^\s*(c\d+) \[label=<([^>]*)>.*class=constant", source, re.M))
    assert sorted(boxes.values()) == ["-1", "0.5", "1", "1"]  # x0, x1 and the bias input 1; layer 1's 1
    into = {box: {head for tail, head, _ in edges(source) if tail == box} for box in boxes}
    x0 = next(box for box, text in boxes.items() if text == "0.5")
    assert len(into[x0]) == 4  # 0.5 feeds all four neurons of layer 0


def test_constant_boxes_stand_in_operand_order():
    source = draw_dot(mlp_loss([0.5, -1.0])).source
    text = dict(re.findall(r"^\s*(c\d+) \[label=<([^>]*)>", source, re.M))
    chained = re.findall(r"\{\s*rank=same\s*(c\d+) -> (c\d+) \[style=invis\]\s*(c\d+) -> (c\d+)", source)
    assert [[text[c] for c in chain] for chain in chained] == [["0.5", "-1", "-1", "1"]]  # x0 above x1 above 1


def test_constants_of_small_ops_stay_in_the_op_node():
    x = Value(3.0, "x")
    assert "class=constant" not in draw_dot(x * 2 + 1).source


def svg_node_positions(svg: str) -> dict[str, tuple[float, float]]:
    """(x, y) of the first text in each node group, by the group's id."""
    positions = {}
    for g in ET.fromstring(svg).iter(f"{SVG}g"):
        text = g.find(f"{SVG}text")
        if g.get("class", "").startswith("node") and text is not None:
            positions[g.get("id")] = (float(text.get("x")), float(text.get("y")))
    return positions


def test_inputs_and_parameters_are_laid_out_top_to_bottom_in_index_order():
    from autograd.viz.graph import creation_order

    xs = [Value(v, f"x{i}") for i, v in enumerate((0.5, -1.0, 2.0))]
    root = mlp_loss(xs, sizes=(2, 1))
    ids = {node.label: f"n{i}" for i, node in enumerate(creation_order(root))}
    at = svg_node_positions(draw_dot(root).pipe(format="svg", encoding="utf-8"))
    ys = [at[ids[f"x{i}"]][1] for i in range(3)]
    assert ys == sorted(ys), ys  # SVG y grows downwards
    for neuron in ("layer0.neuron0", "layer0.neuron1"):
        ys = [at[ids[f"{neuron}.{p}"]][1] for p in ("w0", "w1", "w2", "b")]
        assert ys == sorted(ys), (neuron, ys)


def test_highlight_draws_the_given_nodes_with_a_red_border():
    L = small_expression()
    e = L.parents[0]
    source = draw_dot(L, highlight=[e]).source
    marked = [line for line in source.splitlines() if "#dc2626" in line]
    assert len(marked) == 1 and "<TD>e</TD>" in marked[0] and "highlight" in marked[0]
    assert "#dc2626" not in draw_dot(L).source
    svg = draw_dot(L, highlight=[e]).pipe(format="svg", encoding="utf-8")
    (group,) = [g for g in ET.fromstring(svg).iter(f"{SVG}g") if "highlight" in g.get("class", "")]
    assert "e" in svg_texts(ET.tostring(group, encoding="unicode"))


def test_highlight_takes_anything_that_carries_a_node_like_check_graphs_mismatches():
    from collections import namedtuple

    L = small_expression()
    Mismatch = namedtuple("Mismatch", "node op operand recorded numeric")
    source = draw_dot(L, highlight=[Mismatch(L.parents[0], "*", 0, 1.0, 2.0)]).source
    (marked,) = [line for line in source.splitlines() if "#dc2626" in line]
    assert "<TD>e</TD>" in marked


def test_highlight_refuses_what_is_not_a_node_of_the_graph():
    L = small_expression()
    with pytest.raises(TypeError, match="highlight must hold Values, got float"):
        draw_dot(L, highlight=[1.0])
    with pytest.raises(ValueError, match="does not contain"):
        draw_dot(L, highlight=[Value(1.0, "stranger")])


def test_jupyter_svg_scales_to_the_cell_with_a_viewbox_and_a_readable_minimum():
    svg = draw_dot(small_expression())._repr_mimebundle_()["image/svg+xml"]
    root = ET.fromstring(svg[svg.index("<svg") :])
    assert root.get("viewBox")
    style = dict(item.split(":") for item in root.get("style").split(";"))
    natural = float(root.get("width").removesuffix("pt")) * 4 / 3
    assert style["width"] == "100%" and style["height"] == "auto"
    assert float(style["max-width"].removesuffix("px")) == pytest.approx(natural, abs=1)
    assert float(style["min-width"].removesuffix("px")) == min(round(natural), 320)


def test_in_a_script_the_picture_says_how_to_see_it():
    picture = draw_dot(small_expression())
    assert '.render("graph", format="png")' in repr(picture)
    assert '.render("graph", format="png")' in type(picture).__doc__
    assert 'render("graph", format="png")' in draw_dot.__doc__


def test_in_a_script_a_player_says_how_to_see_it():
    assert '.save_html("backward.html")' in repr(animate_backward(small_expression()))


def test_a_neuron_drawn_op_by_op_keeps_x0_above_x1_and_w0_above_w1():
    # the CLI's graph.svg: one unfused neuron on one sample, where Graphviz's crossing
    # minimisation used to put x1 above x0 (and so w1 above w0)
    from nn import MLP
    from nn.cli import neuron_graph
    from nn.data import make_moons

    X, _ = make_moons(40, 0.1, seed=1337)
    for seed in range(4):
        svg = neuron_graph(MLP(2, [16, 16, 1], seed=seed), X).pipe(format="svg", encoding="utf-8")
        heights = {}
        for g in ET.fromstring(svg).iter(f"{SVG}g"):
            text = g.find(f"{SVG}text")
            if g.get("class", "").startswith("node") and text is not None and text.text:
                heights[text.text.rsplit(".", 1)[-1]] = float(text.get("y"))
        order = sorted(("x0", "x1", "w0", "w1", "b"), key=heights.__getitem__)
        assert order == ["x0", "x1", "w0", "w1", "b"], (seed, order)
