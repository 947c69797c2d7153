"""autograd.compiler: a traced graph written as straight-line Python gives the engine's numbers.

The reference is always the engine itself: the same function run on Values, `backward()`.
The float program walks the graph in the engine's order with the engine's float functions,
so values and gradients must agree exactly (nan matching nan).
"""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Value, no_grad, ops, primitive
from autograd.compiler import GuardError, compile


@primitive
def softplus(x):
    """log(1 + e^x)"""
    return ops.log(1.0 + ops.exp(x)), (ops.sigmoid(x),)


@primitive(name="smooth max")
def smooth_max(x, y):
    """log(e^x + e^y), a two-operand user op whose name is not an identifier."""
    m = ops.log(ops.exp(x) + ops.exp(y))
    return m, (ops.exp(x - m), ops.exp(y - m))


def engine_value_and_grad(f, args):
    inputs = [Value(x) for x in args]
    out = f(*inputs)
    out.backward()
    return out.data, [x.grad for x in inputs]


def same(a: float, b: float) -> bool:
    """Equal as floats, nan matching nan (the sign of a zero is not compared)."""
    return (math.isnan(a) and math.isnan(b)) or a == b


def assert_same(compiled, engine):
    (v1, g1), (v2, g2) = compiled, engine
    # the value to the sign of a zero (relu(-0.0) is -0.0); a gradient starts at 0.0 in the
    # engine (0.0 + -0.0 is 0.0) but at its first term in the program, so its zeros' signs differ
    assert same(v1, v2) and math.copysign(1.0, v1) == math.copysign(1.0, v2), (v1, v2)
    assert len(g1) == len(g2)
    for i, (a, b) in enumerate(zip(g1, g2)):
        assert same(a, b), (i, a, b)


# -- random graphs: every op, shared subexpressions, constants -------------------------------

# Every op of the table (so a new built-in is tested without a new test), two user ops,
# and the derived ops of Value's syntax.
OPS = [*ops.OPS.values(), softplus, smooth_max, "neg", "-"]
EDGE = [0.0, -0.0, 1.0, -1.0, 2.5, -3.0, 5e-324, 1e300, -1e300, math.inf, -math.inf, math.nan]
ANY_NUMBER = st.sampled_from(EDGE) | st.floats(-4, 4)


def arity(op, draw):
    if op == "neg":
        return 1
    if op == "-":
        return 2
    if op.nary:  # sum, mean: 1 to 3 operands; dot: 1 to 3 pairs
        return draw(st.integers(1, 3)) * op.vectors
    return len(op.domain)


def apply_op(op, operands):
    if op == "neg":
        return -operands[0]
    if op == "-":
        return operands[0] - operands[1]
    if op.nary:
        return op(*op.split(operands))  # a Primitive called on Values records its node
    return op(*operands)


@st.composite
def programs(draw, values=ANY_NUMBER):
    """(n_inputs, steps, args): each step applies an op to earlier nodes or constants."""
    n_inputs = draw(st.integers(1, 3))
    steps = []
    for i in range(draw(st.integers(1, 8))):
        pool = n_inputs + i
        op = draw(st.sampled_from(OPS))
        n_operands = arity(op, draw)
        # an operand is a node (shared: any earlier one, often the latest) or a constant
        operands = [
            ("node", draw(st.integers(0, pool - 1)))
            if draw(st.booleans()) or pool == 0
            else ("const", draw(st.sampled_from([2.0, -0.5, 0.0, 3.0])))
            for _ in range(n_operands)
        ]
        if all(kind == "const" for kind, _ in operands):
            operands[0] = ("node", pool - 1)
        steps.append((op, operands))
    args = [draw(values) for _ in range(n_inputs)]
    return n_inputs, steps, args


