"""Every exercise of lessons 1-4, and the checker's machinery: the checker accepts the reference
solution, says "not attempted yet" for the stub as shipped in the notebook, and answers typical
wrong attempts with a hint that names what is off, never a traceback. The wrong answers of
lessons 5-7 live in exercises_late.py.
"""

import importlib
import math
import sys
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

from checker import CORRECT, EXERCISES, NOT_ATTEMPTED, WRONG, check, evaluate  # noqa: E402
from exercises_late import WRONG_ANSWERS as LATE_WRONG_ANSWERS  # noqa: E402

from autograd.engine import topological_order  # noqa: E402

IDS = list(EXERCISES)


def _solution(exercise_id: str):
    module = importlib.import_module(f"solutions.lesson{exercise_id.split('.')[0]}")
    return getattr(module, EXERCISES[exercise_id].answer)


def _stub(exercise_id: str):
    """The exercise's cell exactly as the notebook ships it, run on its own."""
    lesson = exercise_id.split(".")[0]
    (path,) = NOTEBOOKS.glob(f"0{lesson}_*.ipynb")
    nb = nbformat.read(path, as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("chaingrad", {}).get("exercise") == exercise_id]
    assert len(cells) == 1, f"{path.name} should hold one stub for exercise {exercise_id}"
    namespace: dict = {}
    exec(cells[0].source, namespace)
    return namespace[EXERCISES[exercise_id].answer]


# -- wrong answers, one list per exercise: (wrong function, a fragment the hint must contain) --


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


def _central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


def agrees_absolutely(f, df, x):
    return abs(_central(f, x) - df(x)) < 1e-6


def agrees_relatively(f, df, x):
    return abs(_central(f, x) - df(x)) <= 1e-6 * abs(df(x))


def agrees_with_a_tiny_step(f, df, x):
    measured = _central(f, x, 1e-13)
    return abs(measured - df(x)) <= 1e-6 * max(1.0, abs(measured))


def agrees_always(f, df, x):
    return True


def agrees_as_a_number(f, df, x):
    return abs(_central(f, x) - df(x))


def divides_by_zero(f, df, x):
    return 1 / 0


def all_inputs_at_once(f, inputs, h=1e-6):
    up, down = [x + h for x in inputs], [x - h for x in inputs]
    return [(f(*up) - f(*down)) / (2 * h)] * len(inputs)


def forward_gradient(f, inputs, h=1e-6):
    return [(f(*[x + h if j == i else x for j, x in enumerate(inputs)]) - f(*inputs)) / h for i in range(len(inputs))]


def mutates_inputs(f, inputs, h=1e-6):
    slopes = []
    for i in range(len(inputs)):
        inputs[i] += h
        up = f(*inputs)
        inputs[i] -= 2 * h
        slopes.append((up - f(*inputs)) / (2 * h))
    return slopes


def x_used_once(x, y, z):
    return {"x": x * y + z, "y": x * x, "z": x}


def forgot_upstream_for_y(x, y, z):
    return {"x": x * y + z + x * y, "y": x, "z": x}


def always_topological(order):
    return True


def children_first(order):
    seen = set()
    for node in order:
        if any(id(p) in seen for p in node.parents):
            return False
        seen.add(id(node))
    return True


def backward_overwriting(root):
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad = node.grad * local


def backward_parents_first(root):
    root.grad = 1.0
    for node in topological_order(root):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += node.grad * local


def backward_doing_nothing(root):
    return None


def sigmoid_prime(s):
    return sigmoid(s) * (1 - sigmoid(s))


def last_layer_with_the_2(z_prev, w, b, y):
    z = sigmoid(w * z_prev + b)
    delta = sigmoid_prime(w * z_prev + b) * 2 * (z - y)
    return z_prev * delta, delta, w * delta


def last_layer_without_slope(z_prev, w, b, y):
    z = sigmoid(w * z_prev + b)
    return z_prev * (z - y), z - y, w * (z - y)


