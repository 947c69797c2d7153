"""Neuron, Layer, MLP: a neuron computes act(w . x + b); layers daisy-chain neurons.

A `Neuron` holds one weight per input and a bias. A `Layer` is neurons that all read the
same inputs; an `MLP` feeds each layer's outputs to the next. A network with no hidden
layer is (multinomial) logistic regression; hidden layers add the non-linear power.

By default a neuron's w . x + b is one `autograd.dot` node, the bias being the weight of a
constant input 1, so a neuron adds two nodes to the graph (dot, activation) instead of
2n + 1: this is what makes training fast in a scalar engine. `fused=False` builds the same
sum from `*` and `+`, so a picture shows every multiplication, as in the course.
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Sequence
from typing import Any, Union

from autograd import Value, dot, matvec

from .data import Standardizer
from .module import Module

Input = Union[Value, float]
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
INITS = ("he", "xavier", "uniform", "small")
_APPLY = {"relu": Value.relu, "tanh": Value.tanh, "sigmoid": Value.sigmoid, "linear": None}
_FUSED = operator.attrgetter("fused")
_KIND = operator.attrgetter("fused", "activation")


def default_init(activation: str) -> str:
    """He for relu (it keeps the variance of relu layers), Xavier for the rest."""
    return "he" if activation == "relu" else "xavier"


def initial_weights(nin: int, init: str, rng: Any, fan_out: int = 1) -> list[float]:
    """`nin` starting weights drawn with `rng` (a `random.Random`, or the `random` module).

    he: N(0, 2/nin); xavier: N(0, 2/(nin + fan_out)); uniform: U(-1, 1), as in micrograd;
    small: U(-0.1, 0.1), the "small random values" of the classic textbook recipe.
    """
    if init == "he":
        std = math.sqrt(2.0 / nin)
    elif init == "xavier":
        std = math.sqrt(2.0 / (nin + fan_out))
    elif init == "uniform":
        return [rng.uniform(-1.0, 1.0) for _ in range(nin)]
    elif init == "small":
        return [rng.uniform(-0.1, 0.1) for _ in range(nin)]
    else:
        raise ValueError(f"init must be one of {', '.join(INITS)}; got {init!r}")
    return [rng.gauss(0.0, std) for _ in range(nin)]


def _check_size(name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {n!r}")
    return n


def _check_activation(activation: Any) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    return activation


def with_bias_input(x: Sequence[Input]) -> list[Input]:
    """`x` followed by the constant input 1.0 that a neuron's bias multiplies:
    w . x + b = [w, b] . [x, 1], one dot node per neuron instead of a dot and an add."""
    return [*x, 1.0]


def check_inputs(x: Any, nin: int, who: str) -> Sequence[Input]:
    """`x` as a sequence of `nin` inputs, or a clear error naming both sizes."""
    if isinstance(x, (Value, int, float, str)) or not hasattr(x, "__len__"):
        raise TypeError(f"{who} expects a list of {nin} inputs, got {type(x).__name__} {x!r}; wrap one input as [x]")
    if len(x) != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {len(x)}")
    return x


class Neuron(Module):
    """act(w . x + b): one weight per input, a bias, and an activation.

    `init` draws the starting weights (see `initial_weights`; default He for relu, Xavier
    otherwise) from `rng`, a `random.Random` (default: the `random` module, so that
    `random.seed(...)` reproduces them); the bias starts at 0. `fan_out` is the width of the
    neuron's layer, which Xavier init needs. `fused=False` computes w . x + b with one `*`
    and one `+` per weight, so that a graph picture shows each of them.
    """

    def __init__(
        self,
        nin: int,
        activation: str = "relu",
        *,
        init: str | None = None,
        rng: Any = None,
        fused: bool = True,
        fan_out: int = 1,
    ) -> None:
        self.nin = _check_size("nin", nin)
        self.activation = _check_activation(activation)
        self.fused = bool(fused)
        # rng=None draws from the `random` module, so random.seed(...) makes it reproducible.
        weights = initial_weights(nin, init or default_init(activation), rng or random, fan_out)
        self.w = [Value(wi) for wi in weights]
        self.b = Value(0.0)
        self.label_parameters()

    def own_parameters(self) -> list[tuple[str, Value]]:
        return [*((f"w{i}", wi) for i, wi in enumerate(self.w)), ("b", self.b)]

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "activation": self.activation, "fused": self.fused}

    def __call__(self, x: Sequence[Input]) -> Value:
        return self.forward(with_bias_input(check_inputs(x, self.nin, "Neuron")))

    def forward(self, x1: Sequence[Input]) -> Value:
        """The neuron on `x1`: its `nin` inputs followed by the bias's input 1 (`with_bias_input`)."""
        if self.fused:
            return self.activate(dot([*self.w, self.b], x1))  # b is the weight of the constant input 1
        act = self.w[0] * x1[0]
        for wi, xi in zip(self.w[1:], x1[1:-1]):
            act = act + wi * xi
        return self.activate(act + self.b)

    def activate(self, z: Value) -> Value:
        """The activation applied to the weighted sum `z`."""
        apply = _APPLY[self.activation]
        return apply(z) if apply else z


