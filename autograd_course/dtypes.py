"""The dtypes the engine offers, named as in PyTorch and backed by NumPy's."""

from __future__ import annotations

import builtins

import numpy as np


class dtype:
    """A tensor's element type: ``float32``, ``float64``, ``int64`` or ``bool``."""

    __slots__ = ("name", "numpy", "is_floating_point")

    def __init__(self, name: str, numpy_dtype: np.dtype) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"

    def __repr__(self) -> str:
        return f"autograd_course.{self.name}"

    def __eq__(self, other: object) -> bool:
        try:
            return self.numpy == to_numpy_dtype(other)
        except TypeError:
            return NotImplemented

    def __hash__(self) -> int:
        return hash(self.numpy)


float32 = dtype("float32", np.float32)
float64 = dtype("float64", np.float64)
float16 = dtype("float16", np.float16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool_ = dtype("bool", np.bool_)
float = float32  # noqa: A001 - PyTorch's aliases: torch.float is float32 ...
double = float64
long = int64

_BY_NUMPY = {d.numpy: d for d in (float32, float64, float16, int32, int64, bool_)}


def to_numpy_dtype(value: object) -> np.dtype:
    """Accept our dtypes, NumPy dtypes and Python types; give NumPy's dtype."""
    if isinstance(value, dtype):
        return value.numpy
    if value is builtins.float:  # ac.zeros(2, dtype=float) means float32, as in PyTorch
        return float32.numpy
    if value is builtins.int:
        return int64.numpy
    try:
        return np.dtype(value)
    except TypeError:
        raise TypeError(f"{value!r} is not a dtype; use e.g. autograd_course.float32") from None


def from_numpy_dtype(np_dtype: np.dtype) -> dtype:
    """Our dtype object for a NumPy dtype (made on the fly for unusual ones)."""
    found = _BY_NUMPY.get(np_dtype)
    if found is None:
        found = _BY_NUMPY[np_dtype] = dtype(str(np_dtype), np_dtype)
    return found
