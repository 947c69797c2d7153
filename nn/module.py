"""`Module`: what every network part shares: its parameters, their names, and saving them.

A module owns some parameters (leaf `Value`s) and some child modules. Each parameter gets a
dotted name from its path, as in PyTorch: `layer0.neuron3.w1` is weight 1 of neuron 3 of
layer 0. The same name is written into the parameter's `.label`, so a graph picture can
group the Values of one neuron or one layer together.

Saving is JSON, never pickle: a model file is data that anyone can read, diff and load
without running code from it.
"""

from __future__ import annotations

import json
import numbers
import os
from collections.abc import Mapping
from typing import Any, TypeVar

from autograd import Value

FORMAT = "chaingrad.nn"
VERSION = 1

M = TypeVar("M", bound="Module")


class Module:
    """A network part with named parameters; subclasses say what they own and contain.

    By default a module finds its parts in its attributes, in the order they were set, as
    PyTorch does: a `Value` attribute `b` is parameter `b`, a list `w` of Values gives `w0`,
    `w1`, ...; a `Module` attribute (or a list of them) is a child. Neuron, Layer and MLP
    override the two methods below to say it explicitly.
    """

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
        missing = [name for name in expected if name not in state]
        unexpected = [name for name in state if name not in set(expected)]
        if missing or unexpected:
            parts = [f"expected {len(expected)} parameters, got {len(state)}"]
            if missing:
                parts.append(f"missing {_some(missing)}")
            if unexpected:
                parts.append(f"unexpected {_some(unexpected)}")
            raise ValueError(f"load_state_dict: {'; '.join(parts)}")
        for name in expected:
            value = state[name]
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ValueError(f"load_state_dict: {name} must be a number, got {type(value).__name__} {value!r}")
        for name, p in named:  # everything checked: now it is safe to write
            p.data = float(state[name])

    def save(self, path: str | os.PathLike) -> None:
        """Write architecture and parameters to `path` as JSON (load with `Cls.load(path)`)."""
        document = {
            "format": FORMAT,
            "version": VERSION,
            "module": type(self).__name__,
            "config": self.config(),
            "state_dict": self.state_dict(),
        }
        with open(path, "w", encoding="utf-8") as f:
            json.dump(document, f, indent=1)
            f.write("\n")

    @classmethod
    def load(cls: type[M], path: str | os.PathLike) -> M:
        """Build a new module from a file written by `save`.

        A file that is not valid JSON, was not written by `save`, holds another kind of
        module or has wrong parameters raises a `ValueError` naming the file and the problem.
        """
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            document = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: not a valid model file: {e}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ValueError(f"{path}: not a model file written by chaingrad's nn (no 'format': '{FORMAT}')")
        if document.get("version") != VERSION:
            raise ValueError(f"{path}: model file version {document.get('version')!r}, this nn reads {VERSION}")
        kind = document.get("module")
        module_class = _module_classes().get(kind) if cls is Module else cls
        if module_class is None or kind != module_class.__name__:
            raise ValueError(f"{path}: the file holds {kind!r}, expected {cls.__name__}")
        config = document.get("config")
        if not isinstance(config, dict):
            raise ValueError(f"{path}: 'config' must be an object, got {type(config).__name__}")
        try:
            module = module_class(**config)
            module.load_state_dict(document.get("state_dict"))
        except (TypeError, ValueError) as e:
            raise ValueError(f"{path}: {e}") from None
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
