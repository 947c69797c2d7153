"""Lesson 3, the chain rule and its notation: reference solutions (E = 1/2 (z - y)**2 throughout)."""

import math


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def sigmoid_prime(s):
    """sigma'(s) = sigma(s) (1 - sigma(s))."""
    return sigmoid(s) * (1.0 - sigmoid(s))


def last_layer_grads(z_prev, w, b, y):
    """E = 1/2 (sigma(w z_prev + b) - y)**2: dE/dw, dE/db, dE/dz_prev, each a product of three factors."""
    s = w * z_prev + b
    z = sigmoid(s)
    delta = sigmoid_prime(s) * (z - y)  # local dz/ds times flowing dE/dz: the unit's error dE/ds
    return z_prev * delta, 1.0 * delta, w * delta


def first_layer_grad(x, w1, b1, w2, b2, y):
    """dE/dw(1) for two one-unit layers: x * sigma'(s1) * w2 * sigma'(s2) * (z2 - y)."""
    s1 = w1 * x + b1
    z1 = sigmoid(s1)
    s2 = w2 * z1 + b2
    z2 = sigmoid(s2)
    return x * sigmoid_prime(s1) * w2 * sigmoid_prime(s2) * (z2 - y)


def chain_grads(x, ws, bs, y):
    """One forward loop keeping s and z, one backward loop carrying dE/dz(l) down the chain."""
    zs, ss = [x], []
    for w, b in zip(ws, bs):
        ss.append(w * zs[-1] + b)
        zs.append(sigmoid(ss[-1]))
    dE_dz = zs[-1] - y  # flowing gradient at the top output
    grads = [0.0] * len(ws)
    for layer in reversed(range(len(ws))):  # layer l is index l - 1; its input is zs[l - 1] = zs[index]
        delta = sigmoid_prime(ss[layer]) * dE_dz  # dE/ds(l)
        grads[layer] = zs[layer] * delta
        dE_dz = ws[layer] * delta  # dE/dz(l-1): the factor w(l) sigma'(s(l))
    return grads
