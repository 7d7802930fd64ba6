"""Reductions: sum, mean, max/min, var/std, argmax/argmin, and softmax / log_softmax (which
normalise along a dimension). A reduction's backward spreads the gradient back over the
elements that were combined."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _messages as msg
from .. import return_types
from .._args import dim as _dim
from .._args import dims as _dims
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import Op


def _kept_shape(shape: tuple[int, ...], dims: tuple[int, ...] | None) -> tuple[int, ...]:
    """The shape after reducing ``dims`` with keepdim=True."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _sum(array: np.ndarray, dims: tuple[int, ...] | None, keepdim: bool) -> np.ndarray:
    """``array.sum(dims)``. Summing the rows of a 2-D float array (a bias gradient) uses
    einsum, NumPy's own loop: it gives the same bits on every CPU, where a BLAS product 1ᵀA
    rounds differently per BLAS kernel, and it is several times faster than the strided
    ``array.sum(0)`` for tall, narrow arrays (6 µs instead of 40 µs for 1000 x 16)."""
    if dims == (0,) and array.ndim == 2 and array.dtype.kind == "f":
        out = np.einsum("ij->j", array)
        return out[None, :] if keepdim else out
    return array.sum(axis=dims, keepdims=keepdim)


class Sum(Op):
    """Every summed element gets the output's gradient: expand it back."""

    node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return x.sum()

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape)


class SumDim(Op):
    """Sum over ``dim``: each element gets the gradient of the sum it went into."""

    node_name = "SumBackward1"
    saved_values = ("dim", "keepdim")

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        return _sum(x, dim, keepdim)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(_kept_shape(ctx.shape, ctx.dim)).expand(ctx.shape), None, None


class Mean(Op):
    """Each of the n averaged elements gets 1/n of the output's gradient."""

    node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.shape = x.shape
        return x.mean()

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape) / max(int(np.prod(ctx.shape)), 1)


