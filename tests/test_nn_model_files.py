"""Model files, hardened: strict JSON out, everything checked on the way in, nothing changed on error."""

from __future__ import annotations

import json
import math

import pytest

from nn import MLP
from nn.data import Standardizer

HEADER = '{"format": "chaingrad.nn", "version": 1, "module": "MLP", '
TINY = '"config": {"nin": 1, "nouts": [1], "activation": "relu", "fused": true}, '


def tiny_file(w0: str = "0.5", b: str = "0.0", extra: str = "") -> str:
    """A hand-written 1-1 MLP file whose two numbers are spelled as given."""
    return HEADER + TINY + f'"state_dict": {{"layer0.neuron0.w0": {w0}, "layer0.neuron0.b": {b}}}{extra}}}'


def values(model: MLP) -> list[tuple[str, float]]:
    return [(name, p.data) for name, p in model.named_parameters()]


def test_a_version_1_file_as_written_before_scalers_existed_still_loads(tmp_path):
    # the refusals below each change one thing in this file
    path = tmp_path / "tiny.json"
    path.write_text(tiny_file())
    model = MLP.load(path)
    assert values(model) == [("layer0.neuron0.w0", 0.5), ("layer0.neuron0.b", 0.0)]
    assert model.scaler is None


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_save_refuses_a_non_finite_parameter_by_name_and_writes_nothing(tmp_path, bad):
    model = MLP(2, [3, 1], seed=0)
    model.layers[1].neurons[0].w[2].data = bad
    path = tmp_path / "model.json"
    with pytest.raises(ValueError, match=rf"layer1\.neuron0\.w2 is {bad}"):
        model.save(path)
    assert not path.exists()


def test_a_saved_model_with_a_scaler_predicts_the_same_on_raw_inputs_after_loading(tmp_path):
    model = MLP(3, [5, 2], seed=0)
    model.scaler = Standardizer().fit([[4.7, 100.0, -3.0], [7.1, 300.0, -1.0], [5.5, 250.0, -2.5]])
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert document["version"] == 2 and document["scaler"] == model.scaler.to_dict()
    loaded = MLP.load(path)
    assert loaded.scaler == model.scaler
    raw = [6.0, 180.0, -2.0]
    assert [v.data for v in loaded(raw)] == [v.data for v in model(raw)]


def test_a_model_without_a_scaler_is_written_as_version_1_for_older_readers(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [1], seed=0).save(path)
    document = json.loads(path.read_text())
    assert document["version"] == 1 and "scaler" not in document


def test_the_scaler_is_applied_before_the_first_layer():
    model = MLP(1, [1], "linear", seed=0)
    w, b = model.parameters()
    w.data, b.data = 1.0, 0.0
    model.scaler = Standardizer([10.0], [2.0])
    assert model([14.0]).data == 2.0


SCALER = ', "scaler": {"mean": [1.0], "scale": [2.0]}'


def v2(extra: str) -> str:
    return tiny_file(extra=extra).replace('"version": 1', '"version": 2')