class Layer(Module):
    """`nout` neurons reading the same inputs; calling it always returns a list."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "relu",
        *,
        init: str | None = None,
        rng: Any = None,
        fused: bool = True,
    ) -> None:
        self.nin, self.nout = _check_size("nin", nin), _check_size("nout", nout)
        self.activation = _check_activation(activation)
        rng = rng or random
        self.neurons = [Neuron(nin, activation, init=init, rng=rng, fused=fused, fan_out=nout) for _ in range(nout)]
        self.label_parameters()

    def children(self) -> list[tuple[str, Module]]:
        return [(f"neuron{i}", n) for i, n in enumerate(self.neurons)]

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "nout": self.nout, "activation": self.activation, "fused": self.neurons[0].fused}

    def __call__(self, x: Sequence[Input]) -> list[Value]:
        return self.forward(with_bias_input(check_inputs(x, self.nin, "Layer")))

    def weights(self) -> tuple[list[list[float]], list[float]]:
        """(W, b) as plain floats, row j of W being neuron j's `w`: the layer computes act(W x + b)."""
        return [[w.data for w in n.w] for n in self.neurons], [n.b.data for n in self.neurons]

    def forward(self, x1: Sequence[Input]) -> list[Value]:
        """Every neuron on `x1` (the inputs followed by 1.0, see `with_bias_input`)."""
        neurons = self.neurons
        kinds = set(map(_KIND, neurons))  # (fused, activation): one kind in a layer, unless changed
        if len(kinds) == 1 and _FUSED(neurons[0]):
            # one matvec reads the shared inputs once for every neuron, not once per neuron
            sums = matvec([(*n.w, n.b) for n in neurons], x1)
            apply = _APPLY[neurons[0].activation]
            return list(map(apply, sums)) if apply else sums
        return [n.forward(x1) for n in neurons]


class MLP(Module):
    """Layers in a chain: hidden layers use `activation`, the last layer is linear.

    Calling it returns a single Value when the last layer has one neuron, else a list.
    `seed` makes the initial weights reproducible (None: the `random` module draws them).
    `scaler`, if set to a fitted `nn.data.Standardizer`, standardizes every input before the
    first layer: the model then takes raw data, and `save`/`load` keep the scaler with it.

    >>> model = MLP(2, [16, 16, 1], seed=0)
    >>> score = model([0.5, -1.0])        # a Value
    """

    takes_scaler = True

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        *,
        seed: int | None = None,
        init: str | None = None,
        fused: bool = True,
    ) -> None:
        self.nin = _check_size("nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        self.nouts = [_check_size("each layer size in nouts", n) for n in nouts]
        self.activation = _check_activation(activation)
        rng = random.Random(seed) if seed is not None else random
        sizes = [nin, *self.nouts]
        last = len(self.nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], activation if i < last else "linear", init=init, rng=rng, fused=fused)
            for i in range(len(self.nouts))
        ]
        self.scaler: Standardizer | None = None
        self.label_parameters()

    def children(self) -> list[tuple[str, Module]]:
        return [(f"layer{i}", layer) for i, layer in enumerate(self.layers)]

    def config(self) -> dict[str, Any]:
        fused = self.layers[0].neurons[0].fused
        return {"nin": self.nin, "nouts": list(self.nouts), "activation": self.activation, "fused": fused}

    def __call__(self, x: Sequence[Input]) -> Value | list[Value]:
        x = check_inputs(x, self.nin, "MLP")
        if self.scaler is not None:
            x = self.scaler.transform_row(x)
        for layer in self.layers:
            x = layer.forward(with_bias_input(x))
        return x[0] if len(x) == 1 else x
