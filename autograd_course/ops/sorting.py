"""Sorting and selecting by value: sort, argsort, topk, unique. The values are a ``gather`` of
the input at the sorted indices, so their gradient goes back to where each value came from;
the indices themselves carry no gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import return_types
from .._args import dim as _dim
from ..tensor import Tensor, _make, tensor_method
from .scatter import gather

SortResult, TopkResult = return_types.sort, return_types.topk


def _order(a: np.ndarray, d: int, descending: bool) -> np.ndarray:
    """Stable sorting indices along ``d``; NaN counts as the largest value, as in PyTorch."""
    if not descending:
        return np.argsort(a, axis=d, kind="stable")
    if a.dtype.kind == "b":
        a = a.astype(np.int8)
    key = -a if a.dtype.kind != "f" else np.where(np.isnan(a), -np.inf, -a)
    if a.dtype.kind == "u":
        key = np.iinfo(a.dtype).max - a
    order = np.argsort(key, axis=d, kind="stable")
    if a.dtype.kind == "f":  # -inf stood for NaN: NaNs go first, before the real -(-inf)
        nan_first = np.argsort(~np.isnan(np.take_along_axis(a, order, d)), axis=d, kind="stable")
        order = np.take_along_axis(order, nan_first, d)
    return order


@tensor_method("sort")
def sort(self: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:
    """(values, indices) sorted along ``dim``; equal values keep their order."""
    if self.ndim == 0:
        return SortResult(self.clone(), _make(np.zeros((), np.int64)))
    d = _dim(dim, self.ndim)
    index = _make(_order(self._array, d, descending).astype(np.int64))
    return SortResult(gather(self, d, index), index)


@tensor_method("argsort")
def argsort(self: Tensor, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort the tensor along ``dim``."""
    if self.ndim == 0:
        return _make(np.zeros((), np.int64))
    return _make(_order(self._array, _dim(dim, self.ndim), descending).astype(np.int64))


@tensor_method("topk")
def topk(self: Tensor, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    """The ``k`` largest (or smallest) values along ``dim`` and their indices."""
    d = _dim(dim, self.ndim) if self.ndim else 0
    n = self._array.shape[d] if self.ndim else 1
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    if self.ndim == 0:
        return TopkResult(self.clone(), _make(np.zeros((), np.int64)))
    order = _order(self._array, d, largest)
    index = _make(np.take(order, np.arange(k), axis=d).astype(np.int64))
    return TopkResult(gather(self, d, index), index)


@tensor_method("msort")
def msort(self: Tensor) -> Tensor:
    return sort(self, 0).values


@tensor_method("unique")
def unique(
    self: Tensor,
    sorted: bool = True,  # noqa: A002
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Any:
    """The distinct values (sorted), with the inverse indices and counts if asked (no grad)."""
    values, inverse, counts = np.unique(
        self._array, return_inverse=True, return_counts=True, axis=dim
    )
    out = [_make(values)]
    if return_inverse:
        shape = self._array.shape if dim is None else (self._array.shape[_dim(dim, self.ndim)],)
        out.append(_make(inverse.reshape(shape).astype(np.int64)))
    if return_counts:
        out.append(_make(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)
