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


def softmax(s):
    """exp(s_k - m) / sum_j exp(s_j - m) with m = max(s): every exponent <= 0, nothing overflows."""
    m = max(s)
    exps = [math.exp(v - m) for v in s]
    total = sum(exps)
    return [e / total for e in exps]


def softmax_regression_grads(W, b, x, c):
    """s_k = sum_i W[k][i] x_i + b_k (row = receiving class); E = -log softmax(s)[c]. Returns (dW, db).

    dE/ds_k = p_k - [k == c] (the class's delta); dW[k][i] = delta_k * x_i, db[k] = delta_k.
    """
    s = [sum(w * xi for w, xi in zip(row, x)) + bk for row, bk in zip(W, b)]
    deltas = [p - (1.0 if k == c else 0.0) for k, p in enumerate(softmax(s))]
    return [[d * xi for xi in x] for d in deltas], deltas