def first_layer_without_w2(x, w1, b1, w2, b2, y):
    s1 = w1 * x + b1
    s2 = w2 * sigmoid(s1) + b2
    return x * sigmoid_prime(s1) * sigmoid_prime(s2) * (sigmoid(s2) - y)


def first_layer_wrong_sign(x, w1, b1, w2, b2, y):
    s1 = w1 * x + b1
    s2 = w2 * sigmoid(s1) + b2
    return x * sigmoid_prime(s1) * w2 * sigmoid_prime(s2) * (y - sigmoid(s2))


def _sweep(x, ws, bs, y, *, slope=True, shift=0, scale=1.0):
    zs, ss = [x], []
    for w, b in zip(ws, bs):
        ss.append(w * zs[-1] + b)
        zs.append(sigmoid(ss[-1]))
    dE_dz, grads = scale * (zs[-1] - y), [0.0] * len(ws)
    for layer in reversed(range(len(ws))):
        delta = sigmoid_prime(ss[layer]) * dE_dz
        grads[layer] = zs[layer] * delta
        w = ws[min(layer + shift, len(ws) - 1)]
        dE_dz = w * delta if slope else w * dE_dz
    return grads


def sweep_without_slope(x, ws, bs, y):
    return _sweep(x, ws, bs, y, slope=False)


def sweep_with_the_weight_above(x, ws, bs, y):
    return _sweep(x, ws, bs, y, shift=1)


def sweep_with_the_2(x, ws, bs, y):
    return _sweep(x, ws, bs, y, scale=2.0)


def sweep_top_layer_first(x, ws, bs, y):
    return list(reversed(_sweep(x, ws, bs, y)))


def gates_all_or(gate):
    return [1.0, 1.0], -0.5


def gates_missing_nand(gate):
    return {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5)}[gate]


def naive_softmax(s):
    exps = [math.exp(v) for v in s]
    return [e / sum(exps) for e in exps]


def unnormalised_softmax(s):
    return [math.exp(v - max(s)) for v in s]


def _softmax(s):
    exps = [math.exp(v - max(s)) for v in s]
    return [e / sum(exps) for e in exps]


def regression_grads_wrong_sign(W, b, x, c):
    deltas = [(1.0 if k == c else 0.0) - p for k, p in enumerate(_softmax(_scores(W, b, x)))]
    return [[d * xi for xi in x] for d in deltas], deltas


def regression_grads_without_x(W, b, x, c):
    deltas = [p - (1.0 if k == c else 0.0) for k, p in enumerate(_softmax(_scores(W, b, x)))]
    return [[d for _ in x] for d in deltas], deltas


def regression_grads_without_one_hot(W, b, x, c):
    p = _softmax(_scores(W, b, x))
    return [[pk * xi for xi in x] for pk in p], p


def _scores(W, b, x):
    return [sum(w * xi for w, xi in zip(row, x)) + bk for row, bk in zip(W, b)]