@pytest.mark.parametrize(
    "text, message",
    [
        (tiny_file(w0="NaN"), "NaN is not a number a model file may hold"),
        (tiny_file(w0="Infinity"), "Infinity is not a number"),
        (tiny_file(b="-Infinity"), "-Infinity is not a number"),
        (tiny_file(w0="1e999"), "1e999 does not fit a float64"),
        (tiny_file(w0="-2.5e400"), "does not fit a float64"),
        (tiny_file(w0="1" + "0" * 400), r"\(401 digits\) does not fit a float64"),
        (tiny_file(w0="[0.5]"), r"layer0\.neuron0\.w0 must be a number, got list"),
        (tiny_file(w0="[[0.5]]"), "nesting 4 levels deep; a model file has at most 3"),
        (tiny_file(w0='{"a": [0.5]}'), "nesting 4 levels deep"),
        ("[" * 100_000 + "]" * 100_000, "nesting 100000 levels deep"),
        (tiny_file(w0='"[[[[ not nesting: a string ]]]]"'), "layer0.neuron0.w0 must be a number"),
        (tiny_file(w0="true"), "layer0.neuron0.w0 must be a number, got bool"),
        (tiny_file(extra=', "pickle": "os.system"'), "unexpected keys pickle"),
        (tiny_file(extra=SCALER), "a 'scaler' needs model file version 2"),
        (v2(SCALER), None),  # the same file as version 2: valid
        (v2(', "scaler": {"mean": [1.0], "scale": [0.0]}'), "'scaler': Standardizer: every scale must be > 0"),
        (v2(', "scaler": {"mean": [1.0, 2.0], "scale": [1.0, 1.0]}'), "the scaler has 2 features, the model 1 inputs"),
        (v2(', "scaler": {"mean": [1.0], "scale": [1.0], "clip": [0]}'), "exactly 'mean' and 'scale'"),
        (tiny_file().replace('"version": 1', '"version": true'), "version True"),
        (tiny_file().replace('"nin": 1', '"nin": 1000000000'), "1,000,000,001 parameters, over the limit"),
        (tiny_file().replace('"nouts": [1]', '"nouts": [1, 100000, 100000]'), "over the limit of 1,000,000"),
        (tiny_file().replace('"nouts": [1]', '"nouts": [2]'), "the config makes 4 parameters but 'state_dict' holds 2"),
        (tiny_file().replace('"nin": 1', '"nin": -1'), "config nin must be a positive int"),
    ],
)  # fmt: skip
def test_a_damaged_or_hostile_file_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "model.json"
    path.write_text(text)
    if message is None:
        assert MLP.load(path).scaler == Standardizer([1.0], [2.0])
        return
    with pytest.raises(ValueError, match=message) as info:
        MLP.load(path)
    assert str(info.value).startswith(str(path))


def test_a_file_that_is_not_utf8_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "weights.json"
    path.write_bytes(b'{"format": "chaingrad.nn", \xff\xfe}')
    with pytest.raises(ValueError, match=r"weights\.json: not a model file: byte 27 is not UTF-8 text"):
        MLP.load(path)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"layer0.neuron1.b": math.nan}, r"layer0\.neuron1\.b is nan; parameters must be finite"),
        ({"layer0.neuron1.b": math.inf}, "is inf"),
        ({"layer1.neuron0.w2": 10**400}, r"layer1\.neuron0\.w2 = 1000.* does not fit a float64"),
        ({"layer1.neuron0.w2": True}, "must be a number, got bool"),
        ({"layer1.neuron0.w2": "0.5"}, "must be a number, got str"),
        ({"layer1.neuron0.w2": [0.5]}, "must be a number, got list"),
        ({"layer9.neuron0.w0": 0.5}, "unexpected layer9.neuron0.w0"),
    ],
)
def test_load_state_dict_refuses_a_bad_value_and_leaves_every_parameter_as_it_was(change, message):
    model = MLP(2, [3, 1], seed=0)
    before = values(model)
    state = {**model.state_dict(), **{name: 0.25 for name in model.state_dict()}, **change}  # all change, one bad
    with pytest.raises(ValueError, match=message):
        model.load_state_dict(state)
    assert values(model) == before  # name by name, value by value


def test_load_state_dict_refuses_a_missing_parameter_and_changes_nothing():
    model = MLP(2, [3, 1], seed=0)
    before = values(model)
    state = {name: 0.25 for name in model.state_dict()}
    del state["layer0.neuron2.w0"]
    with pytest.raises(ValueError, match=r"missing layer0\.neuron2\.w0"):
        model.load_state_dict(state)
    assert values(model) == before


def test_load_state_dict_accepts_whole_numbers_that_fit_a_float64():
    model = MLP(1, [1], seed=0)
    model.load_state_dict({"layer0.neuron0.w0": 2**60, "layer0.neuron0.b": -3})
    assert values(model) == [("layer0.neuron0.w0", float(2**60)), ("layer0.neuron0.b", -3.0)]


def test_a_scaler_in_the_file_of_a_module_that_would_ignore_it_is_refused(tmp_path):
    from nn import Layer

    path = tmp_path / "layer.json"
    Layer(1, 1).save(path)
    document = json.loads(path.read_text())
    document.update(version=2, scaler={"mean": [1.0], "scale": [2.0]})
    path.write_text(json.dumps(document))
    with pytest.raises(ValueError, match="a Layer does not apply an input scaler"):
        Layer.load(path)
