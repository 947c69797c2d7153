"""Lesson 5, one hidden layer by hand: reference solutions."""

import math


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def output_delta_bce(y_hat, y, s_o):
    """With C = -(y log y_hat + (1 - y) log(1 - y_hat)), sigma'(s_o) cancels: delta_o = y_hat - y."""
    return y_hat - y


def hidden_deltas_tanh(s_hidden, W_out, deltas_out):
    """delta_j = tanh'(s_j) * sum_k w_(j->k) delta_k, with tanh'(s) = 1 - tanh(s)**2."""
    return [
        (1.0 - math.tanh(s_j) ** 2) * sum(w_jk * d_k for w_jk, d_k in zip(W_out[j], deltas_out))
        for j, s_j in enumerate(s_hidden)
    ]


def train_step(x, y, params, eta):
    """Feed forward, feed backward (every delta first), then Delta w_(i->j) = -eta delta_j z_i."""
    W1, b1, W2, b2 = params
    n_in, n_hidden, n_out = len(x), len(b1), len(b2)
    # feed forward
    s_hidden = [sum(W1[i][j] * x[i] for i in range(n_in)) + b1[j] for j in range(n_hidden)]
    z = [sigmoid(s) for s in s_hidden]
    s_out = [sum(W2[j][k] * z[j] for j in range(n_hidden)) + b2[k] for k in range(n_out)]
    y_hat = [sigmoid(s) for s in s_out]
    # feed backward
    d_out = [(y_hat[k] - y[k]) * y_hat[k] * (1 - y_hat[k]) for k in range(n_out)]
    d_hidden = [z[j] * (1 - z[j]) * sum(W2[j][k] * d_out[k] for k in range(n_out)) for j in range(n_hidden)]
    # update
    new_W1 = [[W1[i][j] - eta * d_hidden[j] * x[i] for j in range(n_hidden)] for i in range(n_in)]
    new_b1 = [b1[j] - eta * d_hidden[j] for j in range(n_hidden)]
    new_W2 = [[W2[j][k] - eta * d_out[k] * z[j] for k in range(n_out)] for j in range(n_hidden)]
    new_b2 = [b2[k] - eta * d_out[k] for k in range(n_out)]
    return new_W1, new_b1, new_W2, new_b2
