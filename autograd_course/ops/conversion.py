"""Copies and dtype conversions. The engine converts a gradient back to its input's dtype, so
both backwards simply pass the gradient on."""

from __future__ import annotations

from typing import Any

from .. import dtypes as _dt
from ..tensor import Tensor, tensor_method
from .arithmetic import Op


class ToCopy(Op):
    """A dtype conversion (a copy); the gradient is converted back by the engine."""

    node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        return x.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad, None


class Clone(Op):
    """A copy: the gradient passes through."""

    node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


@tensor_method("to")
def to(self: Tensor, *args: Any, dtype: Any = None, **kwargs: Any) -> Tensor:
    """This tensor in another dtype (itself when it already is), as ``x.to(float64)``."""
    target = dtype
    for a in args:
        if isinstance(a, Tensor):
            target = a._array.dtype
        elif not isinstance(a, str):
            target = a
    if target is None:
        return self
    target = _dt.to_numpy_dtype(target)
    return self if target == self._array.dtype else ToCopy.apply(self, target)


def _conversion(name: str, dtype: _dt.dtype) -> None:
    def method(self: Tensor) -> Tensor:
        return to(self, dtype)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"This tensor as {dtype.name}."
    tensor_method(name)(method)


for _name, _dtype in [("float", _dt.float32), ("double", _dt.float64), ("half", _dt.float16),
                      ("long", _dt.int64), ("int", _dt.int32), ("short", _dt.int16),
                      ("char", _dt.int8), ("byte", _dt.uint8), ("bool", _dt.bool_)]:  # fmt: skip
    _conversion(_name, _dtype)


@tensor_method("type_as")
def type_as(self: Tensor, other: Tensor) -> Tensor:
    return to(self, other._array.dtype)


@tensor_method("clone")
def clone(self: Tensor) -> Tensor:
    """A copy with its own memory; gradients flow through it."""
    return Clone.apply(self)


@tensor_method("contiguous")
def contiguous(self: Tensor) -> Tensor:
    """This tensor with its elements in C order in memory."""
    return self if self._array.flags.c_contiguous else clone(self)


@tensor_method("is_contiguous")
def is_contiguous(self: Tensor) -> bool:
    return bool(self._array.flags.c_contiguous)
