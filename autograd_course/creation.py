"""Creation functions with PyTorch's names and defaults: ``tensor``, ``zeros``, ``randn``...

Python floats become float32, ints int64, NumPy arrays keep their dtype; every random
tensor comes from the one generator that ``manual_seed`` seeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import dtypes as _dt
from . import random as _random
from ._args import data_array as _default_array
from ._args import shape_arg as _shape_arg
from ._args import unwrap as _unwrap
from .tensor import Tensor, _make


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (list, number, NumPy array or tensor)."""
    if dtype is None:
        array = _default_array(data)
    else:  # straight to the asked dtype: 1.6 must not pass through float32 on its way to float64
        array = np.array(_unwrap(data), dtype=_dt.to_numpy_dtype(dtype))
    t = _make(array)
    if requires_grad:
        t.requires_grad = True
    return t


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array when the dtype already fits."""
    if isinstance(data, Tensor) and dtype is None:
        return data
    if isinstance(data, np.ndarray) and (dtype is None or _dt.to_numpy_dtype(dtype) == data.dtype):
        return _make(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` and keeping its dtype (float64 stays float64)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return _make(array)


def _filled(fill: Callable, shape: Sequence[Any], dtype: Any, requires_grad: bool) -> Tensor:
    np_dtype = _dt.default_float() if dtype is None else _dt.to_numpy_dtype(dtype)
    t = _make(fill(_shape_arg(shape), np_dtype))
    if requires_grad:
        t.requires_grad = True
    return t


def zeros(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(np.zeros, size, dtype, requires_grad)


def ones(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(np.ones, size, dtype, requires_grad)


empty = zeros


def full(
    size: Sequence[int], fill_value: Any, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    if dtype is None:
        dtype = _default_array(fill_value).dtype
    return _filled(lambda s, d: np.full(s, fill_value, d), (tuple(size),), dtype, requires_grad)


def zeros_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return zeros(t.shape, dtype=dtype or t._array.dtype, requires_grad=requires_grad)


def ones_like(t: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return ones(t.shape, dtype=dtype or t._array.dtype, requires_grad=requires_grad)


def full_like(t: Tensor, fill_value: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return full(t.shape, fill_value, dtype=dtype or t._array.dtype, requires_grad=requires_grad)


def arange(
    start: Any, end: Any = None, step: Any = 1, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    if end is None:
        start, end = 0, start
    values = np.arange(start, end, step)
    array = _default_array(values.tolist()) if dtype is None else values
    return tensor(array, dtype=dtype, requires_grad=requires_grad)


def linspace(
    start: float, end: float, steps: int, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    np_dtype = _dt.default_float() if dtype is None else _dt.to_numpy_dtype(dtype)
    return tensor(np.linspace(start, end, steps, dtype=np_dtype), requires_grad=requires_grad)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return _filled(lambda s, d: np.eye(n, m, dtype=d), (n,), dtype, requires_grad)


def rand(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform in [0, 1), from the engine's seeded generator."""
    return _filled(lambda s, d: _random.generator().random(s).astype(d), size, dtype, requires_grad)


def randn(*size: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal, from the engine's seeded generator."""
    return _filled(
        lambda s, d: _random.generator().standard_normal(s).astype(d), size, dtype, requires_grad
    )


def randint(
    low: int, high: int | None = None, size: Sequence[int] = (), dtype: Any = None
) -> Tensor:
    if high is None:
        low, high = 0, low
    values = _random.generator().integers(low, high, size=tuple(size))
    return tensor(np.asarray(values, dtype=_dt.INT64), dtype=dtype)


def randperm(n: int) -> Tensor:
    return _make(_random.generator().permutation(n).astype(_dt.INT64))


def manual_seed(seed: int) -> np.random.Generator:
    """Seed every random source of the engine (tensors, initialisation, dropout, shuffling)."""
    return _random.manual_seed(seed)
