"""explain: paths from wrt to root, their products, and their sum against the engine's gradient."""

import math
import random

import pytest

from autograd import Value, explain, grad, topological_order


def neuron_loss() -> tuple[Value, Value]:
    """C = tanh(w * x)**2, labelled as in the textbook: dC/dw = dz/dw * da/dz * dC/da."""
    w, x = Value(0.7, "w"), Value(-1.3, "x")
    z = w * x
    z.label = "z"
    a = z.tanh()
    a.label = "a"
    C = a**2
    C.label = "C"
    return C, w


def random_expression(seed: int) -> Value:
    rng = random.Random(seed)
    pool = [Value(rng.uniform(-2, 2), f"x{i}") for i in range(3)]
    for _ in range(10):
        x, y = rng.choice(pool), rng.choice(pool)
        pool.append(rng.choice([x + y, x * y, x.tanh(), x.sin(), x * 0.5 - y]))
    return pool[-1] * pool[-2] + pool[-3]


def test_one_path_is_written_in_textbook_notation():
    C, w = neuron_loss()
    text = str(explain(C, w))
    assert "w -> z -> a -> C" in text
    # the last factor is the output op's local derivative, written with the op so that it cannot be
    # read as the flowing gradient ∂C/∂a
    assert "∂z/∂w · ∂a/∂z · ∂(a ** 2)/∂a = " in text
    assert text.splitlines()[-2] == f"∂C/∂w = {grad(C, [w])[0]:.4f}"


def test_the_product_along_a_single_path_is_the_gradient_exactly():
    C, w = neuron_loss()
    explanation = explain(C, w)
    (path,) = explanation.paths
    assert [node.label for node in path.nodes] == ["w", "z", "a", "C"]
    assert path.product == explanation.total == grad(C, [w])[0]


def test_every_path_is_listed_and_their_products_sum_to_the_gradient():
    a = Value(2.0, "a")
    b = a * 3.0
    b.label = "b"
    L = b * a + a
    L.label = "L"
    explanation = explain(L, a)
    assert explanation.path_count == 3  # a -> b -> v -> L, a -> v -> L, a -> L
    assert sorted(p.product for p in explanation.paths) == [1.0, 6.0, 6.0]
    assert "∂L/∂a = 6.0000 + 6.0000 + 1.0000 = 13.0000" in str(explanation)
    L.backward()
    assert explanation.total == a.grad == 13.0


@pytest.mark.parametrize("seed", range(8))
def test_sum_over_paths_equals_backward_to_1e_12(seed):
    L = random_expression(seed)
    L.backward()
    for leaf in [node for node in topological_order(L) if not node.parents]:
        explanation = explain(L, leaf)
        assert explanation.paths is not None and len(explanation.paths) == explanation.path_count
        assert math.isclose(explanation.total, leaf.grad, rel_tol=1e-12, abs_tol=1e-12)


def test_a_plus_a_is_two_paths():
    a = Value(1.0, "a")
    explanation = explain(a + a, a)
    assert explanation.path_count == 2 and explanation.total == 2.0


def test_too_many_paths_are_counted_not_listed():
    x = Value(1.0, "x")
    y = x
    for _ in range(40):  # y = y + y forty times: 2**40 paths through 41 nodes
        y = y + y
    y.label = "y"
    explanation = explain(y, x, max_paths=1000)
    assert explanation.paths is None and explanation.total is None
    assert explanation.path_count == 2**40
    text = str(explanation)
    assert "1,099,511,627,776 paths lead from x to y" in text
    assert "backward() visited only 41 nodes" in text and "dynamic programming" in text
    assert text.endswith(f"∂y/∂x = {2.0**40:.4f}")
    assert "1,099,511,627,776 paths" in explanation._repr_latex_()


def test_deep_graphs_need_no_recursion():
    x = Value(0.1, "x")
    y = x
    for _ in range(5000):
        y = y * 1.0001
    explanation = explain(y, x)
    assert explanation.path_count == 1 and len(explanation.paths[0].nodes) == 5001
    assert math.isclose(explanation.total, grad(y, [x])[0], rel_tol=1e-12)


def test_unrelated_input_has_no_path_and_zero_gradient():
    x, other = Value(1.0, "x"), Value(2.0, "other")
    explanation = explain(x * 2, other)
    assert explanation.path_count == 0 and explanation.total == 0.0 == explanation.gradient
    assert "does not depend on other" in str(explanation)


def test_the_root_with_respect_to_itself_is_one():
    C, _ = neuron_loss()
    explanation = explain(C, C)
    assert explanation.path_count == 1 and explanation.total == 1.0


def test_latex_uses_partial_fractions_and_escapes_names():
    w = Value(0.5, "w_1")
    out = (w * 2).tanh()
    out.label = "C"
    latex = explain(out, w)._repr_latex_()
    assert latex.startswith("$$") and latex.endswith("$$")
    assert r"\frac{\partial \mathrm{C}}{\partial \mathrm{w\_1}} &=" in latex


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="wrt must be a Value"):
        explain(Value(1.0), 1.0)
    with pytest.raises(ValueError, match="max_paths"):
        explain(Value(1.0), Value(1.0), max_paths=-1)
