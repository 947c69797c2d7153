"""`compile(f, example_args)`: trace once, write the program, run it with Python's `compile`.

A Program keeps a few compiled traces of `f`. A call runs the latest one that matches; a
trace matches when all its guards come out as they did (see trace.py). When none matches,
`f` is traced again at the new arguments (or, with `retrace=False`, GuardError says which
branch went the other way).
"""

from __future__ import annotations

import builtins
import inspect
import numbers
from collections.abc import Callable, Sequence
from typing import Any

from .emit import Writer
from .rules import GuardFailed, identifier, is_built_in, op_name, taken_names, unique_name
from .trace import Trace, trace

MAX_TRACES = 8  # a branchy function keeps at most this many programs; the oldest goes first


class GuardError(ValueError):
    """A compiled program met arguments that take another branch than its trace did."""


class Compiled:
    """One trace of f, written as a program and compiled (its float and NumPy versions)."""

    def __init__(self, recorded: Trace, arg_names: Sequence[str], name: str, exact: bool = True) -> None:
        self.trace = recorded
        self.writer = Writer(recorded, arg_names, exact)
        # The def must not take the name of an op it calls (compile(softplus, ...)).
        ops_called = {op_name(op) for op in self.writer.used_ops}
        self.name = name if name not in ops_called else f"{name}_program"
        self.writer.check_ops()  # an op that cannot be written fails now, not at the first call
        # The source imports the built-in names it uses; a user op is passed in by name.
        self.globals = {op_name(op): op.forward for op in self.writer.used_ops if not is_built_in(op)}
        # Each form of the program is written and compiled when first used (training only
        # ever runs the loop over rows, see `loop`).
        self._source: str | None = None
        self._run: Callable | None = None
        self._safe: Callable | None = None
        self._numpy: Callable | None = None
        self._loops: dict[tuple, Callable] = {}  # (n_shared, dialect): the loop over rows
        self.loop_sources: dict[tuple, str] = {}
        self._numpy_source: str | None = None

    @property
    def source(self) -> str:
        if self._source is None:
            self._source = self.writer.source(self.name)
        return self._source

    def run(self, *args: float) -> tuple:
        """The program on one set of arguments (compiled on first use)."""
        if self._run is None:
            self._run = self._load(self.source, self.name)
        return self._run(*args)

    def _load(self, source: str, name: str, numpy: bool = False) -> Callable:
        """Compile one form of the program and return its function."""
        if numpy:
            from .numpy_ops import numpy_namespace  # NumPy is optional: imported when a batch runs

            namespace = numpy_namespace(self.writer.used_ops)
        else:
            namespace = dict(self.globals)
        exec(builtins.compile(source, f"<chaingrad.compile {name}>", "exec"), namespace)  # our own text
        return namespace[name]

    def run_safe(self, *args: float) -> tuple:
        """The program with every sum through ops.ieee_sum: for the rare call where the fast
        program's math.fsum raises (an inf - inf or an overflow), giving the engine's inf/nan."""
        if self._safe is None:
            self._safe = self._load(self.writer.source(self.name, "safe"), self.name)
        return self._safe(*args)

    def call(self, args: Sequence[float]) -> tuple:
        try:
            return self.run(*args)
        except (OverflowError, ValueError):
            return self.run_safe(*args)

    def loop(self, n_shared: int, dialect: str = "float") -> Callable:
        """The program in a loop over rows, its first `n_shared` arguments shared (see
        Writer.loop_source); compiled on first use."""
        found = self._loops.get((n_shared, dialect))
        if found is None:
            shared = [i < n_shared for i in range(len(self.trace.inputs))]
            source = self.writer.loop_source(self.name + "_rows", shared, dialect)
            found = self._loops[n_shared, dialect] = self._load(source, self.name + "_rows")
            self.loop_sources[n_shared, dialect] = source
        return found

    def call_rows(self, shared: Sequence[float], rows: Sequence) -> tuple:
        try:
            return self.loop(len(shared))(*shared, rows)
        except (OverflowError, ValueError):
            return self.loop(len(shared), "safe")(*shared, rows)

    def numpy_rows(self, shared: Sequence[float], rows: Sequence) -> tuple:
        """`call_rows`, with one NumPy array per node (layers as matrix products, see
        layers.py): the same four results."""
        import numpy as np

        k = len(shared)
        run = self._loops.get((k, "numpy"))
        if run is None:
            from .layers import numpy_rows_source

            source = numpy_rows_source(self.writer, self.name + "_rows", k)
            self.loop_sources[k, "numpy"] = source
            run = self._loops[k, "numpy"] = self._load(source, self.name + "_rows", numpy=True)
        columns = np.asarray(rows, dtype=np.float64).T
        n = columns.shape[1]
        with np.errstate(all="ignore"):
            value, summed, *extras, ok = run(*shared, *columns, n)
        ok = np.broadcast_to(ok, (n,))
        value = np.broadcast_to(value, (n,))[ok].tolist()
        outs = []
        if extras:
            outs = np.stack([np.broadcast_to(e, (n,)) for e in extras[0]], axis=1)[ok].tolist()
        return value, summed, outs, np.flatnonzero(~ok).tolist()

    @property
    def numpy_source(self) -> str:
        if self._numpy_source is None:
            self._numpy_source = self.writer.source(self.name, "numpy")
        return self._numpy_source

    def run_numpy(self, columns: Sequence[Any]) -> tuple:
        """The program on one array per argument (compiled on first use)."""
        if self._numpy is None:
            self._numpy = self._load(self.numpy_source, self.name, numpy=True)
        return self._numpy(*columns)

    def describe_guard(self, k: int) -> str:
        return f"`{self.writer.guard_test(k)}` (the trace took {self.trace.guards[k].outcome})"


