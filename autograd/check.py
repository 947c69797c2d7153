"""gradcheck: compare reverse-mode gradients with central finite differences.

The independent witness for every derivative rule: if a rule in ops.py is wrong, the
slope measured by nudging the input disagrees with it, and the report says where.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .engine import grad
from .value import Value, _as_float


class GradcheckError(AssertionError):
    """Reverse-mode and finite-difference gradients disagree."""


def gradcheck(
    f: Callable[..., Value],
    inputs: Sequence[float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check d f / d inputs against central differences (f(x+eps) - f(x-eps)) / 2 eps.

    `f` is called as `f(*values)` with one Value per input and must return a Value.
    Returns True, or raises GradcheckError naming the worst input and both numbers.

    >>> gradcheck(lambda x, y: x * y.tanh(), [0.3, -1.2])
    True
    """
    if not callable(f):
        raise TypeError(f"gradcheck: f must be callable, got {type(f).__name__}")
    if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence):
        raise TypeError(f"gradcheck: inputs must be a list of numbers, got {type(inputs).__name__}")
    point = [_as_float(x, f"gradcheck: inputs[{i}]") for i, x in enumerate(inputs)]
    if not eps > 0:
        raise ValueError(f"gradcheck: eps must be positive, got {eps!r}")

    values = [Value(x) for x in point]
    out = f(*values)
    if not isinstance(out, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(out).__name__} {out!r}")
    analytic = grad(out, values)

    def f_nudged(i: int, delta: float) -> float:
        # Not under no_grad: f may itself differentiate (gradcheck of a gradient).
        return f(*(Value(x + delta if j == i else x) for j, x in enumerate(point))).data

    worst = None
    for i in range(len(point)):
        numeric = (f_nudged(i, eps) - f_nudged(i, -eps)) / (2 * eps)
        error = abs(analytic[i] - numeric)
        if not error <= atol + rtol * abs(numeric):  # `not <=` also catches nan
            if worst is None or not error <= worst[0]:
                worst = (error, i, analytic[i], numeric)
    if worst is not None:
        error, i, a, n = worst
        raise GradcheckError(
            f"gradcheck: d f / d inputs[{i}] at {point}: backward gives {a!r}, "
            f"central differences give {n!r} (|difference| {error:.3g} > atol {atol} + rtol {rtol} * |numeric|)"
        )
    return True
