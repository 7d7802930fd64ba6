"""Datasets and batching, as ``torch.utils.data``: ``Dataset``, ``TensorDataset``, ``DataLoader``.

A dataset answers two questions, "how many samples?" (``len``) and "which is sample i?"
(``dataset[i]``). A DataLoader walks through a dataset in (optionally shuffled) batches
and stacks each batch's samples into tensors with a leading batch dimension.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from .. import random as _random
from ..creation import as_tensor, tensor
from ..functions import stack
from ..tensor import Tensor


class Dataset:
    """Base class of map-style datasets: define ``__getitem__`` and ``__len__``."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __len__(self) -> int:
        raise NotImplementedError("Subclasses of Dataset should implement __len__.")


class TensorDataset(Dataset):
    """Samples are rows: ``dataset[i]`` is ``(t[i] for t in tensors)``, e.g. ``(x[i], y[i])``."""

    def __init__(self, *tensors: Tensor) -> None:
        sizes = [t.size(0) for t in tensors]
        if any(size != sizes[0] for size in sizes):
            raise AssertionError(f"Size mismatch between tensors (first dimensions {sizes})")
        self.tensors = tensors

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].size(0)


def default_collate(batch: Sequence[Any]) -> Any:
    """Stack a list of samples into one batch, keeping the samples' structure.

    Tensors are stacked along a new first dimension; Python floats become a float64 tensor
    and ints an int64 tensor (as in PyTorch); tuples and lists are collated field by field
    (and come back as lists); dicts key by key.
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch))
    if isinstance(elem, np.ndarray):
        return stack([as_tensor(b) for b in batch])
    if isinstance(elem, np.generic):
        return as_tensor(np.array(batch))
    if isinstance(elem, bool):
        return tensor(list(batch))
    if isinstance(elem, numbers.Integral):
        return tensor(list(batch), dtype=np.int64)
    if isinstance(elem, float):
        return tensor(list(batch), dtype=np.float64)
    if isinstance(elem, str | bytes):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple keeps its type
        return type(elem)(*(default_collate(list(field)) for field in zip(*batch, strict=True)))
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        return [default_collate(list(field)) for field in zip(*batch, strict=True)]
    raise TypeError(
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {type(elem)}"
    )


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size``, reshuffled every epoch if asked.

    The last batch is smaller when ``len(dataset)`` is not a multiple of ``batch_size``,
    unless ``drop_last=True`` drops it. Shuffling draws from the engine's generator, so
    ``manual_seed`` makes the order repeatable.
    """

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        collate_fn: Callable[[list[Any]], Any] | None = None,
    ) -> None:
        if batch_size is not None and (
            not isinstance(batch_size, numbers.Integral) or batch_size <= 0
        ):
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.collate_fn = default_collate if collate_fn is None else collate_fn

    def __len__(self) -> int:
        """The number of batches per epoch."""
        if self.batch_size is None:
            return len(self.dataset)
        if self.drop_last:
            return len(self.dataset) // self.batch_size
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        order = _random.generator().permutation(n) if self.shuffle else np.arange(n)
        if self.batch_size is None:  # no batching: samples one by one
            for i in order:
                yield self.dataset[int(i)]
            return
        for start in range(0, n, self.batch_size):
            indices = order[start : start + self.batch_size]
            if len(indices) < self.batch_size and self.drop_last:
                return
            yield self._fetch(indices)

    def _fetch(self, indices: np.ndarray) -> Any:
        """One batch. A TensorDataset is indexed with all indices at once (one op per tensor,
        the same values as stacking its samples one by one, only faster)."""
        if type(self.dataset) is TensorDataset and self.collate_fn is default_collate:
            return [t[indices] for t in self.dataset.tensors]
        return self.collate_fn([self.dataset[int(i)] for i in indices])
