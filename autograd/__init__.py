"""chaingrad's autodiff engine: scalar `Value`s that record their graph, and reverse mode over it.

    >>> from autograd import Value
    >>> a, b = Value(2.0, "a"), Value(-3.0, "b")
    >>> c = a * b + a.tanh()
    >>> c.backward()
    >>> a.grad, b.grad           # (-3 + (1 - tanh(2)**2), 2.0)

Your own op: a rule returning its value and one local derivative per operand, written with
arithmetic and the primitives of `autograd.ops` so that it also works on Values:

    >>> from autograd import primitive, ops
    >>> @primitive
    ... def softplus(x):
    ...     return ops.log(1.0 + ops.exp(x)), (ops.sigmoid(x),)
    >>> check_op(softplus)       # value, first and second derivatives vs finite differences

A traced graph as straight-line Python (forward, then backward, one line per op):

    >>> prog = compile(lambda a, b: (a * b + a.tanh()).relu(), [2.0, -3.0])
    >>> prog.value_and_grad(1.0, 2.0)
    >>> print(prog.source)

Note: PyPI's unrelated HIPS `autograd` package uses the same import name; install one or
the other in an environment, not both.
"""

from . import ops
from .check import GradcheckError, Mismatch, check_graph, check_op, gradcheck
from .compiler import compile  # autograd.compile(f, example): shadows the builtin only inside this namespace
from .engine import backward, grad, topological_order
from .mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .primitives import Primitive, primitive
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
    "primitive",
    "Primitive",
    "ops",
    "check_op",
    "check_graph",
    "compile",
    "Mismatch",
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
