"""The names a compiled program calls, for floats: `from autograd.compiler.floats import tanh`.

Each op's name stands for its float function in ops.py (the function the engine computes
the op's value with), so a program computes exactly what the engine does. A printed
program imports what it uses from here, and runs as it is printed.
"""

from .. import ops
from .rules import float_namespace

globals().update(float_namespace(list(ops.OPS.values())))
