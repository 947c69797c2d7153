"""Datasets, feature scaling, a held-out split, and mini-batches: plain Python lists, no numpy.

Toy generators (`make_*`), a CSV loader, the handwritten digits shipped with the package
(`load_digits`), `Standardizer` (feature scaling fitted on training data only) and `split`
(a stratified train/validation split).

Every `make_*` function is `(n, noise, seed) -> (X, y)`: exactly `n` points, `X` a list of
`[x0, x1]` feature lists and `y` a list of class indices 0..k-1 (as scikit-learn returns
them), the same for the same seed on every machine (`random.Random(seed)`). `noise` is the
standard deviation of Gaussian noise added to each coordinate.
"""

from __future__ import annotations

import gzip
import math
import os
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

Dataset = tuple[list[list[float]], list[int]]


def _check(n: Any, noise: Any, n_classes: int = 2) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    if not (isinstance(noise, (int, float)) and noise >= 0 and math.isfinite(noise)):
        raise ValueError(f"noise must be a number >= 0, got {noise!r}")
    if isinstance(n_classes, bool) or not isinstance(n_classes, int) or n_classes < 2:
        raise ValueError(f"n_classes must be an int >= 2, got {n_classes!r}")


def _split(n: int, k: int) -> list[int]:
    """n points shared among k classes as evenly as possible (the first classes get the extra)."""
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _finish(points: list[list[float]], labels: list[int], noise: float, rng: random.Random) -> Dataset:
    """Add the noise and shuffle, so that classes are not in blocks (as scikit-learn does)."""
    X = [[x + rng.gauss(0.0, noise), y + rng.gauss(0.0, noise)] for x, y in points] if noise else points
    order = list(range(len(X)))
    rng.shuffle(order)
    return [X[i] for i in order], [labels[i] for i in order]


def _linspace(start: float, stop: float, n: int, endpoint: bool = True) -> list[float]:
    if n <= 1:
        return [start] * n
    step = (stop - start) / (n - 1 if endpoint else n)
    return [start + i * step for i in range(n)]


def make_moons(n: int = 100, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """Two interleaving half circles (scikit-learn's make_moons): class 0 on top, class 1 below."""
    _check(n, noise)
    rng = random.Random(seed)
    n_top, n_bottom = _split(n, 2)
    top = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_top)]
    bottom = [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n_bottom)]
    return _finish(top + bottom, [0] * n_top + [1] * n_bottom, noise, rng)


def make_circles(n: int = 100, noise: float = 0.05, seed: int | None = None, *, factor: float = 0.5) -> Dataset:
    """A circle of radius 1 (class 0) around one of radius `factor` (class 1)."""
    _check(n, noise)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be in (0, 1), got {factor!r}")
    rng = random.Random(seed)
    n_outer, n_inner = _split(n, 2)
    outer = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_outer, endpoint=False)]
    inner = [[factor * math.cos(t), factor * math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_inner, endpoint=False)]
    return _finish(outer + inner, [0] * n_outer + [1] * n_inner, noise, rng)


def make_spirals(n: int = 150, noise: float = 0.02, seed: int | None = None, *, n_classes: int = 3) -> Dataset:
    """`n_classes` arms spiralling out of the origin (the CS231n spiral), one class per arm."""
    _check(n, noise, n_classes)
    rng = random.Random(seed)
    points, labels = [], []
    for c, size in enumerate(_split(n, n_classes)):
        start = 2 * math.pi * c / n_classes
        for r in _linspace(0.05, 1.0, size):
            t = start + 4.0 * r  # each arm turns through 4 radians, about 2/3 of a circle
            points.append([r * math.sin(t), r * math.cos(t)])
            labels.append(c)
    return _finish(points, labels, noise, rng)


def make_xor(n: int = 100, noise: float = 0.1, seed: int | None = None) -> Dataset:
    """The XOR truth table with inputs coded as +-1: class 1 when exactly one input is +1.

    Point i sits at corner i % 4 ((-1,-1), (-1,1), (1,-1), (1,1)), so `make_xor(4, 0.0)` is
    exactly the truth table.
    """
    _check(n, noise)
    rng = random.Random(seed)
    corners = [(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)]
    points = [list(corners[i % 4]) for i in range(n)]
    labels = [1 if x * y < 0 else 0 for x, y in points]
    return _finish(points, labels, noise, rng)


