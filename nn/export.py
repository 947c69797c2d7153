"""The way out to PyTorch: an MLP as a `torch.nn.Sequential` of float64 layers, and back.

Layer i of an MLP becomes `nn.Linear(nin, nout)` whose weight row j is neuron j's `w` and
whose bias j is neuron j's `b`, followed by its activation module (none for a linear layer).
In float64 the two compute the same numbers, so outputs and gradients agree to ~1e-12.
An MLP's input `scaler` is folded into the first Linear layer (W' = W / scale column by
column, b' = b - W' mean), so the torch model, too, takes raw inputs.
torch is imported inside the functions: `nn` runs without it.
"""

from __future__ import annotations

import itertools
from typing import Any

from .layers import MLP

_TORCH_ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid"}


def to_torch(model: MLP) -> Any:
    """A `torch.nn.Sequential` (float64) with the same weights as `model`.

    >>> seq = to_torch(model)
    >>> seq(torch.tensor([[0.5, -1.0]], dtype=torch.float64))   # == model([0.5, -1.0])
    """
    import torch

    if not isinstance(model, MLP):
        raise TypeError(f"to_torch converts an MLP, got {type(model).__name__}")
    modules = []
    for i, layer in enumerate(model.layers):
        weight, bias = layer.weights()
        if i == 0 and model.scaler is not None:  # w.(x - mean)/scale + b = (w/scale).x + b - (w/scale).mean
            weight = [[w / s for w, s in zip(row, model.scaler.scale)] for row in weight]
            bias = [b - sum(w * m for w, m in zip(row, model.scaler.mean)) for row, b in zip(weight, bias)]
        linear = torch.nn.Linear(layer.nin, layer.nout, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(weight, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(bias, dtype=torch.float64))
        modules.append(linear)
        if layer.activation != "linear":
            modules.append(getattr(torch.nn, _TORCH_ACTIVATIONS[layer.activation])())
    return torch.nn.Sequential(*modules)


def from_torch(sequential: Any) -> MLP:
    """An MLP with the weights of `sequential`: Linear layers, each optionally followed by
    one ReLU, Tanh or Sigmoid; every hidden layer uses the same activation and the last
    Linear comes last (an MLP's output layer is linear). Anything else is a `ValueError`.
    """
    import torch

    names = {cls: name for name, cls in _TORCH_ACTIVATIONS.items()}
    linears: list[Any] = []
    activations: list[str] = []
    for i, module in enumerate(sequential):
        if isinstance(module, torch.nn.Linear):
            if module.bias is None:
                raise ValueError(f"from_torch: module {i} is a Linear without bias; an MLP neuron has one")
            linears.append(module)
            activations.append("linear")
        elif type(module).__name__ in names and linears and activations[-1] == "linear":
            activations[-1] = names[type(module).__name__]
        else:
            raise ValueError(
                f"from_torch: module {i} ({type(module).__name__}) does not fit an MLP: expected Linear layers, "
                "each followed by at most one ReLU, Tanh or Sigmoid"
            )
    if not linears:
        raise ValueError("from_torch: the Sequential has no Linear layer")
    if activations[-1] != "linear":
        raise ValueError(f"from_torch: the last Linear is followed by {activations[-1]}; an MLP's output is linear")
    hidden = set(activations[:-1])
    if len(hidden) > 1:
        raise ValueError(f"from_torch: hidden layers mix activations {sorted(hidden)}; an MLP uses one")
    for previous, linear in itertools.pairwise(linears):
        if linear.in_features != previous.out_features:
            raise ValueError(
                f"from_torch: a Linear with {previous.out_features} outputs feeds one with {linear.in_features} inputs"
            )
    activation = hidden.pop() if hidden else "relu"
    sizes = [linear.out_features for linear in linears]
    model = MLP(linears[0].in_features, sizes, activation, seed=0)  # weights are overwritten below
    state = {}
    for i, linear in enumerate(linears):
        weight = linear.weight.detach().to(torch.float64).tolist()
        bias = linear.bias.detach().to(torch.float64).tolist()
        for j, (row, b) in enumerate(zip(weight, bias)):
            state.update({f"layer{i}.neuron{j}.w{k}": w for k, w in enumerate(row)})
            state[f"layer{i}.neuron{j}.b"] = b
    model.load_state_dict(state)
    return model
