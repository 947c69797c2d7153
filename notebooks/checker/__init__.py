"""Self-checking exercises for the chaingrad course.

    >>> from checker import check
    >>> check("1.1", derivative_agrees)
    Exercise 1.1 (a derivative checker): not attempted yet. ...

`check` prints one of three things and never raises: "not attempted yet" while the stub is
untouched, "correct" when the answer agrees with the maths and with chaingrad on every test
case, or a hint naming what is off. The checks live in lesson1.py ... lesson7.py, next to
each other so one lesson's checks read in one sitting; reference solutions are kept apart,
in notebooks/solutions/.
"""

from . import lesson1, lesson2, lesson3, lesson4, lesson5, lesson6, lesson7
from .core import CORRECT, EXERCISES, NOT_ATTEMPTED, WRONG, Result, check, evaluate

__all__ = ["check", "evaluate", "Result", "EXERCISES", "CORRECT", "NOT_ATTEMPTED", "WRONG"]
_lessons = (lesson1, lesson2, lesson3, lesson4, lesson5, lesson6, lesson7)  # imported to register their checks