def build(steps):
    def f(*inputs):
        nodes = list(inputs)
        for op, operands in steps:
            nodes.append(apply_op(op, [nodes[c] if kind == "node" else c for kind, c in operands]))
        return nodes[-1]

    return f


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_compiled_value_and_gradients_equal_the_engines(program):
    _, steps, args = program
    f = build(steps)
    prog = compile(f, args)
    assert_same(prog.value_and_grad(*args), engine_value_and_grad(f, args))


@pytest.mark.parametrize("op", [op for op in OPS if op not in ("neg", "-") and not op.nary], ids=str)
def test_every_op_traced_once_gives_the_engines_numbers_at_every_edge_value(op):
    n = len(op.domain)
    prog = compile(op, [1.5] * n)  # traced away from every branch point
    points = [[x] for x in EDGE] if n == 1 else [[x, y] for x in EDGE for y in EDGE]
    for point in points:
        assert_same(prog.value_and_grad(*point), engine_value_and_grad(op, point))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(), st.lists(ANY_NUMBER, min_size=3, max_size=3))
def test_a_program_traced_at_one_point_gives_the_engines_numbers_at_another(program, other):
    n, steps, args = program
    f = build(steps)
    prog = compile(f, args)  # relu, abs, pow's masks are expressions: no guard, no retrace
    assert_same(prog.value_and_grad(*other[:n]), engine_value_and_grad(f, other[:n]))
    assert len(prog.traces) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(values=st.floats(-2, 2)))
def test_exact_false_adds_dot_products_left_to_right_and_stays_close(program):
    _, steps, args = program
    f = build(steps)
    (v1, g1), (v2, g2) = compile(f, args, exact=False).value_and_grad(*args), engine_value_and_grad(f, args)
    # sums in another order: close, not equal (cancellation can cost digits, hence atol too)
    np.testing.assert_allclose([v1, *g1], [v2, *g2], rtol=1e-9, atol=1e-9)


# -- what the source looks like, and that it is what runs ---------------------------------


def lecture(a, b):
    e = a * b
    e.label = "e"
    d = e + a.tanh()
    d.label = "d"
    return d.relu()


def test_source_is_one_line_per_op_named_after_labels_with_the_rules_written_out():
    source = compile(lecture, [2.0, -3.0]).source
    assert "    e = a * b\n" in source
    assert "    d = e + v1\n" in source and "    v1 = tanh(a)\n" in source
    assert "    g_a = g_e * b\n" in source  # mul's rule: d(a*b)/da = b
    assert "    g_a += g_v1 * (1.0 - v1 * v1)\n" in source  # tanh's rule: 1 - t*t
    assert "    g_d = 0.0 if d <= 0.0 else g_out * 1.0\n" in source  # relu: nothing flows where d <= 0
    assert "    g_e = g_d * 1.0\n" in source  # add's rule: d(e + v1)/de = 1


def test_the_printed_source_runs_as_printed():
    prog = compile(lecture, [2.0, -3.0])
    namespace: dict = {}
    exec(prog.source, namespace)  # its own import line brings the op functions
    for args in ([1.0, 2.0], [2.0, -3.0], [-0.5, 0.25]):
        assert namespace["lecture"](*args) == prog.value_and_grad(*args) == engine_value_and_grad(lecture, args)


def test_a_user_op_compiles_with_its_rule_written_out():
    def f(x, y):
        return smooth_max(softplus(x), y)

    prog = compile(f, [0.5, -1.0])
    assert "softplus(x)" in prog.source and "sigmoid(x)" in prog.source
    assert "smooth_max(" in prog.source and "exp(v1 - out)" in prog.source
    namespace = dict(prog.traces[0].globals)
    exec(prog.source, namespace)
    for args in ([0.5, -1.0], [3.0, 2.0]):
        assert_same(namespace["f"](*args), engine_value_and_grad(f, args))


