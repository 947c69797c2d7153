"""check_graph: re-derive every node's recorded derivatives and point at the wrong ones."""

from __future__ import annotations

import pytest

import autograd
from autograd import GradcheckError, Mismatch, Value, check_graph, gradcheck, ops, primitive, topological_order
from nn import MLP
from nn.losses import mse


@primitive
def leaky_tanh(x):
    """tanh(x) + 0.1 x, with a planted mistake: its derivative forgets the 0.1."""
    t = ops.tanh(x)
    return t + 0.1 * x, (1.0 - t * t,)


def mlp_loss(model: MLP, X: list, y: list, planted_neuron: int | None = None) -> Value:
    """A 2-layer MLP's mse loss, computed layer by layer so that one hidden unit can go
    through leaky_tanh (the planted wrong node)."""
    hidden_layer, output_layer = model.layers
    outputs = []
    for x in X:
        hidden = hidden_layer(x)
        if planted_neuron is not None:
            hidden[planted_neuron] = leaky_tanh(hidden[planted_neuron])
        outputs.append(output_layer(hidden)[0])
    return mse(outputs, y)


X, Y = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8]], [1.0, -1.0, 0.5]


def test_a_correct_mlp_graph_has_no_mismatch() -> None:
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    assert check_graph(mlp_loss(model, X, Y)) == []


def test_check_graph_locates_the_planted_wrong_node_inside_a_two_layer_mlp() -> None:
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    loss = mlp_loss(model, X[:1], Y[:1], planted_neuron=2)
    (wrong,) = check_graph(loss)
    assert isinstance(wrong, Mismatch) and wrong.op == "leaky_tanh" and wrong.node.op is leaky_tanh
    assert wrong.node.parents[0].op == "tanh"  # it follows hidden unit 2's activation
    assert wrong.operand == 0 and wrong.recorded == wrong.node.local_grads[0]
    assert wrong.numeric == pytest.approx(wrong.recorded + 0.1, abs=1e-6)  # the forgotten 0.1


def test_mismatches_come_in_topological_order_one_per_wrong_node() -> None:
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    loss = mlp_loss(model, X, Y, planted_neuron=1)
    wrong = check_graph(loss)
    planted = [n for n in topological_order(loss) if n.op == "leaky_tanh"]
    assert [m.node for m in wrong] == planted and len(planted) == len(X)


def test_a_tampered_recorded_derivative_of_a_built_in_node_is_found_with_its_operand() -> None:
    model = MLP(2, [4, 1], activation="relu", seed=1)
    loss = mlp_loss(model, X, Y)
    dots = [n for n in topological_order(loss) if n.op == "dot"]
    target = dots[3]
    target._local1 = (*target._local1[:1], target._local1[1] + 0.5, *target._local1[2:])  # d dot / d w1
    (wrong,) = check_graph(loss)
    assert (wrong.node, wrong.op, wrong.operand) == (target, "dot", 1)
    assert wrong.recorded == pytest.approx(wrong.numeric + 0.5, abs=1e-6)


def test_gradcheck_names_the_first_wrong_node() -> None:
    with pytest.raises(GradcheckError, match=r"first node whose recorded derivative is off: leaky_tanh\(0\.3") as error:
        gradcheck(lambda a, b: leaky_tanh(a * b) * b, [0.6, 0.5])
    assert "recorded" in str(error.value) and "central differences" in str(error.value)


def test_check_graph_sees_through_constants_and_n_ary_nodes() -> None:
    a, b = Value(0.3), Value(-2.0)
    root = autograd.sum([a / 4.0, 2.0**a, autograd.dot([a, 2.0], [b, b]), autograd.mean([a, b, 1.0])])
    assert check_graph(root) == []


def test_check_graph_rejects_a_non_value() -> None:
    with pytest.raises(TypeError, match="expected a Value"):
        check_graph(3.0)
