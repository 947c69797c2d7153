"""The machinery every exercise check shares: outcomes, messages, and calling learner code safely.

An exercise check is a function that receives the learner's answer (a function they
completed) and either returns (correct, optionally with a remark) or raises `Hint` with a
sentence that names what is off. `call` runs the learner's code: an untouched stub raises
NotImplementedError, which becomes "not attempted yet"; any other exception becomes a hint
that quotes it, so a learner never sees a bare traceback from a check cell.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

NOT_ATTEMPTED = "not attempted yet"
CORRECT = "correct"
WRONG = "wrong"


class NotAttempted(Exception):
    """The learner's stub is untouched: it still raises NotImplementedError."""


class Hint(Exception):
    """A wrong answer; the message says what is off and where to look."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id ("1.1"), a short title, the name of the function the learner completes."""

    id: str
    title: str
    answer: str
    run: Callable[[Any], str | None]


@dataclass(frozen=True)
class Result:
    """What a check found: `status` is NOT_ATTEMPTED, CORRECT or WRONG; `message` is for the learner."""

    exercise_id: str
    status: str
    message: str

    def __str__(self) -> str:
        return self.message


EXERCISES: dict[str, Exercise] = {}


def exercise(exercise_id: str, title: str, answer: str) -> Callable:
    """Register a check: `@exercise("1.1", "a derivative checker", "derivative_agrees")`."""

    def register(run: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
        if exercise_id in EXERCISES:
            raise ValueError(f"exercise {exercise_id} is registered twice")
        EXERCISES[exercise_id] = Exercise(exercise_id, title, answer, run)
        return run

    return register


def evaluate(exercise_id: str, answer: Any) -> Result:
    """Check `answer` against exercise `exercise_id`; never raises."""
    ex = EXERCISES.get(exercise_id)
    if ex is None:
        known = ", ".join(EXERCISES)
        return Result(exercise_id, WRONG, f"There is no exercise {exercise_id!r}; the exercises are {known}.")
    head = f"Exercise {ex.id} ({ex.title})"
    not_attempted = Result(
        ex.id,
        NOT_ATTEMPTED,
        f"{head}: not attempted yet. Fill in `{ex.answer}` above (replace the `raise NotImplementedError` "
        "line), run that cell, then run this one again.",
    )
    if answer is None or answer is Ellipsis:
        return not_attempted
    if not callable(answer):
        return Result(
            ex.id, WRONG, f"{head}: not quite. Hint: expected the function `{ex.answer}`, got {_short(answer)}."
        )
    try:
        remark = ex.run(answer)
    except NotAttempted:
        return not_attempted
    except Hint as hint:
        return Result(ex.id, WRONG, f"{head}: not quite. Hint: {hint}")
    except Exception as e:  # something the learner returned broke a check: still a hint, not a traceback
        return Result(ex.id, WRONG, f"{head}: not quite. Hint: your answer could not be checked ({_error(e)}).")
    return Result(ex.id, CORRECT, f"{head}: correct!" + (f" {remark}" if remark else ""))


def check(exercise_id: str, answer: Any) -> None:
    """Print whether `answer` solves exercise `exercise_id`: not attempted yet, correct, or a hint."""
    print(evaluate(exercise_id, answer))


# -- helpers for the checks ----------------------------------------------------------------


def call(f: Callable, *args: Any, allow_none: bool = False) -> Any:
    """Run the learner's `f(*args)`; an untouched stub is NotAttempted, any other error a Hint."""
    try:
        out = f(*args)
    except NotImplementedError:
        raise NotAttempted from None
    except RecursionError:
        raise Hint(
            f"{_name(f)}({_args(args)}) went too deep (RecursionError): graphs can be thousands of nodes "
            "deep, so walk them with a loop (e.g. over topological_order(root)) instead of recursion."
        ) from None
    except Exception as e:
        raise Hint(f"{_name(f)}({_args(args)}) raised {_error(e)}.") from None
    if out is None and not allow_none:
        raise Hint(f"{_name(f)}({_args(args)}) returned None: did you forget `return`?")
    return out


def number(x: Any, what: str) -> float:
    """`x` as a float (a Value counts, through float()), or a Hint saying what came back instead."""
    if isinstance(x, numbers.Real) and not isinstance(x, bool):
        return float(x)
    if hasattr(x, "data") and isinstance(getattr(x, "data", None), float):  # a Value
        return float(x.data)
    raise Hint(f"{what} should be a number, got {_short(x)}.")


def numbers_list(x: Any, n: int, what: str) -> list[float]:
    """`x` as a list of `n` floats, or a Hint."""
    if isinstance(x, (str, bytes, dict)) or not hasattr(x, "__len__") or not hasattr(x, "__iter__"):
        raise Hint(f"{what} should be a list of {n} numbers, got {_short(x)}.")
    if len(x) != n:
        raise Hint(f"{what} should have {n} entries, got {len(x)}.")
    return [number(v, f"{what}[{i}]") for i, v in enumerate(x)]


def close(a: float, b: float, rel: float = 1e-9, abs_tol: float = 1e-12) -> bool:
    """a and b agree to `rel` (relative) or `abs_tol` (absolute); nan never agrees."""
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def fmt(x: float) -> str:
    """A number in a hint: enough digits to compare, no more."""
    return f"{x:.6g}"


def _name(f: Callable) -> str:
    return getattr(f, "__name__", "your function")


def _short(x: Any, limit: int = 60) -> str:
    text = repr(x)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(x).__name__} {text}"


def _args(args: tuple) -> str:
    parts = []
    for a in args:
        if callable(a) and hasattr(a, "__name__"):
            parts.append(a.__name__)
        else:
            text = repr(a)
            parts.append(text if len(text) <= 40 else text[:37] + "...")
    return ", ".join(parts)


def _error(e: BaseException) -> str:
    message = str(e)
    return f"{type(e).__name__}: {message}" if message else type(e).__name__
