"""Checks for lesson 1, derivatives as slopes: central differences, partial derivatives, a slope by hand."""

from __future__ import annotations

import math

from .core import Hint, call, close, exercise, fmt, number, numbers_list


def cube_minus(x: float) -> float:
    """x**3 - 2x, the lesson's first curve."""
    return x**3 - 2 * x


def sin_times_square(x: float, y: float) -> float:
    """sin(x) * y**2: two inputs."""
    return math.sin(x) * y**2


def abc(a: float, b: float, c: float) -> float:
    """a * b + c: three inputs, the next lesson's first expression."""
    return a * b + c


@exercise("1.1", "central differences", "central_difference")
def check_central_difference(answer) -> str:
    for f, x, h in ((math.sin, 1.0, 1e-3), (cube_minus, 1.5, 1e-2), (math.exp, -0.5, 1e-4)):
        got = number(call(answer, f, x, h), f"central_difference({f.__name__}, {x}, {h})")
        want = (f(x + h) - f(x - h)) / (2 * h)
        if close(got, want, rel=1e-8):
            continue
        where = f"for f = {f.__name__}, x = {x}, h = {h}"
        if close(got, (f(x + h) - f(x)) / h, rel=1e-8):
            raise Hint(
                f"{where}: you return the forward difference (f(x+h) - f(x)) / h. The central difference "
                "uses one point on each side of x: (f(x+h) - f(x-h)) / (2h)."
            )
        if close(got, 2 * want, rel=1e-8):
            raise Hint(f"{where}: your slope is twice too large: x-h and x+h are 2h apart, so divide by 2h.")
        if close(got, want / 2, rel=1e-8):
            raise Hint(f"{where}: your slope is half the right one: divide by 2h, not by 4h.")
        if close(got, -want, rel=1e-8):
            raise Hint(f"{where}: your slope has the wrong sign: it is f(x+h) - f(x-h), right point minus left point.")
        raise Hint(f"{where}: expected {fmt(want)}, got {fmt(got)}. The formula is (f(x+h) - f(x-h)) / (2h).")
    return "Its error shrinks like h**2, the forward difference's only like h."


@exercise("1.2", "partial derivatives", "numerical_gradient")
def check_numerical_gradient(answer) -> str:
    h = 1e-4
    for f, point in ((abc, [2.0, -3.0, 10.0]), (sin_times_square, [0.5, 1.5])):
        inputs = list(point)
        result = call(answer, f, inputs, h)
        if inputs != point:
            raise Hint(
                f"numerical_gradient changed the list it was given ({point} became {inputs}): nudge a copy, "
                "or put each input back after nudging it."
            )
        got = numbers_list(result, len(point), f"numerical_gradient({f.__name__}, {point}, {h})")
        want, forward = [], []
        for i in range(len(point)):
            up = [x + h if j == i else x for j, x in enumerate(point)]
            down = [x - h if j == i else x for j, x in enumerate(point)]
            want.append((f(*up) - f(*down)) / (2 * h))
            forward.append((f(*up) - f(*point)) / h)
        if all(close(g, w, rel=1e-7, abs_tol=1e-9) for g, w in zip(got, want)):
            continue
        everything = (f(*(x + h for x in point)) - f(*(x - h for x in point))) / (2 * h)
        if len(point) > 1 and all(close(g, everything, rel=1e-7) for g in got):
            raise Hint(
                "every entry is the same number: you nudged all the inputs at once. A partial derivative "
                "moves one input and holds the others still."
            )
        if all(close(g, w, rel=1e-7, abs_tol=1e-9) for g, w in zip(got, forward)):
            raise Hint("these are forward differences; use central ones, (f(..x+h..) - f(..x-h..)) / (2h).")
        i = next(i for i, (g, w) in enumerate(zip(got, want)) if not close(g, w, rel=1e-7, abs_tol=1e-9))
        raise Hint(
            f"for {f.__name__} at {point}, entry {i} (the slope along input {i}) should be about {fmt(want[i])}, "
            f"got {fmt(got[i])}."
        )
    return "This is exactly what gradcheck does to test backward()."


def g(x: float) -> float:
    """x**2 * sin(x): the curve of exercise 1.3."""
    return x**2 * math.sin(x)


@exercise("1.3", "a slope by hand", "derivative_of_g")
def check_derivative_of_g(answer) -> str:
    for x in (0.7, -1.3, 2.0, 0.0):
        got = number(call(answer, x), f"derivative_of_g({x})")
        want = 2 * x * math.sin(x) + x**2 * math.cos(x)
        if close(got, want, rel=1e-9, abs_tol=1e-12):
            continue
        if close(got, 2 * x * math.cos(x), rel=1e-9):
            raise Hint(
                "the derivative of a product is not the product of the derivatives: "
                "(u v)' = u' v + u v', with u = x**2 and v = sin(x)."
            )
        if close(got, 2 * x * math.sin(x), rel=1e-9):
            raise Hint("you differentiated x**2 but held sin(x) still: add the term x**2 * cos(x) (product rule).")
        if close(got, x**2 * math.cos(x), rel=1e-9):
            raise Hint("you differentiated sin(x) but held x**2 still: add the term 2x * sin(x) (product rule).")
        slope = (g(x + 1e-6) - g(x - 1e-6)) / 2e-6
        raise Hint(
            f"at x = {x} the curve's slope is about {fmt(slope)} (central difference), your formula gives {fmt(got)}."
        )
    return None