WRONG_ANSWERS = {
    "1.1": [
        (agrees_absolutely, "an absolute tolerance cannot work"),
        (agrees_relatively, "slope is exactly 0"),
        (agrees_with_a_tiny_step, "step h too small"),
        (agrees_always, "1 % off"),
        (agrees_as_a_number, "should return True or False"),
        (divides_by_zero, "ZeroDivisionError"),
    ],
    "1.2": [
        (all_inputs_at_once, "all the inputs at once"),
        (forward_gradient, "forward differences"),
        (mutates_inputs, "changed the list"),
    ],
    "1.3": [
        (lambda x: 2 * x * math.cos(x), "product of the derivatives"),
        (lambda x: 2 * x * math.sin(x), "held sin(x) still"),
    ],
    "2.1": [(x_used_once, "x is also used"), (forgot_upstream_for_y, "multiply them")],
    "2.2": [(always_topological, "comes before its parent"), (children_first, "but you said False")],
    "2.3": [
        (backward_overwriting, "+="),
        (backward_parents_first, "parents first"),
        (backward_doing_nothing, "still 0"),
    ],
    "3.1": [
        (last_layer_with_the_2, "the 1/2 cancels the 2"),
        (last_layer_without_slope, "missing the local derivative dz/ds"),
    ],
    "3.2": [(first_layer_without_w2, "ds(2)/dz(1) = w(2)"), (first_layer_wrong_sign, "sign")],
    "3.3": [
        (sweep_without_slope, "AND sigma'(s(l))"),
        (sweep_with_the_weight_above, "layer l's own weight"),
        (sweep_with_the_2, "the 1/2 cancels the 2"),
        (sweep_top_layer_first, "reverse order"),
    ],
    "4.1": [(gates_all_or, "The score must be >= 0 exactly where the gate is 1"), (gates_missing_nand, "KeyError")],
    "4.2": [(naive_softmax, "Subtract m = max(s)"), (unnormalised_softmax, "sum to 1")],
    "4.3": [
        (regression_grads_wrong_sign, "wrong sign"),
        (regression_grads_without_x, "times the input"),
        (regression_grads_without_one_hot, "subtract 1 at the correct class"),
    ],
}
WRONG_ANSWERS.update(LATE_WRONG_ANSWERS)
WRONG_CASES = [(eid, wrong, fragment) for eid, cases in WRONG_ANSWERS.items() for wrong, fragment in cases]


@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_solution_is_correct(exercise_id):
    result = evaluate(exercise_id, _solution(exercise_id))
    assert result.status == CORRECT, result.message
    assert "correct!" in result.message


@pytest.mark.parametrize("exercise_id", IDS)
def test_untouched_stub_in_the_notebook_is_not_attempted_yet(exercise_id):
    result = evaluate(exercise_id, _stub(exercise_id))
    assert result.status == NOT_ATTEMPTED, result.message
    assert "not attempted yet" in result.message


@pytest.mark.parametrize(
    ("exercise_id", "wrong", "fragment"), WRONG_CASES, ids=[f"{eid}-{wrong.__name__}" for eid, wrong, _ in WRONG_CASES]
)
def test_wrong_answer_gets_a_hint_naming_what_is_off(exercise_id, wrong, fragment):
    result = evaluate(exercise_id, wrong)
    assert result.status == WRONG, result.message
    assert "Hint:" in result.message and fragment in result.message, result.message
    assert "Traceback" not in result.message


def test_every_exercise_is_tested_with_at_least_two_wrong_answers():
    assert set(WRONG_ANSWERS) == set(IDS)
    assert all(len(cases) >= 2 for cases in WRONG_ANSWERS.values())


def test_each_lesson_has_two_to_four_exercises():
    per_lesson = {}
    for exercise_id in EXERCISES:
        per_lesson.setdefault(exercise_id.split(".")[0], []).append(exercise_id)
    assert sorted(per_lesson) == [str(n) for n in range(1, 8)]
    assert all(2 <= len(ids) <= 4 for ids in per_lesson.values()), per_lesson


@pytest.mark.parametrize("placeholder", [None, ...])
def test_a_placeholder_value_is_not_attempted_yet(placeholder):
    assert evaluate("1.1", placeholder).status == NOT_ATTEMPTED


def test_something_that_is_not_a_function_gets_a_hint():
    result = evaluate("1.1", 0.54)
    assert result.status == WRONG and "expected the function `derivative_agrees`" in result.message


def test_an_unknown_exercise_is_named():
    result = evaluate("9.9", agrees_always)
    assert result.status == WRONG and "no exercise '9.9'" in result.message


def test_check_prints_one_message_and_never_raises(capsys):
    check("1.1", divides_by_zero)
    check("1.1", _stub("1.1"))
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "ZeroDivisionError" in out[0] and "not attempted yet" in out[1]
