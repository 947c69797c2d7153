"""Every exercise of the course: the checker accepts the reference solution, says "not attempted
yet" for the stub as shipped in the notebook, and answers typical wrong attempts with a hint that
names what is off, never a traceback.
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

from autograd import Value, grad, no_grad  # noqa: E402
from autograd.engine import topological_order  # noqa: E402
from nn.data import batches  # noqa: E402
from nn.losses import binary_cross_entropy  # noqa: E402

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


def forward_difference(f, x, h):
    return (f(x + h) - f(x)) / h


def central_over_h(f, x, h):
    return (f(x + h) - f(x - h)) / h


def divides_by_zero(f, x, h):
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


def sigmoid_not_its_slope(s):
    return sigmoid(s)


def pattern_on_s(s):
    return s * (1 - s)


def last_layer_without_2(a_prev, w, b, y):
    a = sigmoid(w * a_prev + b)
    common = a * (1 - a) * (a - y)
    return a_prev * common, common, w * common


def last_layer_without_slope(a_prev, w, b, y):
    a = sigmoid(w * a_prev + b)
    return a_prev * 2 * (a - y), 2 * (a - y), w * 2 * (a - y)


def first_layer_without_w2(a0, w1, b1, w2, b2, y):
    a1 = sigmoid(w1 * a0 + b1)
    a2 = sigmoid(w2 * a1 + b2)
    return a0 * a1 * (1 - a1) * a2 * (1 - a2) * 2 * (a2 - y)


def first_layer_wrong_sign(a0, w1, b1, w2, b2, y):
    a1 = sigmoid(w1 * a0 + b1)
    a2 = sigmoid(w2 * a1 + b2)
    return a0 * a1 * (1 - a1) * w2 * a2 * (1 - a2) * 2 * (y - a2)


def gates_all_or(gate):
    return [1.0, 1.0], -0.5


def gates_missing_nand(gate):
    return {"AND": ([1.0, 1.0], -1.5), "OR": ([1.0, 1.0], -0.5)}[gate]


def naive_softmax(z):
    exps = [math.exp(v) for v in z]
    return [e / sum(exps) for e in exps]


def unnormalised_softmax(z):
    return [math.exp(v - max(z)) for v in z]


def _softmax(z):
    exps = [math.exp(v - max(z)) for v in z]
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


def squared_error_delta(y_hat, y, s_o):
    return (y_hat - y) * y_hat * (1 - y_hat)


def output_delta_wrong_sign(y_hat, y, s_o):
    return y - y_hat


def hidden_deltas_with_sigmoid(s_hidden, W_out, deltas_out):
    return [
        sigmoid(s) * (1 - sigmoid(s)) * sum(w * d for w, d in zip(W_out[j], deltas_out)) for j, s in enumerate(s_hidden)
    ]


def hidden_deltas_without_slope(s_hidden, W_out, deltas_out):
    return [sum(w * d for w, d in zip(W_out[j], deltas_out)) for j in range(len(s_hidden))]


def hidden_deltas_transposed(s_hidden, W_out, deltas_out):
    return [
        (1 - math.tanh(s) ** 2) * sum(W_out[k][j] * d for k, d in enumerate(deltas_out)) for j, s in enumerate(s_hidden)
    ]


def _train_step(x, y, params, eta, *, late=False, sign=1.0, biases=True):
    W1, b1, W2, b2 = params
    n_in, n_hidden, n_out = len(x), len(b1), len(b2)
    z = [sigmoid(sum(W1[i][j] * x[i] for i in range(n_in)) + b1[j]) for j in range(n_hidden)]
    y_hat = [sigmoid(sum(W2[j][k] * z[j] for j in range(n_hidden)) + b2[k]) for k in range(n_out)]
    d_out = [(y_hat[k] - y[k]) * y_hat[k] * (1 - y_hat[k]) for k in range(n_out)]
    new_W2 = [[W2[j][k] - sign * eta * d_out[k] * z[j] for k in range(n_out)] for j in range(n_hidden)]
    used = new_W2 if late else W2
    d_hid = [z[j] * (1 - z[j]) * sum(used[j][k] * d_out[k] for k in range(n_out)) for j in range(n_hidden)]
    new_W1 = [[W1[i][j] - sign * eta * d_hid[j] * x[i] for j in range(n_hidden)] for i in range(n_in)]
    new_b1 = [b1[j] - sign * eta * d_hid[j] for j in range(n_hidden)] if biases else list(b1)
    new_b2 = [b2[k] - sign * eta * d_out[k] for k in range(n_out)] if biases else list(b2)
    return new_W1, new_b1, new_W2, new_b2


def train_step_updating_w2_first(x, y, params, eta):
    return _train_step(x, y, params, eta, late=True)


def train_step_uphill(x, y, params, eta):
    return _train_step(x, y, params, eta, sign=-1.0)


def train_step_without_biases(x, y, params, eta):
    return _train_step(x, y, params, eta, biases=False)


def train_step_doing_nothing(x, y, params, eta):
    return params


def lr_one_over_a(a):
    return 1.0 / a


def lr_two_over_a(a):
    return 2.0 / a


def _epoch(model, X, y, batch_size, lr, seed, *, zero=True, scale=1.0, returns=True):
    losses = []
    for Xb, yb in batches(X, y, batch_size, seed=seed):
        loss = binary_cross_entropy([model(x) for x in Xb], yb) * scale
        if zero:
            model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses if returns else None


def epoch_without_zero_grad(model, X, y, batch_size, lr, seed):
    return _epoch(model, X, y, batch_size, lr, seed, zero=False)


def epoch_with_summed_loss(model, X, y, batch_size, lr, seed):
    return _epoch(model, X, y, batch_size, lr, seed, scale=float(batch_size))


def epoch_in_one_batch(model, X, y, batch_size, lr, seed):
    return _epoch(model, X, y, len(X), lr, seed)


def epoch_returning_nothing(model, X, y, batch_size, lr, seed):
    return _epoch(model, X, y, batch_size, lr, seed, returns=False)


def xavier_everywhere(nin, nout, activation):
    return math.sqrt(2.0 / (nin + nout))


def variance_not_std(nin, nout, activation):
    return 2.0 / nin if activation == "relu" else 2.0 / (nin + nout)


def count_distinct_parents(root, wrt):
    paths = {wrt: 1}
    for node in topological_order(root):
        if node is not wrt:
            paths[node] = sum(paths.get(p, 0) for p in set(node.parents))
    return paths.get(root, 0)


def count_paths_recursively(root, wrt, memo=None):
    memo = {} if memo is None else memo
    if root is wrt:
        return 1
    if root not in memo:
        memo[root] = sum(count_paths_recursively(p, wrt, memo) for p in root.parents)
    return memo[root]


def predict_with_recording(model, X):
    return [model(x).data for x in X]


def predict_values(model, X):
    with no_grad():
        return [model(x) for x in X]


def gradient_step(f, x):
    xv = Value(x)
    (first,) = grad(f(xv), [xv])
    return x - first


def newton_without_create_graph(f, x):
    xv = Value(x)
    (first,) = grad(f(xv), [xv])
    (second,) = grad(first, [xv])
    return x - first / second


def newton_upside_down(f, x):
    xv = Value(x)
    (first,) = grad(f(xv), [xv], create_graph=True)
    (second,) = grad(first, [xv])
    return x - second / first.data


WRONG_ANSWERS = {
    "1.1": [
        (forward_difference, "forward difference"),
        (central_over_h, "twice too large"),
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
    "3.1": [(sigmoid_not_its_slope, "sigma(s) itself"), (pattern_on_s, "applied the pattern to s")],
    "3.2": [(last_layer_without_2, "with the 2"), (last_layer_without_slope, "missing da/dz")],
    "3.3": [(first_layer_without_w2, "dz^(2)/da^(1)"), (first_layer_wrong_sign, "sign")],
    "4.1": [(gates_all_or, "The score must be >= 0 exactly where the gate is 1"), (gates_missing_nand, "KeyError")],
    "4.2": [(naive_softmax, "Subtract m = max(z)"), (unnormalised_softmax, "sum to 1")],
    "4.3": [
        (regression_grads_wrong_sign, "wrong sign"),
        (regression_grads_without_x, "times the input"),
        (regression_grads_without_one_hot, "subtract 1 at the correct class"),
    ],
    "5.1": [(squared_error_delta, "squared error"), (output_delta_wrong_sign, "sign")],
    "5.2": [
        (hidden_deltas_with_sigmoid, "you used sigma'"),
        (hidden_deltas_without_slope, "multiply it by tanh'"),
        (hidden_deltas_transposed, "IndexError"),
    ],
    "5.3": [
        (train_step_updating_w2_first, "already-updated W2"),
        (train_step_uphill, "uphill"),
        (train_step_without_biases, "bias"),
        (train_step_doing_nothing, "nothing changed"),
    ],
    "6.1": [
        (epoch_without_zero_grad, "zero_grad"),
        (epoch_with_summed_loss, "batch_size times too big"),
        (epoch_in_one_batch, "one step per mini-batch"),
        (epoch_returning_nothing, "forget `return`"),
    ],
    "6.2": [(lr_one_over_a, "flips sign"), (lr_two_over_a, "Solve 1 - 2 * lr * a = 0")],
    "6.3": [(xavier_everywhere, "He's std"), (variance_not_std, "variance")],
    "7.1": [(count_distinct_parents, "two edges from a"), (count_paths_recursively, "RecursionError")],
    "7.2": [(predict_with_recording, "with no_grad()"), (predict_values, "plain floats")],
    "7.3": [
        (gradient_step, "gradient step"),
        (newton_without_create_graph, "create_graph=True"),
        (newton_upside_down, "upside down"),
    ],
}
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


def test_every_exercise_is_tested_with_wrong_answers():
    assert set(WRONG_ANSWERS) == set(EXERCISES)


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
    assert result.status == WRONG and "expected the function `central_difference`" in result.message


def test_an_unknown_exercise_is_named():
    result = evaluate("9.9", forward_difference)
    assert result.status == WRONG and "no exercise '9.9'" in result.message


def test_check_prints_one_message_and_never_raises(capsys):
    check("1.1", divides_by_zero)
    check("1.1", _stub("1.1"))
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2
    assert "ZeroDivisionError" in out[0] and "not attempted yet" in out[1]
