"""The other engines in the benchmark, written as their users write them.

micrograd 0.1.0 (PyPI) has no tanh; we add the one from its author's lecture, in
micrograd's own closure style, so the chain workload can be run on it unchanged. The
plain-float versions are the floor for pure Python: the same arithmetic, hand-written
forward and backward, no graph objects at all.
"""

from __future__ import annotations

import itertools
import math
import random

from micrograd.engine import Value as MicroValue


def _micrograd_tanh(self: MicroValue) -> MicroValue:
    t = math.tanh(self.data)
    out = MicroValue(t, (self,), "tanh")

    def _backward() -> None:
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


MicroValue.tanh = _micrograd_tanh


# -- the chain workload: x <- tanh(x * a + b), one op at a time ---------------------------

A, B = 1.0001, 0.001


def chain(value_type: type, n_ops: int) -> tuple:
    """n_ops recorded ops (mul, add, tanh, mul, ...) on whatever Value type is given."""
    x = value_type(0.5)
    y = x
    for _ in range(n_ops // 3):
        y = (y * A + B).tanh()
    return x, y


def float_chain(n_ops: int) -> tuple[float, float]:
    """The same chain on floats: forward keeps each local derivative, backward multiplies."""
    y = 0.5
    local = []
    for _ in range(n_ops // 3):
        y = math.tanh(y * A + B)
        local.append(A * (1.0 - y * y))  # d(tanh(a*y + b))/dy
    g = 1.0
    for d in reversed(local):
        g *= d
    return y, g


# -- the MLP workload: MLP(2, [16, 16, 1]), relu hidden, hinge loss + 1e-4 L2 ---------------


def init_params(seed: int = 0) -> list[list[list[float]]]:
    """Weights per layer as rows [w..., b], uniform(-1, 1) as micrograd initialises them."""
    rng = random.Random(seed)
    sizes = [2, 16, 16, 1]
    layer_sizes = itertools.pairwise(sizes)
    return [[[rng.uniform(-1, 1) for _ in range(nin + 1)] for _ in range(nout)] for nin, nout in layer_sizes]


def float_mlp_step(layers: list, X: list, y: list, lr: float, alpha: float = 1e-4) -> float:
    """One full-batch SGD step with hand-written backprop; returns the loss."""
    grads = [[[0.0] * len(row) for row in layer] for layer in layers]
    n = len(X)
    data_loss = 0.0
    for xi, yi in zip(X, y):
        acts = [list(xi)]
        pre = []
        for li, layer in enumerate(layers):
            inp = acts[-1]
            z = [sum(w * a for w, a in zip(row, inp)) + row[-1] for row in layer]
            pre.append(z)
            acts.append(z if li == len(layers) - 1 else [v if v > 0 else 0.0 for v in z])
        score = acts[-1][0]
        margin = 1.0 - yi * score
        if margin > 0:
            data_loss += margin / n
            delta = [-yi / n]  # d loss / d score
            for li in range(len(layers) - 1, -1, -1):
                inp = acts[li]
                next_delta = [0.0] * len(inp)
                for j, row in enumerate(layers[li]):
                    dj = delta[j]
                    if dj == 0.0:
                        continue
                    g = grads[li][j]
                    for k, a in enumerate(inp):
                        g[k] += dj * a
                        next_delta[k] += dj * row[k]
                    g[-1] += dj
                if li > 0:
                    delta = [d if z > 0 else 0.0 for d, z in zip(next_delta, pre[li - 1])]
    reg = 0.0
    for layer, glayer in zip(layers, grads):
        for row, grow in zip(layer, glayer):
            for k, w in enumerate(row):
                reg += alpha * w * w
                row[k] = w - lr * (grow[k] + 2 * alpha * w)
    return data_loss + reg


def micrograd_mlp(seed: int = 0):
    """micrograd's own MLP with the same initial weights as `init_params(seed)`."""
    from micrograd.nn import MLP

    model = MLP(2, [16, 16, 1])
    for layer, rows in zip(model.layers, init_params(seed)):
        for neuron, row in zip(layer.neurons, rows):
            for w, v in zip(neuron.w, row):
                w.data = v
            neuron.b.data = row[-1]
    return model


def micrograd_step(model, X: list, y: list, lr: float, alpha: float = 1e-4) -> float:
    """micrograd's demo loop body: hinge loss + L2, zero_grad, backward, SGD."""
    inputs = [list(map(MicroValue, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = alpha * sum(p * p for p in model.parameters())
    total = data_loss + reg_loss
    model.zero_grad()
    total.backward()
    for p in model.parameters():
        p.data -= lr * p.grad
    return total.data


def torch_scalar_mlp(seed: int = 0) -> list:
    import torch

    return [
        [[torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in row] for row in layer]
        for layer in init_params(seed)
    ]


def torch_scalar_step(layers: list, X: list, y: list, lr: float, alpha: float = 1e-4) -> float:
    """The same step on PyTorch 0-d float64 tensors, one scalar op at a time."""
    import torch

    params = [p for layer in layers for row in layer for p in row]
    losses = []
    for xi, yi in zip(X, y):
        act = list(xi)
        for li, layer in enumerate(layers):
            z = [sum((w * a for w, a in zip(row, act)), row[-1]) for row in layer]
            act = z if li == len(layers) - 1 else [torch.relu(v) for v in z]
        losses.append(torch.relu(1 - yi * act[0]))
    total = sum(losses) * (1.0 / len(losses)) + alpha * sum(p * p for p in params)
    for p in params:
        p.grad = None
    total.backward()
    with torch.no_grad():
        for p in params:
            p -= lr * p.grad
    return total.item()
