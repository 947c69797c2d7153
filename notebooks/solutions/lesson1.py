"""Lesson 1, derivatives as slopes: reference solutions."""

import math


def derivative_agrees(f, df, x):
    """A central difference with h = 1e-6 (near the bottom of the U-curve), compared relatively.

    The tolerance scales with the size of the numbers (a slope of 5e8 carries a rounding error near
    0.1) and has a floor of 1 so that a slope of exactly 0 can be confirmed.
    """
    h = 1e-6
    measured = (f(x + h) - f(x - h)) / (2 * h)
    claimed = df(x)
    return abs(measured - claimed) <= 1e-6 * max(1.0, abs(measured), abs(claimed))


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
