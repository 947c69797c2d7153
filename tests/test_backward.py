"""backward(): order, fan-out, accumulation, snapshots, determinism, pickling, bad input."""

from __future__ import annotations

import copy
import math
import pickle
import subprocess
import sys
import textwrap

import pytest

import autograd
from autograd import Value, grad
from nn import MLP
from nn.data import make_moons
from nn.losses import hinge, l2


def run_python(code: str, env: dict | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=300, env=env
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_a_million_op_chain_runs_forward_backward_and_is_deleted_at_the_default_recursion_limit() -> None:
    # In a child process: a crash (not just an exception) must fail this test, not the suite.
    out = run_python(
        """
        import sys, gc
        from autograd import Value
        assert sys.getrecursionlimit() == 1000
        x = Value(0.5)
        y = x
        for i in range(1_000_000):
            y = y * 1.0 if i % 2 else y + 0.0
        y.backward()
        print(x.grad)
        del y
        gc.collect()
        print("deleted")
        """
    )
    assert out.split() == ["1.0", "deleted"]


def test_a_plus_a_gives_two() -> None:
    a = Value(3.0)
    (a + a).backward()
    assert a.grad == 2.0


def test_fan_out_sums_through_every_level() -> None:
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert (a.grad, b.grad, c.grad) == (4.0, 2.0, 1.0)


def test_each_intermediate_gradient_is_computed_once_so_exponentially_many_paths_cost_linear_time() -> None:
    # 2**200 paths lead from x to y; enumerating them would never finish, dynamic programming
    # visits each of the 201 nodes once.
    x = Value(1.0)
    y = x
    for _ in range(200):
        y = y + y
    y.backward()
    assert x.grad == 2.0**200


def test_gradient_of_a_shared_subexpression_reaches_both_consumers() -> None:
    x = Value(2.0)
    s = x * x  # used twice below
    y = s * 3.0 + s.tanh()
    y.backward()
    import math

    assert x.grad == pytest.approx((3.0 + (1 - math.tanh(4.0) ** 2)) * 2 * 2.0, rel=1e-14)


def test_leaves_accumulate_across_backward_calls_but_interior_nodes_hold_the_latest() -> None:
    x = Value(3.0)
    h = x * x
    y = h * x
    y.backward()
    assert x.grad == 27.0
    y.backward()
    assert x.grad == 54.0  # leaves accumulate, as in PyTorch
    assert h.grad == 3.0  # interior: this backward's gradient, not 6


def test_resetting_a_leaf_and_calling_backward_again_gives_the_same_gradient() -> None:
    x = Value(3.0)
    y = x * x * x
    y.backward()
    x.grad = 0
    y.backward()
    assert x.grad == 27  # micrograd says 45: its interior nodes keep accumulating


def test_gradients_use_the_values_at_the_time_each_op_ran() -> None:
    a = Value(2.0)
    b = a * a
    a.data = 5.0
    b.backward()
    assert a.grad == 4.0


def test_backward_seed_scales_every_gradient() -> None:
    x = Value(2.0)
    y = x * x
    y.backward(3.0)
    assert (y.grad, x.grad) == (3.0, 12.0)


def test_backward_on_a_leaf_gives_it_the_seed() -> None:
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0


def test_backward_does_not_touch_nodes_outside_the_graph() -> None:
    x, unrelated = Value(1.0), Value(5.0)
    (x * 2).backward()
    assert unrelated.grad == 0.0


@pytest.mark.parametrize("bad", ["x", None, [1.0], 1j])
def test_backward_with_a_non_numeric_gradient_raises_type_error(bad: object) -> None:
    y = Value(1.0) * 2
    with pytest.raises(TypeError, match=r"backward\(gradient"):
        y.backward(bad)


def test_grad_with_a_non_value_input_raises_type_error_naming_its_position() -> None:
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"inputs\[1\].*float"):
        grad(x * 2, [x, 1.5])


def test_grad_of_a_non_value_output_raises_type_error() -> None:
    with pytest.raises(TypeError, match="output"):
        grad(3.0, [Value(1.0)])


DETERMINISM_PROGRAM = """
import random
from autograd import Value, sum
rng = random.Random(0)
xs = [Value(rng.uniform(-1, 1)) for _ in range(50)]
ys = [(a * b).tanh() + a.exp() * 1e-3 for a, b in zip(xs, xs[1:] + xs[:1])]
loss = sum(ys) + sum(y * y for y in ys) * 0.5
loss.backward()
print(" ".join(x.grad.hex() for x in xs))
"""


def test_gradients_are_bit_identical_across_processes_and_hash_seeds() -> None:
    import os

    runs = {run_python(DETERMINISM_PROGRAM, env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("0", "1", "2")}
    assert len(runs) == 1


CLONES = [copy.deepcopy, lambda obj: pickle.loads(pickle.dumps(obj))]


def build_graph() -> tuple[Value, list[Value]]:
    a, b = Value(2.0, "a"), Value(-1.5, "b")
    c = a * b + a.tanh()
    d = (c * c + b).relu() + a**2
    return d, [a, b]


@pytest.mark.parametrize("clone", CLONES, ids=["deepcopy", "pickle"])
def test_a_copied_graph_keeps_its_shape_and_backward_fills_the_copys_leaves(clone) -> None:
    root, leaves = build_graph()
    root2, leaves2 = clone((root, leaves))
    assert root2 is not root and leaves2[0] is not leaves[0]
    assert root2.data == root.data and [x.label for x in leaves2] == ["a", "b"]
    root2.backward()
    root.backward()
    assert [x.grad for x in leaves2] == [x.grad for x in leaves]
    assert leaves2[0].grad != 0.0


@pytest.mark.parametrize("clone", CLONES, ids=["deepcopy", "pickle"])
def test_a_deep_graph_survives_copying_without_recursion_error(clone) -> None:
    x = Value(1.0)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    x2, y2 = clone((x, y))
    y2.backward()
    assert x2.grad == 1.0 and x.grad == 0.0


def test_a_copied_value_keeps_data_grad_and_label() -> None:
    v = Value(1.5, "w")
    v.grad = 0.25
    for w in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert (w.data, w.grad, w.label, w.op, w.parents) == (1.5, 0.25, "w", "", ())


def test_a_zero_gradient_skips_nothing_that_an_infinite_local_derivative_would_turn_into_nan() -> None:
    import torch

    # relu'(-inf) = 0 reaches the dot node as gradient 0, and 0 * (d dot / dw = -inf) is nan.
    w = Value(1.0)
    autograd.dot([w], [-math.inf]).relu().backward()
    tw = torch.tensor([1.0], dtype=torch.float64, requires_grad=True)
    torch.relu(torch.dot(tw, torch.tensor([-math.inf], dtype=torch.float64))).backward()
    assert math.isnan(w.grad) and math.isnan(tw.grad.item())


def test_skipping_zero_gradients_changes_no_bit_of_any_gradient() -> None:
    # backward skips n-ary nodes whose gradient is 0 (dead relus, satisfied hinge margins);
    # under detect_anomaly it multiplies every edge. Both must give the same bits.
    model = MLP(2, [8, 8, 1], seed=3)
    X, y = make_moons(20, noise=0.1, seed=0)
    loss = hinge([model(x) for x in X], y) + 1e-4 * l2(model.parameters())
    params = model.parameters()
    loss.backward()
    fast = [p.grad.hex() for p in params]
    assert any(node.op == "dot" and node.grad == 0.0 for node in autograd.topological_order(loss))
    with autograd.detect_anomaly():
        model.zero_grad()
        loss.backward()
    assert [p.grad.hex() for p in params] == fast
