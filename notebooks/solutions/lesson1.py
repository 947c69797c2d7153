"""Lesson 1, derivatives as slopes: reference solutions."""

import math


def central_difference(f, x, h):
    """The slope of f at x, from one point on each side: error ~ h**2."""
    return (f(x + h) - f(x - h)) / (2 * h)


def numerical_gradient(f, inputs, h=1e-6):
    """One central difference per input, the others held still; `inputs` is left as it was."""
    slopes = []
    for i in range(len(inputs)):
        up = list(inputs)
        down = list(inputs)
        up[i] += h
        down[i] -= h
        slopes.append((f(*up) - f(*down)) / (2 * h))
    return slopes


def derivative_of_g(x):
    """g(x) = x**2 sin(x), so g'(x) = 2x sin(x) + x**2 cos(x) (product rule)."""
    return 2 * x * math.sin(x) + x**2 * math.cos(x)
