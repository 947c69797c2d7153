"""chaingrad vs micrograd 0.1.0 vs PyTorch scalars vs plain floats, side by side in one run.

    .venv/bin/python -m benchmarks.run            # everything (micrograd's demo alone takes minutes)
    .venv/bin/python -m benchmarks.run --quick    # no 10^6 chain; 10 steps of micrograd's demo

Every number is a median over repeats (and, for the chain and the MLP step, over three rounds
that alternate the engines), with Python's garbage collector ON, as users run.
Each measurement runs in a fresh child process: the collector's cost grows with every
object alive in the process (importing torch alone adds hundreds of thousands), so one
shared process would charge each engine for the others' imports. Ratios are computed from
numbers measured in this same run: the machine is shared and noisy, so only ratios mean
anything from one run to the next.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable

from benchmarks import competitors as other

# -- measurements (each runs in its own child process) ----------------------------------------


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    assert gc.isenabled(), "benchmarks run with the garbage collector on, as users do"
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def value_type(engine: str) -> Callable[[float], object]:
    if engine == "chaingrad":
        from autograd import Value

        return Value
    if engine == "micrograd":
        return other.MicroValue
    import torch

    return lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)


def chain(engine: str, n: int) -> list[float]:
    """[forward seconds, backward seconds] per op, medians."""
    repeats = 25 if n <= 1000 else 3 if n <= 100_000 else 1
    if engine == "plain floats":
        return [median_seconds(lambda: other.float_chain(n), repeats) / n, 0.0]
    make = value_type(engine)
    forward, backward = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        x, y = other.chain(make, n)
        mid = time.perf_counter()
        y.backward()
        forward.append(mid - start)
        backward.append(time.perf_counter() - mid)
        del x, y
    return [statistics.median(forward) / n, statistics.median(backward) / n]


def moons(n: int) -> tuple[list, list]:
    from nn.data import make_moons

    X, labels = make_moons(n, noise=0.1, seed=0)
    return X, [2.0 * label - 1.0 for label in labels]  # hinge loss wants labels -1 / +1


def nn_stepper(X: list, y: list) -> Callable[[float], float]:
    """The same step through chaingrad's nn, as `make demo` runs it (MLP, hinge, l2, SGD), same weights."""
    from nn import MLP
    from nn.losses import hinge, l2
    from nn.optim import SGD

    model = MLP(2, [16, 16, 1])
    for layer, rows in zip(model.layers, other.init_params()):  # the weights every engine starts from
        for neuron, row in zip(layer.neurons, rows):
            for w, v in zip([*neuron.w, neuron.b], row):
                w.data = v
    params = model.parameters()
    optimizer = SGD(params, lr=1.0)

    def step(lr: float) -> float:
        loss = hinge([model(x) for x in X], y) + 1e-4 * l2(params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = lr
        optimizer.step()
        return loss.data

    return step


def mlp_stepper(engine: str, X: list, y: list) -> Callable[[float], float]:
    """A function lr -> loss doing one full-batch SGD step of MLP(2,[16,16,1]) on (X, y)."""
    if engine == "chaingrad nn":
        return nn_stepper(X, y)
    if engine.startswith("chaingrad"):
        from benchmarks import chaingrad_workloads as cg

        layers, fused = cg.mlp(), engine == "chaingrad"
        return lambda lr: cg.step(layers, X, y, lr, fused=fused)
    if engine == "micrograd":
        model = other.micrograd_mlp()
        return lambda lr: other.micrograd_step(model, X, y, lr)
    if engine == "torch scalars":
        layers = other.torch_scalar_mlp()
        return lambda lr: other.torch_scalar_step(layers, X, y, lr)
    params = other.init_params()
    return lambda lr: other.float_mlp_step(params, X, y, lr)


def mlp_step(engine: str) -> float:
    X, y = moons(32)
    step = mlp_stepper(engine, X, y)
    return median_seconds(lambda: step(0.1), 3 if engine == "torch scalars" else 11)


def moons_demo(engine: str, steps: int) -> list[float]:
    """[seconds for 100 steps (scaled from `steps`), final training accuracy]."""
    X, y = moons(100)
    step = mlp_stepper(engine, X, y)
    start = time.perf_counter()
    for k in range(steps):
        step(1.0 - 0.9 * k / 100)  # micrograd's demo: lr decays linearly from 1.0
    seconds = (time.perf_counter() - start) * 100 / steps
    return [seconds, steps]


def bytes_per_node(engine: str) -> float:
    n = 100_000
    make = value_type(engine)
    gc.collect()
    tracemalloc.start()
    x, y = other.chain(make, n)
    used, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # micrograd wraps each plain-number operand in a node of its own: those are nodes too.
    nodes = n + 1 if engine == "chaingrad" else n + 1 + 2 * (n // 3)
    del x, y
    return used / nodes


def no_grad_ratio() -> list[float]:
    import autograd
    from autograd import Value

    n = 30_000
    recorded = median_seconds(lambda: other.chain(Value, n), 5)

    def unrecorded() -> None:
        with autograd.no_grad():
            other.chain(Value, n)

    return [recorded / n, median_seconds(unrecorded, 5) / n]


CHILD = {
    "chain": lambda engine, n: chain(engine, int(n)),
    "mlp_step": mlp_step,
    "moons_demo": lambda engine, steps: moons_demo(engine, int(steps)),
    "bytes_per_node": bytes_per_node,
    "no_grad": no_grad_ratio,
}

# -- the parent: run children, print tables ----------------------------------------------------


def in_child(*args: str) -> object:
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def in_rounds(kind: str, engines: list[str], *args: str, rounds: int) -> dict:
    """{engine: median result} over `rounds` rounds that run every engine once, the order
    reversed every other round, so that a slow spell of the machine hits all engines alike."""
    results: dict[str, list] = {engine: [] for engine in engines}
    for r in range(rounds):
        for engine in engines if r % 2 == 0 else engines[::-1]:
            results[engine].append(in_child(kind, engine, *args))
    medians = {}
    for engine, runs in results.items():
        medians[engine] = (
            [statistics.median(parts) for parts in zip(*runs)] if isinstance(runs[0], list) else statistics.median(runs)
        )
    return medians


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


def bench_chain(sizes: list[int]) -> None:
    rows = []
    for n in sizes:
        engines = ["chaingrad", "micrograd", "torch scalars", "plain floats"]
        if n > 100_000:
            engines.remove("torch scalars")  # ~30 s a run; its ratio is clear from 10^5
        results = in_rounds("chain", engines, str(n), rounds=3 if n <= 100_000 else 1)
        ours = sum(results["chaingrad"])
        for engine, (fwd, bwd) in results.items():
            name = engine + (" (fwd+bwd)" if engine == "plain floats" else "")
            cells = [f"{fwd * 1e9:,.0f}", f"{bwd * 1e9:,.0f}" if bwd else "-", f"{(fwd + bwd) * 1e9:,.0f}"]
            rows.append([f"{n:,}", name, *cells, f"{(fwd + bwd) / ours:.2f}x"])
    header = ["ops", "engine", "forward", "backward", "fwd+bwd", "time / chaingrad's"]
    print_table("(a) chain of mul/add/tanh: ns per op", header, rows)


def bench_mlp_step() -> None:
    engines = ["chaingrad", "chaingrad nn", "chaingrad (* and + neurons)", "micrograd", "torch scalars", "plain floats"]
    times = in_rounds("mlp_step", engines, rounds=3)
    ours, floor = times["chaingrad"], times["plain floats"]
    rows = [[engine, f"{t * 1e3:.2f}", f"{t / ours:.2f}x", f"{t / floor:.2f}x"] for engine, t in times.items()]
    title = "(b) one SGD step, MLP(2,[16,16,1]), 32 points, hinge + L2 (chaingrad: one dot node per neuron)"
    print_table(title, ["engine", "ms", "time / chaingrad's", "time / plain floats'"], rows)


def bench_moons_demo(micrograd_steps: int) -> None:
    runs = {"chaingrad": 100, "chaingrad nn": 100, "micrograd": micrograd_steps, "plain floats": 100}
    results = {engine: in_child("moons_demo", engine, str(steps)) for engine, steps in runs.items()}
    rows = []
    for engine, (seconds, steps) in results.items():
        note = "" if steps == 100 else f" ({int(steps)} steps measured, x{100 // int(steps)})"
        rows.append([engine + note, f"{seconds:.2f}", f"{seconds / results['chaingrad'][0]:.2f}x"])
    print_table(
        "(c) micrograd's moons demo: 100 points, 100 SGD steps", ["engine", "seconds", "time / chaingrad's"], rows
    )


def bench_memory() -> None:
    ours, micro = in_child("bytes_per_node", "chaingrad"), in_child("bytes_per_node", "micrograd")
    rows = [["chaingrad", f"{ours:.0f}", "1.00x"], ["micrograd", f"{micro:.0f}", f"{micro / ours:.2f}x"]]
    title = "(d) memory: bytes per graph node (chain of 10^5 ops, tracemalloc)"
    print_table(title, ["engine", "bytes/node", "ratio"], rows)


def bench_no_grad() -> None:
    recorded, free = in_child("no_grad")
    rows = [["recorded", f"{recorded * 1e9:.0f}", "1.00x"], ["no_grad", f"{free * 1e9:.0f}", f"{free / recorded:.2f}x"]]
    print_table("no_grad: forward of the 30,000-op chain, ns per op", ["mode", "ns/op", "ratio"], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 10^6 chain; 10 steps of micrograd's demo")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.setrecursionlimit(10_000_000)  # micrograd's topological sort is recursive
    if args.child:
        print(json.dumps(CHILD[args.child[0]](*args.child[1:])))
        return
    print(f"Python {sys.version.split()[0]}, gc on, each measurement in a fresh process")
    bench_chain([1_000, 100_000] if args.quick else [1_000, 100_000, 1_000_000])
    bench_mlp_step()
    bench_moons_demo(10 if args.quick else 100)
    bench_memory()
    bench_no_grad()


if __name__ == "__main__":
    main()
