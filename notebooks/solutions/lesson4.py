"""Lesson 4, single-layer models: reference solutions."""

import math


def gate_weights(gate):
    """(w, b) with w1*x1 + w2*x2 + b >= 0 exactly where the gate is 1 (inputs 0 or 1)."""
    if gate == "AND":  # only (1, 1) reaches 2 - 1.5 >= 0
        return [1.0, 1.0], -1.5
    if gate == "OR":  # any single 1 reaches 1 - 0.5 >= 0
        return [1.0, 1.0], -0.5
    if gate == "NAND":  # the AND perceptron with every sign flipped
        return [-1.0, -1.0], 1.5
    raise ValueError(f"unknown gate {gate!r}")


def softmax(z):
    """exp(z_k - m) / sum_j exp(z_j - m) with m = max(z): every exponent <= 0, nothing overflows."""
    m = max(z)
    exps = [math.exp(v - m) for v in z]
    total = sum(exps)
    return [e / total for e in exps]


def softmax_regression_grads(W, b, x, c):
    """z_k = sum_i W[k][i] x_i + b_k; loss = -log softmax(z)[c]. Returns (dW, db).

    d loss/d z_k = p_k - [k == c] (the class's delta); dW[k][i] = delta_k * x_i, db[k] = delta_k.
    """
    z = [sum(w * xi for w, xi in zip(row, x)) + bk for row, bk in zip(W, b)]
    deltas = [p - (1.0 if k == c else 0.0) for k, p in enumerate(softmax(z))]
    return [[d * xi for xi in x] for d in deltas], deltas
