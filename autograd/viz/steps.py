"""The steps of a forward and a backward pass, as plain data: the players show these.

Pure Python. The backward steps redo the engine's sweep (engine.py `_sweep`) in the same
order, multiplying and adding the same floats in the same order, so every number a caption
shows is bit-for-bit the gradient `grad()` and `backward()` compute.

Captions keep the course's two kinds of derivative apart (see the notation card in lesson 3):
the gradient flowing back from the output `out`, `∂out/∂e` (what `e.grad` holds), and the
local derivative `∂e/∂a` of one op, which the caption marks `local`; when `e` is the output
itself, its local derivative is written with the op, `∂(d·f)/∂d`, never as `∂out/∂d`.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..value import Value
from .graph import fmt, formula, kind_of, local_partial, operand, partial

LEAF_NOTES = {"input": "an input", "parameter": "a parameter", "root": "a leaf"}


class Frame:
    """One step: the node it is about, the nodes finished so far, and what happened, in words."""

    __slots__ = ("current", "caption", "result", "_visits", "_step")

    def __init__(self, current: Value, caption: str, result: float, visits: Sequence[Value], step: int) -> None:
        self.current = current
        self.caption = caption
        self.result = result  # the number this step computes: a value forward, a gradient backward
        self._visits, self._step = visits, step

    @property
    def done(self) -> frozenset[Value]:
        """The nodes finished by this step, `current` included (built on demand: O(n) each)."""
        return frozenset(self._visits[: self._step + 1])

    def __repr__(self) -> str:
        first_line = self.caption.splitlines()[0]
        return f"Frame({self._step}: {first_line!r})"


def forward_frames(order: list[Value], names: dict[Value, str]) -> list[Frame]:
    """Nodes in topological order, each with the computation that produced its value.

    `c = a * b = 2.0000 * (-3.0000) = -6.0000`; a leaf just shows its value.
    """
    root = order[-1]
    frames = []
    for step, node in enumerate(order):
        name = names[node]
        if node.parents:
            caption = f"{name} = {formula(node, names)} = {formula(node, None)} = {fmt(node.data)}"
        else:
            caption = f"{name} = {fmt(node.data)}   ({LEAF_NOTES[kind_of(node, root)]}: its value is given)"
        frames.append(Frame(node, caption, node.data, order, step))
    return frames


def backward_frames(order: list[Value], names: dict[Value, str]) -> tuple[list[Frame], dict[Value, float]]:
    """Nodes in reverse `order` (the engine's topological order), each with the chain rule for its gradient.

    A node's gradient is final when its turn comes (all its consumers went before), so its
    caption lists every contribution, `∂c/∂a += ∂c/∂e · local ∂e/∂a = 2.0000 · 3.0000 = 6.0000`,
    then their sum when the node is used more than once. Returns the frames and the gradients.
    """
    root = order[-1]
    visits = order[::-1]
    grads: dict[Value, float] = {root: 1.0}
    # For each node, the terms of its gradient as they arrive: (consumer, its gradient, local derivative, product).
    arrivals: dict[Value, list[tuple[Value, float, float, float]]] = {}
    frames = []
    for step, node in enumerate(visits):
        g = grads[node]
        frames.append(Frame(node, _backward_caption(node, g, names, arrivals.pop(node, []), root), g, visits, step))
        for parent, local in zip(node.parents, node.local_grads):
            contribution = g * local  # the engine's arithmetic, in the engine's order
            grads[parent] = grads[parent] + contribution if parent in grads else contribution
            arrivals.setdefault(parent, []).append((node, g, local, contribution))
    return frames, grads


def _backward_caption(node: Value, g: float, names: dict[Value, str], terms: list, root: Value) -> str:
    name, out = names[node], names[root]
    if not terms:  # the output itself
        return f"start at the output: {partial(out, name)} = {fmt(g)}"
    lines = []
    if len(terms) > 1:
        lines.append(f"{name} is used {len(terms)} times, so its gradient is the sum of {len(terms)} contributions:")
    for consumer, g_consumer, local, contribution in terms:
        c = names[consumer]
        numbers = f"{operand(g_consumer)} · {operand(local)} = {fmt(contribution)}"
        local_symbol = local_partial(consumer, name, names, root)
        lines.append(f"{partial(out, name)} += {partial(out, c)} · local {local_symbol} = {numbers}")
    if len(terms) > 1:
        lines.append(f"{partial(out, name)} = {' + '.join(operand(term[3]) for term in terms)} = {fmt(g)}")
    return "\n".join(lines)
