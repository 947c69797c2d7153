"""chaingrad's autodiff engine: scalar `Value`s that record their graph, and reverse mode over it.

    >>> from autograd import Value
    >>> a, b = Value(2.0, "a"), Value(-3.0, "b")
    >>> c = a * b + a.tanh()
    >>> c.backward()
    >>> a.grad, b.grad           # (-3 + (1 - tanh(2)**2), 2.0)

Note: PyPI's unrelated HIPS `autograd` package uses the same import name; install one or
the other in an environment, not both.
"""

from .check import GradcheckError, gradcheck
from .engine import backward, grad, topological_order
from .mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .value import Value, dot, matvec, mean, sum
from .viz import draw_dot, explain  # graphviz itself is imported only when a picture is built

__all__ = [
    "Value",
    "no_grad",
    "enable_grad",
    "is_grad_enabled",
    "grad",
    "gradcheck",
    "GradcheckError",
    "detect_anomaly",
    "sum",
    "mean",
    "dot",
    "matvec",
    "backward",
    "topological_order",
    "draw_dot",
    "explain",
]
