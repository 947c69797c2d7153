"""Module: parameter names and order, zero_grad, repr, state dicts and JSON files."""

from __future__ import annotations

import json

import pytest

from autograd import Value
from nn import MLP, Layer, Module, Neuron


def test_parameters_come_in_a_stable_documented_order():
    model = MLP(2, [3, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names[:4] == ["layer0.neuron0.w0", "layer0.neuron0.w1", "layer0.neuron0.b", "layer0.neuron1.w0"]
    assert names[-1] == "layer1.neuron0.b"
    assert len(names) == 3 * 3 + 4
    assert model.parameters() == [p for _, p in model.named_parameters()]
    assert model.parameters() == model.parameters()


def test_every_parameter_is_labelled_with_its_name():
    model = MLP(2, [16, 16, 1], seed=0)
    assert all(p.label == name for name, p in model.named_parameters())
    assert model.layers[0].neurons[3].w[1].label == "layer0.neuron3.w1"


def test_standalone_neurons_and_layers_name_their_own_parameters():
    assert [name for name, _ in Neuron(2).named_parameters()] == ["w0", "w1", "b"]
    layer_names = [name for name, _ in Layer(1, 2).named_parameters()]
    assert layer_names == ["neuron0.w0", "neuron0.b", "neuron1.w0", "neuron1.b"]


def test_zero_grad_resets_every_gradient():
    model = MLP(2, [3, 1], "tanh", seed=0)
    model([1.0, 2.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_repr_shows_the_architecture():
    assert repr(MLP(2, [16, 16, 1])) == "MLP(2, [16, 16, 1], activation='relu')"
    assert repr(Layer(3, 2, "tanh", fused=False)) == "Layer(3, 2, activation='tanh', fused=False)"
    assert repr(Neuron(2, "linear")) == "Neuron(2, activation='linear')"


def test_state_dict_is_json_serialisable_and_complete():
    model = MLP(2, [4, 3], seed=0)
    state = json.loads(json.dumps(model.state_dict()))
    assert state == {name: p.data for name, p in model.named_parameters()}


def test_load_state_dict_copies_values():
    a, b = MLP(2, [4, 1], seed=1), MLP(2, [4, 1], seed=2)
    b.load_state_dict(a.state_dict())
    assert b.state_dict() == a.state_dict()
    assert b([0.3, 0.4]).data == a([0.3, 0.4]).data


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("layer1.neuron0.b"), r"expected 13 parameters, got 12; missing layer1\.neuron0\.b"),
        (lambda s: s.update({"layer9.neuron0.b": 1.0}), r"unexpected layer9\.neuron0\.b"),
        (lambda s: s.update({"layer0.neuron0.w0": "0.5"}), r"layer0\.neuron0\.w0 must be a number, got str"),
        (lambda s: s.update({"layer0.neuron1.b": True}), r"must be a number, got bool"),
        (lambda s: s.update({"layer0.neuron1.b": None}), r"must be a number, got NoneType"),
    ],
)
def test_a_mismatched_state_dict_says_what_differs_and_loads_nothing(change, message):
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    state = {name: 42.0 for name in before}
    change(state)
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert model.state_dict() == before


def test_a_state_dict_of_another_architecture_is_refused():
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"missing layer0\.neuron2\.w0.*; unexpected layer1\.neuron1\.w0"):
        model.load_state_dict(MLP(2, [2, 2], seed=0).state_dict())
    assert model.state_dict() == before


def test_json_round_trip_gives_identical_predictions(tmp_path):
    model = MLP(2, [8, 8, 3], "tanh", seed=3, fused=False)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = MLP.load(path)
    assert repr(loaded) == repr(model)
    for x in ([0.1, 0.2], [-3.0, 1e-3], [1e6, -7.5]):
        assert [v.data for v in loaded(x)] == [v.data for v in model(x)]
    assert all(p.label == name for name, p in loaded.named_parameters())


def test_the_file_is_plain_json_with_the_architecture(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=0).save(path)
    document = json.loads(path.read_text())
    assert document["module"] == "MLP"
    assert document["config"] == {"nin": 2, "nouts": [3, 1], "activation": "relu", "fused": True}
    assert len(document["state_dict"]) == 13


def test_module_load_rebuilds_whatever_kind_the_file_holds(tmp_path):
    path = tmp_path / "layer.json"
    Layer(2, 3, "sigmoid").save(path)
    assert isinstance(Module.load(path), Layer)
    with pytest.raises(ValueError, match="holds 'Layer', expected MLP"):
        MLP.load(path)


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"format": "chaingrad.nn", "version": 1, "module": "MLP", "con', "not a valid model file"),
        ("[1, 2, 3]", "not a model file"),
        ('{"format": "chaingrad.nn", "version": 99}', "version 99"),
        ('{"format": "chaingrad.nn", "version": 1, "module": "MLP", "config": {"nin": 2}}', "nouts"),
        ('{"format": "chaingrad.nn", "version": 1, "module": "MLP", "config": {"nin": "two", "nouts": [1]}}', "nin"),
        ('{"format": "chaingrad.nn", "version": 1, "module": "MLP", "config": {"nin": 1, "nouts": [1]}}', "dict"),
        ('{"format": "chaingrad.nn", "version": 1, "module": "os.system", "config": {}}', "holds 'os.system'"),
    ],
)
def test_a_corrupted_file_is_refused_with_a_clear_error(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=message) as info:
        MLP.load(path)
    assert str(path) in str(info.value)


def test_a_file_with_a_damaged_parameter_is_refused_and_the_model_kept(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    document["state_dict"]["layer0.neuron2.w1"] = "oops"
    path.write_text(json.dumps(document))
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"layer0\.neuron2\.w1 must be a number"):
        model = MLP.load(path)
    assert model.state_dict() == before


class TwoLayers(Module):
    """A module written as in PyTorch: parts are found in its attributes."""

    def __init__(self):
        self.hidden = Layer(2, 3, "tanh")
        self.heads = [Neuron(3, "linear"), Neuron(3, "linear")]
        self.scale = Value(1.0)

    def __call__(self, x):
        h = self.hidden(x)
        return [head(h) * self.scale for head in self.heads]


def test_a_custom_module_finds_its_parameters_in_its_attributes():
    model = TwoLayers()
    names = [name for name, _ in model.named_parameters()]
    assert names[0] == "scale" and names[1] == "hidden.neuron0.w0" and names[-1] == "heads1.b"
    assert len(names) == 1 + 3 * 3 + 2 * 4
    model([0.5, -0.5])[1].backward()
    assert model.scale.grad != 0.0
    assert repr(model) == "TwoLayers(18 parameters)"
