"""nn.compiled: a model's per-example loss compiled once and replayed gives backward()'s gradients."""

from __future__ import annotations

import math
import random

import pytest

from autograd import Value
from nn import MLP
from nn import losses as L
from nn.compiled import CompiledLoss, cross_entropy_one, max_value


def engine_batch(model, loss_fn, X, y, l2=0.0):
    params = model.parameters()
    outputs = [model(x) for x in X]
    loss = loss_fn(outputs, y)
    if l2:
        loss = loss + l2 * L.l2(params)
    for p in params:
        p.grad = 0.0
    loss.backward()
    return loss.data, [p.grad for p in params], outputs


def close(a, b, rel=1e-9):
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def data(n, nin, labels, seed=0):
    rng = random.Random(seed)
    X = [[rng.uniform(-2, 2) for _ in range(nin)] for _ in range(n)]
    return X, [rng.choice(labels) for _ in range(n)]


@pytest.mark.parametrize(
    ("loss", "nouts", "labels"),
    [
        ("hinge", [8, 1], [-1.0, 1.0]),
        ("binary_cross_entropy", [8, 1], [0, 1]),
        ("mse", [8, 1], [0.3, -1.2, 2.5, 0.0, 1.7]),
        ("cross_entropy", [8, 3], [0, 1, 2]),
    ],
)
def test_batch_gradients_equal_backward_through_the_batch_loss(loss, nouts, labels):
    model = MLP(3, nouts, seed=1)
    X, y = data(12, 3, labels)
    compiled = CompiledLoss(model, loss)
    for l2 in (0.0, 1e-3):
        value, outputs = compiled.batch_gradients(X, y, l2)
        grads = [p.grad for p in model.parameters()]
        ref_value, ref_grads, ref_outputs = engine_batch(model, L.get(loss), X, y, l2)
        assert close(value, ref_value)
        assert all(close(a, b) for a, b in zip(grads, ref_grads))
        for out, ref in zip(outputs, ref_outputs):
            ref = ref if isinstance(ref, list) else [ref]
            out = out if isinstance(out, list) else [out]
            assert all(close(a, b.data) for a, b in zip(out, ref))


def test_bce_labels_are_inputs_and_the_sign_of_the_logit_is_a_guard():
    model = MLP(2, [4, 1], seed=3)
    X, y = data(40, 2, [0, 1], seed=5)
    compiled = CompiledLoss(model, "binary_cross_entropy")
    compiled.batch_gradients(X, y)
    (program,) = compiled.programs.values()  # one program: the label is an input
    assert len(program.traces) == 2  # both formulas of nn.losses.binary_cross_entropy, one per sign


def test_cross_entropy_classes_are_one_hot_inputs_and_a_custom_loss_gets_a_program_per_label():
    model = MLP(2, [4, 3], seed=3)
    X, y = data(30, 2, [0, 1, 2], seed=5)
    compiled = CompiledLoss(model, "cross_entropy")
    compiled.batch_gradients(X, y)
    assert list(compiled.programs) == [None]
    with pytest.raises(ValueError, match="class index 3 is out of range for 3 logits"):
        compiled.batch_gradients(X, [3] * len(X))

    def custom(outputs, labels):  # labels used as plain numbers: constants of the program
        return L.mse(outputs, [[float(c == j) for j in range(3)] for c in labels])

    compiled = CompiledLoss(model, custom)
    value, _ = compiled.batch_gradients(X, y)
    grads = [p.grad for p in model.parameters()]
    ref_value, ref_grads, _ = engine_batch(model, custom, X, y)
    assert close(value, ref_value) and all(close(a, b) for a, b in zip(grads, ref_grads))
    assert set(compiled.programs) == {0.0, 1.0, 2.0}


def test_max_value_passes_no_gradient_and_cross_entropy_one_matches_nn_losses():
    z = [Value(v) for v in (1.0, 3.0, -2.0)]
    m = max_value(*z)
    assert m.data == 3.0
    m.backward()
    assert [v.grad for v in z] == [0.0, 0.0, 0.0]
    z = [Value(v) for v in (1000.0, -1000.0, 3.0)]
    ours, theirs = cross_entropy_one(z, [0.0, 1.0, 0.0]), L.cross_entropy([z], [1])
    assert close(ours.data, theirs.data)


