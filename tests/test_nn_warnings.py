"""No silent failure: `nn.cli.diagnose` names each symptom, its likely cause and a command to try."""

from __future__ import annotations

import math

from nn.cli import Dataset, build_parser, diagnose, resolve

UNIT_SCALE = [[0.0, 1.0], [1.0, 0.0], [-1.0, 0.5], [0.5, -1.0]]


def run(argv: list[str], loss: list[float], predicted: list[int], X=UNIT_SCALE, kind: str = "toy") -> list[str]:
    args = build_parser().parse_args(argv)
    args.argv = argv
    resolve(args, kind)
    dataset = Dataset(X, [0, 1, 0, 1], "data", kind)
    return diagnose(args, dataset, {"loss": loss}, [0, 1, 0, 1], predicted)


def test_a_run_that_learned_gets_no_warning():
    assert run(["train"], [0.9, 0.5, 0.1], [0, 1, 0, 1]) == []


def test_a_nan_loss_is_named_with_its_epoch_and_a_smaller_learning_rate_is_suggested():
    lines = run(["train", "--lr", "0.5"], [0.9, 3.0, math.nan], [0, 1, 0, 1])
    assert lines[0] == "warning: the loss became nan at epoch 3, so training stopped there"
    assert lines[-2] == "likely cause: the learning rate 0.5 is too large for this network and data"
    assert lines[-1] == "try: python -m nn train --lr 0.05"


def test_a_loss_that_rose_10x_warns_even_if_it_came_back_down():
    lines = run(["train"], [0.9, 9.5, 0.2], [0, 1, 0, 1])
    assert lines[0] == "warning: the loss rose to 9.5, more than 10x its first epoch's 0.9"
    assert lines[-1] == "try: python -m nn train --lr 0.1"


def test_a_loss_that_rose_less_than_10x_is_not_a_warning():
    assert run(["train"], [0.9, 8.9, 0.2], [0, 1, 0, 1]) == []


def test_chance_level_accuracy_warns_and_suggests_adam_after_plain_sgd():
    lines = run(["train", "--dataset", "xor"], [0.9, 0.9, 0.9], [0, 0, 0, 0])
    assert lines[0] == "warning: accuracy 50.0% is at chance level (always the commonest class: 50.0%)"
    assert lines[1].startswith("likely cause: plain SGD is stuck")
    assert lines[-1] == "try: python -m nn train --dataset xor --optimizer adam"


def test_accuracy_a_little_above_chance_is_not_a_warning():
    # 4 examples, 2 classes: chance is 50%; 75% is more than a tenth of the way to perfect
    assert run(["train"], [0.9, 0.8], [0, 1, 0, 0]) == []


def test_chance_level_with_adam_suggests_more_epochs():
    lines = run(["train", "--optimizer", "adam", "--epochs", "5"], [0.7, 0.7], [1, 1, 1, 1])
    assert lines[-1] == "try: python -m nn train --optimizer adam --epochs 15"


def test_unstandardized_features_far_from_unit_scale_are_named_first():
    X = [[4.7, 6.0], [7.1, 5.5], [5.0, 6.2], [6.8, 5.1]]
    lines = run(["train", "--dataset", "f.csv", "--no-standardize"], [15.0, 5800.0], [0, 0, 0, 0], X, "csv")
    assert "warning: the loss rose to 5800, more than 10x its first epoch's 15" in lines
    assert lines[-2].startswith("likely cause: the features are not standardized (a column's mean is as large as 5.9,")
    assert lines[-1] == "try: python -m nn train --dataset f.csv"


def test_a_huge_l2_penalty_is_named_instead_of_the_learning_rate():
    lines = run(["train", "--l2", "1e308"], [0.9, math.inf], [0, 0, 0, 0])
    assert lines[-2].startswith("likely cause: the L2 penalty weight 1e+308 is so large")
    assert lines[-1] == "try: python -m nn train"


def test_a_tiny_learning_rate_at_chance_level_suggests_the_default_one():
    lines = run(["train", "--lr", "1e-9", "--epochs", "2"], [0.9, 0.9], [0, 0, 0, 0])
    assert lines[-2] == "likely cause: the learning rate 1e-09 is too small: the weights barely moved"
    assert lines[-1] == "try: python -m nn train --epochs 2"
