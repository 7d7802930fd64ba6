"""Subset, ConcatDataset, random_split and the DataLoader's collation of tuples and dicts."""

from __future__ import annotations

import pytest

import autograd_course as ac
from autograd_course.utils.data import (
    ConcatDataset,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    random_split,
)


class Squares(Dataset):
    def __init__(self, n: int, kind: str = "tuple") -> None:
        self.n, self.kind = n, kind

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, i: int):
        if self.kind == "dict":
            return {"x": ac.tensor([float(i), float(i * i)]), "label": i % 2, "name": f"s{i}"}
        return ac.tensor([float(i)]), i * i


def test_subset_and_concat():
    sub = Subset(Squares(10), [7, 2, 5])
    assert len(sub) == 3 and sub[0][1] == 49 and sub[-1][1] == 25
    both = ConcatDataset([Squares(3), Squares(4)])
    assert len(both) == 7 and both.cumulative_sizes == [3, 7]
    assert both[3][1] == 0 and both[6][1] == 9 and both[-1][1] == 9
    assert len(Squares(2) + Squares(5)) == 7
    with pytest.raises(ValueError, match="absolute value of index should not exceed"):
        both[-8]


def test_random_split_partitions_and_repeats_with_the_seed():
    ac.manual_seed(0)
    a, b = random_split(range(10), [7, 3])
    assert len(a) == 7 and len(b) == 3
    assert sorted(list(a) + list(b)) == list(range(10))
    ac.manual_seed(0)
    a2, _ = random_split(range(10), [7, 3])
    assert list(a2) == list(a)
    parts = random_split(range(11), [0.5, 0.3, 0.2])
    assert [len(p) for p in parts] == [
        6,
        3,
        2,
    ]  # floor(5.5, 3.3, 2.2) = 5, 3, 2; 1 more to the first
    with pytest.raises(ValueError, match="Sum of input lengths does not equal the length"):
        random_split(range(10), [3, 3])


def test_collate_of_tuples_gives_a_list_of_stacked_fields():
    batches = list(DataLoader(Squares(5), batch_size=2))
    assert len(batches) == 3
    x, y = batches[0]
    assert isinstance(batches[0], list)  # tuples come back as lists, as in PyTorch
    assert x.shape == (2, 1) and x.tolist() == [[0.0], [1.0]]
    assert y.dtype == ac.int64 and y.tolist() == [0, 1]
    assert batches[-1][1].tolist() == [16]


def test_collate_of_dicts_collates_key_by_key():
    batch = next(iter(DataLoader(Squares(4, "dict"), batch_size=3)))
    assert list(batch) == ["x", "label", "name"]
    assert batch["x"].tolist() == [[0.0, 0.0], [1.0, 1.0], [2.0, 4.0]]
    assert batch["label"].tolist() == [0, 1, 0] and batch["name"] == ["s0", "s1", "s2"]


def test_loader_options_of_the_tutorials_are_accepted():
    data = TensorDataset(ac.arange(6.0), ac.arange(6))
    loader = DataLoader(data, batch_size=4, shuffle=True, num_workers=2, pin_memory=True)
    assert sum(len(x) for x, _ in loader) == 6
    ordered = DataLoader(Subset(data, [5, 4, 3]), batch_size=2)
    assert [y.tolist() for _, y in ordered] == [[5, 4], [3]]
    sampled = DataLoader(data, batch_size=2, sampler=[3, 1, 0])
    assert len(sampled) == 2 and [y.tolist() for _, y in sampled] == [[3, 1], [0]]
    with pytest.raises(ValueError, match="sampler option is mutually exclusive with shuffle"):
        DataLoader(data, sampler=[0], shuffle=True)