def make_blobs(n: int = 150, noise: float = 0.3, seed: int | None = None, *, n_classes: int = 3) -> Dataset:
    """Gaussian blobs with standard deviation `noise` around `n_classes` centres on a circle of radius 1.5."""
    _check(n, noise, n_classes)
    rng = random.Random(seed)
    points, labels = [], []
    for c, size in enumerate(_split(n, n_classes)):
        angle = 2 * math.pi * c / n_classes
        points += [[1.5 * math.cos(angle), 1.5 * math.sin(angle)] for _ in range(size)]
        labels += [c] * size
    return _finish(points, labels, noise, rng)


DATASETS = {
    "moons": make_moons,
    "circles": make_circles,
    "spirals": make_spirals,
    "xor": make_xor,
    "blobs": make_blobs,
}


def load_csv(path: str | os.PathLike, *, return_classes: bool = False) -> Any:
    """Read a classification dataset: numeric feature columns, then the label column.

    Returns `(X, y)` like the `make_*` functions: `y` holds class indices 0..k-1, class i
    being the i-th distinct label of the file (numbers sorted numerically, else text sorted
    alphabetically); `return_classes=True` returns `(X, y, classes)` to map them back.
    Comma-separated; blank lines and lines starting with `#` are skipped; a first line
    with no numeric feature is a header. A malformed row raises `ValueError` naming the
    file and the line number.
    """
    X: list[list[float]] = []
    raw_labels: list[str] = []
    width = None
    with open(path, encoding="utf-8") as f:
        for line_number, line, cells in _csv_lines(f):
            if width is None and _is_header(cells):
                width = len(cells)  # a header: remember its width, keep no values
                continue
            if len(cells) < 2:
                raise ValueError(f"{path}, line {line_number}: need at least one feature and a label, got {line!r}")
            if width is not None and len(cells) != width:
                raise ValueError(f"{path}, line {line_number}: expected {width} columns, got {len(cells)}")
            width = len(cells)
            features = []
            for column, cell in enumerate(cells[:-1], start=1):
                if not is_number(cell):
                    raise ValueError(f"{path}, line {line_number}, column {column}: {cell!r} is not a finite number")
                features.append(float(cell))
            if not cells[-1]:
                raise ValueError(f"{path}, line {line_number}: the label (last column) is empty")
            X.append(features)
            raw_labels.append(cells[-1])
    if not X:
        raise ValueError(f"{path}: no data rows")
    numeric = all(is_number(label) for label in raw_labels)
    labels: list[Any] = [_tidy(float(label)) for label in raw_labels] if numeric else raw_labels
    classes = sorted(set(labels))
    index = {label: i for i, label in enumerate(classes)}
    y = [index[label] for label in labels]
    return (X, y, classes) if return_classes else (X, y)


def csv_header(path: str | os.PathLike) -> list[str] | None:
    """The feature names of a CSV file's header line (the label column's name left out), or None
    if its first line is data (the rule `load_csv` uses: a first line with no numeric feature)."""
    with open(path, encoding="utf-8") as f:
        for _, _, cells in _csv_lines(f):
            return cells[:-1] if _is_header(cells) else None
    return None


def _csv_lines(lines: Iterable[str]) -> Iterator[tuple[int, str, list[str]]]:
    """(line number, stripped line, its cells) for every line that is not blank or a # comment."""
    for line_number, line in enumerate(lines, start=1):
        line = line.strip()
        if line and not line.startswith("#"):
            yield line_number, line, [cell.strip() for cell in line.split(",")]


def _is_header(cells: list[str]) -> bool:
    return len(cells) >= 2 and not any(is_number(cell) for cell in cells[:-1])


def is_number(cell: str) -> bool:
    """Whether a CSV cell is a finite number."""
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return False


def _tidy(x: float) -> float | int:
    return int(x) if x.is_integer() else x


