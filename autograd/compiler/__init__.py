"""From graph to program: compile a recorded graph into readable, fast straight-line Python.

    >>> from autograd.compiler import compile
    >>> prog = compile(lambda a, b: (a * b + a.tanh()).relu(), [2.0, -3.0])
    >>> prog.value_and_grad(1.0, 2.0)
    >>> print(prog.source)

trace.py records one call of a function (and the branches it took), rules.py writes each
op's local derivatives as text read off its rule in the op table, emit.py writes the
program, program.py compiles and runs it, numpy_ops.py gives its names NumPy meanings.
"""

from .program import GuardError, Program, compile
from .rules import GuardFailed

__all__ = ["compile", "Program", "GuardError", "GuardFailed"]
