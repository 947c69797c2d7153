"""The benchmark workloads written with chaingrad's engine, as a user would write them."""

from __future__ import annotations

import builtins

import autograd
from autograd import Value
from benchmarks.competitors import init_params


def mlp(seed: int = 0) -> list:
    """Rows [w..., b] of Values, the same initial numbers as the other engines get."""
    return [[[Value(v) for v in row] for row in layer] for layer in init_params(seed)]


def weighted_sums(layer: list, inputs: list, fused: bool) -> list:
    if fused:  # one dot node per neuron, the bias being the weight of a constant input 1.0
        return autograd.matvec(layer, [*inputs, 1.0])
    # micrograd's way: a * and a + per weight, 2n nodes per neuron
    return [builtins.sum((w * a for w, a in zip(row, inputs)), row[-1]) for row in layer]


def step(layers: list, X: list, y: list, lr: float, alpha: float = 1e-4, fused: bool = True) -> float:
    """Full-batch hinge loss + L2, zero grads, backward, SGD: the same step as the others."""
    params = [p for layer in layers for row in layer for p in row]
    losses = []
    for xi, yi in zip(X, y):
        act = xi
        for li, layer in enumerate(layers):
            z = weighted_sums(layer, act, fused)
            act = z if li == len(layers) - 1 else [v.relu() for v in z]
        losses.append((1 - yi * act[0]).relu())
    reg = autograd.dot(params, params) if fused else builtins.sum(p * p for p in params)
    total = autograd.mean(losses) + alpha * reg
    for p in params:
        p.grad = 0.0
    total.backward()
    for p in params:
        p.data -= lr * p.grad
    return total.data
