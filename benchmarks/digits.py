"""The digits, side by side: `python -m nn train --dataset digits` against a PyTorch batched reference.

    .venv/bin/python -m benchmarks.digits            # about a minute on 2 cores
    .venv/bin/python -m benchmarks.digits --seeds 5  # the recipe over 5 splits and initialisations

Three rows, measured in one run:

- **the CLI**, as a user runs it (a child process, wall clock: imports, training, the
  pictures and model.json), with its accuracy lines read from its output;
- **chaingrad `fit`** in this process: the CLI's recipe (nn.cli.RECIPES["digits"]) on the same
  split, timing the training alone;
- **PyTorch, batched**: the same network with the same starting weights (`nn.export.to_torch`),
  the same standardized inputs, the same mini-batches in the same order, Adam with the same
  settings, the same early stopping; float64 tensors of a whole batch at a time, one thread.

chaingrad runs before torch is imported: the garbage collector's cost grows with every live
object, and importing torch adds hundreds of thousands of them.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import random
import subprocess
import sys
import tempfile
import time

from nn import MLP
from nn.cli import DEFAULT_LR, RECIPES
from nn.data import Standardizer, batches, load_digits, split
from nn.export import to_torch
from nn.optim import Adam
from nn.train import accuracy, fit

RECIPE = RECIPES["digits"]
LR = DEFAULT_LR["adam"]  # the CLI's


def run_cli(seed: int) -> dict:
    """`python -m nn train --dataset digits` in a child process: wall-clock seconds and its accuracies."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "nn", "train", "--dataset", "digits", "--seed", str(seed), "--out", out],
            capture_output=True, text=True, check=True, env={**os.environ, "MPLBACKEND": "Agg"},
        )  # fmt: skip
        seconds = time.perf_counter() - start
    lines = result.stdout.splitlines()
    train_line, val_line = lines[-2], lines[-1]
    progress = [line for line in result.stderr.splitlines() if line.startswith("epoch ")]  # "epoch 7/10: ..."
    epochs = int(progress[-1].split()[1].split("/")[0])
    return {
        "train": float(train_line.split()[2].rstrip("%")) / 100,
        "val": float(val_line.split()[2].rstrip("%")) / 100,
        "seconds": seconds,
        "epochs": epochs,
    }


def prepare(seed: int) -> tuple:
    X, y = load_digits()
    (X_train, y_train), (X_val, y_val) = split(X, y, 0.2, seed=seed)
    model = MLP(64, [*RECIPE["hidden"], 10], "relu", seed=seed, init=RECIPE["init"])
    model.scaler = Standardizer().fit(X_train)
    return model, (X_train, y_train), (X_val, y_val)


def run_chaingrad(seed: int) -> dict:
    model, (X_train, y_train), (X_val, y_val) = prepare(seed)
    start = time.perf_counter()
    history = fit(
        model, X_train, y_train, loss="cross_entropy", optimizer=Adam(model.parameters(), LR),
        epochs=RECIPE["epochs"], batch_size=RECIPE["batch_size"], progress=False, seed=seed,
        val=(X_val, y_val), patience=RECIPE["patience"],
    )  # fmt: skip
    seconds = time.perf_counter() - start
    return {
        "train": accuracy(model, X_train, y_train),
        "val": accuracy(model, X_val, y_val),
        "seconds": seconds,
        "epochs": len(history["loss"]),
    }


def run_torch(seed: int) -> dict:
    import torch

    torch.set_num_threads(1)  # a shared 2-core machine; a 64-32-10 batch gains nothing from more
    model, (X_train, y_train), (X_val, y_val) = prepare(seed)
    scaler, start_model = model.scaler, copy.deepcopy(model)
    start_model.scaler = None  # torch gets standardized inputs, as chaingrad's first layer does
    net = to_torch(start_model)
    Xt = torch.tensor(scaler.transform(X_train), dtype=torch.float64)
    Xv = torch.tensor(scaler.transform(X_val), dtype=torch.float64)
    yt, yv = torch.tensor(y_train), torch.tensor(y_val)
    optimizer = torch.optim.Adam(net.parameters(), lr=LR)
    rng = random.Random(seed)  # the same batch order as nn.train.fit
    order = list(range(len(X_train)))
    best, best_state, since, epochs = math.inf, None, 0, 0
    start = time.perf_counter()
    for _ in range(RECIPE["epochs"]):
        epochs += 1
        for batch, _ in batches(order, order, RECIPE["batch_size"], seed=rng):
            index = torch.tensor(batch)
            loss = torch.nn.functional.cross_entropy(net(Xt[index]), yt[index])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            val_loss = torch.nn.functional.cross_entropy(net(Xv), yv).item()
        if val_loss < best:
            best, best_state, since = val_loss, copy.deepcopy(net.state_dict()), 0
        else:
            since += 1
            if since >= RECIPE["patience"]:
                break
    net.load_state_dict(best_state)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        train_acc = (net(Xt).argmax(1) == yt).double().mean().item()
        val_acc = (net(Xv).argmax(1) == yv).double().mean().item()
    return {"train": train_acc, "val": val_acc, "seconds": seconds, "epochs": epochs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=1, help="how many seeds (1337, 1338, ...) to run")
    seeds = [1337 + k for k in range(parser.parse_args().seeds)]
    rows: list[tuple[str, int, dict]] = []
    for seed in seeds:  # chaingrad first: see the module docstring
        rows.append(("python -m nn train --dataset digits (whole run)", seed, run_cli(seed)))
        rows.append(("chaingrad nn.train.fit (training only)", seed, run_chaingrad(seed)))
    for seed in seeds:
        rows.append(("PyTorch batched, float64 (training only)", seed, run_torch(seed)))
    print(f"digits: 64-{RECIPE['hidden'][0]}-10 relu, Adam lr {LR}, batch {RECIPE['batch_size']}, up to "
          f"{RECIPE['epochs']} epochs, patience {RECIPE['patience']}; 1438 train / 359 validation\n")  # fmt: skip
    print("| engine | seed | epochs | train accuracy | validation accuracy | seconds |")
    print("|---|---|---|---|---|---|")
    for name, seed, r in rows:
        print(f"| {name} | {seed} | {r['epochs']} | {r['train']:.1%} | {r['val']:.1%} | {r['seconds']:.1f} |")


if __name__ == "__main__":
    main()