def test_relu_and_abs_are_ops_so_a_network_traces_once():
    from nn import MLP

    model = MLP(2, [4, 1])
    params = model.parameters()

    def loss(x0, x1):
        return abs(model([x0, x1])[0] if isinstance(model([x0, x1]), list) else model([x0, x1]))

    prog = compile(loss, [0.3, -0.2])
    for x in ([1.0, 2.0], [-3.0, 0.5], [0.0, 0.0]):
        assert_same(prog.value_and_grad(*x), engine_value_and_grad(loss, x))
    assert len(prog.traces) == 1 and not prog.traces[0].trace.guards
    assert params  # the model's weights are constants of this program


# -- guards ---------------------------------------------------------------------------------


def branchy(x, y):
    if x > y:  # a comparison of Values: a guard
        return x * y
    if x:  # bool() of a Value: a guard too
        return x.exp() - y
    return y * 2.0


def test_a_call_that_takes_another_branch_is_traced_again():
    prog = compile(branchy, [2.0, 1.0])
    assert "raise GuardFailed" in prog.source
    for args in ([2.0, 1.0], [1.0, 2.0], [0.0, 2.0], [3.0, -1.0], [-1.0, 0.5]):
        assert_same(prog.value_and_grad(*args), engine_value_and_grad(branchy, args))
    assert len(prog.traces) == 3  # one program per way through the function


def test_with_retrace_false_another_branch_is_a_clear_error():
    prog = compile(branchy, [2.0, 1.0], retrace=False)
    assert prog(3.0, 1.0) == 3.0
    with pytest.raises(GuardError, match=r"x > y.*took True.*retrace=True"):
        prog(1.0, 2.0)


# -- batches --------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs(values=st.floats(-3, 3)), st.integers(1, 5))
def test_batch_equals_one_call_per_row(program, n_rows):
    n, steps, args = program
    f = build(steps)
    prog = compile(f, args)
    rng = np.random.default_rng(n_rows)
    X = np.vstack([args, rng.uniform(-3, 3, size=(n_rows, n))])
    values, grads = prog.batch(X)
    assert values.shape == (n_rows + 1,) and grads.shape == (n_rows + 1, n)
    for row, value, grad in zip(X, values, grads):
        v, g = prog.value_and_grad(*row)
        # sums in a batch add left to right, the float program's are correctly rounded
        np.testing.assert_allclose([value, *grad], [v, *g], rtol=1e-9, atol=1e-12)


def test_batch_rows_that_branch_differently_get_their_own_trace():
    prog = compile(branchy, [2.0, 1.0])
    X = np.array([[2.0, 1.0], [1.0, 2.0], [0.0, 2.0], [5.0, 1.0]])
    values, grads = prog.batch(X)
    for row, value, grad in zip(X, values, grads):
        v, g = engine_value_and_grad(branchy, row.tolist())
        np.testing.assert_allclose([value, *grad], [v, *g], rtol=1e-12)


# -- size and edges ------------------------------------------------------------------------


