"""Expressions several test files draw and compare: one definition each."""

from autograd import Value


def lecture_expression() -> dict[str, Value]:
    """micrograd's lecture expression, every node labelled: L = (a * b + c) * f, by name."""
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return {"a": a, "b": b, "c": c, "f": f, "e": e, "d": d, "L": L}
