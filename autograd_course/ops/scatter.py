"""Gathering and scattering along a dimension: gather, scatter, scatter_add, index_select,
masked_fill, masked_select. ``gather`` picks ``x[..., index[i], ...]`` along ``dim``; its
gradient is scattered (added) back to the picked places, and the derivative of a scatter-add
is a gather again: the two are each other's backward."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _messages as msg
from .._args import as_tensor
from .._args import dim as _dim
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import Op
from .indexing import where


def _check_index(index: Tensor, name: str) -> Tensor:
    """The index as a tensor (passed to the op as one, so its backward can check that the index
    was not changed in place since forward)."""
    index = as_tensor(index)
    if index._array.dtype != np.int64:
        raise RuntimeError(f"{name}(): Expected dtype int64 for index")
    return index


def _region(x: np.ndarray, index: np.ndarray, d: int) -> tuple:
    """PyTorch lets ``index`` be smaller than ``x`` in the other dims: the part it covers."""
    if index.ndim != x.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    return tuple(slice(None) if i == d else slice(0, n) for i, n in enumerate(index.shape))


def _cover(index: np.ndarray) -> tuple:
    """The part of ``src`` that ``index`` uses: its leading corner of index's shape."""
    return tuple(slice(0, n) for n in index.shape)


class Gather(Op):
    """out[i][j] = x[index[i][j]][j] (dim 0): the gradient goes back to the picked places."""

    node_name = "GatherBackward0"
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.dim, ctx.index, ctx.shape = dim, index, x.shape
        ctx.save_for_backward(index)  # changing the index later is detected
        return np.take_along_axis(x[_region(x, index, dim)], index, dim)

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # noqa: B018 - checks that the index did not change since forward
        zeros = _make(np.zeros(ctx.shape, dtype=grad._array.dtype))
        return ScatterAdd.apply(zeros, ctx.dim, ctx.index, grad), None, None


class ScatterAdd(Op):
    """x with src added at index along dim (repeats add up): x's gradient passes, src's is
    gathered from the places it went to."""

    node_name = "ScatterAddBackward0"
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index = dim, index
        ctx.save_for_backward(index)  # changing the index later is detected
        out = x.copy()
        region = out[_region(x, index, dim)]  # a view: adding into it adds into out
        ids = tuple(
            index
            if i == dim
            else np.arange(n).reshape([-1 if k == i else 1 for k in range(x.ndim)])
            for i, n in enumerate(index.shape)
        )
        np.add.at(region, ids, src[_cover(index)])
        return out

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # noqa: B018 - checks that the index did not change since forward
        need_x, _, _, need_src = ctx.needs_input_grad
        grad_src = Gather.apply(grad, ctx.dim, ctx.index) if need_src else None
        return grad if need_x else None, None, None, grad_src


class Scatter(Op):
    """x with src written at index along dim: the overwritten places pass no gradient to x;
    src gets the gradient of the places it was written to."""

    node_name = "ScatterBackward0"
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.dim, ctx.index = dim, index
        ctx.save_for_backward(index)  # changing the index later is detected
        out = x.copy()
        values = np.broadcast_to(src, index.shape) if np.ndim(src) == 0 else src
        np.put_along_axis(out[_region(x, index, dim)], index, values[_cover(index)], dim)
        return out

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # noqa: B018 - checks that the index did not change since forward
        need_x, _, _, need_src = ctx.needs_input_grad
        grad_x = grad_src = None
        if need_x:
            zeros = _make(np.zeros(ctx.index.shape, dtype=grad._array.dtype))
            grad_x = Scatter.apply(grad, ctx.dim, ctx.index, zeros)
        if need_src:
            grad_src = Gather.apply(grad, ctx.dim, ctx.index)
        return grad_x, None, None, grad_src


@tensor_method("gather")
def gather(self: Tensor, dim: int, index: Tensor, *, sparse_grad: bool = False) -> Tensor:
    """``out[i][j] = self[index[i][j]][j]`` for dim 0 (likewise for the other dims)."""
    idx = _check_index(index, "gather")
    return Gather.apply(self, _dim(dim, self.ndim), idx)


