"""From graph to program: compile a recorded graph into readable, fast straight-line Python.

    >>> from autograd.compiler import compile
    >>> prog = compile(lambda a, b: (a * b + a.tanh()).relu(), [2.0, -3.0])
    >>> prog.value_and_grad(1.0, 2.0)     # (value, [d/da, d/db]), the engine's numbers exactly
    >>> print(prog.source)                # forward, then backward: one line per op and per edge

Follow the data: trace.py records one call of a function (its graph, and the branches it
took as guards); rules.py writes each op's local derivatives as text read off its rule in
the op table; emit.py writes the program; program.py compiles and runs it, tracing again
when a guard fails. floats.py is what a printed program imports; numpy_ops.py and
layers.py give the same program to NumPy arrays, for `prog.batch` and for training.
"""

from .program import GuardError, Program, compile
from .rules import GuardFailed

__all__ = ["compile", "Program", "GuardError", "GuardFailed"]