def batches(
    X: Sequence[Any],
    y: Sequence[Any],
    batch_size: int,
    shuffle: bool = True,
    seed: int | random.Random | None = None,
) -> Iterator[tuple[list[Any], list[Any]]]:
    """Yield `(X_batch, y_batch)` pairs covering the data once; the last batch may be smaller.

    `seed` may be a `random.Random`: pass the same one every epoch to get a new order each time.
    """
    if len(X) != len(y):
        raise ValueError(f"batches: {len(X)} inputs but {len(y)} labels; they must match")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    order = list(range(len(X)))
    if shuffle:
        rng = seed if isinstance(seed, random.Random) else random.Random(seed)
        rng.shuffle(order)
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        yield [X[i] for i in chunk], [y[i] for i in chunk]


# -- the handwritten digits ---------------------------------------------------------------

DIGITS_PATH = os.path.join(os.path.dirname(__file__), "datasets", "digits.csv.gz")


def load_digits() -> Dataset:
    """The 1,797 8x8 handwritten digits (UCI optical digits, test set), shipped with `nn`.

    Returns `(X, y)`: each row of X is an image's 64 pixels read row by row, integers 0..16
    as floats (how many of a 4x4 block's 16 pixels are ink), y the digit 0..9. The same
    data as scikit-learn's `load_digits`; no download. E. Alpaydin and C. Kaynak, UCI
    Machine Learning Repository, doi:10.24432/C50P49, CC BY 4.0 (see nn/datasets/README.md).
    """
    X: list[list[float]] = []
    y: list[int] = []
    with gzip.open(DIGITS_PATH, "rt", encoding="ascii") as f:
        for line in f:
            *pixels, label = line.split(",")
            X.append([float(p) for p in pixels])
            y.append(int(label))
    return X, y


# -- feature scaling ------------------------------------------------------------------------


def _finite_rows(X: Any, who: str) -> list[list[float]]:
    if isinstance(X, (str, bytes)) or not isinstance(X, Sequence) or len(X) == 0:
        raise ValueError(f"{who}: expected a non-empty list of rows of numbers, got {type(X).__name__}")
    rows = [[float(v) for v in row] for row in X]
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"{who}: row {i} has {len(row)} features, row 0 has {width}")
        if not all(map(math.isfinite, row)):
            raise ValueError(f"{who}: row {i} holds a NaN or infinite feature: {row}")
    return rows


