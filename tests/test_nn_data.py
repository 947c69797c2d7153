"""Toy datasets, the CSV loader and mini-batches."""

from __future__ import annotations

import pytest

from nn.data import DATASETS, batches, load_csv, make_spirals, make_xor

CLASSES = {"moons": 2, "circles": 2, "spirals": 3, "xor": 2, "blobs": 3}


@pytest.mark.parametrize("name", sorted(DATASETS))
@pytest.mark.parametrize("n", [1, 7, 100])
def test_every_dataset_gives_exactly_n_points_of_two_features(name, n):
    X, y = DATASETS[name](n, 0.1, seed=0)
    assert len(X) == len(y) == n
    assert all(isinstance(row, list) and len(row) == 2 and all(isinstance(v, float) for v in row) for row in X)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_labels_are_class_indices_and_every_class_appears(name):
    _, y = DATASETS[name](90, 0.1, seed=0)
    assert set(y) == set(range(CLASSES[name])) and all(type(c) is int for c in y)


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_same_seed_same_data_and_other_seed_other_data(name):
    make = DATASETS[name]
    assert make(50, 0.1, seed=3) == make(50, 0.1, seed=3)
    assert make(50, 0.1, seed=3) != make(50, 0.1, seed=4)


def test_xor_without_noise_is_the_truth_table():
    X, y = make_xor(4, 0.0, seed=0)
    assert sorted(zip(map(tuple, X), y)) == [((-1, -1), 0), ((-1, 1), 1), ((1, -1), 1), ((1, 1), 0)]


def test_spirals_take_a_number_of_classes():
    _, y = make_spirals(100, 0.0, seed=0, n_classes=5)
    assert sorted(set(y)) == [0, 1, 2, 3, 4] and [y.count(c) for c in range(5)] == [20] * 5


@pytest.mark.parametrize("n, noise", [(0, 0.1), (-5, 0.1), (10, -0.1), (2.5, 0.1)])
def test_bad_sizes_and_noise_are_refused(n, noise):
    with pytest.raises(ValueError):
        make_xor(n, noise)


def test_load_csv_reads_features_and_maps_labels_to_class_indices(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("x,y,label\n0.5, 1.5, 1\n-2,3e-1,-1\n\n# a comment\n7,8,1\n")
    X, y, classes = load_csv(path, return_classes=True)
    assert X == [[0.5, 1.5], [-2.0, 0.3], [7.0, 8.0]]
    assert y == [1, 0, 1] and classes == [-1, 1]
    assert load_csv(path) == (X, y)


def test_load_csv_accepts_text_labels(tmp_path):
    path = tmp_path / "pets.csv"
    path.write_text("1,2,dog\n3,4,cat\n")
    assert load_csv(path, return_classes=True) == ([[1.0, 2.0], [3.0, 4.0]], [1, 0], ["cat", "dog"])


@pytest.mark.parametrize(
    "text, message",
    [
        ("1,2,0\n3,oops,1\n", r"line 2, column 2: 'oops' is not a finite number"),
        ("a,b,c\n1,2,0\n3,4\n", r"line 3: expected 3 columns, got 2"),
        ("1,2,0\n\n1,nan,1\n", r"line 3, column 2"),
        ("1,2,0\n3,4,\n", r"line 2: the label \(last column\) is empty"),
        ("5\n", r"line 1: need at least one feature and a label"),
        ("x,y,label\n", r"no data rows"),
    ],
)
def test_a_malformed_csv_row_names_its_line(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        load_csv(path)


def test_batches_cover_the_data_once_with_a_smaller_last_batch():
    X, y = [[float(i)] for i in range(10)], list(range(10))
    sizes, seen = [], []
    for Xb, yb in batches(X, y, 4, seed=0):
        sizes.append(len(Xb))
        seen += yb
        assert [row[0] for row in Xb] == [float(c) for c in yb]
    assert sizes == [4, 4, 2] and sorted(seen) == list(range(10))


def test_batches_shuffle_reproducibly_and_keep_order_without_shuffle():
    X, y = [[float(i)] for i in range(20)], list(range(20))
    first = [yb for _, yb in batches(X, y, 5, seed=1)]
    assert first == [yb for _, yb in batches(X, y, 5, seed=1)]
    assert [c for yb in first for c in yb] != y
    assert [c for _, yb in batches(X, y, 5, shuffle=False) for c in yb] == y


def test_batches_refuse_mismatched_lengths_and_bad_sizes():
    with pytest.raises(ValueError, match="3 inputs but 2 labels"):
        list(batches([[1.0]] * 3, [0, 1], 2))
    with pytest.raises(ValueError, match="batch_size"):
        list(batches([[1.0]], [0], 0))
