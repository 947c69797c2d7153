"""The exercises of lessons 5-7: the checker accepts the reference solution, says "not attempted
yet" for the stub as shipped in the notebook, and answers typical wrong attempts with a hint that
names what is off (for a check comparing several results, the first one backprop computes), never
a traceback. Lessons 1-4 are tested the same way in test_exercises.py.
"""

import importlib
import math
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
sys.path.insert(0, str(NOTEBOOKS))

from checker import CORRECT, EXERCISES, NOT_ATTEMPTED, WRONG, evaluate  # noqa: E402

from autograd import GradcheckError, Value, grad, gradcheck, topological_order  # noqa: E402
from nn.data import batches  # noqa: E402
from nn.losses import binary_cross_entropy  # noqa: E402

LATE_LESSONS = ("5", "6", "7")
IDS = [exercise_id for exercise_id in EXERCISES if exercise_id.split(".")[0] in LATE_LESSONS]


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


def sigmoid(s):
    return 1.0 / (1.0 + math.exp(-s))


# -- 5.1 the output delta with cross-entropy ------------------------------------------------


def squared_error_delta(y_hat, y, s_o):
    return (y_hat - y) * y_hat * (1 - y_hat)


def output_delta_wrong_sign(y_hat, y, s_o):
    return y - y_hat


# -- 5.2 hidden deltas for tanh units (W_out[k][j] = w_(j->k)) ------------------------------


def _column_sums(W_out, deltas_out, j):
    return sum(row[j] * d for row, d in zip(W_out, deltas_out))


def hidden_deltas_with_sigmoid(s_hidden, W_out, deltas_out):
    return [sigmoid(s) * (1 - sigmoid(s)) * _column_sums(W_out, deltas_out, j) for j, s in enumerate(s_hidden)]


def hidden_deltas_without_slope(s_hidden, W_out, deltas_out):
    return [_column_sums(W_out, deltas_out, j) for j in range(len(s_hidden))]


def hidden_deltas_along_rows(s_hidden, W_out, deltas_out):
    """Forgets the transpose: sums row j of W_out (the weights into unit j of the next layer)."""
    return [(1 - math.tanh(s) ** 2) * sum(w * d for w, d in zip(W_out[j], deltas_out)) for j, s in enumerate(s_hidden)]


def hidden_deltas_indexing_out_of_range(s_hidden, W_out, deltas_out):
    return [
        (1 - math.tanh(s) ** 2) * sum(W_out[j][k] * d for k, d in enumerate(deltas_out)) for j, s in enumerate(s_hidden)
    ]


# -- 5.3 one training step (W1[j][i] = w_(i->j), W2[k][j] = w_(j->k)) ------------------------


def _train_step(x, y, params, eta, *, late=False, sign=1.0, biases=True, output_slope=True):
    W1, b1, W2, b2 = params
    z = [sigmoid(sum(w * xi for w, xi in zip(row, x)) + b) for row, b in zip(W1, b1)]
    y_hat = [sigmoid(sum(w * zj for w, zj in zip(row, z)) + b) for row, b in zip(W2, b2)]
    d_out = [(p - t) * (p * (1 - p) if output_slope else 1.0) for p, t in zip(y_hat, y)]
    new_W2 = [[w - sign * eta * d * zj for w, zj in zip(row, z)] for row, d in zip(W2, d_out)]
    used = new_W2 if late else W2
    d_hid = [zj * (1 - zj) * sum(used[k][j] * d for k, d in enumerate(d_out)) for j, zj in enumerate(z)]
    new_W1 = [[w - sign * eta * d * xi for w, xi in zip(row, x)] for row, d in zip(W1, d_hid)]
    new_b1 = [b - sign * eta * d for b, d in zip(b1, d_hid)] if biases else list(b1)
    new_b2 = [b - sign * eta * d for b, d in zip(b2, d_out)] if biases else list(b2)
    return new_W1, new_b1, new_W2, new_b2


def train_step_updating_w2_first(x, y, params, eta):
    return _train_step(x, y, params, eta, late=True)


def train_step_uphill(x, y, params, eta):
    return _train_step(x, y, params, eta, sign=-1.0)


def train_step_without_biases(x, y, params, eta):
    return _train_step(x, y, params, eta, biases=False)


def train_step_without_output_slope(x, y, params, eta):
    return _train_step(x, y, params, eta, output_slope=False)


def train_step_doing_nothing(x, y, params, eta):
    return params


def train_step_in_by_out(x, y, params, eta):
    """Reads W1[i][j] as w_(i->j): the in x out layout, not the card's."""
    W1, b1 = params[0], params[1]
    [sigmoid(sum(W1[i][j] * x[i] for i in range(len(x))) + b1[j]) for j in range(len(b1))]  # IndexError
    return _train_step(x, y, params, eta)


# -- 6.1 one epoch of mini-batch training ----------------------------------------------------


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


# -- 6.2 pick a learning rate from the curves -----------------------------------------------


def pick_by_training_loss(runs):
    finite = [lr for lr in runs if math.isfinite(runs[lr]["loss"][-1])]
    return min(finite, key=lambda lr: runs[lr]["loss"][-1])


def pick_by_best_epoch(runs):
    finite = [lr for lr in runs if math.isfinite(runs[lr]["val_loss"][-1])]
    return min(finite, key=lambda lr: min(runs[lr]["val_loss"]))


def pick_without_leaving_out_nan(runs):
    return min(runs, key=lambda lr: runs[lr]["val_loss"][-1])


def pick_the_largest(runs):
    return max(runs)


# -- 6.3 a mini-batch step in matrix form ---------------------------------------------------


