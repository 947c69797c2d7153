"""to_torch / from_torch: the same network in both, outputs and gradients equal to 1e-12."""

from __future__ import annotations

import math

import pytest
import torch
from torch.nn import Linear, ReLU, Tanh

from autograd import Value
from nn import MLP, Layer
from nn.export import from_torch, to_torch
from nn.losses import cross_entropy

INPUTS = [[0.5, -1.0, 2.0], [-0.3, 0.8, 0.1], [1.5, 1.5, -2.5]]


def close(ours, theirs):
    assert len(ours) == len(theirs)
    assert all(math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12) for a, b in zip(ours, theirs)), (ours, theirs)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_to_torch_gives_the_same_outputs_and_gradients(activation):
    model = MLP(3, [5, 4, 3], activation, seed=1)
    seq = to_torch(model)
    assert all(p.dtype == torch.float64 for p in seq.parameters())

    outputs = [model(x) for x in INPUTS]
    loss = cross_entropy(outputs, [0, 2, 1])
    model.zero_grad()
    loss.backward()

    torch_outputs = seq(torch.tensor(INPUTS, dtype=torch.float64))
    torch_loss = torch.nn.functional.cross_entropy(torch_outputs, torch.tensor([0, 2, 1]))
    torch_loss.backward()

    close([v.data for row in outputs for v in row], torch_outputs.flatten().tolist())
    close([loss.data], [torch_loss.item()])
    torch_grads = []
    for linear in (m for m in seq if isinstance(m, torch.nn.Linear)):
        for row, b in zip(linear.weight.grad.tolist(), linear.bias.grad.tolist()):
            torch_grads += [*row, b]  # the order of named_parameters: w0..wn, b per neuron
    close([p.grad for p in model.parameters()], torch_grads)


def test_to_torch_uses_one_linear_and_activation_per_layer():
    seq = to_torch(MLP(2, [16, 16, 1], seed=0))
    kinds = [type(m).__name__ for m in seq]
    assert kinds == ["Linear", "ReLU", "Linear", "ReLU", "Linear"]
    assert seq[0].weight.shape == (16, 2)


def test_from_torch_round_trip_keeps_every_weight():
    model = MLP(3, [4, 2], "tanh", seed=2)
    back = from_torch(to_torch(model))
    assert repr(back) == repr(model)
    assert back.state_dict() == model.state_dict()


def test_from_torch_reads_a_network_built_in_torch():
    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sigmoid(), torch.nn.Linear(3, 1))
    model = from_torch(seq)
    x = [0.25, -0.5]
    expected = seq.double()(torch.tensor([x], dtype=torch.float64)).item()
    assert model(x).data == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    "modules, message",
    [
        ([Linear(2, 3), ReLU()], "output is linear"),
        ([ReLU(), Linear(2, 1)], "module 0"),
        ([Linear(2, 3), ReLU(), Linear(4, 1)], "3 outputs feeds one with 4 inputs"),
        ([Linear(2, 2), Tanh(), Linear(2, 2), ReLU(), Linear(2, 1)], "mix"),
        ([Linear(2, 1, bias=False)], "without bias"),
        ([torch.nn.Conv1d(1, 1, 1)], "Conv1d"),
    ],
)
def test_from_torch_refuses_what_is_not_an_mlp(modules, message):
    with pytest.raises(ValueError, match=message):
        from_torch(torch.nn.Sequential(*modules))


def test_to_torch_refuses_other_modules():
    with pytest.raises(TypeError, match="MLP"):
        to_torch(Layer(2, 2))


def test_exported_network_trains_like_ours_for_one_step():
    model = MLP(2, [4, 1], seed=3)
    seq = to_torch(model)
    x = [0.7, -0.2]
    out = model(x)
    out.backward()
    torch_out = seq(torch.tensor([x], dtype=torch.float64)).sum()
    torch_out.backward()
    assert isinstance(out, Value)
    close([out.data], [torch_out.item()])
    close([model.layers[0].neurons[0].w[1].grad], [seq[0].weight.grad[0, 1].item()])


def test_to_torch_folds_the_input_scaler_into_the_first_layer():
    from nn.data import Standardizer

    model = MLP(3, [4, 2], seed=0)
    model.scaler = Standardizer([10.0, -5.0, 0.5], [2.0, 0.25, 4.0])
    raw = [[12.0, -5.5, 3.0], [7.0, -4.0, -1.0]]
    torch_outputs = to_torch(model)(torch.tensor(raw, dtype=torch.float64))
    close([v.data for x in raw for v in model(x)], torch_outputs.flatten().tolist())