class Program:
    """A function compiled into straight-line Python: call it for the value,
    `.value_and_grad` for the gradients too, `.source` to read it, `.batch` on NumPy rows."""

    def __init__(
        self,
        f: Callable,
        example_args: Sequence[float],
        *,
        retrace: bool = True,
        exact: bool = True,
        leaves: Sequence[Any] | None = None,
        outputs: bool = False,
    ) -> None:
        if not callable(f):
            raise TypeError(f"compile: expected a function, got {type(f).__name__} {f!r}")
        args = _floats(example_args, "compile(f, example_args)")
        self.f = f
        self.retrace, self.exact = retrace, exact
        self.leaves, self.outputs = (list(leaves) if leaves is not None else None), outputs
        if self.leaves is not None and len(self.leaves) != len(args):
            raise ValueError(f"compile: {len(self.leaves)} leaves for {len(args)} arguments; they must match")
        labels = [v.label for v in self.leaves] if self.leaves is not None else None
        self.arg_names = _arg_names(f, len(args), labels)
        self.name = _function_name(f)
        self.traces: list[Compiled] = []
        self._trace(args)

    def _trace(self, args: tuple) -> Compiled:
        recorded = trace(self.f, args, self.arg_names, self.leaves, self.outputs)
        compiled = Compiled(recorded, self.arg_names, self.name, self.exact)
        self.traces.insert(0, compiled)
        del self.traces[MAX_TRACES:]
        return compiled

    @property
    def source(self) -> str:
        """The program that ran last (at first: the one traced at the example arguments)."""
        return self.traces[0].source

    @property
    def numpy_source(self) -> str:
        """The same program over NumPy arrays, as `batch` runs it."""
        return self.traces[0].numpy_source

    @property
    def n_args(self) -> int:
        return len(self.arg_names)

    def __call__(self, *args: float) -> float:
        return self.value_and_grad(*args)[0]

    def value_and_grad(self, *args: float) -> tuple[float, list[float]]:
        """(f(*args), [df/d arg for each arg]), as floats."""
        return self.run(*args)[:2]

    def run(self, *args: float) -> tuple:
        """What the program returns: (value, grads), and [other outputs] if outputs=True."""
        values = _floats(args, "compiled program")
        if len(values) != self.n_args:
            raise TypeError(f"compiled program of {self.name}: expected {self.n_args} arguments, got {len(values)}")
        return self.run_floats(values)

    def run_floats(self, values: Sequence[float]) -> tuple:
        """`run` for a tuple of exactly n_args floats, unchecked (a training loop's hot path)."""
        latest = self.traces[0]
        try:
            return latest.call(values)
        except GuardFailed as e:
            failed = (latest, e.index)
        for i in range(1, len(self.traces)):
            try:
                result = self.traces[i].call(values)
            except GuardFailed:
                continue
            self.traces.insert(0, self.traces.pop(i))  # the latest match goes first next time
            return result
        if not self.retrace:
            compiled, k = failed
            raise GuardError(
                f"compile({self.name}, retrace=False): at arguments {values} the branch "
                f"{compiled.describe_guard(k)} goes the other way, so the traced program does not apply; "
                "compile with retrace=True to trace such calls again"
            )
        return self._trace(values).call(values)

    def run_rows(
        self, shared: Sequence[float], rows: Sequence[Sequence[float]], numpy: bool = False
    ) -> tuple[list, list, list]:
        """The program on every row, its first arguments `shared` by all rows (a model's
        parameters): ([value per row], [gradient per shared argument, summed over the
        rows], [other outputs per row]). In plain Python (a loop over the rows), or with
        numpy=True as one NumPy array per node (the shared arguments stay floats).

        Rows that branch differently from the latest trace go to the other traces, then
        one by one (tracing again if needed), as single calls would.
        """
        k = len(shared)
        shared = tuple(shared)
        values: list = [None] * len(rows)
        outputs: list = [None] * len(rows)
        total = [0.0] * k
        pending = list(range(len(rows)))
        for compiled in list(self.traces):
            if not pending:
                break
            run = compiled.numpy_rows if numpy else compiled.call_rows
            v, g, o, failed = run(shared, [rows[i] for i in pending])
            rejected = set(failed)
            done = [i for j, i in enumerate(pending) if j not in rejected]
            for i, value, out in zip(done, v, o or [None] * len(done)):
                values[i], outputs[i] = value, out
            total = [a + b for a, b in zip(total, g)]
            pending = [pending[j] for j in failed]
        for i in pending:  # no trace takes this row's branches: trace it (or raise)
            value, grads, *rest = self.run_floats((*shared, *rows[i]))
            values[i], outputs[i] = value, (rest[0] if rest else None)
            total = [a + b for a, b in zip(total, grads[:k])]
        return values, total, outputs

    def batch(self, X: Any) -> tuple[Any, Any]:
        """The program on every row of X (shape (n, k)) at once: values (n,) and grads (n, k).

        One NumPy array per node. Rows whose branches differ from a trace's run on another
        trace (traced again if needed), as single calls would.
        """
        import numpy as np

        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_args:
            raise ValueError(f"batch: expected an array of shape (n, {self.n_args}), got shape {X.shape}")
        n = X.shape[0]
        values = np.empty(n)
        grads = np.empty((n, self.n_args))
        todo = np.arange(n)
        seeded: set[int] = set()  # rows that made a trace of their own
        with np.errstate(all="ignore"):  # inf and nan follow IEEE, as in the float program
            while todo.size:
                rows = X[todo]
                done = np.zeros(todo.size, dtype=bool)
                for compiled in list(self.traces):
                    left = ~done
                    value, g, *_, ok = compiled.run_numpy(list(rows[left].T))
                    ok = np.broadcast_to(ok, (int(left.sum()),))
                    where = np.flatnonzero(left)[ok]
                    values[todo[where]] = np.broadcast_to(value, ok.shape)[ok]
                    for j, gj in enumerate(g):
                        grads[todo[where], j] = np.broadcast_to(gj, ok.shape)[ok]
                    done[where] = True
                    if done.all():
                        break
                todo = todo[~done]
                if todo.size:  # rows no trace covers: one single call traces (or raises) for them
                    first = int(todo[0])
                    value, row_grads = self.value_and_grad(*X[first].tolist())
                    if first in seeded:
                        # Its own trace still does not take it: a guard on a sum that NumPy adds in
                        # another order than the float program came out the other way. The float
                        # program's answer stands.
                        values[first], grads[first] = value, row_grads
                        todo = todo[1:]
                    seeded.add(first)
        return values, grads

    def __repr__(self) -> str:
        lines = self.source.count("\n")
        return f"<compiled {self.name}: {self.n_args} arguments, {lines} lines, {len(self.traces)} trace(s)>"