@tensor_method("take_along_dim")
def take_along_dim(self: Tensor, indices: Tensor, dim: int | None = None) -> Tensor:
    """NumPy's ``take_along_axis``: the flattened tensor when ``dim`` is None."""
    if dim is None:
        return gather(self.reshape(-1), 0, indices.reshape(-1))
    return gather(self, dim, indices)


def _src(self: Tensor, src: Any, value: Any) -> Tensor:
    src = value if src is None else src
    if isinstance(src, Tensor):
        if src._array.dtype != self._array.dtype:
            raise RuntimeError(
                f"scatter(): Expected self.dtype to be equal to src.dtype "
                f"(got {self.dtype.name} and {src.dtype.name})"
            )
        return src
    return _make(np.array(src, dtype=self._array.dtype))


@tensor_method("scatter")
def scatter(
    self: Tensor, dim: int, index: Tensor, src: Any = None, *, value: Any = None,
    reduce: str | None = None,
) -> Tensor:  # fmt: skip
    """A copy of self with ``src`` (a tensor or a number) written at ``index`` along ``dim``."""
    if reduce is not None:
        raise NotImplementedError("scatter(reduce=...) is not supported; use scatter_add")
    idx = _check_index(index, "scatter")
    return Scatter.apply(self, _dim(dim, self.ndim), idx, _src(self, src, value))


@tensor_method("scatter_add")
def scatter_add(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    """A copy of self with ``src`` added at ``index`` along ``dim`` (repeated indices add up)."""
    idx = _check_index(index, "scatter_add")
    return ScatterAdd.apply(self, _dim(dim, self.ndim), idx, _src(self, src, None))


@tensor_method("scatter_")
def scatter_(self: Tensor, dim: int, index: Tensor, src: Any = None, **kw: Any) -> Tensor:
    out = lambda old: scatter(old, dim, index, src, **kw)  # noqa: E731
    return self._in_place(out, _direct(self, out), src)


@tensor_method("scatter_add_")
def scatter_add_(self: Tensor, dim: int, index: Tensor, src: Tensor) -> Tensor:
    out = lambda old: scatter_add(old, dim, index, src)  # noqa: E731
    return self._in_place(out, _direct(self, out), src)


def _direct(self: Tensor, compute: Any) -> Any:
    return lambda: np.copyto(self._array, compute(self.detach())._array)


@tensor_method("index_select")
def index_select(self: Tensor, dim: int, index: Tensor) -> Tensor:
    """The slices ``index`` (a 1-D int64 tensor) along ``dim``."""
    if isinstance(index, Tensor) and index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = _dim(dim, self.ndim)
    return self[(slice(None),) * d + (as_tensor(index).reshape(-1),)]


@tensor_method("masked_fill")
def masked_fill(self: Tensor, mask: Tensor, value: Any) -> Tensor:
    """``value`` where ``mask`` is True, ``self`` elsewhere (mask broadcasts)."""
    mask = as_tensor(mask)
    if mask._array.dtype != np.bool_:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {mask.dtype.name}"
        )
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(msg.masked_fill_value(value.ndim))
        value = value.to(self._array.dtype)
    else:
        value = _make(np.array(value, dtype=self._array.dtype))
    return where(mask, value, self)


@tensor_method("masked_select")
def masked_select(self: Tensor, mask: Tensor) -> Tensor:
    """The elements where ``mask`` is True, as a 1-D tensor (mask and self broadcast)."""
    mask = as_tensor(mask)
    shape = np.broadcast_shapes(self._array.shape, mask._array.shape)
    return self.expand(shape)[_make(np.broadcast_to(mask._array, shape))]


@tensor_method("nonzero")
def nonzero(self: Tensor, *, as_tuple: bool = False) -> Any:
    """Indices of the nonzero elements: one row per element, or one tensor per dimension."""
    found = np.nonzero(self._array if self.ndim else self._array.reshape(1))
    if as_tuple:
        return tuple(_make(i.astype(np.int64)) for i in found)
    return _make(np.stack(found, axis=1).astype(np.int64))


@tensor_method("argwhere")
def argwhere(self: Tensor) -> Tensor:
    return nonzero(self)


@tensor_method("count_nonzero")
def count_nonzero(self: Tensor, dim: Any = None) -> Tensor:
    axis = tuple(dim) if isinstance(dim, list | tuple) else dim
    return _make(np.asarray(np.count_nonzero(self._array, axis=axis), dtype=np.int64))
