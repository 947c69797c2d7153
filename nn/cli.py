"""`python -m nn train`: train a small network, evaluate it on held-out data, write what it learned.

With no flags it is micrograd's demo: 100 noisy moons, MLP(2, [16, 16, 1]) with relu hidden
layers, hinge loss plus 1e-4 * L2, full-batch SGD whose learning rate falls linearly from 1.0
to 0.1 over the 100 steps, except that 20% of the points are held out to measure it honestly
(`--val 0` trains on all of them, as micrograd does). `--dataset digits` trains 64-32-10 on
the handwritten digits shipped with `nn` (Adam, mini-batches, early stopping), and a CSV
file path trains on your data (standardized by default). It writes, to `--out` (default
`runs/<name>/`), the files `OUTPUTS` describes, and ends with the training and validation
accuracy.

The demo draws weights as micrograd does, uniformly from [-1, 1] (`--init uniform`), not with
the library's default He init for relu: with this large learning rate, uniform init reached
100% within the 100 steps for 17 of 20 seeds, He for 15 (the others stop at 95-99%).

Every flag and input file is checked before anything is written: a mistake is one line on
stderr and exit code 2, never a traceback. A run that trains but fails (chance-level
accuracy, a loss that exploded or became NaN) ends with a warning naming the likely cause
and a command to try next, and exit code 0.
"""

from __future__ import annotations

import argparse
import copy
import math
import os
import shlex
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from autograd import Value, no_grad

from . import data, losses
from .layers import ACTIVATIONS, INITS, MLP
from .module import MAX_PARAMETERS, dense_parameter_count
from .optim import SGD, Adam, LinearDecay
from .train import fit, predict_classes

LOSS_NAMES = ("auto", "hinge", "binary_cross_entropy", "bce", "cross_entropy", "mse")
DEFAULT_LR = {"sgd": 1.0, "adam": 0.01}
MAX_SAMPLES = 100_000  # generated points; a scalar engine needs minutes per epoch beyond this
MAX_NOISE = 1e3  # the toy datasets live in [-2, 2]: more noise than this is only noise, and 1e308 overflows

# What a flag left unset means, per kind of dataset: the moons demo's recipe for the toy 2-d
# data and CSV files, a mini-batch Adam recipe for the 1,437 digits of 64 pixels (measured in
# benchmarks/digits.py: about 97% validation accuracy in 10 epochs).
RECIPES: dict[str, dict[str, Any]] = {
    "toy": {"hidden": [16, 16], "init": "uniform", "optimizer": "sgd", "schedule": "linear", "epochs": 100,
            "batch_size": None, "l2": 1e-4, "patience": None, "standardize": False},
    "csv": {"hidden": [16, 16], "init": "uniform", "optimizer": "sgd", "schedule": "linear", "epochs": 100,
            "batch_size": None, "l2": 1e-4, "patience": None, "standardize": True},
    "digits": {"hidden": [32], "init": "he", "optimizer": "adam", "schedule": "constant", "epochs": 10,
               "batch_size": 32, "l2": 0.0, "patience": 5, "standardize": True},
}  # fmt: skip

OUTPUTS = {
    "model.json": "the trained model: nn.MLP.load(path) (with its input scaler, if any: it takes raw inputs)",
    "loss.png": "loss and accuracy per epoch, training and validation",
    "decision_boundary.png": "the plane coloured by predicted class, with the data (features 0 and 1)",
    "hidden_units.png": "each hidden unit's 64 input weights as an 8x8 image: what the hidden layer learned",
    "confusion.png": "confusion matrix of the validation set: true class against predicted class",
    "mistakes.png": "the misclassified validation digits, with their true and predicted labels",
    "graph.svg": "the computation graph of one neuron of layer 0 on one sample, with the gradients "
    "of that neuron's output (not of the loss)",
}  # fmt: skip

CSV_FORMAT = """\
CSV files: comma-separated, one example per line: the features (numbers), then the label in
the last column (a number or a word; each distinct label is a class). An optional first line
with column names is a header (its names label the plots); blank lines and lines starting
with # are skipped. Features are standardized (mean 0, standard deviation 1, measured on the
training part) unless --no-standardize; the scaler is saved in model.json.
"""


