"""Lesson 6, training: reference solutions."""

import math

import numpy as np

from nn.data import batches
from nn.losses import binary_cross_entropy


def train_epoch(model, X, y, batch_size, lr, seed):
    """One pass over the data: per mini-batch, feed forward, feed backward, update."""
    losses = []
    for Xb, yb in batches(X, y, batch_size, seed=seed):
        loss = binary_cross_entropy([model(x) for x in Xb], yb)  # the batch mean
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


def pick_learning_rate(runs):
    """The lowest last validation loss; NaN and inf are left out (a NaN would fool min)."""
    finished = {lr: run["val_loss"][-1] for lr, run in runs.items() if math.isfinite(run["val_loss"][-1])}
    return min(finished, key=finished.get)


def minibatch_step(X, Y, W1, b1, W2, b2, eta):
    """Matrix-form backprop on a batch (one example per row), then one gradient step."""
    B = len(X)
    Z1 = 1 / (1 + np.exp(-(X @ W1.T + b1)))  # B x hidden
    Y_hat = 1 / (1 + np.exp(-(Z1 @ W2.T + b2)))  # B x out
    D2 = (Y_hat - Y) * Y_hat * (1 - Y_hat)  # row n: delta(2) of example n
    D1 = Z1 * (1 - Z1) * (D2 @ W2)  # row n: sigma'(s(1)) * W2^T delta(2)
    return (
        W1 - eta * D1.T @ X / B,  # (1/B) sum_n delta(1) x^T
        b1 - eta * D1.mean(axis=0),
        W2 - eta * D2.T @ Z1 / B,
        b2 - eta * D2.mean(axis=0),
    )
