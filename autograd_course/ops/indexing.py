"""Indexing and joining: ``x[key]``, ``where``, ``cat`` and ``stack``. Selecting sends the
gradient back to the selected places (repeated indices add up); joining hands each input its
piece of the gradient."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _messages as msg
from .. import dtypes as _dt
from .._args import as_tensor, dim, index_key, index_tensors, to_dtype
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import Op
from .views import track_view


def is_basic(key: Any) -> bool:
    """Ints, slices, None and ... pick each element at most once, and NumPy gives a view."""
    keys = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, int | slice) for k in keys)


class Index(Op):
    """x[key] with index arrays or masks: the gradient is scattered back (repeats add up)."""

    node_name = "IndexBackward0"
    saved_names = ("indices",)

    @staticmethod
    def forward(ctx, x, key):
        ctx.save_for_backward(*index_tensors(key))  # changing an index later is detected
        ctx.shape, ctx.key = x.shape, index_key(key)
        return x[ctx.key]

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # noqa: B018 - checks that no index tensor changed since forward
        return IndexAdd.apply(grad, ctx.shape, ctx.key), None


class Slice(Index):
    """x[1:3], x[:, 0] ...: a view of x."""

    node_name = "SliceBackward0"


class SelectIndex(Index):
    """x[i]: a view of x, one dimension fewer."""

    node_name = "SelectBackward0"


class IndexAdd(Op):
    """Scatter ``grad`` into zeros of ``shape`` at ``key``; its own derivative is x[key]."""

    node_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=grad.dtype)
        if is_basic(key):
            out[key] = grad
        else:
            np.add.at(out, key, grad)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.key], None, None


class IndexPut(Op):
    """x with x[key] = values: x's gradient is zero at ``key``; values get the gradient there."""

    node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, values, key):
        ctx.save_for_backward(*index_tensors(key))
        ctx.key = index_key(key)
        out = x.copy()
        out[ctx.key] = values
        return out

    @staticmethod
    def backward(ctx, grad):
        ctx.saved_tensors  # noqa: B018 - version check of the index tensors
        need_x, need_values, _ = ctx.needs_input_grad
        grad_x = grad_values = None
        if need_x:
            kept = np.ones(grad._array.shape, dtype=grad._array.dtype)
            kept[ctx.key] = 0
            grad_x = grad * _make(kept)
        if need_values:
            grad_values = grad[ctx.key]
        return grad_x, grad_values, None


class Where(Op):
    """where(condition, a, b): a's gradient where the condition holds, b's elsewhere. The
    condition comes in a 1-tuple: it is saved (and version-checked), not a graph input."""

    node_name = "WhereBackward0"
    saved_names = ("condition",)

    @staticmethod
    def forward(ctx, a, b, condition):
        ctx.save_for_backward(*condition)
        return np.where(condition[0]._array, a, b)

    @staticmethod
    def backward(ctx, grad):
        (condition,) = ctx.saved_tensors
        need_a, need_b, _ = ctx.needs_input_grad
        zero = _make(np.zeros((), dtype=grad._array.dtype))
        return (
            where(condition, grad, zero) if need_a else None,
            where(condition, zero, grad) if need_b else None,
            None,
        )


class Cat(Op):
    """Join along ``dim``; each input gets its slice of the gradient back."""

    node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        ctx.bounds = np.cumsum([0] + [a.shape[dim] for a in arrays]).tolist()
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        return (None, *(grad[(*lead, slice(lo, hi))] for lo, hi in zip(ctx.bounds, ctx.bounds[1:])))

    @classmethod
    def explain(cls, args, err):
        return msg.cat_sizes(args[0], [list(t._array.shape) for t in args[1:]])


class Stack(Op):
    """Stack along a new ``dim``; each input gets its index of the gradient back."""

    node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim, ctx.count = dim, len(arrays)
        return np.stack(arrays, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        return (None, *(grad[(*lead, i)] for i in range(ctx.count)))

    @classmethod
    def explain(cls, args, err):
        return msg.stack_sizes([list(t._array.shape) for t in args[1:]])


# ---- the methods and functions --------------------------------------------------------------
@tensor_method("__getitem__")
def getitem(self: Tensor, key: Any) -> Tensor:
    """``x[key]`` with ints, slices, None, ..., index tensors or boolean masks."""
    if isinstance(key, list):
        key = index_key(key)
    elif isinstance(key, Tensor):
        key = (key,)  # kept inside a tuple: an index tensor is saved, not a graph input
    if not is_basic(key):
        return Index.apply(self, key)
    op = SelectIndex if isinstance(key, int) else Slice
    if not (isinstance(key, tuple) and Ellipsis in key):
        key = (*key, Ellipsis) if isinstance(key, tuple) else (key, Ellipsis)  # always a view
    return track_view(op.apply(self, key), self, op, key)


def where(condition: Any, input: Any, other: Any) -> Tensor:  # noqa: A002 - PyTorch's names
    """``input`` where ``condition`` holds, else ``other`` (tensors or numbers)."""
    dtype = _dt.result_type(input, other)
    a, b = (
        to_dtype(as_tensor(v), dtype)
        if isinstance(v, Tensor | np.ndarray)
        else _make(np.array(v, dtype))
        for v in (input, other)
    )
    return Where.apply(a, b, (as_tensor(condition),))


def _join(op: type[Op], tensors: Sequence[Tensor], d: int, extra: int) -> Tensor:
    if len(tensors) == 0:
        raise RuntimeError(msg.empty_join(op.__name__.lower()))
    items = [as_tensor(t) for t in tensors]
    dtype = _dt.result_type(*(t._array if t.ndim else t._array.reshape(1) for t in items))
    return op.apply(dim(d, items[0].ndim + extra), *(to_dtype(t, dtype) for t in items))


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    return _join(Cat, tensors, dim, 0)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along a new dimension."""
    return _join(Stack, tensors, dim, 1)


@tensor_method("where")
def _where_method(self: Tensor, condition: Any, other: Any) -> Tensor:
    return where(condition, self, other)
