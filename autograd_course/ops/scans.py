"""Running sums and products (cumsum, cumprod), and the reductions built on them or on
existing ops: prod, logsumexp (and its two-input form logaddexp), amax, amin.

cumsum's backward is a cumsum run backwards: element i reaches every output k >= i. For
cumprod, output k is the product of x_0..x_k, so d out_k / d x_i = out_k / x_i for k >= i,
which divides by zero when some x_i is 0; there the product without x_i is computed directly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes as _dt
from .._args import dim as _dim
from .._args import dims as _dims
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import Op
from .indexing import where


class Cumsum(Op):
    """out_k = Σ_{i<=k} x_i, so grad_i = Σ_{k>=i} g_k: a cumsum of the reversed gradient."""

    node_name = "CumsumBackward0"
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        return np.cumsum(x, axis=dim, dtype=x.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.flip(ctx.dim).cumsum(ctx.dim).flip(ctx.dim), None


class Cumprod(Op):
    """out_k = Π_{i<=k} x_i: grad_i = Σ_{k>=i} g_k out_k / x_i when no x is zero."""

    node_name = "CumprodBackward0"
    saved_names = ("self", "result")
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        out = np.cumprod(x, axis=dim, dtype=x.dtype)
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        d = ctx.dim
        if (x._array != 0).all():
            return (grad * out).flip(d).cumsum(d).flip(d) / x, None
        return _cumprod_grad_with_zeros(x, grad, d), None


def _cumprod_grad_with_zeros(x: Tensor, grad: Tensor, d: int) -> Tensor:
    """grad_i = Σ_{k>=i} g_k Π_{j<=k, j!=i} x_j, for each i: row i of a matrix holds x with
    x_i replaced by 1, and its cumprod gives those products (n² work, only when x has zeros)."""
    xs, gs = x.movedim(d, -1), grad.movedim(d, -1)
    n = xs.shape[-1]
    eye = _make(np.eye(n, dtype=bool))
    rows = where(eye, _make(np.ones((), xs._array.dtype)), xs.unsqueeze(-2).expand(*xs.shape, n))
    later = _make(np.triu(np.ones((n, n), dtype=xs._array.dtype)))  # k >= i
    result = (rows.cumprod(-1) * later * gs.unsqueeze(-2)).sum(-1)
    return result.movedim(-1, d)


def _scan_input(x: Tensor, dtype: Any) -> Tensor:
    """PyTorch's dtype for running sums: integers and bools accumulate in int64."""
    if dtype is not None:
        return x.to(dtype)
    return x.to(_dt.int64) if x._array.dtype.kind in "biu" else x


@tensor_method("cumsum")
def cumsum(self: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running sum along ``dim``."""
    x = _scan_input(self, dtype)
    return Cumsum.apply(x, _dim(dim, x.ndim)) if x.ndim else x.clone()


@tensor_method("cumprod")
def cumprod(self: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along ``dim``."""
    x = _scan_input(self, dtype)
    return Cumprod.apply(x, _dim(dim, x.ndim)) if x.ndim else x.clone()


@tensor_method("prod")
def prod(
    self: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """Product of all elements, or along ``dim``: the last running product."""
    x = _scan_input(self, dtype)
    if dim is None:
        flat = x.reshape(-1)
        if flat.shape[0] == 0:
            return _make(np.ones((), x._array.dtype))
        return flat.cumprod(0)[-1]
    d = _dim(dim, x.ndim)
    if x.ndim == 0:
        return x.clone()
    if x._array.shape[d] == 0:
        shape = list(x._array.shape)
        shape[d] = 1
        out = _make(np.ones(shape, x._array.dtype))
        return out if keepdim else out.squeeze(d)
    last = x.cumprod(d).narrow(d, x._array.shape[d] - 1, 1)
    return last if keepdim else last.squeeze(d)


@tensor_method("logsumexp")
def logsumexp(self: Tensor, dim: Any, keepdim: bool = False) -> Tensor:
    """log Σ exp(x) along ``dim``, shifted by the maximum so that exp cannot overflow."""
    x = self if self.is_floating_point() else self.float()
    dims = _dims(dim, x.ndim)
    shift = np.max(x._array, axis=dims, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)  # all -inf (or inf): no shift
    total = (x - _make(shift)).exp().sum(dims, keepdim=True).log() + _make(shift)
    return total if keepdim else total.squeeze(dims)


@tensor_method("logaddexp")
def logaddexp(self: Tensor, other: Any) -> Tensor:
    """log(exp(x) + exp(y)) element-wise, shifted by the larger of the two (no overflow)."""
    x = self if self.is_floating_point() else self.float()
    y = other if isinstance(other, Tensor) else _make(np.asarray(other, x._array.dtype))
    shift = np.maximum(x._array, y._array)
    shift = np.where(np.isfinite(shift), shift, 0)  # both -inf (or an inf): no shift
    return ((x - _make(shift)).exp() + (y - _make(shift)).exp()).log() + _make(shift)


def _extreme(self: Tensor, dim: Any, keepdim: bool, pick: Any) -> Tensor:
    """amax/amin: the gradient is shared evenly among tied extremes, as PyTorch does."""
    dims = tuple(range(self.ndim)) if dim in ((), None) else _dims(dim, self.ndim)
    if not self.is_floating_point():
        return _make(np.asarray(pick(self._array, axis=dims, keepdims=keepdim)))
    winners = self._array == pick(self._array, axis=dims, keepdims=True)
    share = winners / winners.sum(axis=dims, keepdims=True)
    return (self * _make(share.astype(self._array.dtype))).sum(dims, keepdim=keepdim)


@tensor_method("amax")
def amax(self: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The largest values along ``dim`` (all dims by default); ties share the gradient."""
    return _extreme(self, dim, keepdim, np.max)


@tensor_method("amin")
def amin(self: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The smallest values along ``dim`` (all dims by default); ties share the gradient."""
    return _extreme(self, dim, keepdim, np.min)
