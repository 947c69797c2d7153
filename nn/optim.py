"""Optimizers: read each parameter's `.grad`, change its `.data`. Nothing else.

`SGD` and `Adam` follow `torch.optim.SGD` and `torch.optim.Adam` step for step (the same
formulas, in the same order of float operations), so ten steps of each agree with torch to
1e-12. `LinearDecay` is the learning-rate schedule of micrograd's demo.

    >>> opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> opt.zero_grad(); loss.backward(); opt.step()
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from autograd import Value


def _check(name: str, value: float, low: float = 0.0, high: float = math.inf) -> float:
    value = float(value)
    if not low <= value < high:
        bounds = f"in [{low}, {high})" if high != math.inf else f">= {low}"
        raise ValueError(f"{name} must be {bounds}, got {value!r}")
    return value


class Optimizer:
    """Holds the parameters and a mutable learning rate `lr`; subclasses define `step()`."""

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
        self.lr = _check("lr", lr)

    def zero_grad(self) -> None:
        """Reset the gradients: parameters accumulate them across backward() calls."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum and weight decay, as torch.optim.SGD.

    g = grad + weight_decay * p;  v = momentum * v + g (v = g on the first step);  p -= lr * v
    """

    def __init__(self, params: Iterable[Value], lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _check("momentum", momentum)
        self.weight_decay = _check("weight_decay", weight_decay)
        self.velocity: list[float] | None = None  # torch's momentum_buffer, made on the first step

    def step(self) -> None:
        lr, momentum, decay = self.lr, self.momentum, self.weight_decay
        if momentum == 0.0:
            for p in self.params:
                g = float(p.grad)
                if decay:
                    g = g + decay * p.data
                p.data = p.data + -lr * g
            return
        first = self.velocity is None
        velocity = self.velocity or [0.0] * len(self.params)
        for i, p in enumerate(self.params):
            g = float(p.grad)
            if decay:
                g = g + decay * p.data
            velocity[i] = g if first else velocity[i] * momentum + g
            p.data = p.data + -lr * velocity[i]
        self.velocity = velocity


class Adam(Optimizer):
    """Adam with bias correction; weight decay added to the gradient (L2), as torch.optim.Adam.

    m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
    p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.beta1 = _check("betas[0]", betas[0], high=1.0)
        self.beta2 = _check("betas[1]", betas[1], high=1.0)
        self.eps = _check("eps", eps)
        self.weight_decay = _check("weight_decay", weight_decay)
        self.t = 0
        self.m = [0.0] * len(self.params)  # running mean of gradients
        self.v = [0.0] * len(self.params)  # running mean of squared gradients

    def step(self) -> None:
        self.t += 1
        beta1, beta2, eps, decay = self.beta1, self.beta2, self.eps, self.weight_decay
        step_size = self.lr / (1.0 - beta1**self.t)
        correction2_sqrt = (1.0 - beta2**self.t) ** 0.5
        m, v = self.m, self.v
        for i, p in enumerate(self.params):
            g = float(p.grad)
            if decay:
                g = g + decay * p.data
            m[i] = m[i] + (g - m[i]) * (1.0 - beta1)  # torch's lerp: m + (1 - b1) (g - m)
            v[i] = v[i] * beta2 + (1.0 - beta2) * g * g
            p.data = p.data + -step_size * (m[i] / (math.sqrt(v[i]) / correction2_sqrt + eps))


class LinearDecay:
    """Learning rate moving linearly from `start` to `end` over `steps` steps, then held.

    micrograd's demo is `LinearDecay(opt, start=1.0, end=0.1, steps=100)`: step k uses
    lr = 1.0 - 0.9 * k / 100. Call `.step()` after each `optimizer.step()`, as in PyTorch.
    """

    def __init__(self, optimizer: Optimizer, start: float | None = None, end: float = 0.0, steps: int = 100) -> None:
        if steps < 1:
            raise ValueError(f"steps must be >= 1, got {steps!r}")
        self.optimizer = optimizer
        self.start = optimizer.lr if start is None else _check("start", start)
        self.end = _check("end", end)
        self.steps = steps
        self.k = 0
        optimizer.lr = self.lr_at(0)

    def lr_at(self, k: int) -> float:
        """The learning rate of step k (0-based)."""
        return self.start + (self.end - self.start) * min(k, self.steps) / self.steps

    def step(self) -> None:
        self.k += 1
        self.optimizer.lr = self.lr_at(self.k)
