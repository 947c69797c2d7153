"""`python -m nn train`, run as users run it: in a subprocess, checking exit codes and files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP
from nn.data import make_moons
from nn.train import accuracy

ROOT = Path(__file__).resolve().parents[1]


def run_nn(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    paths = [os.environ.get("PYTHONPATH", ""), str(ROOT)]  # the checkout's nn, installed or not
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    return subprocess.run(
        [sys.executable, "-m", "nn", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_default_demo_reaches_100_percent_in_100_steps_and_writes_its_files(tmp_path):
    out = tmp_path / "run"
    result = run_nn("train", "--out", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "train accuracy: 100.0% (100/100) after 100 steps" in result.stdout
    assert {p.name for p in out.iterdir()} == {"model.json", "loss.png", "decision_boundary.png", "graph.svg"}
    for picture in ("loss.png", "decision_boundary.png"):
        assert (out / picture).read_bytes().startswith(b"\x89PNG")
    model = MLP.load(out / "model.json")
    X, y = make_moons(100, 0.1, seed=1337)
    assert accuracy(model, X, y) == 1.0
    svg = (out / "graph.svg").read_text()
    assert "<svg" in svg and "layer0.neuron0.w0" in svg


def test_the_default_output_directory_is_runs_slash_dataset_name(tmp_path):
    result = run_nn("train", "--dataset", "xor", "--epochs", "1", "--hidden", "2", "--no-progress", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "runs" / "xor" / "model.json").exists()


def test_a_multiclass_dataset_trains_with_cross_entropy_and_adam(tmp_path):
    result = run_nn(
        "train", "--dataset", "spirals", "--optimizer", "adam", "--epochs", "2", "--batch-size", "50",
        "--hidden", "8", "--activation", "tanh", "--seed", "3", "--out", str(tmp_path), "--no-progress",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "cross_entropy loss" in result.stdout
    assert MLP.load(tmp_path / "model.json").nouts == [8, 3]


def test_a_csv_dataset_trains_and_skips_the_2d_picture_when_it_has_3_features(tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("a,b,c,label\n" + "".join(f"{i},{i % 3},{-i},{'yes' if i % 2 else 'no'}\n" for i in range(12)))
    result = run_nn("train", "--dataset", str(csv), "--loss", "bce", "--epochs", "2", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "decision_boundary.png skipped" in result.stdout
    assert MLP.load(tmp_path / "o" / "model.json").nin == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--lr", "fast"], "--lr: 'fast' is not a number"),
        (["train", "--epochs", "0"], "--epochs: '0' must be at least 1"),
        (["train", "--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
        (["train", "--hidden", "16", "x"], "'x' is not a whole number"),
        (["train", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["train", "--dataset", "no-such-thing"], "neither a dataset"),
        (["train", "--dataset", "spirals", "--loss", "hinge"], "needs 2 classes, the data has 3"),
        ([], "choose a command"),
    ],
)
def test_bad_flags_give_one_line_and_exit_code_2(args, message):
    result = run_nn(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "content, message",
    [
        (b"x,y,label\n1,2,0\n3,abc,1\n", "line 3, column 2"),
        (b"", "no data rows"),
        (b"\xff\xfe\x00\x01binary", "not a text CSV file"),
        (b"1,2,0\n3,4,0\n", "same label"),
    ],
)
def test_bad_files_give_one_line_and_exit_code_2(tmp_path, content, message):
    csv = tmp_path / "data.csv"
    csv.write_bytes(content)
    result = run_nn("train", "--dataset", str(csv), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_an_output_directory_that_cannot_be_made_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run_nn("train", "--out", str(blocker / "run"))
    assert result.returncode == 2 and "cannot create the directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_diverging_run_ends_without_a_traceback(tmp_path):
    result = run_nn("train", "--lr", "1e12", "--epochs", "10", "--no-progress", "--out", str(tmp_path))
    assert result.returncode in (0, 2) and "Traceback" not in result.stderr
    assert "--lr" in result.stderr  # either way, the advice is a smaller learning rate
