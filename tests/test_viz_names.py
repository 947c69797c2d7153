"""Names and notation: every view calls a node by the same name and writes derivatives the course's way.

A node is its label; unlabelled nodes are v1, v2, ... in the order they were created, with no
gaps; the root keeps its label (`out` without one). Captions write the gradient flowing from
the output (∂out/∂e) and an op's local derivative (∂e/∂a, marked `local`) differently.
"""

import re

from expressions import lecture_expression

from autograd import Value, explain
from autograd.viz import animate_backward, animate_forward, draw_dot
from autograd.viz.graph import constant, creation_order, fmt, node_names


def readme_example() -> tuple[Value, Value, Value]:
    """The README's expression, unlabelled result: a * b is made before tanh(a)."""
    a, b = Value(2.0, "a"), Value(-3.0, "b")
    c = a * b + a.tanh()
    return c, a, b


def drawn_names(root: Value) -> list[str]:
    """The name cell of every record in draw_dot's source, in the order the records are written."""
    return re.findall(r"<TR><TD>(?:<I>)?([^<]+)(?:</I>)?</TD>", draw_dot(root).source)


def test_unlabelled_nodes_are_numbered_in_creation_order():
    c, _, _ = readme_example()
    product, tanh = c.parents
    names = node_names(creation_order(c))
    assert (names[product], names[tanh]) == ("v1", "v2")  # a * b was made first


def test_creation_order_puts_every_node_after_its_operands_left_to_right():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    s = x * y
    t = s.exp()
    u = y.tanh()
    root = t + u
    assert creation_order(root) == [x, y, s, t, u, root]


def test_generated_names_have_no_gaps_between_labelled_nodes():
    x = Value(0.5, "x")
    h = x * 2
    h.label = "h"
    y = (h + x).tanh() * h
    z = y.exp() + y
    names = node_names(creation_order(z))
    generated = sorted(name for node, name in names.items() if not node.label and node is not z)
    assert generated == [f"v{i}" for i in range(1, len(generated) + 1)]
    assert names[x] == "x" and names[h] == "h"  # labels are kept


def test_the_root_keeps_its_label_or_is_out():
    nodes = lecture_expression()
    assert node_names(creation_order(nodes["L"]))[nodes["L"]] == "L"
    c, _, _ = readme_example()
    assert node_names(creation_order(c))[c] == "out"
    c.label = "c"
    assert node_names(creation_order(c))[c] == "c"


def test_explain_says_path_to_the_roots_own_name():
    c, a, _ = readme_example()
    c.label = "c"
    text = str(explain(c, a))
    assert "path from a to c." in text and "a -> v1 -> c" in text and "a -> v2 -> c" in text
    assert "L" not in text  # never renamed to L


def test_players_use_the_same_names_as_draw_dot():
    c, _, _ = readme_example()
    c.label = "c"
    forward = [frame.caption.split(" = ")[0] for frame in animate_forward(c).frames]
    assert forward == ["a", "b", "v1", "v2", "c"]
    assert sorted(drawn_names(c)) == sorted(forward)
    backward = animate_backward(c)
    assert backward.frames[0].caption == "start at the output: ∂c/∂c = 1.0000"
    assert "∂c/∂v1" in "\n".join(frame.caption for frame in backward.frames)


def test_player_page_title_uses_the_roots_name(tmp_path):
    c, _, _ = readme_example()
    c.label = "c"
    page = animate_backward(c).save_html(tmp_path / "p.html").read_text(encoding="utf-8")
    assert "<title>chaingrad: backward pass of c</title>" in page


def test_a_repeated_label_is_told_apart():
    x, y = Value(1.0, "x"), Value(2.0, "x")
    names = node_names(creation_order(x * y))
    assert (names[x], names[y]) == ("x#1", "x#2")


def test_a_generated_name_never_repeats_a_label():
    x = Value(1.0, "v1")
    root = (x * 2).tanh()
    names = node_names(creation_order(root))
    assert names[root.parents[0]] == "v2" and len(set(names.values())) == 3


def test_caption_writes_the_flowing_gradient_and_the_local_derivative_differently():
    nodes = lecture_expression()
    captions = {frame.current: frame.caption for frame in animate_backward(nodes["L"]).frames}
    assert captions[nodes["a"]] == "∂L/∂a += ∂L/∂e · local ∂e/∂a = (-2.0000) · (-3.0000) = 6.0000"
    # the consumer is the output itself: `local` still tells the two factors apart
    assert captions[nodes["d"]] == "∂L/∂d += ∂L/∂L · local ∂(d·f)/∂d = 1.0000 · (-2.0000) = -2.0000"
    for caption in captions.values():
        assert "dL/" not in caption and " * " not in caption  # no dL/dd, no code multiplication


def test_every_contribution_line_names_the_root_in_the_flowing_gradient():
    c, _, _ = readme_example()
    c.label = "c"
    lines = [line for frame in animate_backward(c).frames for line in frame.caption.splitlines() if "+=" in line]
    assert lines
    pattern = re.compile(r"^∂c/∂(\w+) \+= ∂c/∂(\w+) · local ∂(.+?)/∂\1 = \S+ · \S+ = \S+$")
    for line in lines:
        match = pattern.match(line)
        assert match, line
        consumer, local_top = match[2], match[3]
        # the local derivative is the consumer's own, written with its op when the consumer is c
        # itself, so it never reads like the flowing gradient ∂c/∂x
        assert local_top == consumer if consumer != "c" else local_top == "(v1 + v2)", line


def test_explain_prints_a_single_step_once():
    nodes = lecture_expression()
    text = str(explain(nodes["L"], nodes["f"]))
    assert "= 4.0000 = 4.0000" not in text
    assert "    local ∂(d·f)/∂f = 4.0000" in text.splitlines()
    assert text.splitlines()[-2] == "∂L/∂f = 4.0000"
    latex = explain(nodes["L"], nodes["f"])._repr_latex_()
    assert latex.count("4.0000") == 1


def test_explain_writes_products_of_local_derivatives_with_partials():
    nodes = lecture_expression()
    text = str(explain(nodes["L"], nodes["a"]))
    assert "    ∂e/∂a · ∂d/∂e · ∂(d·f)/∂d = (-3.0000) · 1.0000 · (-2.0000) = 6.0000" in text.splitlines()


def test_no_negative_zero_and_no_numpy_reprs():
    assert fmt(-0.0) == fmt(-1e-9) == "0.0000"
    assert fmt(-0.00005001) == "-0.0001"
    np = __import__("numpy")
    assert constant(np.float64(2.5)) == "2.5" and constant(-0.0) == "0"
    x = Value(-1e-7, "x")
    y = x * 1e-3
    y.label = "y"
    texts = [frame.caption for frame in animate_backward(y).frames + animate_forward(y).frames]
    texts += [draw_dot(y).source, str(explain(y, x))]
    assert not any("-0.0000" in text or "np.float" in text for text in texts)