class UsageError(Exception):
    """A mistake in the command line or an input file: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is one line on stderr (usage is a --help away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def _number(low: float, strict: bool, high: float = math.inf, high_strict: bool = False) -> Any:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not (value > low if strict else value >= low) or not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} must be a finite number {'>' if strict else '>='} {low:g}")
        if value > high or (high_strict and value == high):
            raise argparse.ArgumentTypeError(f"{text!r} must be {'<' if high_strict else '<='} {high:g}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m nn", description="chaingrad's nn: train small networks on toy and real data.")
    commands = parser.add_subparsers(dest="command", metavar="command")
    train = commands.add_parser(
        "train",
        help="train an MLP, evaluate it on held-out data, write model.json and pictures",
        description="Train an MLP and evaluate it on held-out data.\n"
        "With no flags: micrograd's moons demo, 20% of the points held out.\n"
        "--dataset digits: 64-32-10 on the 1,797 handwritten digits shipped with nn.",
        epilog=CSV_FORMAT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    names = ", ".join([*data.DATASETS, "digits"])
    train.add_argument("--dataset", default="moons", help=f"one of {names}, or a CSV file path (default: moons)")
    train.add_argument(
        "--samples", type=_positive_int, help=f"points to generate, at most {MAX_SAMPLES} (default: the dataset's own)"
    )
    train.add_argument("--noise", type=_number(0.0, False, MAX_NOISE), help="noise of the generated data")
    train.add_argument("--hidden", type=_positive_int, nargs="+", help="hidden layer sizes (default 16 16; digits 32)")
    train.add_argument("--activation", choices=ACTIVATIONS, default="relu", help="hidden activation (default relu)")
    train.add_argument("--init", choices=INITS, help="weight init (default uniform, micrograd's; digits he)")
    train.add_argument(
        "--loss", choices=LOSS_NAMES, default="auto", help="auto: hinge, or cross_entropy if > 2 classes"
    )
    train.add_argument("--l2", type=_number(0.0, strict=False), help="L2 penalty weight (default 1e-4; digits 0)")
    train.add_argument("--optimizer", choices=("sgd", "adam"), help="default sgd; digits adam")
    train.add_argument("--lr", type=_number(0.0, strict=True), help="learning rate (default: sgd 1.0, adam 0.01)")
    train.add_argument(
        "--schedule", choices=("linear", "constant"), help="linear: lr falls to lr/10 (default; digits constant)"
    )
    train.add_argument("--epochs", type=_positive_int, help="passes over the data (default 100; digits 10)")
    train.add_argument("--batch-size", type=_positive_int, help="examples per step (default: all; digits 32)")
    train.add_argument(
        "--val",
        type=_number(0.0, False, 1.0, high_strict=True),
        default=0.2,
        help="fraction held out for validation, per class (default 0.2; 0: train on everything)",
    )
    train.add_argument(
        "--patience",
        type=_positive_int,
        help="stop when the validation loss has not improved for this many epochs, keeping the best "
        "weights (default: off; digits 5)",
    )
    train.add_argument(
        "--standardize",
        action=argparse.BooleanOptionalAction,
        help="scale each feature to mean 0, std 1 (default: on for CSV files and digits, off for toy data)",
    )
    train.add_argument("--seed", type=int, default=1337, help="seed of data, split, weights, batches (default 1337)")
    train.add_argument("--out", help="output directory (default runs/<name>/)")
    train.add_argument("--no-progress", action="store_true", help="no progress bar or progress lines")
    train.add_argument(
        "--compile",
        action="store_true",
        help="train on the loss compiled into a straight-line program (autograd.compiler): same numbers, faster",
    )
    return parser


class Dataset:
    """What `load_dataset` returns: the examples and what the pictures need to label them."""

    def __init__(self, X: list, y: list[int], name: str, kind: str, feature_names: Any = None, classes: Any = None):
        self.X, self.y, self.name, self.kind = X, y, name, kind
        self.feature_names, self.class_names = feature_names, [str(c) for c in classes] if classes else None


def load_dataset(args: argparse.Namespace) -> Dataset:
    """The generated dataset, the digits, or the CSV file `--dataset` names."""
    generated = args.dataset in data.DATASETS
    if not generated and (args.samples is not None or args.noise is not None):
        raise UsageError("--samples and --noise apply to generated datasets, not to digits or a CSV file")
    if generated:
        if args.samples is not None and args.samples > MAX_SAMPLES:
            raise UsageError(f"--samples {args.samples}: at most {MAX_SAMPLES} (a scalar engine would take hours)")
        kwargs = {"seed": args.seed}
        if args.samples is not None:
            kwargs["n"] = args.samples
        if args.noise is not None:
            kwargs["noise"] = args.noise
        X, y = data.DATASETS[args.dataset](**kwargs)
        return Dataset(X, y, args.dataset, "toy")
    if args.dataset == "digits":
        X, y = data.load_digits()
        return Dataset(X, y, "digits", "digits")
    if not os.path.isfile(args.dataset):
        names = ", ".join([*data.DATASETS, "digits"])
        raise UsageError(f"--dataset {args.dataset!r} is neither a dataset ({names}) nor a CSV file")
    try:
        X, y, classes = data.load_csv(args.dataset, return_classes=True)
    except UnicodeDecodeError:
        raise UsageError(f"{args.dataset}: not a text CSV file") from None
    except (OSError, ValueError) as e:
        raise UsageError(str(e)) from None
    name = os.path.splitext(os.path.basename(args.dataset))[0] or "csv"
    return Dataset(X, y, name, "csv", _csv_header(args.dataset, len(X[0])), classes)


def _csv_header(path: str, n_features: int) -> list[str] | None:
    """The feature names of the CSV's header line, if it has one of the right width."""
    names = data.csv_header(path)
    return names if names is not None and len(names) == n_features else None


