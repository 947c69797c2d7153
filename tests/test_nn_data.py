"""Toy datasets, the CSV loader and mini-batches."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from nn.data import DATASETS, Standardizer, batches, load_csv, load_digits, make_spirals, make_xor, split

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


# -- the digits ---------------------------------------------------------------------------


def test_load_digits_gives_1797_images_of_64_pixels_and_digits_0_to_9():
    X, y = load_digits()
    assert len(X) == len(y) == 1797
    assert all(len(row) == 64 for row in X)
    assert {v for row in X for v in row} <= {float(k) for k in range(17)}
    assert Counter(y) == {0: 178, 1: 182, 2: 177, 3: 183, 4: 181, 5: 182, 6: 181, 7: 179, 8: 174, 9: 180}


def test_the_first_digit_is_the_zero_scikit_learn_shows():
    X, y = load_digits()
    assert y[0] == 0
    assert X[0][:16] == [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]


# -- Standardizer -------------------------------------------------------------------------


def test_standardizer_learns_mean_and_population_std_and_maps_training_rows_to_mean_0_std_1():
    X = [[1.0, 10.0], [2.0, 10.0], [3.0, 10.0], [6.0, 10.0]]
    scaler = Standardizer().fit(X)
    assert scaler.mean == [3.0, 10.0]
    assert scaler.scale[0] == pytest.approx(math.sqrt((4 + 1 + 0 + 9) / 4))
    column = [row[0] for row in scaler.transform(X)]
    assert sum(column) == pytest.approx(0.0) and sum(v * v for v in column) / 4 == pytest.approx(1.0)


def test_a_constant_feature_gets_scale_1_and_becomes_0_not_nan():
    scaler = Standardizer().fit([[5.0, 1.0], [5.0, 2.0]])
    assert scaler.scale[0] == 1.0
    assert [row[0] for row in scaler.transform([[5.0, 0.0], [7.0, 0.0]])] == [0.0, 2.0]


def test_a_large_offset_is_removed_exactly():
    scaler = Standardizer().fit([[1e9 + 1.0], [1e9 + 3.0]])
    assert scaler.mean == [1e9 + 2.0] and scaler.scale == [1.0]
    assert scaler.transform([[1e9 + 1.0]]) == [[-1.0]]


def test_standardizer_round_trips_through_json():
    scaler = Standardizer().fit([[4.7, 0.1], [7.1, 0.3], [5.5, 0.2]])
    again = Standardizer.from_dict(json.loads(json.dumps(scaler.to_dict())))
    assert again == scaler
    assert again.transform([[6.0, 0.25]]) == scaler.transform([[6.0, 0.25]])


@pytest.mark.parametrize(
    "state, message",
    [
        ({"mean": [0.0]}, "exactly 'mean' and 'scale'"),
        ({"mean": [0.0], "scale": [1.0], "extra": 1}, "exactly 'mean' and 'scale'"),
        ({"mean": [0.0, 1.0], "scale": [1.0]}, "2 means but 1 scales"),
        ({"mean": [0.0], "scale": [0.0]}, "scale must be > 0"),
        ({"mean": [float("nan")], "scale": [1.0]}, "finite numbers"),
        ({"mean": [[0.0]], "scale": [1.0]}, "finite numbers"),
        ({"mean": "0", "scale": [1.0]}, "non-empty list"),
        ([1, 2], "exactly 'mean' and 'scale'"),
    ],
)
def test_standardizer_from_dict_refuses_what_to_dict_cannot_have_written(state, message):
    with pytest.raises(ValueError, match=message):
        Standardizer.from_dict(state)


def test_standardizer_refuses_non_finite_or_ragged_rows_and_use_before_fit():
    with pytest.raises(ValueError, match="NaN or infinite"):
        Standardizer().fit([[1.0], [float("inf")]])
    with pytest.raises(ValueError, match="row 1 has 1 features"):
        Standardizer().fit([[1.0, 2.0], [1.0]])
    with pytest.raises(ValueError, match="fit"):
        Standardizer().transform([[1.0]])
    with pytest.raises(ValueError, match="overflow"):
        Standardizer().fit([[1e308], [-1e308]])


# -- split --------------------------------------------------------------------------------


def test_split_keeps_every_class_share_in_both_parts():
    y = [0] * 50 + [1] * 30 + [2] * 20
    X = [[float(i)] for i in range(100)]
    (_, y_train), (_, y_val) = split(X, y, val=0.2, seed=0)
    assert Counter(y_val) == {0: 10, 1: 6, 2: 4}
    assert Counter(y_train) == {0: 40, 1: 24, 2: 16}


def test_split_is_a_partition_that_keeps_rows_with_their_labels():
    X, y = make_spirals(90, 0.1, seed=1)
    (X_train, y_train), (X_val, y_val) = split(X, y, val=0.3, seed=5)
    assert len(X_val) == 27 and len(X_train) == 63
    pairs = sorted(zip(map(tuple, X_train + X_val), y_train + y_val))
    assert pairs == sorted(zip(map(tuple, X), y))


def test_split_shares_the_rounding_so_the_validation_set_has_round_val_times_n():
    X, y = load_digits()
    (X_train, _), (X_val, y_val) = split(X, y, val=0.2, seed=0)
    assert len(X_val) == round(0.2 * 1797) and len(X_train) == 1797 - 359
    held, total = Counter(y_val), Counter(y)
    assert all(abs(held[c] - 0.2 * total[c]) < 1 for c in total)


def test_split_depends_on_the_seed_only():
    X, y = make_spirals(60, 0.1, seed=1)
    assert split(X, y, seed=3) == split(X, y, seed=3)
    assert split(X, y, seed=3) != split(X, y, seed=4)


def test_split_never_takes_the_last_training_example_of_a_class():
    (_, y_train), (_, y_val) = split([[0.0]] * 3, [0, 0, 1], val=0.9, seed=0)
    assert sorted(y_train) == [0, 1] and y_val == [0]


def test_split_with_val_0_holds_out_nothing_and_refuses_bad_fractions():
    X, y = make_xor(8, 0.1, seed=0)
    assert split(X, y, val=0.0) == ((X, y), ([], []))
    for bad in (1.0, -0.1, "0.2", True):
        with pytest.raises(ValueError, match="val must be a fraction"):
            split(X, y, val=bad)
