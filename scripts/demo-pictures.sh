#!/usr/bin/env bash
# Run both demos (`python -m nn train`, and with `--dataset digits`) and copy their pictures to
# docs/demo-<dataset>-<picture>.png, the files the README shows. Usage: demo-pictures.sh [python]
set -euo pipefail
cd "$(dirname "$0")/.."
python="${1:-python3}"
mkdir -p docs
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
for dataset in moons digits; do
  "$python" -m nn train --dataset "$dataset" --out "$runs/$dataset" --no-progress
  for picture in "$runs/$dataset"/*.png; do
    cp "$picture" "docs/demo-$dataset-$(basename "$picture")"
  done
done
# graph.svg as a PNG too, for pages that do not show SVG
"$python" - "$runs/moons" <<'PY'
import sys
from nn import MLP
from nn.cli import build_parser, load_dataset, neuron_graph

model = MLP.load(f"{sys.argv[1]}/model.json")
dataset = load_dataset(build_parser().parse_args(["train"]))  # the data the run above trained on
with open("docs/demo-moons-graph.png", "wb") as f:
    f.write(neuron_graph(model, dataset.X).pipe(format="png"))
PY
ls -1 docs/demo-*.png
