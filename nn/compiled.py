"""Training on a compiled loss: the per-example loss as a straight-line program.

`fit(..., compile=True)` builds the graph of one example's loss once, as a function of
(the model's parameters, the example's inputs), compiles it with `autograd.compiler`, and
then *replays* that program for every example of every batch: no graph is built while
training. The gradient of a batch is the mean of its examples' gradients, as backward()
through `mean` computes it, so weights and history agree with the uncompiled run (to
rounding: 1e-9 relative is tested).

A label is a constant of the program (one program per distinct label: two for hinge,
one per class for cross-entropy); mse's targets, which can be any number, are inputs.
Losses whose Python code branches on numbers get that branch as a guard: binary
cross-entropy picks its formula by the sign of the logit, cross-entropy subtracts the
largest logit (a `max_value` node here, passing no gradient, where nn.losses reads .data).
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Sequence
from functools import reduce
from typing import Any

from autograd import Value, ops, primitive
from autograd import mean as vmean
from autograd import sum as vsum
from autograd.compiler import Program

from . import losses
from .module import Module

MAX_PROGRAMS = 256  # distinct labels compiled; more means the labels are not classes


@primitive
def max_value(*xs: Any) -> tuple:
    """The largest operand, passing no gradient: a constant that follows the numbers.

    cross_entropy subtracts max(z) only to keep exp() from overflowing; it reads .data, and
    a compiled program must compute it again for every example, hence this op.
    """
    return builtins.max(map(ops.value_of, xs)), (ops.MASKED,) * len(xs)


def _max_arrays(*xs: Any) -> Any:
    import numpy as np

    return reduce(lambda m, x: np.where(x > m, x, m), xs)  # keeps the first of equals, as max()


max_value.numpy = _max_arrays  # type: ignore[attr-defined]  # how `Program.batch` computes it


def cross_entropy_one(z: Sequence[Value], c: int) -> Value:
    """nn.losses.cross_entropy of one example, with max(z) as a node (see max_value)."""
    losses._class_index(c, len(z))
    m = max_value(*z)
    return vsum([(zj - m).exp() for zj in z]).log() + m - z[int(c)]


def mse_one(prediction: Any, target: Any) -> Value:
    """nn.losses.mse of one example, its targets being Values (inputs of the program)."""
    p = prediction if isinstance(prediction, list) else [prediction]
    t = list(target) if isinstance(target, (list, tuple)) else [target]
    if len(p) != len(t):
        raise ValueError(f"mse: {len(p)} outputs but {len(t)} targets")
    squares = []
    for pj, tj in zip(p, t):
        diff = pj - tj
        squares.append(diff * diff)
    return vmean(squares)


def _per_example(loss: Any) -> tuple[Callable, bool]:
    """(loss of one example from (output, label), whether the label is an input of the program)."""
    fn = losses.get(loss) if isinstance(loss, str) else loss
    if fn is losses.cross_entropy:
        return cross_entropy_one, False
    if fn is losses.binary_cross_entropy:

        def bce(z: Any, y: Any) -> Value:
            bool(z >= 0)  # nn.losses picks its formula by z.data >= 0: make that a guard
            return fn([z], [y])

        return bce, False
    if fn is losses.mse:
        return mse_one, True
    return lambda out, y: fn([out], [y]), False


class CompiledLoss:
    """The loss of one example of `model`, compiled once per label, replayed over batches."""

    def __init__(self, model: Module, loss: Any) -> None:
        self.model = model
        self.params = model.parameters()
        self.loss_of, self.label_is_input = _per_example(loss)
        self.programs: dict[Any, Program] = {}
        self._x: list[Value] = []
        self._label: list[Value] = []

    def program(self, x: Sequence[float], label: Any) -> tuple[Program, tuple]:
        """The program for this example's label, and its label arguments."""
        key = None if self.label_is_input else _key(label)
        found = self.programs.get(key)
        extra = tuple(_targets(label)) if self.label_is_input else ()
        if found is None:
            if len(self.programs) >= MAX_PROGRAMS:
                raise ValueError(
                    f"fit(compile=True): more than {MAX_PROGRAMS} distinct labels; a compiled loss keeps one "
                    "program per label (class), so train these labels without compile"
                )
            self._x = [Value(0.0, f"x{i}") for i in range(len(x))]
            self._label = [Value(0.0, f"y{i}") for i in range(len(extra))]
            leaves = [*self.params, *self._x, *self._label]
            args = [p.data for p in self.params] + [float(v) for v in x] + list(extra)
            # exact=False: a neuron's sum is added left to right, not by math.fsum as the
            # engine does, so the numbers differ in the last bits (the tests allow 1e-9);
            # fsum was 40% of a training step on micrograd's moons demo.
            found = Program(self._example_loss(label), args, exact=False, leaves=leaves, outputs=True)
            found.name = "loss_of_one_example"
            self.programs[key] = found
        return found, extra

    def _example_loss(self, label: Any) -> Callable:
        n_params, n_x = len(self.params), len(self._x)

        def loss_of_one_example(*leaves: Value) -> tuple:
            x = leaves[n_params : n_params + n_x]
            out = self.model(list(x))
            target = leaves[n_params + n_x :] if self.label_is_input else label
            outputs = out if isinstance(out, list) else [out]
            return self.loss_of(out, target), outputs

        return loss_of_one_example

    def batch_gradients(
        self, X: Sequence[Any], y: Sequence[Any], l2: float = 0.0, numpy: bool = False
    ) -> tuple[float, list]:
        """Write into each parameter's .grad the gradient of the batch loss (the mean of the
        examples' losses, + l2 * sum of squares); return (batch loss, model outputs).

        The examples of a batch are grouped by label, and each group runs through its
        program's loop (`Program.run_rows`): the parameters go in once per group. With
        numpy=True a group runs as one NumPy array per node instead of a Python loop.
        """
        params = self.params
        p_data = tuple(p.data for p in params)
        groups: dict[Any, list[int]] = {}
        for i, label in enumerate(y):
            groups.setdefault(None if self.label_is_input else _key(label), []).append(i)
        example_losses: list = [None] * len(X)
        outputs: list = [None] * len(X)
        total = [0.0] * len(params)
        for rows in groups.values():
            prog, _ = self.program(X[rows[0]], y[rows[0]])
            if self.label_is_input:
                args = [(*map(float, X[i]), *_targets(y[i])) for i in rows]
            else:
                args = [tuple(map(float, X[i])) for i in rows]
            values, grads, outs = prog.run_rows(p_data, args, numpy)
            total = list(map(operator.add, total, grads))
            for i, value, out in zip(rows, values, outs):
                example_losses[i] = value
                outputs[i] = out[0] if len(out) == 1 else out
        # As backward() through mean(): each example's gradient times 1/n, the loss fsum / n.
        scale = 1.0 / len(X)
        batch_loss = ops.mean_value(example_losses)
        if l2:
            batch_loss = batch_loss + l2 * ops.dot_value(p_data, p_data)
            for p, g, w in zip(params, total, p_data):
                p.grad = g * scale + 2.0 * l2 * w
        else:
            for p, g in zip(params, total):
                p.grad = g * scale
        return batch_loss, outputs


def _key(label: Any) -> Any:
    return tuple(map(float, label)) if isinstance(label, (list, tuple)) else float(label)


def _targets(label: Any) -> list[float]:
    return [float(t) for t in label] if isinstance(label, (list, tuple)) else [float(label)]


__all__ = ["CompiledLoss", "max_value", "cross_entropy_one", "mse_one"]
