"""`Module`: what every network part shares: its parameters, their names, and saving them.

A module owns some parameters (leaf `Value`s) and some child modules. Each parameter gets a
dotted name from its path, as in PyTorch: `layer0.neuron3.w1` is weight 1 of neuron 3 of
layer 0. The same name is written into the parameter's `.label`, so a graph picture can
group the Values of one neuron or one layer together.

Saving is JSON, never pickle: a model file is data that anyone can read, diff and load
without running code from it. A model file is

    {"format": "chaingrad.nn", "version": 1, "module": "MLP",
     "config": {"nin": 2, "nouts": [16, 16, 1], ...},   # the constructor's arguments
     "state_dict": {"layer0.neuron0.w0": 0.12, ...}}    # every parameter, by name

and version 2 adds `"scaler": {"mean": [...], "scale": [...]}`, the input standardization
the model was trained with (an MLP applies it to its inputs, so a loaded model predicts on
raw data). Files without a scaler are still written as version 1, so older readers load
them; a version-1 reader refuses a version-2 file instead of silently skipping its scaler.

Loading trusts nothing in the file: every check (strict UTF-8 and JSON, numbers that fit a
float64, no NaN or infinity, no nesting deeper than the format, at most `MAX_PARAMETERS`
parameters, counted from the config before any network is built) runs before anything is
built or changed, and a failure is a `ValueError` naming the file.
"""

from __future__ import annotations

import itertools
import json
import math
import numbers
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from autograd import Value

from .data import Standardizer

FORMAT = "chaingrad.nn"
VERSION = 1  # written when the model has no scaler
SCALER_VERSION = 2  # adds "scaler"
MAX_PARAMETERS = 1_000_000  # each is a Value of ~136 bytes plus its graph: beyond this a scalar engine crawls
MAX_FILE_BYTES = 64 * 2**20  # a million parameters written with indent=1 take ~45 MB
_KEYS = {"format", "version", "module", "config", "state_dict", "scaler"}
_DEPTH = 3  # document -> config, state_dict, scaler -> the lists in them (nouts, mean, scale)

M = TypeVar("M", bound="Module")