class Standardizer:
    """Feature scaling: x -> (x - mean) / scale per feature, with mean and scale from training data.

    Fit it on the training rows only, then transform training and validation rows alike (fitting
    on all the data would let the validation set leak into training). `scale` is the standard
    deviation (population, as scikit-learn's StandardScaler), or 1.0 for a feature that never
    changes (the corner pixels of the digits), so that it stays 0 instead of dividing by 0.

    >>> scaler = Standardizer().fit(X_train)
    >>> X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)
    >>> Standardizer.from_dict(json.loads(json.dumps(scaler.to_dict())))  # the same scaler
    """

    def __init__(self, mean: Sequence[float] | None = None, scale: Sequence[float] | None = None) -> None:
        self.mean: list[float] | None = None
        self.scale: list[float] | None = None
        if mean is not None or scale is not None:
            self._set(mean, scale)

    def _set(self, mean: Any, scale: Any) -> None:
        for name, values in (("mean", mean), ("scale", scale)):
            if isinstance(values, (str, bytes)) or not isinstance(values, Sequence) or not values:
                raise ValueError(f"Standardizer: {name} must be a non-empty list of numbers, got {values!r}")
            for v in values:
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                    raise ValueError(f"Standardizer: {name} must hold finite numbers, got {v!r}")
        if len(mean) != len(scale):
            raise ValueError(f"Standardizer: {len(mean)} means but {len(scale)} scales; they must match")
        if any(s <= 0 for s in scale):
            raise ValueError(f"Standardizer: every scale must be > 0, got {min(scale)!r}")
        self.mean, self.scale = [float(m) for m in mean], [float(s) for s in scale]

    @property
    def n_features(self) -> int:
        """How many features the scaler was fitted on."""
        if self.mean is None:
            raise ValueError("Standardizer: call fit(X) first")
        return len(self.mean)

    def fit(self, X: Sequence[Sequence[float]]) -> Standardizer:
        """Learn each feature's mean and standard deviation from the rows of X; returns self."""
        rows = _finite_rows(X, "Standardizer.fit")
        n = len(rows)
        try:
            mean = [math.fsum(column) / n for column in zip(*rows)]
            # two passes (mean first, then squared deviations): exact for a large offset like 1e6 + x
            variance = [math.fsum((v - m) ** 2 for v in column) / n for column, m in zip(zip(*rows), mean)]
        except OverflowError:
            largest = max(abs(v) for row in rows for v in row)
            raise ValueError(
                f"Standardizer.fit: features as large as {largest:g} overflow float64 arithmetic"
            ) from None
        self._set(mean, [math.sqrt(v) if v > 0 else 1.0 for v in variance])
        return self

    def transform_row(self, x: Sequence[Any]) -> list[Any]:
        """One row scaled; its items may be Values (the result is then built from engine ops)."""
        if len(x) != self.n_features:
            raise ValueError(f"Standardizer: expected {self.n_features} features, got {len(x)}")
        return [(xi - m) / s for xi, m, s in zip(x, self.mean, self.scale)]

    def transform(self, X: Sequence[Sequence[Any]]) -> list[list[Any]]:
        """Every row of X scaled."""
        return [self.transform_row(x) for x in X]

    def to_dict(self) -> dict[str, list[float]]:
        """{"mean": [...], "scale": [...]}: plain lists that `json.dumps` writes as they are."""
        self.n_features  # noqa: B018 (raises if not fitted)
        return {"mean": list(self.mean), "scale": list(self.scale)}

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> Standardizer:
        """The scaler `to_dict` described; a `ValueError` says what is wrong with `state`."""
        if not isinstance(state, Mapping) or set(state) != {"mean", "scale"}:
            keys = sorted(state) if isinstance(state, Mapping) else type(state).__name__
            raise ValueError(f"Standardizer: expected an object with exactly 'mean' and 'scale', got {keys}")
        return cls(state["mean"], state["scale"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Standardizer) and (self.mean, self.scale) == (other.mean, other.scale)

    def __repr__(self) -> str:
        return "Standardizer()" if self.mean is None else f"Standardizer({self.n_features} features)"


# -- held-out data --------------------------------------------------------------------------


def split(
    X: Sequence[Any], y: Sequence[Any], val: float = 0.2, seed: int | None = None
) -> tuple[tuple[list[Any], list[Any]], tuple[list[Any], list[Any]]]:
    """Hold out a fraction `val` of the examples, class by class: `((X_train, y_train), (X_val, y_val))`.

    Stratified: every class keeps the same share in both parts (as scikit-learn's
    `train_test_split(..., stratify=y)`). The validation set has round(val * n) examples,
    shared among classes by largest remainder, and never takes a class's last training example.
    Rows keep their original order within each part; `seed` picks which rows are held out.

    >>> train, val = split(X, y, val=0.2, seed=0)
    >>> fit(model, *train, val=val, ...)
    """
    if len(X) != len(y):
        raise ValueError(f"split: {len(X)} inputs but {len(y)} labels; they must match")
    if isinstance(val, bool) or not isinstance(val, (int, float)) or not 0.0 <= val < 1.0:
        raise ValueError(f"split: val must be a fraction in [0, 1), got {val!r}")
    by_class: dict[Any, list[int]] = {}
    for i, label in enumerate(y):
        by_class.setdefault(label, []).append(i)
    classes = sorted(by_class, key=lambda c: by_class[c][0])  # order of first appearance: no sorting of labels
    exact = {c: val * len(by_class[c]) for c in classes}
    take = {c: min(int(exact[c]), len(by_class[c]) - 1) for c in classes}
    wanted = min(round(val * len(X)), sum(len(by_class[c]) - 1 for c in classes))
    for c in sorted(classes, key=lambda c: int(exact[c]) - exact[c]):  # largest remainder first
        if sum(take.values()) >= wanted:
            break
        if take[c] < len(by_class[c]) - 1:
            take[c] += 1
    rng = random.Random(seed)
    held = set()
    for c in classes:
        held.update(rng.sample(by_class[c], take[c]))
    train = [i for i in range(len(X)) if i not in held]
    validation = [i for i in range(len(X)) if i in held]
    return ([X[i] for i in train], [y[i] for i in train]), ([X[i] for i in validation], [y[i] for i in validation])
