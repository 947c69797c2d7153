"""Training on a compiled loss: the per-example loss as a straight-line program.

`fit(..., compile=True)` builds the graph of one example's loss once, as a function of
(the model's parameters, the example's inputs), compiles it with `autograd.compiler`, and
then *replays* that program for every example of every batch: no graph is built while
training. The gradient of a batch is the mean of its examples' gradients, as backward()
through `mean` computes it, so weights and history agree with the uncompiled run (to
rounding: 1e-9 relative is tested).

The labels of hinge, binary cross-entropy, mse and cross-entropy (as one-hot rows) are
inputs of the program, so one program serves every example; the label of any other loss
is a constant, one program per distinct label. nn.losses is written for graphs, and reads
.data where a program cannot see it, so its per-example formulas are restated here with
Values: binary cross-entropy picks its formula by a comparison of Values (a guard),
cross-entropy subtracts max(z) as a node (`max_value`, passing no gradient). The tests
check each against nn.losses.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Sequence
from functools import reduce
from typing import Any

from autograd import Value, dot, no_grad, ops, primitive
from autograd import mean as vmean
from autograd import sum as vsum
from autograd.compiler import Program

from . import losses
from .module import Module

_DATA = operator.attrgetter("data")
MAX_PROGRAMS = 256  # distinct labels compiled; more means the labels are not classes
# When a batch goes through NumPy rather than the Python loop (numpy=None): a NumPy call
# costs about a microsecond whatever its size, the loop's cost grows with the weights. As
# measured (benchmarks/compile.py): the digits network (2,410 weights), batches of 32: NumPy
# 0.4x the loop's time; MLP(2,[16,16,1]) (337 weights): the loop is faster at 32 points
# (0.39 vs 0.47 ms) and at 100 (1.2 vs 1.3 ms).
NUMPY_ROWS, NUMPY_WEIGHTS = 16, 1000


def _has_numpy() -> bool:
    try:
        import numpy  # noqa: F401 (optional: only its presence is asked)
    except ImportError:
        return False
    return True


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


def cross_entropy_one(z: Sequence[Value], one_hot: Sequence[Value]) -> Value:
    """nn.losses.cross_entropy of one example, its class given one-hot (inputs of the
    program, so one program serves every class), with max(z) as a node (see max_value).

    dot(one_hot, z) is z[c] exactly: the other products are zeros, and adding zeros is exact.
    """
    if isinstance(z, Value) or len(z) < 2:
        raise ValueError(f"cross_entropy: each example needs a list of at least 2 logits, got {z!r}")
    m = max_value(*z)
    return vsum([(zj - m).exp() for zj in z]).log() + m - dot(one_hot, z)


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


def hinge_one(score: Value, y: Value) -> Value:
    """nn.losses.hinge of one example, its label y (+-1) an input of the program."""
    return (score * -y + 1.0).relu()


def bce_one(z: Value, y: Value) -> Value:
    """nn.losses.binary_cross_entropy of one example, its label an input of the program.

    The same two formulas, picked by the sign of the logit: here by a comparison of Values,
    which the compiler turns into a guard (nn.losses reads z.data, which it cannot see).
    """
    if z >= 0:
        return z * (1.0 - y) + ((-z).exp() + 1.0).log()
    return z * -y + (z.exp() + 1.0).log()


def _bce_labels(labels: list) -> list[float]:
    values = [losses._number(y, "binary_cross_entropy") for y in labels]
    for y in values:
        if not 0.0 <= y <= 1.0:
            raise ValueError(f"binary_cross_entropy: labels must be 0/1 (or in [0, 1]), got {y!r}")
    return values


def _per_example(loss: Any) -> tuple[Callable, Any]:
    """(loss of one example from (output, label), how a batch's labels become inputs of the
    program; None when each label is a constant of its own program). A label that is an
    input reaches the loss as the list of its Values ([y] for hinge and bce)."""
    fn = losses.get(loss) if isinstance(loss, str) else loss
    if fn is losses.cross_entropy:
        return cross_entropy_one, "one-hot"
    if fn is losses.hinge:
        return (
            lambda out, y: hinge_one(out, y[0]),
            lambda labels: [[y] for y in losses._signed_labels(list(labels), "hinge")],
        )
    if fn is losses.binary_cross_entropy:
        return lambda out, y: bce_one(out, y[0]), lambda labels: [[y] for y in _bce_labels(list(labels))]
    if fn is losses.mse:
        return mse_one, lambda labels: [_targets(t) for t in labels]
    return lambda out, y: fn([out], [y]), None


class CompiledLoss:
    """The loss of one example of `model`, compiled once (per label for a loss of your own),
    replayed over batches.

    A loss of your own is traced like any function: comparisons of Values become guards, but
    a number read through `.data` or `float()` is frozen at its value in the trace.
    """

    def __init__(self, model: Module, loss: Any) -> None:
        self.model = model
        self.params = model.parameters()
        self.loss_of, self.label_inputs = _per_example(loss)
        if self.label_inputs == "one-hot":
            self.label_inputs = self._one_hot
        self.label_is_input = self.label_inputs is not None
        self._classes = 0
        self.programs: dict[Any, Program] = {}
        self._x: list[Value] = []
        self._label: list[Value] = []

    def program(self, x: Sequence[float], label: Any) -> Program:
        """The program for this example (one per label when labels are constants)."""
        key = None if self.label_is_input else _key(label)
        found = self.programs.get(key)
        if found is None:
            if len(self.programs) >= MAX_PROGRAMS:
                raise ValueError(
                    f"fit(compile=True): more than {MAX_PROGRAMS} distinct labels; a compiled loss keeps one "
                    "program per label (class), so train these labels without compile"
                )
            extra = self.label_inputs([label])[0] if self.label_is_input else []
            self._x = [Value(0.0, f"x{i}") for i in range(len(x))]
            self._label = [Value(0.0, f"y{i}" if len(extra) > 1 else "y") for i in range(len(extra))]
            leaves = [*self.params, *self._x, *self._label]
            args = [p.data for p in self.params] + [float(v) for v in x] + list(extra)
            # exact=False: a neuron's sum is added left to right, not by math.fsum as the
            # engine does, so the numbers differ in the last bits (the tests allow 1e-9);
            # fsum was 40% of a training step on micrograd's moons demo.
            found = Program(self._example_loss(label), args, exact=False, leaves=leaves, outputs=True)
            found.name = "loss_of_one_example"
            self.programs[key] = found
        return found

    def _one_hot(self, labels: Sequence[Any]) -> list[list[float]]:
        """Class indices as one-hot rows, checked as nn.losses.cross_entropy checks them."""
        if not self._classes:
            raise ValueError("cross_entropy: the number of classes is known once the model has run")
        k = self._classes
        return [[1.0 if j == c else 0.0 for j in range(k)] for c in (losses._class_index(c, k) for c in labels)]

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
        self, X: Sequence[Any], y: Sequence[Any], l2: float = 0.0, numpy: bool | None = None
    ) -> tuple[float, list]:
        """Write into each parameter's .grad the gradient of the batch loss (the mean of the
        examples' losses, + l2 * sum of squares); return (batch loss, model outputs).

        The examples of a batch are grouped by label, and each group runs through its
        program's loop (`Program.run_rows`): the parameters go in once per group. With
        numpy=True a group runs as one NumPy array per node (a layer as a matrix product)
        instead of a Python loop; numpy=None (the default) uses NumPy when it is installed,
        the batch has at least NUMPY_ROWS examples and the model NUMPY_WEIGHTS parameters.
        """
        if numpy is None:
            numpy = len(X) >= NUMPY_ROWS and len(self.params) >= NUMPY_WEIGHTS and _has_numpy()
        params = self.params
        p_data = tuple(map(_DATA, params))
        if not self._classes and len(X):
            with no_grad():
                out = self.model(list(X[0]))
            self._classes = len(out) if isinstance(out, list) else 1
        groups: dict[Any, list[int]] = {}
        label_args = self.label_inputs(y) if self.label_is_input else None
        for i, label in enumerate(y):
            groups.setdefault(None if self.label_is_input else _key(label), []).append(i)
        example_losses: list = [None] * len(X)
        outputs: list = [None] * len(X)
        total = [0.0] * len(params)
        for rows in groups.values():
            prog = self.program(X[rows[0]], y[rows[0]])
            if label_args is not None:
                args = [(*map(float, X[i]), *label_args[i]) for i in rows]
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


__all__ = ["CompiledLoss", "max_value", "cross_entropy_one", "mse_one", "hinge_one", "bce_one"]
