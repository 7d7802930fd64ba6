"""Copies and dtype conversions. The engine converts a gradient back to its input's dtype, so
both backwards simply pass the gradient on."""

from __future__ import annotations

from typing import Any

from .. import _messages as msg
from .. import devices as _device
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
def to(
    self: Tensor,
    *args: Any,
    dtype: Any = None,
    device: Any = None,
    non_blocking: bool = False,
    copy: bool = False,
    memory_format: Any = None,
) -> Tensor:
    """This tensor in another dtype (itself when nothing changes): ``x.to(float64)``,
    ``x.to("cpu")``, ``x.to(device, dtype)``, ``x.to(other)``. The only device is the CPU."""
    target = dtype
    _device.check(device)
    for a in args:
        if isinstance(a, Tensor):
            target = a._array.dtype
        elif _device.is_device(a) or (isinstance(a, int) and not isinstance(a, bool)):
            _device.check(a)
        elif not isinstance(a, bool):  # positional non_blocking / copy flags are ignored
            target = a
    out = self
    if target is not None:
        target = _dt.to_numpy_dtype(target)
        out = self if target == self._array.dtype else ToCopy.apply(self, target)
    return clone(out) if copy and out is self else out


_TENSOR_TYPES = {name: dtype for dtype, name in msg._TYPE_NAMES.items()}


@tensor_method("type")
def type_(self: Tensor, dtype: Any = None, non_blocking: bool = False, **kwargs: Any) -> Any:
    """With no argument, the tensor type's name (``FloatTensor``); else ``to(dtype)``."""
    if dtype is None:
        return msg._type_name(self._array.dtype.name)
    if isinstance(dtype, str):
        name = dtype.rsplit(".", 1)[-1]
        if name not in _TENSOR_TYPES:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = _TENSOR_TYPES[name]
    return to(self, dtype)


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
