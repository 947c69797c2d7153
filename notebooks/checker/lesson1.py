"""Checks for lesson 1, derivatives as slopes: a derivative checker, partial derivatives, a slope by hand."""

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


def small_slope(x: float) -> float:
    """0.001 x**2: a curve whose slope at 0.5 is 0.001."""
    return 1e-3 * x * x


def cube(x: float) -> float:
    """x**3: slope exactly 0 at x = 0."""
    return x**3


# (f, claimed derivative, x, is the claim right?, what a wrong verdict on this case reveals)
DERIVATIVE_CASES = (
    (
        math.sin,
        math.cos,
        1.0,
        True,
        "it rejects cos as the derivative of sin at x = 1. Is your step h too small (rounding wins: the "
        "left of the U-curve), too large, or your tolerance too tight? h = 1e-6 with a tolerance near 1e-6 works.",
    ),
    (
        math.sin,
        lambda x: 1.01 * math.cos(x),
        1.0,
        False,
        "it accepts 1.01 * cos(x), 1 % off, as the derivative of sin at x = 1: your tolerance is too loose "
        "(a central difference with h = 1e-6 is good to about 1e-9 here).",
    ),
    (
        math.exp,
        math.exp,
        20.0,
        True,
        "it rejects exp as its own derivative at x = 20. There the slope is about 4.9e8, and rounding alone "
        "makes the central difference off by about eps * |f| / h, roughly 0.1: an absolute tolerance cannot "
        "work for every size of slope. Compare the difference relative to the size of the slope.",
    ),
    (
        math.exp,
        lambda x: 1.01 * math.exp(x),
        20.0,
        False,
        "it accepts 1.01 * exp(x) as the derivative of exp at x = 20: a difference of 1 % of 4.9e8 is "
        "about 5e6. Your tolerance, relative to the slope, is too loose.",
    ),
    (
        small_slope,
        lambda x: 2.2e-3 * x,
        0.5,
        False,
        "it accepts 0.0011 as the slope of 0.001 x**2 at x = 0.5, where the true slope is 0.001: the claim "
        "is 10 % off, although the absolute difference (1e-4) looks small. Compare relatively.",
    ),
    (
        cube,
        lambda x: 3 * x * x,
        0.0,
        True,
        "it rejects 3x**2 as the derivative of x**3 at x = 0. There the slope is exactly 0 and the central "
        "difference gives h**2 (about 1e-12): a purely relative comparison divides by 0. Give the tolerance "
        "a floor, e.g. |a - b| <= tol * max(1, |a|, |b|).",
    ),
)


@exercise("1.1", "a derivative checker", "derivative_agrees")
def check_derivative_agrees(answer) -> str:
    for f, df, x, right, mistake in DERIVATIVE_CASES:
        verdict = call(answer, f, df, x)
        if not isinstance(verdict, bool) and type(verdict).__name__ != "bool_":
            raise Hint(f"derivative_agrees should return True or False, got {type(verdict).__name__} {verdict!r:.40}.")
        if bool(verdict) != right:
            raise Hint(f"your checker is fooled: {mistake}")
    return "This is what autograd.gradcheck does for every input of a graph, with a relative tolerance and a floor."


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