def test_training_with_the_compiled_loss_follows_the_uncompiled_run():
    from nn.optim import SGD

    X, y = data(30, 2, [-1.0, 1.0], seed=7)
    runs = []
    for compiled in (False, True):
        model = MLP(2, [8, 8, 1], seed=2)
        params = model.parameters()
        optimizer = SGD(params, lr=0.1)
        loss = CompiledLoss(model, "hinge")
        history = []
        for _ in range(15):
            if compiled:
                value, _ = loss.batch_gradients(X, y, 1e-4)
            else:
                value, _, _ = engine_batch(model, L.hinge, X, y, 1e-4)
            optimizer.step()
            history.append(value)
        runs.append((history, [p.data for p in params]))
    (h1, w1), (h2, w2) = runs
    assert all(close(a, b) for a, b in zip(h1, h2))
    assert all(close(a, b) for a, b in zip(w1, w2))


@pytest.mark.parametrize("loss", ["hinge", "cross_entropy", "binary_cross_entropy"])
def test_the_numpy_replay_gives_the_python_replays_gradients(loss):
    model = MLP(3, [6, 6, 3 if loss == "cross_entropy" else 1], seed=4)
    X, y = data(25, 3, [0, 1, 2] if loss == "cross_entropy" else [0, 1], seed=9)
    compiled = CompiledLoss(model, loss)
    value, _ = compiled.batch_gradients(X, y, 1e-3)
    grads = [p.grad for p in model.parameters()]
    value2, _ = compiled.batch_gradients(X, y, 1e-3, numpy=True)
    assert close(value, value2)
    assert all(close(a, p.grad) for a, p in zip(grads, model.parameters()))


@pytest.mark.parametrize(
    ("loss", "nouts", "labels", "batch_size", "l2"),
    [
        ("hinge", [8, 8, 1], [-1.0, 1.0], None, 1e-4),  # micrograd's demo: full batch, hinge + L2
        ("binary_cross_entropy", [8, 1], [0, 1], 7, 0.0),
        ("cross_entropy", [8, 3], [0, 1, 2], 16, 1e-3),  # 16 rows and a small model: the Python loop
        ("mse", [6, 1], [0.5, -1.0, 2.0], 5, 0.0),
    ],
)
def test_fit_compiled_gives_the_uncompiled_weights_and_history(loss, nouts, labels, batch_size, l2):
    from nn.optim import Adam
    from nn.train import fit

    X, y = data(40, 3, labels, seed=11)
    X_val, y_val = data(10, 3, labels, seed=12)
    runs = []
    for compiled in (False, True):
        model = MLP(3, nouts, seed=6)
        history = fit(
            model, X, y, loss=loss, optimizer=Adam(model.parameters(), lr=0.01), epochs=6, batch_size=batch_size,
            progress=False, l2=l2, seed=3, val=(X_val, y_val), compile=compiled,
        )  # fmt: skip
        runs.append((history, [p.data for p in model.parameters()]))
    (h1, w1), (h2, w2) = runs
    assert h1.keys() == h2.keys()
    for key in h1:
        assert all(close(a, b) for a, b in zip(h1[key], h2[key])), key
    assert all(close(a, b) for a, b in zip(w1, w2))


def test_fit_compiled_through_numpy_on_a_wide_model_gives_the_uncompiled_weights():
    from nn.optim import SGD
    from nn.train import fit

    X, y = data(48, 40, [0, 1, 2, 3], seed=13)  # 40 inputs, 32 hidden: over 1,000 weights, batches of 24
    runs = []
    for compiled in (False, True):
        model = MLP(40, [32, 4], seed=8)
        assert len(model.parameters()) >= 1000
        history = fit(
            model, X, y, loss="cross_entropy", optimizer=SGD(model.parameters(), lr=0.05), epochs=3,
            batch_size=24, progress=False, seed=4, compile=compiled,
        )  # fmt: skip
        runs.append((history, [p.data for p in model.parameters()]))
    (h1, w1), (h2, w2) = runs
    assert all(close(a, b) for a, b in zip(h1["loss"], h2["loss"]))
    assert all(close(a, b) for a, b in zip(w1, w2))


def test_the_cli_trains_compiled_to_the_same_model(tmp_path):
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    models, lines = [], []
    for flags in ([], ["--compile"]):
        out = tmp_path / ("compiled" if flags else "plain")
        args = [sys.executable, "-m", "nn", "train", "--epochs", "20", "--no-progress", "--out", str(out), *flags]
        result = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        lines.append(result.stdout.splitlines()[-2:])  # train and validation accuracy
        models.append(json.loads((out / "model.json").read_text()))
    assert lines[0] == lines[1]

    def numbers(x):
        if isinstance(x, dict):
            return [n for k in sorted(x) for n in numbers(x[k])]
        if isinstance(x, list):
            return [n for item in x for n in numbers(item)]
        return [x] if isinstance(x, float) else []

    plain, compiled = numbers(models[0]), numbers(models[1])
    assert len(plain) == len(compiled) > 300
    assert all(close(a, b) for a, b in zip(plain, compiled))
