"""Shape operations: reshape/view, squeeze/unsqueeze, transpose/permute, expand. Only the
layout changes, so each backward undoes the layout change on the gradient. Their results are
views: they share memory (and the version counter) with their input."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _messages as msg
from .._args import dim as _dim
from .._args import dims as _dims
from .._args import shape_arg
from ..autograd.engine import SumToSize
from ..tensor import Tensor, tensor_method
from .arithmetic import Op
from .views import track_view


class Reshape(Op):
    """The same elements in a new shape: reshape the gradient back."""

    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None

    @classmethod
    def explain(cls, args, err):
        x, shape = args
        return msg.reshape_size(shape, x._array.size, x._array.shape)


class Squeeze(Reshape):
    node_name = "SqueezeBackward0"


class SqueezeDim(Reshape):
    node_name = "SqueezeBackward1"


class Unsqueeze(Reshape):
    node_name = "UnsqueezeBackward0"


class Permute(Op):
    """Axes reordered: put the gradient's axes back in the original order."""

    node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, axes):
        ctx.axes = axes
        return x.transpose(axes)

    @staticmethod
    def backward(ctx, grad):
        return grad.permute(tuple(np.argsort(ctx.axes))), None


class Transpose(Op):
    """Two axes swapped: swap them back."""

    node_name = "TransposeBackward0"

    @staticmethod
    def forward(ctx, x, dim0, dim1):
        ctx.dims = dim0, dim1
        return x.swapaxes(dim0, dim1)

    @staticmethod
    def backward(ctx, grad):
        return grad.transpose(*ctx.dims), None, None


class T(Transpose):
    node_name = "TBackward0"


class Expand(Op):
    """Broadcast to a larger shape (no copy); the engine sums the copies' gradients back."""

    node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        return np.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad, None  # in the output's shape: the engine reduces it to the input's

    @classmethod
    def explain(cls, args, err):
        x, shape = args
        return msg.expand_size(x._array.shape, shape)


def _view(x: Tensor, op: type[Op], *args: Any) -> Tensor:
    out = op.apply(x, *args)
    array = out._array
    if x._array.flags.c_contiguous or np.may_share_memory(array, x._array):
        track_view(out, x, op, *args)
    return out


# ---- the methods ------------------------------------------------------------------------------
@tensor_method("reshape", "view")
def reshape(self: Tensor, *shape: Any) -> Tensor:
    """The same elements in a new shape (one size may be -1: inferred)."""
    return _view(self, Reshape, shape_arg(shape))


@tensor_method("view_as", "reshape_as")
def view_as(self: Tensor, other: Tensor) -> Tensor:
    return reshape(self, other.shape)


@tensor_method("flatten")
def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dimensions ``start_dim`` to ``end_dim`` merged into one."""
    if self.ndim == 0:
        return reshape(self, 1)
    start, end = _dim(start_dim, self.ndim), _dim(end_dim, self.ndim)
    if start == end:
        return self
    shape = self._array.shape
    return reshape(self, *shape[:start], -1, *shape[end + 1 :])


@tensor_method("unflatten")
def unflatten(self: Tensor, dim: int, sizes: Any) -> Tensor:
    """Dimension ``dim`` split into ``sizes``."""
    d, shape = _dim(dim, self.ndim), self._array.shape
    return reshape(self, *shape[:d], *sizes, *shape[d + 1 :])


@tensor_method("squeeze")
def squeeze(self: Tensor, dim: Any = None) -> Tensor:
    """Remove dimensions of size 1 (all, or the given ones)."""
    shape = self._array.shape
    if dim is None:
        return _view(self, Squeeze, tuple(s for s in shape if s != 1))
    drop = _dims(dim, self.ndim) if self.ndim else ()
    return _view(self, SqueezeDim, tuple(s for i, s in enumerate(shape) if i not in drop or s != 1))


@tensor_method("unsqueeze")
def unsqueeze(self: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1 at ``dim``."""
    d, shape = _dim(dim, self.ndim + 1), self._array.shape
    return _view(self, Unsqueeze, shape[:d] + (1,) + shape[d:])


@tensor_method("transpose", "swapaxes", "swapdims")
def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions."""
    if self.ndim == 0:
        return self
    return _view(self, Transpose, _dim(dim0, self.ndim), _dim(dim1, self.ndim))


@tensor_method("t")
def t(self: Tensor) -> Tensor:
    """Transpose of a matrix (vectors and scalars unchanged)."""
    if self.ndim > 2:
        raise RuntimeError(msg.t_of_many_dims(self.ndim))
    return _view(self, T, 0, 1) if self.ndim == 2 else self


@tensor_method("permute")
def permute(self: Tensor, *dims: Any) -> Tensor:
    """Reorder the dimensions."""
    return _view(self, Permute, _dims(shape_arg(dims), self.ndim))


@tensor_method("expand")
def expand(self: Tensor, *shape: Any) -> Tensor:
    """Broadcast to ``shape`` without copying (-1 keeps a size)."""
    shape = shape_arg(shape)
    lead = len(shape) - self.ndim
    full = tuple(self._array.shape[i - lead] if s == -1 else s for i, s in enumerate(shape))
    return self if full == self._array.shape else _view(self, Expand, full)


@tensor_method("expand_as")
def expand_as(self: Tensor, other: Tensor) -> Tensor:
    return expand(self, other.shape)


@tensor_method("sum_to_size")
def sum_to_size(self: Tensor, *shape: Any) -> Tensor:
    """Sum broadcast dimensions away until the shape is ``shape``."""
    shape = shape_arg(shape)
    return self if self._array.shape == shape else SumToSize.apply(self, shape)


def _mt(self: Tensor) -> Tensor:
    return _view(self, Transpose, self.ndim - 2, self.ndim - 1)


def _t_property(self: Tensor) -> Tensor:
    return _view(self, Permute, tuple(reversed(range(self.ndim))))


Tensor.mT = property(_mt, doc="The last two dimensions swapped (a batch of transposes).")
Tensor.T = property(_t_property, doc="All dimensions reversed (the transpose of a matrix).")
