"""animate_forward / animate_backward: the frames, their captions against the engine, the widget."""

import random
import re

import pytest

from autograd import Value, grad, topological_order
from autograd.viz import animate_backward, animate_forward
from autograd.viz.graph import creation_order


def issue_example() -> tuple[Value, Value]:
    """The caption quoted in the issue: ∂L/∂a += ∂L/∂c · local ∂c/∂a = 2.0000 · 3.0000 = 6.0000."""
    a, b = Value(5.0, "a"), Value(3.0, "b")
    c = a * b
    c.label = "c"
    L = c * 2
    L.label = "L"
    return L, a


def random_expression(seed: int, size: int = 12) -> Value:
    """Ops applied to randomly chosen earlier Values: lots of fan-out and shared subgraphs."""
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-2, 2), f"x{i}") for i in range(3)]
    for _ in range(size):
        x, y = rng.choice(pool), rng.choice(pool)
        pool.append(rng.choice([x + y, x * y, x.tanh(), x.sigmoid(), x * 0.5 - y, x**2]))
    return pool[-1] + pool[-2] * pool[-3]


def last_number(caption: str) -> str:
    return re.search(r"= (\S+)$", caption).group(1)


def test_backward_caption_shows_the_chain_rule_with_numbers():
    L, a = issue_example()
    caption = next(f.caption for f in animate_backward(L).frames if f.current is a)
    assert caption == "∂L/∂a += ∂L/∂c · local ∂c/∂a = 2.0000 · 3.0000 = 6.0000"


def test_backward_visits_nodes_in_reverse_topological_order():
    L, _ = issue_example()
    frames = animate_backward(L).frames
    assert [f.current for f in frames] == topological_order(L)[::-1]
    assert frames[0].caption == "start at the output: ∂L/∂L = 1.0000"
    assert [len(f.done) for f in frames] == list(range(1, len(frames) + 1))
    assert all(f.current in f.done for f in frames)


def test_a_node_used_twice_shows_its_contributions_and_their_sum():
    a = Value(1.5, "a")
    b = a + a
    b.label = "b"
    c = b * a
    c.label = "c"
    caption = next(f.caption for f in animate_backward(c).frames if f.current is a)
    assert caption.splitlines() == [
        "a is used 3 times, so its gradient is the sum of 3 contributions:",
        "∂c/∂a += ∂c/∂c · local ∂(b·a)/∂a = 1.0000 · 3.0000 = 3.0000",
        "∂c/∂a += ∂c/∂b · local ∂b/∂a = 1.5000 · 1.0000 = 1.5000",
        "∂c/∂a += ∂c/∂b · local ∂b/∂a = 1.5000 · 1.0000 = 1.5000",
        "∂c/∂a = 3.0000 + 1.5000 + 1.5000 = 6.0000",
    ]


@pytest.mark.parametrize("seed", range(6))
def test_backward_numbers_are_the_engines_gradients(seed):
    L = random_expression(seed)
    frames = animate_backward(L).frames
    order = [f.current for f in frames]
    expected = grad(L, order)
    for frame, g in zip(frames, expected):
        assert frame.result == g  # bit for bit: same products, summed in the same order
        assert last_number(frame.caption.splitlines()[-1]) == f"{g:.4f}"
    L.backward()
    assert [f.result for f in frames] == [node.grad for node in order]


def test_players_leave_grad_alone():
    L = random_expression(0)
    animate_backward(L)
    assert all(node.grad == 0.0 for node in topological_order(L))


def test_forward_lights_up_nodes_in_creation_order_with_their_arithmetic():
    L, _ = issue_example()
    frames = animate_forward(L).frames
    assert [f.current for f in frames] == creation_order(L)
    captions = [f.caption for f in frames]
    assert "a = 5.0000   (an input: its value is given)" in captions
    assert "c = a * b = 5.0000 * 3.0000 = 15.0000" in captions
    assert captions[-1] == "L = c * 2 = 15.0000 * 2 = 30.0000"
    assert [f.result for f in frames] == [node.data for node in creation_order(L)]


def test_forward_captions_name_unary_and_nary_ops():
    from autograd import dot

    w = [Value(0.5, "layer0.neuron0.w0"), Value(-1.0, "layer0.neuron0.w1")]
    s = dot(w, [2.0, 3.0])
    out = s.tanh()
    captions = [f.caption for f in animate_forward(out).frames]
    assert "v1 = layer0.neuron0.w0*2 + layer0.neuron0.w1*3 = 0.5000*2 + (-1.0000)*3 = -2.0000" in captions
    assert captions[-1] == "out = tanh(v1) = tanh(-2.0000) = -0.9640"
    assert "layer0.neuron0.w0 = 0.5000   (a parameter: its value is given)" in captions


def test_players_refuse_graphs_over_max_nodes():
    L = random_expression(1, size=40)
    n = len(topological_order(L))
    for animate in (animate_forward, animate_backward):
        with pytest.raises(ValueError, match=f"{n} Values, more than max_nodes=20"):
            animate(L, max_nodes=20)


def test_each_step_restyles_the_picture():
    L, a = issue_example()
    player = animate_backward(L)
    first, last = player.svg(0), player.svg(len(player) - 1)
    assert first.startswith("<svg") and first != last
    assert 'style="width:100%;max-width:' in first  # a static frame in a notebook shrinks to the cell
    i, step = creation_order(L).index(a), [f.current for f in player.frames].index(a)
    assert f"#p #n{i}>title+*" in player.frame_css(step, "#p")  # a's record is highlighted
    assert f"#p #n{i}>title+*" not in player.frame_css(0, "#p")


def test_jupyter_widget_moves_with_its_slider():
    L, _ = issue_example()
    box = animate_backward(L).widget()
    (play, slider), caption, picture = box.children[0].children, box.children[1], box.children[2]
    assert play.max == slider.max == 3  # 4 frames: L, c, a, b
    before = caption.value, picture.value
    slider.value = [f.current.label for f in animate_backward(L).frames].index("a")
    assert "∂L/∂a += ∂L/∂c · local ∂c/∂a" in caption.value
    assert (caption.value, picture.value) != before
    assert 'style="width:100%;max-width:' in picture.value  # scaled down to the cell, never clipped
    assert box.layout.width == picture.layout.width == "100%"  # so the cell's width reaches the picture