class Module:
    """A network part with named parameters; subclasses say what they own and contain.

    By default a module finds its parts in its attributes, in the order they were set, as
    PyTorch does: a `Value` attribute `b` is parameter `b`, a list `w` of Values gives `w0`,
    `w1`, ...; a `Module` attribute (or a list of them) is a child. Neuron, Layer and MLP
    override the two methods below to say it explicitly.
    """

    takes_scaler = False  # True where __call__ applies a `scaler` attribute to its inputs (MLP)

    # -- what a subclass provides ---------------------------------------------------------

    def own_parameters(self) -> list[tuple[str, Value]]:
        """Parameters held directly by this module (not by its children), with local names."""
        return [(name, part) for name, part in self._parts() if isinstance(part, Value)]

    def children(self) -> list[tuple[str, Module]]:
        """Child modules, with the name that prefixes their parameters."""
        return [(name, part) for name, part in self._parts() if isinstance(part, Module)]

    def _parts(self) -> list[tuple[str, Any]]:
        parts = []
        for name, attribute in vars(self).items():
            if isinstance(attribute, (list, tuple)):
                parts += [(f"{name}{i}", item) for i, item in enumerate(attribute)]
            else:
                parts.append((name, attribute))
        return parts

    def config(self) -> dict[str, Any]:
        """The constructor arguments that rebuild this architecture (used by `save`/`load`)."""
        raise NotImplementedError(f"{type(self).__name__} does not say how to rebuild itself")

    # -- shared behaviour -----------------------------------------------------------------

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted path, in a stable order (own first, then children)."""
        named = list(self.own_parameters())
        for prefix, child in self.children():
            named += [(f"{prefix}.{name}", p) for name, p in child.named_parameters()]
        return named

    def parameters(self) -> list[Value]:
        """Every parameter, in the same stable order as `named_parameters()`."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset every parameter's gradient: leaves accumulate across backward() calls."""
        for p in self.parameters():
            p.grad = 0.0

    def label_parameters(self) -> None:
        """Write each parameter's dotted name into its `.label` (done by every constructor)."""
        for name, p in self.named_parameters():
            p.label = name

    def state_dict(self) -> dict[str, float]:
        """Parameter name -> value, as plain floats: `json.dumps` can write it as it is."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy values from `state` into the parameters; on any mismatch load nothing.

        The names must be exactly this module's parameter names and every value a real
        number. Otherwise a `ValueError` says what differs and no parameter is touched.
        """
        if not isinstance(state, Mapping):
            raise ValueError(f"load_state_dict: expected a dict of name -> number, got {type(state).__name__}")
        named = self.named_parameters()
        expected = [name for name, _ in named]
        expected_set = set(expected)
        missing = [name for name in expected if name not in state]
        unexpected = [name for name in state if name not in expected_set]
        if missing or unexpected:
            parts = [f"expected {len(expected)} parameters, got {len(state)}"]
            if missing:
                parts.append(f"missing {_some(missing)}")
            if unexpected:
                parts.append(f"unexpected {_some(unexpected)}")
            raise ValueError(f"load_state_dict: {'; '.join(parts)}")
        values = []
        for name in expected:
            value = state[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"load_state_dict: {name} must be a number, got {type(value).__name__} {value!r:.60}")
            try:
                value = float(value)
            except OverflowError:
                raise ValueError(f"load_state_dict: {name} = {value!r:.60} does not fit a float64") from None
            if not math.isfinite(value):
                raise ValueError(f"load_state_dict: {name} is {value!r}; parameters must be finite numbers")
            values.append(value)
        for (_, p), value in zip(named, values):  # everything checked: now it is safe to write
            p.data = value

    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and parameters to `path` as strict JSON (load with `Cls.load(path)`).

        A NaN or infinite parameter (a diverged training run) is a `ValueError` naming it,
        and no file is written: JSON has no NaN, and a file that loads as garbage helps nobody.
        """
        state = self.state_dict()
        broken = [(name, value) for name, value in state.items() if not math.isfinite(value)]
        if broken:
            name, value = broken[0]
            more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
            raise ValueError(f"save: parameter {name} is {value}{more}; a model file holds finite numbers only")
        document = {"format": FORMAT, "version": VERSION, "module": type(self).__name__, "config": self.config()}
        document["state_dict"] = state
        scaler = getattr(self, "scaler", None)
        if scaler is not None:
            document["version"] = SCALER_VERSION
            document["scaler"] = scaler.to_dict()
        text = json.dumps(document, indent=1, allow_nan=False)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")

    @classmethod
    def load(cls: type[M], path: str | os.PathLike) -> M:
        """Build a new module from a file written by `save`.

        Anything else (not UTF-8, not JSON, not a model file, another kind of module, numbers
        that are NaN, infinite or too large for a float64, nesting deeper than the format,
        more than `MAX_PARAMETERS` parameters, wrong parameter names) raises a `ValueError`
        naming the file and the problem, before any network is built.
        """
        document = _read_document(path)
        kind = document.get("module")
        module_class = _module_classes().get(kind) if cls is Module else cls
        if module_class is None or kind != module_class.__name__:
            raise ValueError(f"{path}: the file holds {kind!r}, expected {cls.__name__}")
        config, state = document.get("config"), document.get("state_dict")
        if not isinstance(config, dict):
            raise ValueError(f"{path}: 'config' must be an object, got {type(config).__name__}")
        try:
            count = _parameter_count(kind, config)
        except ValueError as e:
            raise ValueError(f"{path}: {e}") from None
        if count is not None and count > MAX_PARAMETERS:
            raise ValueError(f"{path}: the config makes {count:,} parameters, over the limit of {MAX_PARAMETERS:,}")
        if not isinstance(state, dict):
            raise ValueError(f"{path}: 'state_dict' must be a dict of name -> number, got {type(state).__name__}")
        if len(state) > MAX_PARAMETERS:
            raise ValueError(f"{path}: {len(state):,} parameters, over the limit of {MAX_PARAMETERS:,}")
        if count is not None and count != len(state):
            raise ValueError(f"{path}: the config makes {count:,} parameters but 'state_dict' holds {len(state):,}")
        scaler = None
        if "scaler" in document:
            if not module_class.takes_scaler:
                raise ValueError(f"{path}: a {kind} does not apply an input scaler; the file has one")
            try:
                scaler = Standardizer.from_dict(document["scaler"])
            except ValueError as e:
                raise ValueError(f"{path}: 'scaler': {e}") from None
            if config.get("nin") != scaler.n_features:
                nin = config.get("nin")
                raise ValueError(f"{path}: the scaler has {scaler.n_features} features, the model {nin!r} inputs")
        try:
            module = module_class(**config)
            module.load_state_dict(state)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{path}: {e}") from None
        if scaler is not None:
            module.scaler = scaler
        return module

    def __repr__(self) -> str:
        try:
            config = self.config()
        except NotImplementedError:
            return f"{type(self).__name__}({len(self.parameters())} parameters)"
        if config.get("fused") is True:
            del config["fused"]  # the default: say only what is unusual
        args = ", ".join(repr(v) if k in _POSITIONAL else f"{k}={v!r}" for k, v in config.items())
        return f"{type(self).__name__}({args})"


_POSITIONAL = ("nin", "nout", "nouts")


def _some(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _module_classes() -> dict[str, type[Module]]:
    """Every Module subclass by name, so `Module.load` can rebuild whatever a file holds."""
    found: dict[str, type[Module]] = {}
    pending = [Module]
    while pending:
        for sub in pending.pop().__subclasses__():
            found[sub.__name__] = sub
            pending.append(sub)
    return found


def dense_parameter_count(sizes: Sequence[int]) -> int:
    """Weights and biases of dense layers of these sizes (inputs first): `[2, 16, 1]` -> 65."""
    return sum((a + 1) * b for a, b in itertools.pairwise(sizes))


def _parameter_count(kind: Any, config: dict[str, Any]) -> int | None:
    """How many parameters the built-in modules' `config` makes (None for other modules),
    so that a file asking for a billion parameters is refused before any of them exists."""

    def size(key: str) -> int:
        value = config.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"config {key} must be a positive int, got {value!r:.60}")
        return value

    if kind == "Neuron":
        return size("nin") + 1
    if kind == "Layer":
        return dense_parameter_count([size("nin"), size("nout")])
    if kind == "MLP":
        nouts = config.get("nouts")
        if not isinstance(nouts, list) or not nouts:
            raise ValueError(f"config nouts must be a non-empty list of layer sizes, got {nouts!r:.60}")
        sizes = [size("nin")]
        for n in nouts:
            if isinstance(n, bool) or not isinstance(n, int) or n < 1:
                raise ValueError(f"config nouts must hold positive ints, got {n!r:.60}")
            sizes.append(n)
        return dense_parameter_count(sizes)
    return None


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _read_document(path: str | os.PathLike) -> dict[str, Any]:
    """The JSON object in a model file, checked for everything that does not depend on the module."""
    size = os.path.getsize(path)
    if size > MAX_FILE_BYTES:
        raise ValueError(f"{path}: {size:,} bytes, more than a model file of {MAX_PARAMETERS:,} parameters needs")
    with open(path, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not a model file: byte {e.start} is not UTF-8 text") from None
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", _STRING.sub("", text)):  # outside strings; before parsing, so
        depth += 1 if bracket in "[{" else -1  # deep nesting cannot exhaust the parser's recursion
        deepest = max(deepest, depth)
    if deepest > _DEPTH:
        raise ValueError(f"{path}: nesting {deepest} levels deep; a model file has at most {_DEPTH}")
    try:
        document = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except ValueError as e:  # json.JSONDecodeError is a ValueError, and so are the number checks
        raise ValueError(f"{path}: not a valid model file: {e}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a model file written by chaingrad's nn (no 'format': '{FORMAT}')")
    version = document.get("version")
    if version not in (VERSION, SCALER_VERSION) or isinstance(version, bool):
        raise ValueError(f"{path}: model file version {version!r:.60}, this nn reads {VERSION} and {SCALER_VERSION}")
    unknown = sorted(set(document) - _KEYS)
    if unknown:
        raise ValueError(f"{path}: unexpected keys {_some(unknown)}; a model file has {', '.join(sorted(_KEYS))}")
    if version == VERSION and "scaler" in document:
        raise ValueError(f"{path}: a 'scaler' needs model file version {SCALER_VERSION}, the file says {VERSION}")
    return document


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 309:  # more digits than the largest float64 (and than int() parses quickly)
        raise ValueError(f"the number {text[:20]}... ({len(text)} digits) does not fit a float64")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} does not fit a float64")
    return value


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number a model file may hold (parameters are finite)")