def _minibatch(X, Y, W1, b1, W2, b2, eta, *, mean=True, hidden_slope=True, output_slope=True, late=False):
    B = len(X) if mean else 1
    Z1 = 1 / (1 + np.exp(-(X @ W1.T + b1)))
    Y_hat = 1 / (1 + np.exp(-(Z1 @ W2.T + b2)))
    D2 = (Y_hat - Y) * (Y_hat * (1 - Y_hat) if output_slope else 1.0)
    new_W2, new_b2 = W2 - eta * D2.T @ Z1 / B, b2 - eta * D2.sum(axis=0) / B
    D1 = (Z1 * (1 - Z1) if hidden_slope else 1.0) * (D2 @ (new_W2 if late else W2))
    return W1 - eta * D1.T @ X / B, b1 - eta * D1.sum(axis=0) / B, new_W2, new_b2


def minibatch_summed(X, Y, W1, b1, W2, b2, eta):
    return _minibatch(X, Y, W1, b1, W2, b2, eta, mean=False)


def minibatch_without_hidden_slope(X, Y, W1, b1, W2, b2, eta):
    return _minibatch(X, Y, W1, b1, W2, b2, eta, hidden_slope=False)


def minibatch_without_output_slope(X, Y, W1, b1, W2, b2, eta):
    return _minibatch(X, Y, W1, b1, W2, b2, eta, output_slope=False)


def minibatch_updating_w2_first(X, Y, W1, b1, W2, b2, eta):
    return _minibatch(X, Y, W1, b1, W2, b2, eta, late=True)


def minibatch_without_transpose(X, Y, W1, b1, W2, b2, eta):
    Z1 = 1 / (1 + np.exp(-(X @ W1 + b1)))  # W1 is hidden x in: X @ W1 does not fit
    return _minibatch(X, Y, W1, b1, W2, b2, eta) if Z1 is not None else None


# -- 7.1 counting paths ----------------------------------------------------------------------


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


# -- 7.2 find the planted wrong derivatives --------------------------------------------------


def wrong_ops_at_the_first_point(ops, points):
    wrong = []
    for name, op in ops.items():
        try:
            gradcheck(op, [points[0]])
        except GradcheckError:
            wrong.append(name)
    return wrong


def wrong_ops_expecting_false(ops, points):
    return [name for name, op in ops.items() if not all(gradcheck(op, [x]) for x in points)]


def wrong_ops_by_coarse_forward_difference(ops, points):
    wrong = []
    for name, op in ops.items():
        for x in points:
            (slope,) = _slope(op, x)
            estimate = (op(Value(x + 0.1)).data - op(Value(x)).data) / 0.1
            if abs(slope - estimate) > 1e-6:
                wrong.append(name)
                break
    return wrong


def _slope(op, x):
    v = Value(x)
    return grad(op(v), [v])


def wrong_ops_inverted(ops, points):
    flagged = set(wrong_ops_at_every_point(ops, points))
    return [name for name in ops if name not in flagged]


def wrong_ops_at_every_point(ops, points):
    wrong = []
    for name, op in ops.items():
        for x in points:
            try:
                gradcheck(op, [x])
            except GradcheckError:
                wrong.append(name)
                break
    return wrong


# -- 7.3 a Newton step -----------------------------------------------------------------------


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
    "5.1": [(squared_error_delta, "squared error"), (output_delta_wrong_sign, "sign")],
    "5.2": [
        (hidden_deltas_with_sigmoid, "you used sigma'"),
        (hidden_deltas_without_slope, "multiply it by tanh'"),
        (hidden_deltas_along_rows, "transpose"),
        (hidden_deltas_indexing_out_of_range, "column j"),
    ],
    "5.3": [
        (train_step_updating_w2_first, "already-updated W2"),
        (train_step_uphill, "uphill"),
        (train_step_without_biases, "b2 did not change"),
        (train_step_without_output_slope, "W2 is the first result that is off"),
        (train_step_doing_nothing, "nothing changed"),
        (train_step_in_by_out, "one row per receiving unit"),
    ],
    "6.1": [
        (epoch_without_zero_grad, "zero_grad"),
        (epoch_with_summed_loss, "batch_size times too big"),
        (epoch_in_one_batch, "one step per mini-batch"),
        (epoch_returning_nothing, "forget `return`"),
    ],
    "6.2": [
        (pick_by_training_loss, "lowest TRAINING loss"),
        (pick_by_best_epoch, "at the end of the run"),
        (pick_without_leaving_out_nan, "A NaN compares False"),
        (pick_the_largest, "lowest last validation loss"),
    ],
    "6.3": [
        (minibatch_summed, "times too big"),
        (minibatch_without_hidden_slope, "delta(1) misses sigma'"),
        (minibatch_without_output_slope, "W2 is off first"),
        (minibatch_updating_w2_first, "used the updated W2"),
        (minibatch_without_transpose, "S1 = X @ W1.T + b1"),
    ],
    "7.1": [(count_distinct_parents, "two edges from a"), (count_paths_recursively, "RecursionError")],
    "7.2": [
        (wrong_ops_at_the_first_point, "check every point"),
        (wrong_ops_expecting_false, "it raises GradcheckError"),
        (wrong_ops_by_coarse_forward_difference, "yet you flagged it"),
        (wrong_ops_inverted, "ops that pass gradcheck"),
    ],
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


def test_every_late_exercise_is_tested_with_at_least_two_wrong_answers():
    assert set(WRONG_ANSWERS) == set(IDS)
    assert all(len(cases) >= 2 for cases in WRONG_ANSWERS.values())


def test_lessons_5_to_7_each_have_two_to_four_exercises():
    per_lesson = {lesson: [e for e in IDS if e.split(".")[0] == lesson] for lesson in LATE_LESSONS}
    assert all(2 <= len(ids) <= 4 for ids in per_lesson.values()), per_lesson
