"""Lesson 6, training: reference solutions."""

import math

from nn.data import batches
from nn.losses import binary_cross_entropy


def one_step_lr(a):
    """On f(w) = a w**2 a step gives w - lr * 2 a w = (1 - 2 lr a) w: zero when lr = 1 / (2a)."""
    return 1.0 / (2.0 * a)


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


def init_std(nin, nout, activation):
    """He for relu, sqrt(2 / nin); Xavier for tanh and sigmoid, sqrt(2 / (nin + nout))."""
    if activation == "relu":
        return math.sqrt(2.0 / nin)
    return math.sqrt(2.0 / (nin + nout))
