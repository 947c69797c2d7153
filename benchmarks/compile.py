"""Compiled programs vs the engine vs hand-written floats vs PyTorch, side by side in one run.

    .venv/bin/python -m benchmarks.compile           # everything (about 4 minutes)
    .venv/bin/python -m benchmarks.compile --quick   # one round of each

Same rules as benchmarks/run.py: garbage collector on, each measurement in a fresh child
process, medians over repeats, engines alternating over rounds; compare ratios within a run.
Compiled timings include tracing and compiling (moons demo, digits epoch) unless the row
says "steady state".
"""

from __future__ import annotations

import argparse
import builtins
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from benchmarks import competitors as other
from benchmarks.run import median_seconds, mlp_stepper, moons, print_table
from benchmarks.run import moons_demo as float_moons_demo

# -- workloads ---------------------------------------------------------------------------------


def _benchmark_mlp():
    """MLP(2, [16, 16, 1]) with the weights every engine starts from (benchmarks/run.py)."""
    from nn import MLP

    model = MLP(2, [16, 16, 1])
    for layer, rows in zip(model.layers, other.init_params()):
        for neuron, row in zip(layer.neurons, rows):
            for w, v in zip([*neuron.w, neuron.b], row):
                w.data = v
    return model


def compiled_stepper(X: list, y: list, numpy: bool | None = None) -> tuple[Callable[[float], float], Callable]:
    """One full-batch SGD step (hinge + 1e-4 L2) on the compiled per-example loss."""
    from nn.compiled import CompiledLoss
    from nn.optim import SGD

    model = _benchmark_mlp()
    optimizer = SGD(model.parameters(), lr=1.0)
    loss = CompiledLoss(model, "hinge")
    last: dict = {}

    def step(lr: float) -> float:
        value, outputs = loss.batch_gradients(X, y, 1e-4, numpy=numpy)
        optimizer.lr = lr
        optimizer.step()
        last["outputs"] = outputs
        return value

    def accuracy() -> float:
        return sum((o > 0) == (t > 0) for o, t in zip(last["outputs"], y)) / len(y)

    return step, accuracy


def torch_batched_stepper(X: list, y: list) -> Callable[[float], float]:
    """The same step in PyTorch float64 with whole-batch tensors (the usual way to use torch)."""
    import torch

    torch.set_num_threads(1)  # the machine is shared; one thread is also what pure Python gets
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.float64)
    params = []
    for layer in other.init_params():
        params.append(torch.tensor([row[:-1] for row in layer], dtype=torch.float64, requires_grad=True))
        params.append(torch.tensor([row[-1] for row in layer], dtype=torch.float64, requires_grad=True))

    def step(lr: float) -> float:
        a = Xt
        for i in range(0, len(params), 2):
            a = a @ params[i].T + params[i + 1]
            if i < len(params) - 2:
                a = torch.relu(a)
        loss = torch.relu(1 - yt * a[:, 0]).mean() + 1e-4 * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss.item()

    return step


def stepper(engine: str, X: list, y: list) -> Callable[[float], float]:
    if engine == "compiled (Python)":
        return compiled_stepper(X, y, numpy=False)[0]
    if engine == "compiled (NumPy batch)":
        return compiled_stepper(X, y, numpy=True)[0]
    if engine == "torch batched":
        return torch_batched_stepper(X, y)
    return mlp_stepper(engine, X, y)


def mlp_step(engine: str) -> float:
    """Median seconds of one step on 32 points, after a warm-up step (compiling, for compiled)."""
    X, y = moons(32)
    step = stepper(engine, X, y)
    step(0.1)
    return median_seconds(lambda: step(0.1), 21)


def moons_demo(engine: str) -> list[float]:
    """[seconds for micrograd's demo (100 points, 100 steps, compiling included), accuracy].

    chaingrad runs it as a user would: `nn.train.fit` (hinge, L2 1e-4, SGD with micrograd's
    learning rate falling from 1.0 to 0.1), with and without compile=True.
    """
    if engine == "plain floats":  # benchmarks/run.py's demo, with the same schedule
        return [float_moons_demo(engine, 100)[0], float("nan")]
    X, y = moons(100)
    import nn.compiled  # noqa: F401 (a module import is not training time; compiling is, below)
    from nn.optim import SGD, LinearDecay
    from nn.train import fit

    model = _benchmark_mlp()
    optimizer = SGD(model.parameters(), lr=1.0)
    schedule = LinearDecay(optimizer, start=1.0, end=0.1, steps=100)
    start = time.perf_counter()
    history = fit(
        model, X, y, loss="hinge", optimizer=optimizer, epochs=100, l2=1e-4, scheduler=schedule,
        progress=False, compile=engine == "fit(..., compile=True)",
    )  # fmt: skip
    return [time.perf_counter() - start, history["accuracy"][-1]]


