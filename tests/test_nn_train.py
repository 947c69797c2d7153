"""fit: the training loop learns what it should, and its history and batches behave."""

from __future__ import annotations

import math

import pytest

from autograd import Value
from nn import MLP
from nn.data import make_spirals, make_xor
from nn.losses import mse
from nn.optim import SGD, Adam
from nn.train import accuracy, evaluate, fit, predict, predicted_class


def test_a_2_2_1_tanh_network_solves_xor():
    X, y = make_xor(4, 0.0, seed=0)
    targets = [2.0 * c - 1.0 for c in y]  # +-1 targets for a tanh network trained with mse
    model = MLP(2, [2, 1], "tanh", seed=0)
    optimizer = SGD(model.parameters(), 0.1, momentum=0.9)
    history = fit(model, X, targets, loss="mse", optimizer=optimizer, epochs=300, progress=False)
    assert accuracy(model, X, y) == 1.0
    assert history["loss"][-1] < 0.01


def test_spirals_with_cross_entropy_and_adam_reach_95_percent():
    X, y = make_spirals(150, 0.02, seed=0, n_classes=3)
    model = MLP(2, [16, 16, 3], seed=0)
    optimizer = Adam(model.parameters(), lr=0.03)
    fit(model, X, y, loss="cross_entropy", optimizer=optimizer, epochs=30, batch_size=10, progress=False, seed=0)
    assert accuracy(model, X, y) >= 0.95


def test_history_has_one_loss_and_accuracy_per_epoch():
    X, y = make_xor(8, 0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, X, y, loss="hinge", optimizer=SGD(model.parameters(), 0.1), epochs=3, progress=False)
    assert set(history) == {"loss", "accuracy"}
    assert len(history["loss"]) == len(history["accuracy"]) == 3
    assert all(0.0 <= a <= 1.0 for a in history["accuracy"])


def test_a_full_batch_step_uses_the_gradient_averaged_over_the_batch():
    X, y = [[1.0], [3.0]], [0.0, 0.0]
    model = MLP(1, [1], seed=0)
    w, b = model.parameters()
    w.data, b.data = 1.0, 0.0
    fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.1), epochs=1, progress=False)
    # d/dw of mean((w x)^2) = mean(2 w x^2) = (2 + 18) / 2 = 10
    assert w.data == pytest.approx(1.0 - 0.1 * 10.0)


def test_mini_batches_take_one_step_each():
    X, y = [[float(i)] for i in range(10)], [0.0] * 10
    model = MLP(1, [1], seed=0)
    steps = []

    class CountingSGD(SGD):
        def step(self):
            steps.append(1)
            super().step()

    optimizer = CountingSGD(model.parameters(), 0.001)
    fit(model, X, y, loss="mse", optimizer=optimizer, epochs=2, batch_size=4, progress=False)
    assert len(steps) == 2 * 3


def test_l2_adds_the_sum_of_squares_to_the_loss():
    X, y = [[1.0]], [0.0]
    model = MLP(1, [1], seed=0)
    w, b = model.parameters()
    w.data, b.data = 2.0, 0.0
    history = fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=0.0), epochs=1, l2=0.5, progress=False)
    assert history["loss"] == [pytest.approx(4.0 + 0.5 * 4.0)]


def test_fit_accepts_a_loss_function():
    X, y = make_xor(8, 0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    calls = []

    def loss(outputs, labels):
        calls.append(len(outputs))
        return mse(outputs, labels)

    fit(model, X, y, loss=loss, optimizer=SGD(model.parameters(), 0.01), epochs=2, batch_size=5, progress=False)
    assert calls == [5, 3, 5, 3]


def test_progress_bar_shows_loss_and_accuracy(capsys):
    X, y = make_xor(8, 0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, y, loss="hinge", optimizer=SGD(model.parameters(), 0.1), epochs=2, progress=True)
    err = capsys.readouterr().err
    assert "loss=" in err and "accuracy=" in err


def test_fit_refuses_mismatched_data():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="2 inputs, 1 labels"):
        fit(model, [[0.0, 1.0]] * 2, [0], loss="hinge", optimizer=SGD(model.parameters(), 0.1), epochs=1)