def compile(f: Callable, example_args: Sequence[float], *, retrace: bool = True, exact: bool = True) -> Program:
    """Trace `f` once at `example_args` and compile its graph into straight-line Python.

    >>> prog = compile(lambda a, b: (a * b + a.tanh()).relu(), [2.0, -3.0])
    >>> prog(1.0, 2.0)                    # the value, a float
    >>> prog.value_and_grad(1.0, 2.0)     # (value, [df/da, df/db])
    >>> print(prog.source)                # forward, then backward, one line per op

    Comparisons and bool() of Values inside f become guards: arguments that take another
    branch are traced again (or raise GuardError with retrace=False). Values f makes itself
    (not from its arguments) are constants of the program.

    exact=True (the default) computes sums and dot products with math.fsum, as the engine
    does, so values and gradients agree with backward() to the last bit. exact=False writes
    a dot product as `w0 * x0 + w1 * x1 + ...`, added left to right as hand-written floats
    are: faster, and different from the engine in the last bits.
    """
    return Program(f, example_args, retrace=retrace, exact=exact)


# -- arguments ----------------------------------------------------------------------------


def _floats(args: Sequence[Any], who: str) -> tuple:
    try:
        items = list(args)
    except TypeError:
        raise TypeError(f"{who}: expected a list of numbers, got {type(args).__name__} {args!r}") from None
    out = []
    for i, x in enumerate(items):
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise TypeError(f"{who}: argument {i} must be a real number, got {type(x).__name__} {x!r}")
        try:
            out.append(float(x))
        except OverflowError:
            raise ValueError(f"{who}: argument {i} is too large for a float64") from None
    return tuple(out)


def _arg_names(f: Callable, n: int, labels: Sequence[str] | None = None) -> list[str]:
    """The program's parameter names: the leaves' labels, or f's own parameter names, else x0, x1, ..."""
    names: list[str] = [identifier(label) if label else f"x{i}" for i, label in enumerate(labels or ())]
    try:
        params = [] if labels is not None else list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        params = []
    for p in params:
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and len(names) < n:
            names.append(identifier(p.name))
    used = taken_names()
    return [unique_name(names[i] if i < len(names) else f"x{i}", used) for i in range(n)]


def _function_name(f: Callable) -> str:
    name = identifier(getattr(f, "__name__", "program"))
    return "program" if name == "_lambda_" or name in taken_names() else name


__all__ = ["compile", "Program", "GuardError"]
