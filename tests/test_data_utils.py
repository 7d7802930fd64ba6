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


# ----------------------------------------------------------------------------- Generator


def test_generator_seeds_a_data_loader_without_touching_the_default_generator():
    """DataLoader(generator=g) shuffles from g: the same seed gives the same order, and the
    default generator's next draw is what it would have been without the loader."""
    ds = ac.utils.data.TensorDataset(ac.arange(10))

    def epoch(seed: int) -> list[int]:
        g = ac.Generator().manual_seed(seed)
        loader = ac.utils.data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
        return [int(i) for (batch,) in loader for i in batch]

    ac.manual_seed(3)
    expected_next = ac.rand(3).tolist()
    ac.manual_seed(3)
    first = epoch(0)
    assert ac.rand(3).tolist() == expected_next
    assert first == epoch(0)
    assert sorted(first) == list(range(10)) and first != list(range(10))
    assert epoch(0) != epoch(1)


def test_generator_api_as_pytorch():
    g = ac.Generator()
    assert g.manual_seed(42) is g and g.initial_seed() == 42
    state = g.get_state()
    a = ac.randperm(8, generator=g).tolist()
    g.set_state(state)
    assert ac.randperm(8, generator=g).tolist() == a
    assert ac.rand(2, 2, generator=g).shape == (2, 2)
    assert ac.randn(3, generator=ac.Generator().manual_seed(1)).tolist() == (
        ac.randn(3, generator=ac.Generator().manual_seed(1)).tolist()
    )
    ac.manual_seed(5)
    assert ac.initial_seed() == 5
    with pytest.raises(RuntimeError, match="CPU"):
        ac.Generator("cuda")
    with pytest.raises(TypeError, match="Generator"):
        ac.utils.data.DataLoader([1, 2], generator=7)


def test_random_split_with_a_generator_is_repeatable():
    parts = [
        [list(s.indices) for s in ac.utils.data.random_split(
            range(10), [0.5, 0.5], generator=ac.Generator().manual_seed(0))]
        for _ in range(2)
    ]  # fmt: skip
    assert parts[0] == parts[1]
    assert sorted(parts[0][0] + parts[0][1]) == list(range(10))