def choose_loss(name: str, n_classes: int) -> tuple[str, int]:
    """(loss name, outputs of the network) for a dataset with `n_classes` classes."""
    if name == "auto":
        name = "hinge" if n_classes == 2 else "cross_entropy"
    name = "binary_cross_entropy" if name == "bce" else name
    if name in ("hinge", "binary_cross_entropy"):
        if n_classes != 2:
            raise UsageError(f"--loss {name} needs 2 classes, the data has {n_classes}: use --loss cross_entropy")
        return name, 1
    return name, n_classes  # cross_entropy: one logit per class; mse: one output per class, one-hot targets


def resolve(args: argparse.Namespace, kind: str) -> None:
    """Fill every flag left unset with the recipe of this kind of dataset."""
    args.given = {key for key in RECIPES[kind] if getattr(args, key) is not None}
    for key, value in RECIPES[kind].items():
        if key not in args.given:
            setattr(args, key, copy.copy(value))
    if args.lr is None:
        args.lr = DEFAULT_LR[args.optimizer]


def train(args: argparse.Namespace) -> int:
    # 1. everything that can be wrong with the flags and the data is found before anything is written
    dataset = load_dataset(args)
    resolve(args, dataset.kind)
    X, y = dataset.X, dataset.y
    n_classes = max(y) + 1
    if n_classes < 2:
        raise UsageError(f"{dataset.name}: every example has the same label; need at least 2 classes")
    loss_name, n_outputs = choose_loss(args.loss, n_classes)
    n_parameters = dense_parameter_count([len(X[0]), *args.hidden, n_outputs])
    if n_parameters > MAX_PARAMETERS:
        raise UsageError(
            f"--hidden {' '.join(map(str, args.hidden))}: {n_parameters:,} parameters, at most "
            f"{MAX_PARAMETERS:,} (a scalar engine)"
        )
    (X_train, y_train), (X_val, y_val) = data.split(X, y, args.val, seed=args.seed)
    if args.patience is not None and not X_val and "patience" not in args.given:
        args.patience = None  # the recipe's early stopping needs held-out data; without it, train all epochs
    if args.patience is not None and not X_val:
        raise UsageError("--patience needs validation data: use --val > 0 with enough examples per class")
    scaler = None
    if args.standardize:
        try:
            scaler = data.Standardizer().fit(X_train)
        except (OverflowError, ValueError) as e:
            raise UsageError(f"{dataset.name}: cannot standardize the features ({e}); try --no-standardize") from None
    out = args.out or os.path.join("runs", dataset.name)

    # 2. build and train
    model = MLP(len(X[0]), [*args.hidden, n_outputs], args.activation, seed=args.seed, init=args.init)
    model.scaler = scaler
    optimizer = SGD(model.parameters(), args.lr) if args.optimizer == "sgd" else Adam(model.parameters(), args.lr)
    steps = args.epochs * -(-len(X_train) // (args.batch_size or len(X_train)))
    scheduler = LinearDecay(optimizer, args.lr, args.lr / 10, steps) if args.schedule == "linear" else None
    targets = _targets(loss_name, n_classes)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out {out}: cannot create the directory ({e.strerror})") from None
    held_out = f"{len(X_val)} held out for validation" if X_val else "none held out (--val 0 or too few examples)"
    print(
        f"{dataset.name}: {len(X)} examples ({len(X_train)} for training, {held_out}), {len(X[0])} features, "
        f"{n_classes} classes{', standardized' if scaler else ''}; {model}, {loss_name} loss, {args.optimizer} "
        f"lr {args.lr:g}"
    )
    history = fit(
        model,
        X_train,
        targets(y_train),
        loss=losses.get(loss_name),
        optimizer=optimizer,
        epochs=args.epochs,
        batch_size=args.batch_size,
        progress=not args.no_progress,
        l2=args.l2,
        scheduler=scheduler,
        seed=args.seed,
        val=(X_val, targets(y_val)) if X_val else None,
        patience=args.patience,
        compile=args.compile,
    )
    if len(history["loss"]) < args.epochs and math.isfinite(history["loss"][-1]):
        best = min(range(len(history["val_loss"])), key=history["val_loss"].__getitem__)
        print(
            f"early stop after epoch {len(history['loss'])}: kept the weights of epoch {best + 1}, "
            f"whose validation loss was the lowest"
        )

    # 3. report: the files, any warning, then the two accuracies
    train_pred = predict_classes(model, X_train)
    val_pred = predict_classes(model, X_val)
    written = write_outputs(out, model, dataset, history, (X_val, y_val, val_pred))
    print(f"wrote to {out}{os.sep}:")
    for name in written:
        print(f"  {name:<22} {OUTPUTS[name]}")
    for line in diagnose(args, dataset, history, y_val or y_train, val_pred or train_pred):
        print(line, file=sys.stderr)
    print(f"train accuracy: {_accuracy(train_pred, y_train)}")
    print(f"validation accuracy: {_accuracy(val_pred, y_val) if X_val else 'n/a (nothing held out)'}")
    return 0


def _targets(loss_name: str, n_classes: int) -> Any:
    """Class indices as the loss wants them: one-hot rows for mse, as they are otherwise."""
    if loss_name == "mse":
        return lambda labels: [[1.0 if c == k else 0.0 for c in range(n_classes)] for k in labels]
    return lambda labels: labels


def _accuracy(predicted: list[int], labels: list[int]) -> str:
    right = sum(p == t for p, t in zip(predicted, labels))
    return f"{right / len(labels):.1%} ({right}/{len(labels)})"


# -- no silent failure ------------------------------------------------------------------------


def diagnose(
    args: argparse.Namespace, dataset: Dataset, history: dict, labels: list[int], predicted: list[int]
) -> list[str]:
    """Warnings about a run that trained but failed, each with its likely cause, and the command to try next.

    Three symptoms: the loss became NaN or infinite; it rose more than 10x above its first
    epoch; the final accuracy (validation, else training) is at chance level, within a tenth
    of the way from always answering the most common class to perfect.
    """
    loss = history["loss"]
    finite = [v for v in loss if math.isfinite(v)]
    symptoms = []
    broken = next((i for i, v in enumerate(loss) if not math.isfinite(v)), None)
    if broken is not None:
        symptoms.append(f"the loss became {loss[broken]} at epoch {broken + 1}, so training stopped there")
    rose = bool(finite) and loss[0] > 0 and max(finite) > 10 * loss[0]
    if rose:
        symptoms.append(f"the loss rose to {max(finite):.4g}, more than 10x its first epoch's {loss[0]:.4g}")
    majority = max(labels.count(c) for c in set(labels)) / len(labels)
    accuracy = sum(p == t for p, t in zip(predicted, labels)) / len(labels)
    if accuracy <= majority + (1 - majority) / 10:
        symptoms.append(f"accuracy {accuracy:.1%} is at chance level (always the commonest class: {majority:.1%})")
    if not symptoms:
        return []
    diverged = broken is not None or rose
    offset, spread = _feature_scale(dataset.X)
    if not args.standardize and max(offset, spread) > 5:
        cause = (
            f"the features are not standardized (a column's mean is as large as {offset:.3g}, "
            f"its standard deviation {spread:.3g}; the weights start at the scale of 1)"
        )
        command = _command(args.argv, drop=["--no-standardize"], add=["--standardize"] if dataset.kind == "toy" else [])
    elif diverged and args.l2 >= 1:
        cause = f"the L2 penalty weight {args.l2:g} is so large that it dominates the loss and its gradient"
        command = _command(args.argv, drop=["--l2"])
    elif diverged:
        cause = f"the learning rate {args.lr:g} is too large for this network and data"
        lower = min(DEFAULT_LR[args.optimizer], args.lr / 10)  # from 1e12, 1e11 would diverge too
        command = _command(args.argv, drop=["--lr"], add=["--lr", f"{lower:g}"])
    elif args.lr < DEFAULT_LR[args.optimizer] / 1e4:
        cause = f"the learning rate {args.lr:g} is too small: the weights barely moved"
        command = _command(args.argv, drop=["--lr"])
    elif args.optimizer == "sgd":
        cause = "plain SGD is stuck (a poor loss for the task, or a learning rate too small or too large)"
        command = _command(args.argv, drop=["--optimizer", "--lr"], add=["--optimizer", "adam"])
    else:
        cause = "the network did not learn: the learning rate may be too small, or there are too few epochs"
        command = _command(args.argv, drop=["--epochs"], add=["--epochs", str(args.epochs * 3)])
    return [f"warning: {s}" for s in symptoms] + [f"likely cause: {cause}", f"try: {command}"]


def _feature_scale(X: list) -> tuple[float, float]:
    """How far the features sit from mean 0, std 1: the largest |mean| and standard deviation of a column."""
    try:
        scaler = data.Standardizer().fit(X)
    except ValueError:  # features too large for float64 sums: as far from unit scale as can be
        return math.inf, math.inf
    return max(abs(m) for m in scaler.mean), max(scaler.scale)


def _command(argv: Sequence[str], drop: Sequence[str] = (), add: Sequence[str] = ()) -> str:
    """`python -m nn` followed by `argv` without the flags in `drop` (and their values), plus `add`."""
    kept: list[str] = []
    skipping = False
    for token in argv:
        if token.startswith("--"):
            skipping = token.split("=")[0] in drop
            if skipping:
                continue
        elif skipping:
            continue
        kept.append(token)
    return "python -m nn " + " ".join(shlex.quote(t) for t in [*kept, *add])


# -- the files ------------------------------------------------------------------------------


def write_outputs(out: str, model: MLP, dataset: Dataset, history: dict, val: tuple) -> list[str]:
    """Write every output that applies and return their names; a picture that cannot be drawn
    is reported in one line and skipped, so that it never costs the trained model."""
    written = []
    try:
        model.save(os.path.join(out, "model.json"))
        written.append("model.json")
    except ValueError as e:  # a NaN weight: JSON cannot hold it, and the warnings say why it happened
        print(f"model.json not written: {e}")
    pictures = {"loss.png": lambda figure: _draw_history(figure, history)}
    if dataset.kind != "digits":  # with more than 2 features the plot shows a slice through the first two
        pictures["decision_boundary.png"] = lambda figure: _draw_boundary(figure, model, dataset)
    X_val, y_val, val_pred = val
    if dataset.kind == "digits":
        pictures["hidden_units.png"] = lambda figure: _plot().hidden_units(model.layers[0], figure)
        if X_val:
            pictures["confusion.png"] = lambda figure: _draw_confusion(figure, y_val, val_pred)
            pictures["mistakes.png"] = lambda figure: _plot().mistakes(X_val, y_val, val_pred, figure)
    try:
        from matplotlib.figure import Figure  # a Figure needs no window and no pyplot state
    except ImportError:
        print(f"{', '.join(pictures)} skipped: matplotlib is not installed (the `plot` extra)")
    else:
        for name, draw in pictures.items():
            figure = Figure(figsize=FIGURE_SIZES.get(name, (6, 4.5)))
            try:
                draw(figure)
                figure.savefig(os.path.join(out, name), dpi=100)
            except Exception as e:  # a picture is a bonus: report it in one line
                print(f"{name} skipped: {type(e).__name__}: {e}".splitlines()[0])
            else:
                written.append(name)
    if model.nin > MAX_GRAPH_INPUTS:
        print(f"graph.svg skipped: a neuron of {model.nin} inputs draws {4 * model.nin + 2} nodes, too many to read")
        return written
    try:
        graph = neuron_graph(model, dataset.X)
        svg = graph.pipe(format="svg").decode()
    except Exception as e:  # no Graphviz must not lose the trained model
        print(f"graph.svg skipped: {type(e).__name__}: {e}".splitlines()[0])
    else:
        with open(os.path.join(out, "graph.svg"), "w", encoding="utf-8") as f:
            f.write(svg)
        written.append("graph.svg")
    return written


MAX_GRAPH_INPUTS = 16  # a neuron drawn node by node is 4 nodes per input: beyond 16 nobody reads it
FIGURE_SIZES = {
    "decision_boundary.png": (5.5, 5),
    "confusion.png": (5, 4.6),
    "hidden_units.png": (9, 5.5),
    "mistakes.png": (8, 8),
}


def _plot() -> Any:
    from . import plot

    return plot


def _draw_history(figure: Any, history: dict) -> None:
    _plot().history(history, figure.add_subplot())
    figure.tight_layout()


def _draw_confusion(figure: Any, y_true: list[int], y_pred: list[int]) -> None:
    _plot().confusion(y_true, y_pred, figure.add_subplot())
    figure.tight_layout()


def _draw_boundary(figure: Any, model: MLP, dataset: Dataset) -> None:
    labels = {"feature_names": dataset.feature_names, "class_names": dataset.class_names}
    kwargs = {key: value for key, value in labels.items() if value is not None}
    _plot().decision_boundary(model, dataset.X, dataset.y, figure.add_subplot(), **kwargs)
    figure.tight_layout()


def neuron_graph(model: MLP, X: Sequence[Sequence[float]]) -> Any:
    """The graphviz graph of one first-layer neuron on one sample: every * and +, with gradients.

    It shows the first (neuron, sample) pair where the neuron is active, so that gradients
    are not all zero behind a relu that is switched off. The gradients are those of the
    neuron's output, not of the loss: a title on the picture says so.
    """
    from autograd.viz import draw_dot

    neurons = model.layers[0].neurons
    inputs = model.scaler.transform(X) if model.scaler else X
    with no_grad():
        active = ((i, n, x) for n, x in enumerate(inputs) for i, neuron in enumerate(neurons) if neuron(x).data > 0)
        index, sample, x = next(active, (0, 0, inputs[0]))
    neuron = copy.deepcopy(neurons[index])  # a copy keeps the labels, not the model's grads
    neuron.fused = False  # draw w0*x0 + w1*x1 + b node by node
    neuron.zero_grad()
    output = neuron([Value(xi, label=f"x{i}") for i, xi in enumerate(x)])
    output.label = "out"
    output.backward()
    graph = draw_dot(output)
    scaled = ", standardized" if model.scaler else ""
    graph.attr(
        label=f"One neuron of the trained model (layer 0, neuron {index}) on one training sample "
        f"(example {sample}{scaled}).\nEach node shows its value and grad = ∂out/∂node: the gradient of "
        "this neuron's output, not of the loss.",
        labelloc="t",
        fontsize="16",
    )
    return graph


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("choose a command: train")
    args.argv = argv
    try:
        return train(args)
    except UsageError as e:
        print(f"{parser.prog} {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
