"""How much a graph costs to keep: one object per recorded unary or binary op, no cycles."""

from __future__ import annotations

import gc
import math
import tracemalloc

import pytest

from autograd import Value
from autograd.ops import Primitive
from autograd.value import operands_of


def chain(n: int) -> tuple[Value, Value]:
    """The benchmark's chain: x <- tanh(x * 1.0001 + 0.001), n ops in all."""
    x = y = Value(0.5)
    for _ in range(n // 3):
        y = (y * 1.0001 + 0.001).tanh()
    return x, y


def test_a_chain_costs_at_most_150_bytes_per_node() -> None:
    # A node of a unary or binary op is one object holding its parents, local derivatives
    # and constant in slots, not three objects (a node, a tuple of parents, a tuple of derivatives).
    gc.collect()
    tracemalloc.start()
    try:
        _x, _y = chain(30_000)
        used, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert used / 30_001 <= 150, f"{used / 30_001:.0f} bytes per node"


def test_a_recorded_binary_op_is_one_object_the_garbage_collector_tracks() -> None:
    a, b = Value(2.0), Value(3.0)
    # (node.op is the op itself, one object shared by every node of that op: not counted)
    for node in (a * b, a + 1.0, 2.0**a, a.tanh()):
        own = [r for r in gc.get_referents(node) if gc.is_tracked(r) and not isinstance(r, (Value, type, Primitive))]
        assert not own


def test_a_dropped_graph_is_freed_by_reference_counting_alone() -> None:
    # No reference cycles (micrograd's closures make one per op): memory comes back at once,
    # without waiting for the cycle collector.
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        x, y = chain(3_000)
        held, _ = tracemalloc.get_traced_memory()
        del x, y
        left, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        gc.enable()
    assert held > 300_000 and left < held / 100, (held, left)  # (a few bytes of interpreter caches stay)


def test_each_layout_gives_back_its_parents_local_derivatives_and_operands() -> None:
    a, b = Value(2.0), Value(3.0)
    cases = [
        (a.exp(), (a,), (a.exp().data,), (a,)),
        (a * b, (a, b), (3.0, 2.0), (a, b)),
        (a * 5.0, (a,), (5.0,), (a, 5.0)),
        (5.0 * a, (a,), (5.0,), (5.0, a)),
        (2.0**a, (a,), (4.0 * math.log(2.0),), (2.0, a)),
    ]
    for node, parents, local_grads, operands in cases:
        assert node.parents == parents and operands_of(node) == operands
        assert node.local_grads == pytest.approx(local_grads, rel=1e-15)
    leaf = Value(1.0)
    assert (leaf.parents, leaf.local_grads) == ((), ())
