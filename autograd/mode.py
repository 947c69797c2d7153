"""Grad mode and anomaly mode: per-thread switches that every recorded op reads.

Both live in one integer so the hot path of an op reads a single context variable. A
`ContextVar` is per thread (each thread starts from the default) and is restored exactly by
`reset`, so nesting and exceptions cannot leave a mode switched on by accident.
"""

from __future__ import annotations

import contextlib
import contextvars
from threading import get_ident

GRAD = 1  # ops record their parents and local derivatives
ANOMALY = 2  # ops check their outputs, backward checks every gradient
RECORDING = GRAD  # the fast path: recording, no checks
UNRECORDED = 0  # no_grad and no checks: ops compute their value alone

_mode: contextvars.ContextVar[int] = contextvars.ContextVar("chaingrad_mode", default=GRAD)
get_mode = _mode.get


class _SetMode(contextlib.ContextDecorator):
    """Switch a flag on or off for a `with` block or a decorated function (nestable)."""

    def __init__(self, flag: int, on: bool) -> None:
        self._flag, self._on = flag, on
        # One stack of tokens per thread: a token can only be reset in the thread (context)
        # that set it, and one no_grad() object may be entered by several threads at once.
        self._tokens: dict[int, list[contextvars.Token[int]]] = {}

    def _recreate_cm(self) -> _SetMode:
        # A decorated function gets a fresh instance per call: safe under recursion and threads.
        return _SetMode(self._flag, self._on)

    def __enter__(self) -> None:
        mode = _mode.get()
        token = _mode.set(mode | self._flag if self._on else mode & ~self._flag)
        self._tokens.setdefault(get_ident(), []).append(token)

    def __exit__(self, *exc: object) -> None:
        thread = get_ident()
        tokens = self._tokens[thread]
        _mode.reset(tokens.pop())
        if not tokens:
            del self._tokens[thread]  # no growth with the number of threads ever seen


def no_grad() -> _SetMode:
    """Ops inside record nothing: results are leaves, and cost less than recorded ops.

    >>> with no_grad():
    ...     y = x * 2          # y.parents == ()
    """
    return _SetMode(GRAD, on=False)


def enable_grad() -> _SetMode:
    """Turn recording back on inside a `no_grad` block."""
    return _SetMode(GRAD, on=True)


def is_grad_enabled() -> bool:
    """True when ops in this thread record the graph."""
    return bool(_mode.get() & GRAD)


def detect_anomaly() -> _SetMode:
    """Raise `FloatingPointError` at the first op whose value or gradient is NaN or infinite."""
    return _SetMode(ANOMALY, on=True)


def without_anomaly() -> _SetMode:
    """Suspend anomaly checks (the engine uses it while re-running derivative rules)."""
    return _SetMode(ANOMALY, on=False)
