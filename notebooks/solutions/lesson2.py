"""Lesson 2, Value and the computation graph: reference solutions."""

from autograd.engine import topological_order


def grads_by_hand(x, y, z):
    """out = (x*y + z) * x, backpropagated node by node with plain floats."""
    q = x * y
    r = q + z
    d_out = 1.0
    d_r = d_out * x  # out = r * x
    d_x = d_out * r  # ... and x is used again below
    d_q = d_r * 1.0  # r = q + z
    d_z = d_r * 1.0
    d_x += d_q * y  # q = x * y: the second use of x adds
    d_y = d_q * x
    return {"x": d_x, "y": d_y, "z": d_z}


def is_topological(order):
    """True when every node comes after all of its parents."""
    seen = set()
    for node in order:
        if any(id(parent) not in seen for parent in node.parents):
            return False
        seen.add(id(node))
    return True


def my_backward(root):
    """Fill .grad of every node below root: reverse topological order, contributions added."""
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local
