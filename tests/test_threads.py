"""Threads: backward() on graphs that share nodes, and one no_grad() object, from 4+ threads."""

from __future__ import annotations

import itertools
import sys
import threading
from collections.abc import Callable

import pytest

import autograd
from autograd import Value, grad, is_grad_enabled, no_grad

THREADS = 6


def run_together(work: Callable[[int], None], threads: int = THREADS) -> None:
    """Run work(0..threads-1) in threads released at once, switching as often as possible."""
    start = threading.Barrier(threads, timeout=20)
    errors: list[BaseException] = []

    def body(k: int) -> None:
        try:
            start.wait()
            work(k)
        except BaseException as e:  # re-raised in the test's thread
            errors.append(e)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # a thread switch every few bytecodes: races show at once
    try:
        pool = [threading.Thread(target=body, args=(k,)) for k in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    if errors:
        raise errors[0]


def shared_graphs(n_roots: int) -> tuple[list[Value], list[Value]]:
    """Leaves, and roots that all go through one shared interior subgraph (and each other's)."""
    leaves = [Value(0.1 * (i + 1), f"x{i}") for i in range(8)]
    shared = autograd.sum([(a * b).tanh() for a, b in itertools.pairwise(leaves)])
    h = shared
    for _ in range(2000):  # a long shared chain: every backward resets and refills it
        h = (h * 0.999 + 0.001).tanh()
    roots = [(h * (k + 1.0) + leaves[k % len(leaves)]).sigmoid() for k in range(n_roots)]
    return leaves, roots


def test_backward_from_several_threads_on_graphs_sharing_nodes_equals_sequential_calls() -> None:
    leaves, roots = shared_graphs(THREADS)
    for _ in range(3):
        for root in roots:
            root.backward()
    sequential = [x.grad for x in leaves]

    for x in leaves:
        x.grad = 0.0
    run_together(lambda k: [roots[k].backward() for _ in range(3)])
    assert [x.grad for x in leaves] == pytest.approx(sequential, rel=1e-12)  # only the order of sums differs


def test_backward_of_one_root_from_several_threads_accumulates_exactly() -> None:
    leaves, (root,) = shared_graphs(1)
    for _ in range(THREADS):
        root.backward()
    sequential = [x.grad for x in leaves]
    for x in leaves:
        x.grad = 0.0
    run_together(lambda k: root.backward())
    assert [x.grad for x in leaves] == sequential  # the same sums of the same numbers


def test_grad_from_several_threads_gives_each_the_sequential_answer() -> None:
    leaves, roots = shared_graphs(THREADS)
    expected = [grad(root, leaves) for root in roots]
    results: dict[int, list] = {}
    run_together(lambda k: results.__setitem__(k, grad(roots[k], leaves)))
    assert [results[k] for k in range(THREADS)] == expected


def test_one_no_grad_object_can_be_entered_by_several_threads_at_once() -> None:
    shared_no_grad = no_grad()
    inside = threading.Barrier(THREADS, timeout=20)  # a broken barrier fails, never hangs
    seen: list[tuple[bool, bool]] = []

    def work(k: int) -> None:
        x = Value(float(k))
        for _ in range(20):
            with shared_no_grad:
                inside.wait()  # every thread is inside the same object's block at once
                seen.append((is_grad_enabled(), (x * 2.0).parents == ()))
                inside.wait()
            assert is_grad_enabled() and (x * 2.0).parents == (x,)

    run_together(work)
    assert seen == [(False, True)] * (THREADS * 20)
    assert is_grad_enabled()
