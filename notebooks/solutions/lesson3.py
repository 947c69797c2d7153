"""Lesson 3, the chain rule and its notation: reference solutions."""

import math


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def sigmoid_prime(s):
    """sigma'(s) = sigma(s) (1 - sigma(s))."""
    return sigmoid(s) * (1.0 - sigmoid(s))


def last_layer_grads(a_prev, w, b, y):
    """C = (sigma(w a_prev + b) - y)**2: dC/dw, dC/db, dC/da_prev, each a product of three factors."""
    z = w * a_prev + b
    a = sigmoid(z)
    da_dz = a * (1.0 - a)
    dC_da = 2.0 * (a - y)
    return a_prev * da_dz * dC_da, 1.0 * da_dz * dC_da, w * da_dz * dC_da


def first_layer_grad(a0, w1, b1, w2, b2, y):
    """dC/dw^(1) for two one-neuron layers: five local derivatives multiplied."""
    z1 = w1 * a0 + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    a2 = sigmoid(z2)
    return a0 * a1 * (1.0 - a1) * w2 * a2 * (1.0 - a2) * 2.0 * (a2 - y)