def test_predicted_class_is_sign_of_one_score_or_argmax_of_many():
    assert predicted_class(Value(0.3)) == 1 and predicted_class(Value(-0.3)) == 0
    assert predicted_class([Value(0.1), Value(2.0), Value(-1.0)]) == 1


def test_predict_records_no_graph():
    model = MLP(2, [4, 1], seed=0)
    assert predict(model, [[0.5, 0.5]])[0].parents == ()


def test_validation_data_adds_val_loss_and_val_accuracy_per_epoch():
    X, y = make_xor(20, 0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    history = fit(
        model, X[:16], y[:16], loss="hinge", optimizer=SGD(model.parameters(), 0.1), epochs=3,
        progress=False, val=(X[16:], y[16:]),
    )  # fmt: skip
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["val_loss"]) == len(history["val_accuracy"]) == 3
    loss, accuracy_ = evaluate(model, X[16:], y[16:], "hinge")
    assert history["val_loss"][-1] == pytest.approx(loss) and history["val_accuracy"][-1] == accuracy_


def test_early_stopping_stops_after_patience_epochs_and_keeps_the_best_weights():
    # Training pulls w towards 2 (the training target), validation wants w = 0: the validation
    # loss is lowest before the first step, rises every epoch, and training stops after 2 more.
    model = MLP(1, [1], "linear", seed=0)
    w, b = model.parameters()
    w.data, b.data = 0.5, 0.0
    snapshots = []

    class Recording(SGD):
        def step(self):
            super().step()
            snapshots.append(w.data)

    history = fit(
        model, [[1.0]], [2.0], loss="mse", optimizer=Recording(model.parameters(), 0.1), epochs=20,
        progress=False, val=([[1.0]], [0.0]), patience=2,
    )  # fmt: skip
    assert len(history["loss"]) == 3  # best at epoch 1, no better at 2 and 3: stop
    assert history["val_loss"][0] < history["val_loss"][1] < history["val_loss"][2]
    assert w.data == snapshots[0]  # the weights after epoch 1, not the last ones
    assert w.data != snapshots[-1]


def test_without_patience_the_last_weights_are_kept():
    model = MLP(1, [1], "linear", seed=0)
    history = fit(
        model, [[1.0]], [2.0], loss="mse", optimizer=SGD(model.parameters(), 0.1), epochs=5,
        progress=False, val=([[1.0]], [0.0]),
    )  # fmt: skip
    assert len(history["loss"]) == 5
    assert history["val_loss"][-1] == pytest.approx(evaluate(model, [[1.0]], [0.0], "mse")[0])


def test_patience_needs_validation_data():
    model = MLP(1, [1], seed=0)
    with pytest.raises(ValueError, match="patience needs validation data"):
        fit(model, [[1.0]], [0.0], loss="mse", optimizer=SGD(model.parameters(), 0.1), epochs=1, patience=2)


def test_a_loss_that_becomes_infinite_ends_training_at_that_epoch():
    model = MLP(1, [1], "linear", seed=0)
    history = fit(
        model, [[1e100]], [0.0], loss="mse", optimizer=SGD(model.parameters(), 1e10), epochs=50, progress=False
    )
    assert len(history["loss"]) < 50 and not math.isfinite(history["loss"][-1])
    assert all(math.isfinite(v) for v in history["loss"][:-1])


def test_off_a_terminal_progress_is_one_line_per_tenth_of_the_run(capsys):
    X, y = make_xor(8, 0.1, seed=0)
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, y, loss="hinge", optimizer=SGD(model.parameters(), 0.1), epochs=50, progress=True)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in lines] == [f"epoch {k}/50" for k in range(5, 51, 5)]
    assert "\r" not in "".join(lines)
