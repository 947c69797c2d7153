"""The benchmark compares like with like: every engine's MLP step does the same arithmetic.

benchmarks/run.py divides chaingrad's time by micrograd's, torch's and the plain-float
floor's; those ratios mean something only if the steps compute the same loss and the same
new weights. (Speed itself is measured by the benchmark, never by a test.)
"""

from __future__ import annotations

import pytest

from benchmarks import chaingrad_workloads as cg
from benchmarks import competitors as other
from benchmarks.run import moons


@pytest.mark.parametrize("fused", [True, False], ids=["one dot node per neuron", "* and + neurons"])
def test_chaingrads_step_matches_the_plain_float_floor_and_micrograd(fused: bool) -> None:
    X, y = moons(32)
    layers, floats, micro = cg.mlp(), other.init_params(), other.micrograd_mlp()
    for lr in (0.5, 0.3):
        ours = cg.step(layers, X, y, lr, fused=fused)
        floor = other.float_mlp_step(floats, X, y, lr)
        theirs = other.micrograd_step(micro, X, y, lr)
        assert ours == pytest.approx(floor, rel=1e-12) and ours == pytest.approx(theirs, rel=1e-12)
    ours_weights = [p.data for layer in layers for row in layer for p in row]
    floor_weights = [w for layer in floats for row in layer for w in row]
    micro_weights = [p.data for p in micro.parameters()]
    assert ours_weights == pytest.approx(floor_weights, rel=1e-10, abs=1e-12)
    assert ours_weights == pytest.approx(micro_weights, rel=1e-10, abs=1e-12)


def test_the_nn_step_matches_the_engine_step() -> None:
    from benchmarks.run import nn_stepper

    X, y = moons(32)
    step = nn_stepper(X, y)
    floats = other.init_params()
    for lr in (0.5, 0.3):
        assert step(lr) == pytest.approx(other.float_mlp_step(floats, X, y, lr), rel=1e-12)
