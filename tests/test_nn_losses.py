"""Every loss matches torch float64 in value and gradient, including at logits of +-1000."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from autograd import Value, grad
from nn.losses import binary_cross_entropy, cross_entropy, get, hinge, l2, mse


def close(ours, theirs, tol=1e-12):
    """Lists of floats equal to a relative/absolute tolerance of 1e-12."""
    ours, theirs = [float(v) for v in ours], [float(v) for v in theirs]
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert math.isfinite(a), ours
        assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), (ours, theirs)


def ours_and_torch(points, our_loss, torch_loss):
    """(our value, our grads, torch value, torch grads) of a loss of the flat list `points`."""
    values = [Value(p) for p in points]
    loss = our_loss(values)
    tensor = torch.tensor(points, dtype=torch.float64, requires_grad=True)
    reference = torch_loss(tensor)
    reference.backward()
    return loss.data, grad(loss, values), reference.item(), tensor.grad.tolist()


def check(points, our_loss, torch_loss):
    value, grads, torch_value, torch_grads = ours_and_torch(points, our_loss, torch_loss)
    close([value], [torch_value])
    close(grads, torch_grads)


def test_mse_matches_torch():
    preds, targets = [0.5, -1.25, 3.0, 0.0], [1.0, -1.0, 2.5, 0.25]
    check(preds, lambda v: mse(v, targets), lambda t: F.mse_loss(t, torch.tensor(targets, dtype=torch.float64)))


def test_mse_of_multi_output_predictions_averages_every_output():
    flat, targets = [0.5, -1.0, 2.0, 0.25, 1.5, -0.5], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]
    check(
        flat,
        lambda v: mse([v[:3], v[3:]], targets),
        lambda t: F.mse_loss(t.reshape(2, 3), torch.tensor(targets, dtype=torch.float64)),
    )


def torch_hinge(scores, labels):
    return torch.relu(1 - torch.tensor(labels, dtype=torch.float64) * scores).mean()


@pytest.mark.parametrize("scores", [[0.5, -2.0, 1.5, 0.0, 3.0], [1000.0, -1000.0, 1.0, -1.0, 0.999]])
def test_hinge_matches_torch(scores):
    labels = [1.0, -1.0, -1.0, 1.0, 1.0]
    check(scores, lambda v: hinge(v, labels), lambda t: torch_hinge(t, labels))


def test_hinge_reads_zero_one_labels_with_zero_as_minus_one():
    scores = [Value(s) for s in (0.3, -0.4, 2.0)]
    assert hinge(scores, [1, 0, 0]).data == hinge(scores, [1.0, -1.0, -1.0]).data


def test_hinge_refuses_labels_that_mix_conventions():
    with pytest.raises(ValueError, match="all"):
        hinge([Value(0.1)] * 3, [-1, 0, 1])


BCE_LOGITS = [1000.0, -1000.0, 40.0, -40.0, 0.0, 2.5, -0.75, 700.0]
BCE_LABELS = [1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0]


def test_binary_cross_entropy_matches_torch_even_at_plus_minus_1000():
    check(
        BCE_LOGITS,
        lambda v: binary_cross_entropy(v, BCE_LABELS),
        lambda t: F.binary_cross_entropy_with_logits(t, torch.tensor(BCE_LABELS, dtype=torch.float64)),
    )


def test_binary_cross_entropy_of_a_confidently_wrong_logit_is_large_but_finite():
    assert binary_cross_entropy([Value(-1000.0)], [1]).data == pytest.approx(1000.0)
    assert binary_cross_entropy([Value(1000.0)], [1]).data == 0.0


def test_binary_cross_entropy_gradient_at_a_zero_logit_is_sigmoid_minus_label():
    z = Value(0.0)
    assert grad(binary_cross_entropy([z], [1]), [z]) == [-0.5]


def test_binary_cross_entropy_refuses_plus_minus_one_labels():
    with pytest.raises(ValueError, match="0/1"):
        binary_cross_entropy([Value(0.0)], [-1])


CE_LOGITS = [[1000.0, -1000.0, 0.0], [2.0, 1.0, 0.1], [-1000.0, -1000.0, -999.0], [0.0, 0.0, 0.0]]
CE_CLASSES = [1, 0, 2, 2]


def test_cross_entropy_matches_torch_even_at_plus_minus_1000():
    flat = [z for row in CE_LOGITS for z in row]
    check(
        flat,
        lambda v: cross_entropy([v[0:3], v[3:6], v[6:9], v[9:12]], CE_CLASSES),
        lambda t: F.cross_entropy(t.reshape(4, 3), torch.tensor(CE_CLASSES)),
    )


def test_cross_entropy_of_the_right_class_at_1000_is_zero():
    assert cross_entropy([[Value(1000.0), Value(-1000.0)]], [0]).data == 0.0


@pytest.mark.parametrize(
    "logits, classes, message",
    [
        ([[0.0, 1.0]], [2], "out of range"),
        ([[0.0, 1.0]], [0.5], "whole numbers"),
        ([[0.0, 1.0]], [0, 1], "1 outputs but 2 labels"),
        ([0.0, 1.0], [0, 1], "list of at least 2 logits"),
        ([], [], "empty batch"),
    ],
)
def test_cross_entropy_refuses_bad_input(logits, classes, message):
    with pytest.raises(ValueError, match=message):
        cross_entropy(logits, classes)


def test_l2_is_the_sum_of_squares_with_gradient_2p():
    check([0.5, -2.0, 3.0], lambda v: l2(v), lambda t: (t * t).sum())


def test_each_batch_loss_is_the_mean_of_single_example_losses():
    scores, labels = [Value(0.2), Value(-1.7), Value(0.9)], [1, 0, 0]
    singles = [binary_cross_entropy([s], [y]).data for s, y in zip(scores, labels)]
    assert binary_cross_entropy(scores, labels).data == pytest.approx(sum(singles) / 3)


def test_losses_are_found_by_name():
    assert get("hinge") is hinge and get("bce") is binary_cross_entropy
    with pytest.raises(ValueError, match="unknown loss"):
        get("huber")