def chain_compile(n: int) -> list[float]:
    """[trace, write, Python compile, run fwd+bwd, engine fwd+bwd] seconds for an n-op chain."""
    from autograd import Value
    from autograd.compiler.emit import Writer
    from autograd.compiler.program import Compiled
    from autograd.compiler.trace import trace

    def chain(x):
        for _ in range(n // 3):
            x = (x * other.A + other.B).tanh()
        return x

    t0 = time.perf_counter()
    recorded = trace(chain, (0.5,), ["x"])
    t1 = time.perf_counter()
    source = Writer(recorded, ["x"]).source("chain")
    t2 = time.perf_counter()
    builtins.compile(source, "<chain>", "exec")
    t3 = time.perf_counter()
    compiled = Compiled(recorded, ["x"], "chain")
    compiled.run(0.3)  # writes and compiles it again: not timed
    run = median_seconds(lambda: compiled.run(0.3), 5)

    def engine() -> None:
        x = Value(0.3)
        chain(x).backward()

    del recorded, source
    return [t1 - t0, t2 - t1, t3 - t2, run, median_seconds(engine, 3)]


def digits_epochs(engine: str) -> list[float]:
    """[seconds of the first epoch (compiling included), of the second] of the CLI's digits
    recipe (64-32-10, He init, standardized inputs, Adam, mini-batches of 32)."""
    from nn import MLP
    from nn.cli import RECIPES
    from nn.compiled import CompiledLoss
    from nn.data import Standardizer, batches, load_digits, split
    from nn.losses import cross_entropy
    from nn.optim import Adam

    recipe = RECIPES["digits"]
    X, y = load_digits()
    (X_train, y_train), _ = split(X, y, 0.2, seed=0)
    model = MLP(64, [*recipe["hidden"], 10], "relu", seed=0, init=recipe["init"])
    model.scaler = Standardizer().fit(X_train)
    params = model.parameters()
    optimizer = Adam(params, 0.01)
    compiled = CompiledLoss(model, "cross_entropy") if engine.startswith("compiled") else None
    numpy = engine == "compiled (NumPy batch)"
    seconds = []
    for epoch in range(2):
        start = time.perf_counter()
        for Xb, yb in batches(X_train, y_train, recipe["batch_size"], seed=epoch):
            if compiled is not None:
                compiled.batch_gradients(Xb, yb, numpy=numpy)
            else:
                loss = cross_entropy([model(x) for x in Xb], yb)
                optimizer.zero_grad()
                loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - start)
    return seconds


CHILD = {
    "digits_epochs": digits_epochs,
    "mlp_step": mlp_step,
    "moons_demo": moons_demo,
    "chain_compile": lambda n: chain_compile(int(n)),
}


# -- the parent --------------------------------------------------------------------------------


def in_child(*args: str) -> object:
    cmd = [sys.executable, "-m", "benchmarks.compile", "--child", *args]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def in_rounds(kind: str, engines: list[str], rounds: int) -> dict:
    results: dict[str, list] = {engine: [] for engine in engines}
    for r in range(rounds):
        for engine in engines if r % 2 == 0 else engines[::-1]:
            results[engine].append(in_child(kind, engine))
    return {
        e: [statistics.median(p) for p in zip(*runs)] if isinstance(runs[0], list) else statistics.median(runs)
        for e, runs in results.items()
    }


def bench_moons(rounds: int) -> None:
    engines = ["fit(..., compile=True)", "fit", "plain floats"]
    results = in_rounds("moons_demo", engines, rounds)
    floor = results["plain floats"][0]
    rows = []
    for engine, (seconds, accuracy) in results.items():
        acc = "-" if accuracy != accuracy else f"{accuracy:.0%}"
        rows.append([engine, f"{seconds:.3f}", f"{seconds / floor:.2f}x", acc])
    title = "micrograd's moons demo: 100 points, 100 SGD steps (compiling included)"
    print_table(title, ["engine", "seconds", "time / plain floats'", "accuracy"], rows)


def bench_step(rounds: int) -> None:
    engines = ["compiled (Python)", "compiled (NumPy batch)", "plain floats", "torch batched", "chaingrad"]
    times = in_rounds("mlp_step", engines, rounds)
    floor, torch = times["plain floats"], times["torch batched"]
    rows = [[e, f"{t * 1e3:.3f}", f"{t / floor:.2f}x", f"{t / torch:.2f}x"] for e, t in times.items()]
    title = "one SGD step, MLP(2,[16,16,1]), 32 points, hinge + L2 (steady state)"
    print_table(title, ["engine", "ms", "time / plain floats'", "time / torch batched"], rows)


def bench_digits(rounds: int) -> None:
    try:
        from nn.data import load_digits  # noqa: F401 (the real-data issue: nn.data.load_digits)
    except ImportError:
        print("\n(digits: nn.data.load_digits is not here yet; skipped)")
        return
    engines = ["compiled (NumPy batch)", "compiled (Python)", "chaingrad nn"]
    results = in_rounds("digits_epochs", engines, rounds)
    steady = results["chaingrad nn"][1]
    rows = [[e, f"{first:.2f}", f"{second:.2f}", f"{steady / second:.1f}x"] for e, (first, second) in results.items()]
    title = "the digits network (64-32-10, Adam, batches of 32): one epoch of 1,437 examples"
    print_table(title, ["engine", "epoch 1 s (compiling included)", "epoch 2 s", "speed-up, epoch 2"], rows)


def bench_chain_compile() -> None:
    rows = []
    for n in (10_000, 100_000):
        tr, write, pycompile, run, engine = in_child("chain_compile", str(n))
        total = tr + write + pycompile
        rows.append(
            [f"{n:,}", f"{tr:.2f}", f"{write:.2f}", f"{pycompile:.2f}", f"{total:.2f}", f"{total / n * 1e6:.1f}"]
            + [f"{run / n * 1e9:.0f}", f"{engine / n * 1e9:.0f}"]
        )
    header = ["ops", "trace s", "write s", "Python compile s", "total s", "µs/op", "run ns/op", "engine ns/op"]
    print_table("tracing and compiling a chain of mul/add/tanh (linear: 10x the ops, ~10x the time)", header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one round of each")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILD[args.child[0]](*args.child[1:])))
        return
    rounds = 1 if args.quick else 3
    print(f"Python {sys.version.split()[0]}, gc on, each measurement in a fresh process")
    bench_moons(rounds)
    bench_step(rounds)
    bench_digits(rounds)
    bench_chain_compile()


if __name__ == "__main__":
    main()
