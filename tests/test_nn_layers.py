"""Neuron, Layer and MLP: what they compute, what they return, and what they refuse."""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value, grad
from nn import MLP, Layer, Neuron


def test_neuron_computes_activation_of_weighted_sum_plus_bias():
    n = Neuron(2, "tanh", rng=random.Random(0))
    n.w[0].data, n.w[1].data, n.b.data = 0.5, -1.5, 0.25
    assert n([2.0, 1.0]).data == pytest.approx(math.tanh(0.5 * 2.0 - 1.5 * 1.0 + 0.25))


@pytest.mark.parametrize(
    "activation, f",
    [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", lambda z: z),
    ],
)
def test_each_activation_is_applied(activation, f):
    n = Neuron(3, activation, rng=random.Random(1))
    x = [0.3, -0.7, 1.1]
    z = sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
    assert n(x).data == pytest.approx(f(z), abs=1e-15)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_fused_and_unfused_neurons_agree_in_value_and_gradient(activation):
    fused = Neuron(4, activation, rng=random.Random(2))
    unfused = Neuron(4, activation, rng=random.Random(2), fused=False)
    x = [Value(v) for v in (0.5, -0.25, 2.0, 0.1)]
    a, b = fused(x), unfused(x)
    assert a.data == pytest.approx(b.data, abs=1e-14)
    ga = grad(a, fused.parameters() + x)
    gb = grad(b, unfused.parameters() + x)
    assert ga == pytest.approx(gb, abs=1e-14)


def ops_below(node):
    """The ops of every node a Value was computed from (leaves excluded), with repeats."""
    seen, stack = [], [node]
    while stack:
        node = stack.pop()
        seen += [node.op] if node.op else []
        stack.extend(node.parents)
    return sorted(seen)


def test_a_fused_neuron_is_one_dot_node_and_an_unfused_one_shows_every_product():
    x = [Value(1.0), Value(2.0), Value(3.0)]
    assert ops_below(Neuron(3, "relu", rng=random.Random(0))(x)) == ["dot", "relu"]
    unfused = Neuron(3, "relu", rng=random.Random(0), fused=False)(x)
    assert ops_below(unfused) == ["*", "*", "*", "+", "+", "+", "relu"]


def test_inputs_may_be_floats_ints_or_values():
    n = Neuron(2, "linear", rng=random.Random(0))
    assert n([1, 2.0]).data == pytest.approx(n([Value(1.0), Value(2)]).data)


@pytest.mark.parametrize("module", [Neuron(3), Layer(3, 2), MLP(3, [4, 1])])
def test_wrong_input_length_names_both_sizes(module):
    with pytest.raises(ValueError, match=r"expects 3 inputs, got 2"):
        module([1.0, 2.0])


def test_a_bare_number_is_refused_with_a_hint_to_wrap_it():
    with pytest.raises(TypeError, match=r"\[x\]"):
        MLP(1, [4, 1])(0.5)


def test_layer_always_returns_a_list_even_of_one():
    out = Layer(2, 1)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)


def test_mlp_returns_one_value_for_one_output_and_a_list_otherwise():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    out = MLP(2, [3, 4], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 4


def test_mlp_with_one_input_accepts_a_one_element_list():
    assert isinstance(MLP(1, [4, 1], seed=0)([0.5]), Value)


def test_a_hidden_layer_of_one_neuron_works():
    model = MLP(2, [1, 1], seed=0)
    out = model([1.0, -1.0])
    out.backward()
    assert isinstance(out, Value) and len(model.parameters()) == 3 + 2


def test_hidden_layers_use_the_activation_and_the_last_layer_is_linear():
    model = MLP(2, [3, 3, 2], "tanh", seed=0)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "linear"]


def test_mlp_without_hidden_layers_is_logistic_regression_shaped():
    model = MLP(2, [1], seed=0)
    assert len(model.layers) == 1 and model.layers[0].activation == "linear"


def test_seed_makes_initialisation_reproducible():
    assert MLP(2, [4, 1], seed=7).state_dict() == MLP(2, [4, 1], seed=7).state_dict()
    assert MLP(2, [4, 1], seed=7).state_dict() != MLP(2, [4, 1], seed=8).state_dict()


def test_without_a_seed_the_random_module_is_used_so_random_seed_reproduces():
    random.seed(3)
    a = MLP(2, [4, 1]).state_dict()
    random.seed(3)
    assert MLP(2, [4, 1]).state_dict() == a


def _std(values):
    m = sum(values) / len(values)
    return math.sqrt(sum((v - m) ** 2 for v in values) / len(values))


def test_he_is_the_default_for_relu_and_xavier_for_tanh():
    relu = [w.data for n in Layer(200, 50, "relu", rng=random.Random(0)).neurons for w in n.w]
    tanh = [w.data for n in Layer(200, 50, "tanh", rng=random.Random(0)).neurons for w in n.w]
    assert _std(relu) == pytest.approx(math.sqrt(2 / 200), rel=0.05)
    assert _std(tanh) == pytest.approx(math.sqrt(2 / 250), rel=0.05)


@pytest.mark.parametrize("init, low, high", [("uniform", -1.0, 1.0), ("small", -0.1, 0.1)])
def test_uniform_and_small_inits_stay_in_their_range(init, low, high):
    weights = [w.data for n in Layer(50, 20, init=init, rng=random.Random(0)).neurons for w in n.w]
    assert low <= min(weights) < low + 0.05 and high - 0.05 < max(weights) <= high


def test_biases_start_at_zero():
    assert all(n.b.data == 0.0 for layer in MLP(3, [5, 2], seed=0).layers for n in layer.neurons)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Neuron(0), "nin"),
        (lambda: Neuron(2, "softmax"), "activation"),
        (lambda: Neuron(2, init="zeros"), "init"),
        (lambda: Layer(2, 0), "nout"),
        (lambda: MLP(2, []), "nouts"),
        (lambda: MLP(2, [3, 0]), "layer size"),
        (lambda: MLP(2.5, [1]), "nin"),
    ],
)
def test_bad_constructor_arguments_raise_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_gradients_flow_to_every_parameter_of_an_mlp():
    model = MLP(2, [4, 4, 1], "tanh", seed=0)
    model([0.3, -0.8]).backward()
    assert all(p.grad != 0.0 for p in model.parameters())


def test_a_layer_gives_what_its_neurons_give_one_by_one_even_after_one_is_changed():
    layer = Layer(3, 4, "tanh", rng=random.Random(0))
    x = [Value(0.5), -1.0, 2.0]
    for change in (None, "activation", "fused"):
        if change == "activation":
            layer.neurons[1].activation = "relu"
        elif change == "fused":
            layer.neurons[2].fused = False
        together = layer(x)
        alone = [n(x) for n in layer.neurons]
        assert [z.data for z in together] == pytest.approx([z.data for z in alone], rel=1e-15)
        assert [z.op for z in together] == [z.op for z in alone]
