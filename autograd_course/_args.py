"""Argument handling shared by the operations: dims, shapes, index keys, Python numbers next to
tensors, and the dtype an operation computes in. Kept here so that ops/ reads as maths."""

from __future__ import annotations

import builtins
import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _messages as msg
from . import dtypes as _dt
from .grad_mode import _GradMode
from .tensor import Tensor, _make


def unwrap(value: Any) -> Any:
    """A tensor's array; anything else unchanged."""
    return value._array if isinstance(value, Tensor) else value


def data_array(data: Any) -> np.ndarray:
    """PyTorch's inference for ``tensor(data)``: Python floats -> the default float dtype,
    ints -> int64, bools stay bool, NumPy arrays keep their dtype (always a copy)."""
    if type(data) is float:  # the common case (tensor(0.5)), decided at once
        return np.array(data, dtype=_dt.default_float())
    if isinstance(data, np.ndarray):
        return data.copy()
    if isinstance(data, Tensor):
        return data._array.copy()
    if isinstance(data, np.generic):
        return np.array(data)
    array = np.array(data)
    if array.dtype == object and isinstance(data, list | tuple):
        array = np.array([unwrap(d) for d in data])
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(_dt.default_float())
    if kind in "iu":
        return array.astype(_dt.INT64)
    if kind != "b":
        raise TypeError(msg.not_tensor_data(type(data).__name__, str(array.dtype)))
    return array


def as_tensor(value: Any, like: Tensor | None = None) -> Tensor:
    """A tensor for ``value``; a Python number next to ``like`` takes PyTorch's dtype for it."""
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, numbers.Number):
        return _make(np.array(value, dtype=_dt.result_type(like, value)))
    return _make(data_array(value))


def to_dtype(t: Tensor, dtype: np.dtype) -> Tensor:
    """``t`` in ``dtype`` (recorded, so the gradient is converted back)."""
    return t if t._array.dtype == dtype else t.to(dtype)


def operands(a: Any, b: Any) -> tuple[Tensor, Tensor]:
    """Two operands as tensors of one dtype, by PyTorch's promotion rules (float32 + int64 is
    float32; a Python float next to a float16 tensor stays float16)."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a._array.dtype == b._array.dtype:  # the common case, decided at once
            return a, b
        dtype = _dt.result_type(a, b)
        return to_dtype(a, dtype), to_dtype(b, dtype)
    if isinstance(b, Tensor):
        b_, a_ = operands(b, a)
        return a_, b_
    if (type(b) is float or type(b) is int) and a._array.dtype.kind == "f":
        return a, _make(np.array(b, dtype=a._array.dtype))  # the common case, decided at once
    if not isinstance(b, numbers.Number):
        if not isinstance(b, np.ndarray | list | tuple):
            raise TypeError(msg.not_a_number(type(b).__name__))
        return operands(a, _make(data_array(b)))
    dtype = _dt.result_type(a, b)
    return to_dtype(a, dtype), _make(np.array(b, dtype=dtype))


def floating(x: Tensor) -> Tensor:
    """Functions like exp and log give the default float dtype for integer input."""
    return x if x._array.dtype.kind == "f" else x.to(_dt.default_float())


def dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """Normalise ``dim`` (None, int or sequence) to non-negative ints, with PyTorch's error."""
    if dim is None:
        return None
    given = (dim,) if isinstance(dim, numbers.Integral) else tuple(dim)
    span = max(ndim, 1)
    out = []
    for d in given:
        if not -span <= d < span:
            raise IndexError(msg.dim_out_of_range(span, d))
        out.append(builtins.int(d) % span)
    return tuple(out)


def dim(d: Any, ndim: int) -> int:
    """One dim, normalised."""
    return dims(d, ndim)[0]


def shape_arg(shape: Sequence[Any]) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` as PyTorch does."""
    if len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
        shape = shape[0]
    return tuple(builtins.int(s) for s in shape)


def index_key(key: Any) -> Any:
    """Tensors inside an index become arrays (boolean masks, integer index tensors)."""
    if isinstance(key, tuple):
        return tuple(unwrap(k) for k in key)
    if isinstance(key, list):
        return np.asarray([unwrap(k) for k in key])
    return unwrap(key)


def index_tensors(key: Any) -> tuple[Tensor, ...]:
    """The tensors used inside an index (saved, so changing them later is detected)."""
    keys = key if isinstance(key, tuple | list) else (key,)
    return tuple(k for k in keys if isinstance(k, Tensor))


def write_out(out: Tensor | None, result: Tensor, name: str, *inputs: Any) -> Tensor:
    """PyTorch's ``out=``: the result written into ``out`` (resized if its shape differs), or
    the result itself when there is no ``out``. Refused when a gradient would be needed."""
    if out is None:
        return result
    if _GradMode.enabled and any(isinstance(t, Tensor) and t._requires_grad for t in inputs):
        raise RuntimeError(msg.out_with_grad(name))
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if out._array.shape != result._array.shape:
        if out._array.size:
            warnings.warn(msg.out_resized(out._array.shape, result._array.shape), stacklevel=3)
        out._array = np.empty(result._array.shape, out._array.dtype)
    out._change_directly(lambda: np.copyto(out._array, result._array, casting="same_kind"))
    return out
