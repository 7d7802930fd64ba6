"""Cutting and rearranging: split, chunk, unbind, narrow (views, by slicing), flip and roll
(a permutation of the elements: the gradient is permuted back), repeat and tile (expand then
reshape, so the engine sums the copies' gradients), movedim, and the in-place forms of the
shape operations (``unsqueeze_``, ``t_`` ...)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from .. import _messages as msg
from .._args import dim as _dim
from .._args import dims as _dims
from .._args import shape_arg
from ..grad_mode import _GradMode
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import Op


def _along(d: int, key: Any) -> tuple:
    """An index that applies ``key`` to dimension ``d`` only."""
    return (slice(None),) * d + (key,)


@tensor_method("split")
def split(self: Tensor, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the given sizes."""
    d = _dim(dim, self.ndim)
    n = self._array.shape[d]
    if isinstance(split_size_or_sections, numbers.Integral):
        size = int(split_size_or_sections)
        if size <= 0 and not (size == 0 and n == 0):
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got {size}")
        sizes = [min(size, n - start) for start in range(0, n, size)] if size else [0]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                f"size at dimension {d}), but got split_sizes={sizes}"
            )
    bounds = np.cumsum([0, *sizes]).tolist()
    return tuple(self[_along(d, slice(lo, hi))] for lo, hi in zip(bounds, bounds[1:]))


@tensor_method("chunk")
def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most ``chunks`` pieces of equal size ceil(n / chunks) along ``dim``."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    n = self._array.shape[_dim(dim, self.ndim)]
    return split(self, max(-(-n // chunks), 1), dim)


@tensor_method("tensor_split")
def tensor_split(self: Tensor, sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """``sections`` nearly equal pieces (the first ones one larger), or cuts at given indices."""
    d = _dim(dim, self.ndim)
    n = self._array.shape[d]
    if isinstance(sections, numbers.Integral):
        cuts = [i * (n // sections) + min(i, n % sections) for i in range(1, sections)]
    else:
        cuts = [int(c) for c in sections]
    bounds = [0, *cuts, n]
    return tuple(self[_along(d, slice(lo, hi))] for lo, hi in zip(bounds, bounds[1:]))


@tensor_method("unbind")
def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
    """The slices along ``dim``, each one dimension smaller."""
    d = _dim(dim, self.ndim)
    return tuple(self[_along(d, i)] for i in range(self._array.shape[d]))


@tensor_method("narrow")
def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    """``length`` elements from ``start`` along ``dim`` (a view)."""
    d = _dim(dim, self.ndim)
    start = int(start) % self._array.shape[d] if start < 0 else int(start)
    return self[_along(d, slice(start, start + length))]


@tensor_method("movedim", "moveaxis")
def movedim(self: Tensor, source: Any, destination: Any) -> Tensor:
    """Dimensions ``source`` moved to positions ``destination``; the others keep their order."""
    src, dst = _dims(source, self.ndim), _dims(destination, self.ndim)
    order = [d for d in range(self.ndim) if d not in src]
    for to, d in sorted(zip(dst, src)):
        order.insert(to, d)
    return self.permute(*order)


class Flip(Op):
    """The elements reversed along ``dims`` (a copy): the gradient is flipped back."""

    node_name = "FlipBackward0"

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x, dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return Flip.apply(grad, ctx.dims), None


class Roll(Op):
    """The elements shifted cyclically: the gradient is shifted back."""

    node_name = "RollBackward0"

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return np.roll(x, shifts, dims)

    @staticmethod
    def backward(ctx, grad):
        back = tuple(-s for s in ctx.shifts) if ctx.dims is not None else -ctx.shifts
        return Roll.apply(grad, back, ctx.dims), None, None


@tensor_method("flip")
def flip(self: Tensor, *dims: Any) -> Tensor:
    """Reverse the order of the elements along ``dims``."""
    return Flip.apply(self, _dims(shape_arg(dims), self.ndim))


@tensor_method("fliplr")
def fliplr(self: Tensor) -> Tensor:
    return flip(self, 1)


@tensor_method("flipud")
def flipud(self: Tensor) -> Tensor:
    return flip(self, 0)


@tensor_method("roll")
def roll(self: Tensor, shifts: Any, dims: Any = None) -> Tensor:
    """Shift the elements cyclically by ``shifts`` along ``dims`` (the flattened tensor if None)."""
    if dims is None:
        if not isinstance(shifts, numbers.Integral):
            (shifts,) = shifts
        return Roll.apply(self, int(shifts), None)
    d = _dims(dims, self.ndim)
    s = (int(shifts),) if isinstance(shifts, numbers.Integral) else tuple(int(x) for x in shifts)
    if len(s) != len(d):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(s)}, dims:{len(d)}")
    return Roll.apply(self, s, d)


@tensor_method("repeat")
def repeat(self: Tensor, *sizes: Any) -> Tensor:
    """The tensor repeated ``sizes[i]`` times along each dimension (NumPy's ``tile``)."""
    sizes = shape_arg(sizes)
    if len(sizes) < self.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    shape = (1,) * (len(sizes) - self.ndim) + tuple(self._array.shape)
    # (d0, d1) -> (1, d0, 1, d1) -> expand to (r0, d0, r1, d1) -> (r0 d0, r1 d1): copy i of
    # row j lands at i * d0 + j, and the engine sums each copy's gradient back (expand).
    spread = self.reshape([v for s in shape for v in (1, s)])
    expanded = spread.expand([v for r, s in zip(sizes, shape) for v in (r, s)])
    return expanded.reshape([r * s for r, s in zip(sizes, shape)])


@tensor_method("tile")
def tile(self: Tensor, *dims: Any) -> Tensor:
    """``repeat``, where missing leading repeat counts are 1 (as NumPy's ``tile``)."""
    dims = shape_arg(dims)
    return repeat(self, *((1,) * (self.ndim - len(dims)) + dims))


@tensor_method("repeat_interleave")
def repeat_interleave(self: Tensor, repeats: Any, dim: int | None = None) -> Tensor:
    """Each element repeated ``repeats`` times in place: [1, 2] -> [1, 1, 2, 2]."""
    x = self.reshape(-1) if dim is None else self
    d = 0 if dim is None else _dim(dim, self.ndim)
    counts = repeats._array if isinstance(repeats, Tensor) else repeats
    index = np.repeat(np.arange(x._array.shape[d]), counts)
    return x[_along(d, _make(index))]


# ---- in-place shape changes: the tensor itself takes the new shape -----------------------------
def _reshape_in_place(self: Tensor, name: str, *args: Any) -> Tensor:
    """``x.unsqueeze_(0)`` ...: x takes the view's shape and history (memory is shared)."""
    if _GradMode.enabled and self._requires_grad and self.grad_fn is None:
        raise RuntimeError(msg.leaf_in_place())
    result = getattr(self, name)(*args)
    self._array, self.grad_fn, self._output_nr = result._array, result.grad_fn, result._output_nr
    if self._view is not None:  # a view stays a view of its root, with one more step
        self._view = result._view
    self._version_counter[0] += 1
    if self._view is not None:
        self._view.version = self._version_counter[0]
    return self


def _shape_in_place(name: str) -> None:
    def method(self: Tensor, *args: Any) -> Tensor:
        return _reshape_in_place(self, name, *args)

    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = f"In-place ``{name}``: this tensor takes the shape of ``x.{name}(...)``."
    tensor_method(f"{name}_")(method)


for _name in ("unsqueeze", "squeeze", "t", "transpose", "swapaxes", "swapdims"):
    _shape_in_place(_name)
