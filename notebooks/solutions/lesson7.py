"""Lesson 7, under the hood: reference solutions."""

from autograd import Value, grad, no_grad
from autograd.engine import topological_order


def count_paths(root, wrt):
    """Paths from wrt up to root, by dynamic programming: one visit per node."""
    paths = {wrt: 1}
    for node in topological_order(root):
        if node is not wrt:
            paths[node] = sum(paths.get(parent, 0) for parent in node.parents)
    return paths.get(root, 0)


def newton_step(f, x):
    """x - f'(x) / f''(x), both derivatives from chaingrad."""
    xv = Value(x)
    (first,) = grad(f(xv), [xv], create_graph=True)
    (second,) = grad(first, [xv])
    return x - first.data / second


def predict_without_graph(model, X):
    """The model's outputs as floats, with nothing recorded."""
    with no_grad():
        return [model(x).data for x in X]
