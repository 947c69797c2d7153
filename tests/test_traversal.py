"""The topological order and the backward sweep, on random graphs of every node layout.

`topological_order` and `backward` read the node slots directly and take shortcuts (runs of
nodes that wait each for the next, n-ary parents filtered in C, zero gradients skipped). On
random graphs mixing unary, binary, constant and n-ary nodes with shared subexpressions,
they must agree with the plain recursive definitions written here from `.parents` and
`.local_grads` alone: the same order, and gradients equal to the last bit.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, grad, topological_order


def reference_order(root: Value) -> list[Value]:
    """Depth-first post-order, visiting a node's parents last to first (as a stack does)."""
    order: list[Value] = []
    seen: set[Value] = set()

    def visit(node: Value) -> None:
        if node in seen:
            return
        seen.add(node)
        for parent in reversed(node.parents):
            visit(parent)
        order.append(node)

    visit(root)
    return order


def reference_backward(root: Value) -> dict[Value, float]:
    grads: dict[Value, float] = {root: 1.0}
    for node in reversed(reference_order(root)):
        g = grads.get(node, 0.0)
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] = grads.get(parent, 0.0) + g * local
    return grads


@st.composite
def graphs(draw: st.DrawFn) -> tuple[Value, list[Value]]:
    leaves = [Value(draw(st.floats(-2, 2)), label=f"x{i}") for i in range(draw(st.integers(1, 4)))]
    nodes = list(leaves)
    pick = st.integers(0, 10_000).map(lambda i: nodes[i % len(nodes)])
    constant = st.sampled_from([0.5, -1.5, 2.0])
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.sampled_from(["unary", "binary", "constant first", "constant second", "sum", "dot", "matvec"]))
        if kind == "unary":
            nodes.append(draw(pick).tanh() if draw(st.booleans()) else draw(pick).relu())
        elif kind == "binary":
            nodes.append(draw(pick) * draw(pick) if draw(st.booleans()) else draw(pick) + draw(pick))
        elif kind == "constant first":
            nodes.append(draw(constant) * draw(pick))
        elif kind == "constant second":
            nodes.append(draw(pick) + draw(constant))
        elif kind == "sum":
            nodes.append(autograd.sum(draw(st.lists(st.one_of(pick, constant), min_size=1, max_size=5))))
        elif kind == "dot":
            n = draw(st.integers(1, 4))
            w = draw(st.lists(st.one_of(pick, constant), min_size=n, max_size=n))
            nodes.append(autograd.dot(w, draw(st.lists(st.one_of(pick, constant), min_size=n, max_size=n))))
        else:  # a layer: rows of Values, inputs shared (the bias input 1.0 last)
            n = draw(st.integers(1, 3))
            inputs = [*draw(st.lists(pick, min_size=n, max_size=n)), 1.0]
            rows = draw(st.lists(st.lists(pick, min_size=n + 1, max_size=n + 1), min_size=1, max_size=3))
            nodes.extend(autograd.matvec(rows, inputs))
    outputs = draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=4))
    root = autograd.sum(outputs) if len(outputs) > 1 else outputs[0] * 1.0
    return root, leaves


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_topological_order_is_the_recursive_post_order(graph: tuple[Value, list[Value]]) -> None:
    root, _ = graph
    order = topological_order(root)
    assert order == reference_order(root)
    position = {node: i for i, node in enumerate(order)}
    assert all(position[p] < position[node] for node in order for p in node.parents)


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_backward_gives_the_reference_gradients_to_the_last_bit(graph: tuple[Value, list[Value]]) -> None:
    root, leaves = graph
    expected = reference_backward(root)
    root.backward()
    for node in topological_order(root):
        assert node.grad == expected.get(node, 0.0) or (node.grad != node.grad and expected[node] != expected[node])
    assert grad(root, leaves) == [expected.get(x, 0.0) for x in leaves]
