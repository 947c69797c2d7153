"""`python -m nn train`, run as users run it: in a subprocess, checking exit codes and files."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from nn import MLP
from nn.data import load_csv, make_moons
from nn.train import accuracy

ROOT = Path(__file__).resolve().parents[1]


def run_nn(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    paths = [os.environ.get("PYTHONPATH", ""), str(ROOT)]  # the checkout's nn, installed or not
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONPATH": os.pathsep.join(filter(None, paths))}
    return subprocess.run(
        [sys.executable, "-m", "nn", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_default_demo_holds_out_20_percent_and_ends_with_both_accuracies(tmp_path):
    out = tmp_path / "run"
    result = run_nn("train", "--out", str(out), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == ["train accuracy: 100.0% (80/80)", "validation accuracy: 100.0% (20/20)"]
    assert {p.name for p in out.iterdir()} == {"model.json", "loss.png", "decision_boundary.png", "graph.svg"}
    for picture in ("loss.png", "decision_boundary.png"):
        assert (out / picture).read_bytes().startswith(b"\x89PNG")
    model = MLP.load(out / "model.json")
    X, y = make_moons(100, 0.1, seed=1337)
    assert accuracy(model, X, y) == 1.0
    svg = (out / "graph.svg").read_text()
    assert "<svg" in svg and "layer0.neuron" in svg


def test_the_closing_summary_says_what_each_written_file_is(tmp_path):
    result = run_nn("train", "--epochs", "2", "--out", str(tmp_path), "--no-progress")
    summary = result.stdout.split("wrote to")[1].splitlines()[1:5]
    assert [line.split()[0] for line in summary] == ["model.json", "loss.png", "decision_boundary.png", "graph.svg"]
    assert "not of the loss" in summary[3]


def test_graph_svg_has_a_title_saying_what_it_shows(tmp_path):
    run_nn("train", "--epochs", "1", "--out", str(tmp_path), "--no-progress")
    svg = (tmp_path / "graph.svg").read_text()
    assert "One neuron of the trained model (layer 0, neuron" in svg
    assert "this neuron&#39;s output, not of the loss" in svg or "this neuron's output, not of the loss" in svg


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


def test_a_csv_dataset_trains_standardized_and_draws_a_slice_of_its_3_features(tmp_path):
    csv = tmp_path / "points.csv"
    csv.write_text("a,b,c,label\n" + "".join(f"{i},{i % 3},{-i},{'yes' if i % 2 else 'no'}\n" for i in range(12)))
    result = run_nn("train", "--dataset", str(csv), "--loss", "bce", "--epochs", "2", "--out", str(tmp_path / "o"))
    assert result.returncode == 0, result.stderr
    assert "standardized" in result.stdout
    assert (tmp_path / "o" / "decision_boundary.png").exists()
    model = MLP.load(tmp_path / "o" / "model.json")
    assert model.nin == 3 and model.scaler is not None


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--lr", "fast"], "--lr: 'fast' is not a number"),
        (["train", "--lr", "nan"], "--lr: 'nan' must be a finite number > 0"),
        (["train", "--lr", "inf"], "--lr: 'inf' must be a finite number > 0"),
        (["train", "--lr", "0"], "--lr: '0' must be a finite number > 0"),
        (["train", "--l2", "-1"], "--l2: '-1' must be a finite number >= 0"),
        (["train", "--noise", "1e308"], "--noise: '1e308' must be <= 1000"),
        (["train", "--noise", "-0.1"], "--noise: '-0.1' must be a finite number >= 0"),
        (["train", "--val", "1"], "--val: '1' must be < 1"),
        (["train", "--val", "-0.2"], "--val: '-0.2' must be a finite number >= 0"),
        (["train", "--epochs", "0"], "--epochs: '0' must be at least 1"),
        (["train", "--patience", "0"], "--patience: '0' must be at least 1"),
        (["train", "--batch-size", "-3"], "--batch-size: '-3' must be at least 1"),
        (["train", "--seed", "x"], "--seed: invalid int value: 'x'"),
        (["train", "--samples", "1000000"], "--samples 1000000: at most 100000"),
        (["train", "--hidden"], "--hidden: expected at least one argument"),
        (["train", "--hidden", "16", "x"], "'x' is not a whole number"),
        (["train", "--hidden", "100000", "100000"], "10,000,500,001 parameters, at most 1,000,000"),
        (["train", "--optimizer", "rmsprop"], "invalid choice: 'rmsprop'"),
        (["train", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["train", "--dataset", "no-such-thing"], "neither a dataset"),
        (["train", "--dataset", "digits", "--noise", "0.1"], "--samples and --noise apply to generated datasets"),
        (["train", "--dataset", "spirals", "--loss", "hinge"], "needs 2 classes, the data has 3"),
        (["train", "--val", "0", "--patience", "3"], "--patience needs validation data"),
        ([], "choose a command"),
    ],
)
def test_bad_flags_give_one_line_exit_code_2_and_write_nothing(tmp_path, args, message):
    out = tmp_path / "out"
    result = run_nn(*args, *(["--out", str(out)] if args else []))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not out.exists() and result.stdout == ""


def test_help_describes_the_csv_format():
    text = " ".join(run_nn("train", "--help").stdout.split())
    for phrase in ("comma-separated", "label in the last column", "header", "lines starting with # are skipped"):
        assert phrase in text


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


def test_a_diverging_run_warns_names_the_cause_and_suggests_a_smaller_lr_with_exit_0(tmp_path):
    result = run_nn("train", "--lr", "1e12", "--epochs", "10", "--no-progress", "--out", str(tmp_path))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "warning: the loss became inf at epoch" in result.stderr
    assert "likely cause: the learning rate 1e+12 is too large" in result.stderr
    assert f"try: python -m nn train --epochs 10 --no-progress --out {tmp_path} --lr 1" in result.stderr
    assert result.stdout.splitlines()[-1].startswith("validation accuracy: ")


def test_mse_on_spirals_warns_at_chance_level_and_suggests_adam(tmp_path):
    result = run_nn("train", "--dataset", "spirals", "--loss", "mse", "--no-progress", "--out", str(tmp_path))
    assert result.returncode == 0
    assert "warning: accuracy 33.3% is at chance level" in result.stderr
    assert f"try: python -m nn train --dataset spirals --loss mse --no-progress --out {tmp_path} --optimizer adam" in (
        result.stderr
    )
    followed = run_nn("train", "--dataset", "spirals", "--loss", "mse", "--no-progress", "--out", str(tmp_path),
                      "--optimizer", "adam")  # fmt: skip
    assert "warning" not in followed.stderr
    assert float(followed.stdout.splitlines()[-1].split()[2].rstrip("%")) >= 90.0


def iris_like(path: Path, seed: int = 0) -> Path:
    """150 flowers, 3 species, 4 measurements between 4.7 and 7.1 (a large offset, as in iris):
    one species apart, two that overlap a little."""
    rng = random.Random(seed)
    means = {"setosa": [5.0, 6.4, 4.9, 5.0], "versicolor": [5.8, 5.5, 5.9, 5.8], "virginica": [6.4, 5.8, 6.5, 6.4]}
    rows = ["sepal_length,sepal_width,petal_length,petal_width,species"]
    for species, mean in means.items():
        for _ in range(50):
            rows.append(",".join(f"{min(7.1, max(4.7, rng.gauss(m, 0.3))):.1f}" for m in mean) + f",{species}")
    path.write_text("\n".join(rows) + "\n")
    return path


def test_an_iris_like_csv_reaches_90_percent_validation_accuracy_with_default_flags(tmp_path):
    csv = iris_like(tmp_path / "flowers.csv")
    result = run_nn("train", "--dataset", str(csv), "--out", str(tmp_path / "o"), "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    last = result.stdout.splitlines()[-1]
    assert last.startswith("validation accuracy: ") and float(last.split()[2].rstrip("%")) >= 90.0
    model = MLP.load(tmp_path / "o" / "model.json")  # it carries its scaler: raw measurements in
    X, y = load_csv(csv)
    assert accuracy(model, X, y) >= 0.9


def test_an_iris_like_csv_without_standardizing_warns_and_suggests_standardizing(tmp_path):
    csv = iris_like(tmp_path / "flowers.csv")
    result = run_nn("train", "--dataset", str(csv), "--no-standardize", "--no-progress", "--out", str(tmp_path))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "warning: " in result.stderr
    assert "likely cause: the features are not standardized" in result.stderr
    assert f"try: python -m nn train --dataset {csv} --no-progress --out {tmp_path}\n" in result.stderr


def test_digits_trains_64_32_10_and_writes_its_pictures(tmp_path):
    result = run_nn("train", "--dataset", "digits", "--epochs", "1", "--no-progress", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "digits: 1797 examples (1438 for training, 359 held out for validation), 64 features" in result.stdout
    assert "MLP(64, [32, 10]" in result.stdout and "adam" in result.stdout
    pictures = {"loss.png", "hidden_units.png", "confusion.png", "mistakes.png"}
    assert {p.name for p in tmp_path.iterdir()} == {"model.json", *pictures}
    assert all((tmp_path / p).read_bytes().startswith(b"\x89PNG") for p in pictures)
    assert float(result.stdout.splitlines()[-1].split()[2].rstrip("%")) >= 85.0  # after one epoch


def test_the_csv_header_names_the_features_for_the_plots(tmp_path):
    from nn.cli import _csv_header

    with_header = tmp_path / "a.csv"
    with_header.write_text("# measured in cm\n\nsepal_length, sepal_width ,species\n5.1,3.5,setosa\n")
    without = tmp_path / "b.csv"
    without.write_text("5.1,3.5,setosa\n")
    assert _csv_header(str(with_header), 2) == ["sepal_length", "sepal_width"]
    assert _csv_header(str(without), 2) is None
