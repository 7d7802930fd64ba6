"""utils.data: datasets, batching, drop_last and seeded shuffling."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_course as ac
from autograd_course.utils.data import DataLoader, Dataset, TensorDataset


def make_dataset(n: int = 10) -> TensorDataset:
    """Row i of x is [i, 10 i] and y[i] = i, so a batch tells which samples it holds."""
    x = ac.tensor([[float(i), 10.0 * i] for i in range(n)])
    y = ac.arange(n)
    return TensorDataset(x, y)


def test_tensor_dataset_indexes_every_tensor():
    ds = make_dataset()
    assert len(ds) == 10
    x3, y3 = ds[3]
    assert x3.tolist() == [3.0, 30.0] and y3.item() == 3
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(ac.zeros(3), ac.zeros(4))


def test_batches_have_the_right_shapes_and_order():
    loader = DataLoader(make_dataset(), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 and len(batches) == 3
    assert [tuple(x.shape) for x, _ in batches] == [(4, 2), (4, 2), (2, 2)]
    assert [tuple(y.shape) for _, y in batches] == [(4,), (4,), (2,)]
    assert isinstance(batches[0], list)  # as PyTorch's default collate gives
    assert [y.tolist() for _, y in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[2][0].tolist() == [[8.0, 80.0], [9.0, 90.0]]
    assert batches[0][0].dtype == ac.float32 and batches[0][1].dtype == ac.int64


def test_drop_last_drops_the_incomplete_batch():
    loader = DataLoader(make_dataset(), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [tuple(x.shape) for x, _ in loader] == [(4, 2), (4, 2)]
    assert len(DataLoader(make_dataset(8), batch_size=4, drop_last=True)) == 2


def test_default_batch_size_is_one():
    batches = list(DataLoader(make_dataset(3)))
    assert [tuple(x.shape) for x, _ in batches] == [(1, 2)] * 3


def test_shuffling_visits_every_sample_once_per_epoch():
    ac.manual_seed(0)
    loader = DataLoader(make_dataset(), batch_size=3, shuffle=True)
    orders = []
    for _ in range(3):
        seen = []
        for x, y in loader:
            assert x[:, 0].tolist() == [float(v) for v in y.tolist()]  # rows stay paired
            seen.extend(y.tolist())
        assert sorted(seen) == list(range(10))
        orders.append(seen)
    assert orders[0] != list(range(10))
    assert orders[0] != orders[1]  # a new order every epoch


def test_shuffling_is_reproducible_after_manual_seed():
    def epoch_orders(seed: int) -> list[list[int]]:
        ac.manual_seed(seed)
        loader = DataLoader(make_dataset(), batch_size=4, shuffle=True)
        return [[v for _, y in loader for v in y.tolist()] for _ in range(2)]

    assert epoch_orders(5) == epoch_orders(5)
    assert epoch_orders(5) != epoch_orders(6)


class Squares(Dataset):
    """A map-style dataset written by subclassing, with Python-number samples."""

    def __len__(self) -> int:
        return 5

    def __getitem__(self, i: int):
        return {"x": float(i), "label": i * i}


def test_custom_datasets_are_collated_field_by_field():
    batch = next(iter(DataLoader(Squares(), batch_size=3)))
    assert batch["x"].tolist() == [0.0, 1.0, 2.0] and batch["x"].dtype == ac.float64
    assert batch["label"].tolist() == [0, 1, 4] and batch["label"].dtype == ac.int64
    pairs = [(ac.tensor([1.0, 2.0]), 1.5), (ac.tensor([3.0, 4.0]), 2.5)]
    x, y = next(iter(DataLoader(pairs, batch_size=2)))
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.0]] and y.tolist() == [1.5, 2.5]
    arrays = [np.ones(2, dtype=np.float32), np.zeros(2, dtype=np.float32)]
    assert next(iter(DataLoader(arrays, batch_size=2))).tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_batch_size_none_yields_single_samples():
    samples = list(DataLoader(Squares(), batch_size=None))
    assert samples[2] == {"x": 2.0, "label": 4}


def test_bad_batch_size_and_unfinished_dataset():
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        DataLoader(make_dataset(), batch_size=0)
    with pytest.raises(NotImplementedError, match="should implement __getitem__"):
        Dataset()[0]
