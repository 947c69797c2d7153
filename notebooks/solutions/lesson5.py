"""Lesson 5, one hidden layer by hand: reference solutions (weight matrices: row = receiving unit)."""

import math


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def output_delta_bce(y_hat, y, s_o):
    """With E = -(y log y_hat + (1 - y) log(1 - y_hat)), sigma'(s_o) cancels: delta_o = y_hat - y."""
    return y_hat - y


def hidden_deltas_tanh(s_hidden, W_out, deltas_out):
    """delta_j = tanh'(s_j) * sum_k w_(j->k) delta_k: column j of W_out, i.e. (W_out^T delta)_j."""
    return [
        (1.0 - math.tanh(s_j) ** 2) * sum(row[j] * d_k for row, d_k in zip(W_out, deltas_out))
        for j, s_j in enumerate(s_hidden)
    ]


def train_step(x, y, params, eta):
    """Feed forward, feed backward (every delta first), then Delta w_(i->j) = -eta delta_j z_i."""
    W1, b1, W2, b2 = params
    # feed forward: s_j = sum_i W1[j][i] x_i + b1[j]
    z = [sigmoid(sum(w * xi for w, xi in zip(row, x)) + b) for row, b in zip(W1, b1)]
    y_hat = [sigmoid(sum(w * zj for w, zj in zip(row, z)) + b) for row, b in zip(W2, b2)]
    # feed backward
    d_out = [(p - t) * p * (1 - p) for p, t in zip(y_hat, y)]
    d_hidden = [zj * (1 - zj) * sum(W2[k][j] * d_out[k] for k in range(len(d_out))) for j, zj in enumerate(z)]
    # update: W[j][i] -= eta * delta_j * z_i
    new_W1 = [[w - eta * d * xi for w, xi in zip(row, x)] for row, d in zip(W1, d_hidden)]
    new_b1 = [b - eta * d for b, d in zip(b1, d_hidden)]
    new_W2 = [[w - eta * d * zj for w, zj in zip(row, z)] for row, d in zip(W2, d_out)]
    new_b2 = [b - eta * d for b, d in zip(b2, d_out)]
    return new_W1, new_b1, new_W2, new_b2
