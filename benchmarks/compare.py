"""Before/after: this working tree against a git revision, on one benchmark, in paired runs.

    .venv/bin/python -m benchmarks.compare 2d127d4 chain --rounds 9          # the 10^3-op chain
    .venv/bin/python -m benchmarks.compare 2d127d4 mlp_step --rounds 7
    .venv/bin/python -m benchmarks.compare 2d127d4 moons_demo --rounds 5 --engine "chaingrad nn"

On a shared machine a slow spell can double one run, so a change of a few percent shows only
when the two versions run side by side: each round runs this tree, the revision (exported
with `git archive` to a temporary directory) and the reference engine (micrograd for the
chain, plain floats otherwise), each in a fresh process, the order reversed every other
round. It prints every run, then medians and minimums (the minimum is the run least
disturbed by other processes) and the ratios of this run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = {"chain": "micrograd", "mlp_step": "plain floats", "moons_demo": "plain floats"}
ARGS = {"chain": ["1000"], "mlp_step": [], "moons_demo": ["100"]}


def measure(tree: Path, kind: str, engine: str) -> float:
    """Seconds (per op for the chain) of one child run of benchmarks.run, with `tree` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-m", "benchmarks.run", "--child", kind, engine, *ARGS[kind]]
    out = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    if kind == "chain":
        return sum(result)  # forward + backward
    return result[0] if kind == "moons_demo" else result


def export(revision: str, into: Path) -> Path:
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="a git revision to compare with (e.g. main, HEAD~3, 2d127d4)")
    parser.add_argument("kind", choices=sorted(REFERENCE))
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--engine", default="chaingrad", help='chaingrad (default), "chaingrad nn", ...')
    args = parser.parse_args()
    reference = REFERENCE[args.kind]
    with tempfile.TemporaryDirectory() as tmp:
        old = export(args.revision, Path(tmp))
        runs = [("this tree", ROOT, args.engine), (args.revision, old, args.engine), (reference, ROOT, reference)]
        results: dict[str, list[float]] = {name: [] for name, _, _ in runs}
        for r in range(args.rounds):
            for name, tree, engine in runs if r % 2 == 0 else runs[::-1]:
                results[name].append(measure(tree, args.kind, engine))
    unit, scale = ("ns/op", 1e9) if args.kind == "chain" else ("ms", 1e3) if args.kind == "mlp_step" else ("s", 1.0)
    for name, times in results.items():
        print(f"{name:>14}: " + " ".join(f"{t * scale:.4g}" for t in times) + f" {unit}")
    new, old_name = "this tree", args.revision
    for stat in (statistics.median, min):
        m = {name: stat(times) for name, times in results.items()}
        print(
            f"{stat.__name__:>6}: this tree {m[new] * scale:.4g} {unit}, {old_name} {m[old_name] * scale:.4g}, "
            f"{reference} {m[reference] * scale:.4g}; this tree / {old_name} = {m[new] / m[old_name]:.3f}; "
            f"{reference} / this tree = {m[reference] / m[new]:.2f}x, / {old_name} = {m[reference] / m[old_name]:.2f}x"
        )


if __name__ == "__main__":
    main()