def test_a_graph_of_100000_ops_compiles_without_recursion():
    def chain(x):
        for _ in range(100_000 // 3):
            x = (x * 1.0001 + 0.001).tanh()
        return x

    prog = compile(chain, [0.5])
    assert_same(prog.value_and_grad(0.3), engine_value_and_grad(chain, [0.3]))


def test_compile_records_even_inside_no_grad():
    with no_grad():
        prog = compile(lambda x: x * x, [3.0])
        assert prog.value_and_grad(3.0) == (9.0, [6.0])


def test_values_made_inside_f_are_constants_and_an_unused_input_gets_zero():
    w = Value(2.0)
    prog = compile(lambda x, y: x * w, [1.0, 1.0])
    assert prog.value_and_grad(3.0, 5.0) == (6.0, [2.0, 0.0])


def test_wrong_arguments_are_clear_errors():
    prog = compile(lambda x: x * x, [3.0])
    with pytest.raises(TypeError, match="expected 1 arguments, got 2"):
        prog(1.0, 2.0)
    with pytest.raises(TypeError, match="argument 0 must be a real number, got str"):
        prog("a")
    with pytest.raises(TypeError, match="must return a Value"):
        compile(lambda x: "no", [1.0])


@primitive(name="tanh")
def steep_tanh(x):
    """A user op that shares a built-in's name: ops are told apart by identity, not by name."""
    t = ops.tanh(2.0 * x)
    return t, (2.0 * (1.0 - t * t),)


def test_a_user_op_named_like_a_built_in_keeps_its_own_rule():
    def f(x):
        return steep_tanh(x) + x.tanh()

    prog = compile(f, [0.3])
    assert "steep_tanh(x)" in prog.source and "tanh(x)" in prog.source
    for x in (0.3, -1.2):
        assert_same(prog.value_and_grad(x), engine_value_and_grad(f, [x]))
    _, grads = prog.batch(np.array([[0.3], [-1.2]]))
    np.testing.assert_allclose(grads[:, 0], [engine_value_and_grad(f, [x])[1][0] for x in (0.3, -1.2)], rtol=1e-12)


def test_numpy_is_imported_only_when_a_batch_runs():
    import subprocess
    import sys

    code = (
        "import sys, autograd.compiler as c, nn.compiled\n"
        "c.compile(lambda x: x * x, [1.0])(2.0)\n"
        "print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@primitive
def leaky(x):
    """A rule that reads a number to pick its derivative: the trace would record one branch."""
    return ops.relu(x) + 0.1 * x, (1.1 if ops.value_of(x) > 0 else 0.1,)


@primitive
def clipped(x):
    """A rule that compares its operand: a guard inside a rule."""
    return x * 1.0, (1.0 if x > 0 else 0.0,)


def test_a_rule_that_branches_on_numbers_is_a_clear_error_not_a_wrong_program():
    with pytest.raises(ValueError, match=r"rule of op 'leaky' gives different formulas"):
        compile(lambda x: leaky(x), [0.5])
    with pytest.raises(ValueError, match=r"rule of op 'clipped' compares its operands"):
        compile(lambda x: clipped(x), [0.5])


@primitive
def plain_cube(x):
    """A rule whose value is a plain number even on Values (through float()): no graph to write."""
    v = float(x) ** 3
    return v, (3.0 * x * x,)


def test_batch_of_a_user_op_it_cannot_write_for_arrays_is_a_clear_error():
    prog = compile(lambda x: plain_cube(x), [2.0])
    assert prog.value_and_grad(2.0) == (8.0, [12.0])
    with pytest.raises(TypeError, match="op 'plain_cube' computes its value from plain numbers"):
        prog.batch(np.array([[1.0], [2.0]]))
    plain_cube.numpy = lambda x: x**3
    try:
        values, grads = compile(lambda x: plain_cube(x), [2.0]).batch(np.array([[1.0], [2.0]]))
        np.testing.assert_allclose(values, [1.0, 8.0])
        np.testing.assert_allclose(grads[:, 0], [3.0, 12.0])
    finally:
        del plain_cube.numpy


def test_tracing_in_one_thread_records_no_comparison_of_another_and_leaves_value_as_it_was():
    import threading

    originals = {name: Value.__dict__[name] for name in ("__lt__", "__le__", "__gt__", "__ge__", "__bool__")}
    started, stop = threading.Event(), threading.Event()
    seen = []

    def other_thread():
        a, b = Value(1.0), Value(2.0)
        started.set()
        while not stop.is_set():
            seen.append(a < b and b > a and not (a >= b))

    def traced(x):
        for i in range(200):
            x = x * 1.0001 if x > 0 else x
            if i % 20 == 0:
                time.sleep(0.001)  # let the other thread compare while this one traces
        return x

    worker = threading.Thread(target=other_thread)
    worker.start()
    started.wait()
    try:
        before = len(seen)
        prog = compile(traced, [1.0])
        during = len(seen) - before
    finally:
        stop.set()
        worker.join()
    assert during > 0  # the other thread did compare Values while the trace ran
    assert len(prog.traces[0].trace.guards) == 200  # this thread's comparisons, none of the other's
    assert all(seen)
    assert {name: Value.__dict__[name] for name in originals} == originals