class MeanDim(Op):
    """Mean over ``dim``: 1/n of the gradient to each of the n elements averaged."""

    node_name = "MeanBackward1"
    saved_values = ("dim", "keepdim")

    @staticmethod
    def forward(ctx, x, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        out = x.mean(axis=dim, keepdims=keepdim)
        ctx.count = x.size // max(out.size, 1) if x.size else 0
        return out

    @staticmethod
    def backward(ctx, grad):
        spread = grad.reshape(_kept_shape(ctx.shape, ctx.dim)).expand(ctx.shape)
        return spread / ctx.count, None, None


class Max(Op):
    """max() of all elements: the gradient is shared equally among tied maxima."""

    node_name = "MaxBackward1"
    kind = "max"

    @classmethod
    def forward(cls, ctx, x):
        if x.size == 0:
            raise RuntimeError(msg.reduction_of_empty(cls.kind))
        out = x.max() if cls.kind == "max" else x.min()
        ctx.winners = x == out
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad * _make((ctx.winners / ctx.winners.sum()).astype(grad._array.dtype))


class Min(Max):
    node_name = "MinBackward1"
    kind = "min"


class MaxDim(Op):
    """max along a dim: the gradient goes to the (first) index that was selected."""

    node_name = "MaxBackward0"
    saved_values = ("dim", "keepdim")
    pick = staticmethod(np.argmax)

    @classmethod
    def forward(cls, ctx, x, dim, keepdim):
        ctx.indices = np.expand_dims(cls.pick(x, axis=dim), dim)
        ctx.shape, ctx.dim, ctx.keepdim = x.shape, dim, keepdim
        values = np.take_along_axis(x, ctx.indices, axis=dim)
        return values if keepdim else values.squeeze(dim)

    @staticmethod
    def backward(ctx, grad):
        chosen = np.zeros(ctx.shape, dtype=grad._array.dtype)
        np.put_along_axis(chosen, ctx.indices, 1, axis=ctx.dim)
        g = grad if ctx.keepdim else grad.unsqueeze(ctx.dim)
        return g * _make(chosen), None, None


class MinDim(MaxDim):
    node_name = "MinBackward0"
    pick = staticmethod(np.argmin)


class Softmax(Op):
    """d softmax: s * (g - Σ g s) along dim, with s the softmax output."""

    node_name = "SoftmaxBackward0"
    saved_names = ("result",)
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        if x.size == 0:
            return x.copy()
        shifted = np.exp(x - x.max(axis=dim, keepdims=True))  # the shift prevents overflow
        out = shifted / shifted.sum(axis=dim, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        if grad._array.size == 0:
            return grad, None
        (s,) = ctx.saved_tensors
        return s * (grad - (grad * s).sum(ctx.dim, keepdim=True)), None


class LogSoftmax(Op):
    """d log_softmax: g - softmax * Σ g along dim (log-sum-exp keeps the forward stable)."""

    node_name = "LogSoftmaxBackward0"
    saved_names = ("result",)
    saved_values = ("dim",)

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        if x.size == 0:
            return x.copy()
        shifted = x - x.max(axis=dim, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        if grad._array.size == 0:
            return grad, None
        (out,) = ctx.saved_tensors
        return grad - out.exp() * grad.sum(ctx.dim, keepdim=True), None


# ---- the methods ------------------------------------------------------------------------------


@tensor_method("sum")
def sum_(self: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Sum of all elements, or along ``dim`` (an int or a tuple of ints)."""
    x = self if dtype is None else self.to(dtype)
    if x._array.dtype.kind == "b":
        x = x.long()
    if dim is None:
        return Sum.apply(x)
    return SumDim.apply(x, _dims(dim, x.ndim), keepdim)


@tensor_method("mean")
def mean(self: Tensor, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """Mean of all elements, or along ``dim``; only for floating tensors, as in PyTorch."""
    x = self if dtype is None else self.to(dtype)
    if x._array.dtype.kind != "f":
        raise RuntimeError(msg.mean_of_integers(x.dtype.name))
    if dim is None:
        return Mean.apply(x)
    return MeanDim.apply(x, _dims(dim, x.ndim), keepdim)


def _extreme(x: Tensor, dim: Any, keepdim: bool, whole: type[Op], along: type[Op]) -> Any:
    """``x.max()`` -> a tensor; ``x.max(dim)`` -> (values, indices); ``x.max(y)`` -> maximum."""
    if isinstance(dim, Tensor):
        return x.maximum(dim) if whole is Max else x.minimum(dim)
    if dim is None:
        return whole.apply(x)
    d = _dim(dim, x.ndim)
    values = along.apply(x, d, keepdim)
    indices = along.pick(x._array, axis=d, keepdims=keepdim).astype(np.int64)
    pair = return_types.max if whole is Max else return_types.min
    return pair(values, _make(indices))


@tensor_method("max")
def max_(self: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The largest element; along ``dim``: (values, indices); with a tensor: maximum."""
    return _extreme(self, dim, keepdim, Max, MaxDim)


@tensor_method("min")
def min_(self: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The smallest element; along ``dim``: (values, indices); with a tensor: minimum."""
    return _extreme(self, dim, keepdim, Min, MinDim)


def _arg_extreme(pick: Any, x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if dim is None:
        return _make(np.asarray(pick(x._array), dtype=np.int64))
    return _make(pick(x._array, axis=_dim(dim, x.ndim), keepdims=keepdim).astype(np.int64))


@tensor_method("argmax")
def argmax(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the largest element (of the flattened tensor, or along ``dim``)."""
    return _arg_extreme(np.argmax, self, dim, keepdim)


@tensor_method("argmin")
def argmin(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Index of the smallest element (of the flattened tensor, or along ``dim``)."""
    return _arg_extreme(np.argmin, self, dim, keepdim)


@tensor_method("var")
def var(self: Tensor, dim: Any = None, unbiased: bool = True, keepdim: bool = False) -> Tensor:
    """Variance: mean squared distance from the mean (divided by n - 1 when unbiased)."""
    centred = self - self.mean(dim, keepdim=True)
    dims = _dims(dim, self.ndim)
    n = self._array.size if dims is None else int(np.prod([self.shape[d] for d in dims]))
    return (centred**2).sum(dim, keepdim=keepdim) / (n - 1 if unbiased else n)


@tensor_method("std")
def std(self: Tensor, dim: Any = None, unbiased: bool = True, keepdim: bool = False) -> Tensor:
    """Standard deviation: the square root of ``var``."""
    return self.var(dim, unbiased, keepdim).sqrt()


@tensor_method("softmax")
def softmax(self: Tensor, dim: int) -> Tensor:
    """exp(x) / Σ exp(x) along ``dim``: scores to probabilities that sum to 1."""
    return Softmax.apply(self, _dim(dim, self.ndim))


@tensor_method("log_softmax")
def log_softmax(self: Tensor, dim: int) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably."""
    return LogSoftmax.apply(self, _dim(dim, self.ndim))
