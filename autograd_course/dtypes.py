"""The dtypes the engine offers, named as in PyTorch and backed by NumPy's, and PyTorch's
rules for choosing a result's dtype (which differ from NumPy's: float32 + int64 is float32).
"""

from __future__ import annotations

import builtins
import numbers
from typing import Any

import numpy as np


class dtype:
    """A tensor's element type: ``float32``, ``float64``, ``int64``, ``bool`` ..."""

    __slots__ = ("name", "numpy", "is_floating_point", "is_signed", "itemsize")

    def __init__(self, name: str, numpy_dtype: Any) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.is_signed = self.numpy.kind in "fi"
        self.itemsize = self.numpy.itemsize

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
uint8 = dtype("uint8", np.uint8)
int8 = dtype("int8", np.int8)
int16 = dtype("int16", np.int16)
int32 = dtype("int32", np.int32)
int64 = dtype("int64", np.int64)
bool_ = dtype("bool", np.bool_)
# PyTorch's aliases: torch.float is float32, torch.half float16, torch.int int32 ...
float = float32  # noqa: A001
double = float64
half = float16
short = int16
int = int32  # noqa: A001
long = int64

_BY_NUMPY = {
    d.numpy: d for d in (float32, float64, float16, uint8, int8, int16, int32, int64, bool_)
}
INT64 = np.dtype(np.int64)


def to_numpy_dtype(value: object) -> np.dtype:
    """Accept our dtypes, NumPy dtypes and Python types; give NumPy's dtype."""
    if isinstance(value, dtype):
        return value.numpy
    if value is builtins.float:  # ac.zeros(2, dtype=float) means the default float dtype
        return default_float()
    if value is builtins.int:
        return INT64
    if value is builtins.bool:
        return bool_.numpy
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


# ---- the default floating dtype ------------------------------------------------------------
_default_float = [np.dtype(np.float32)]


def default_float() -> np.dtype:
    """The dtype Python floats become (float32 unless ``set_default_dtype`` changed it)."""
    return _default_float[0]


def get_default_dtype() -> dtype:
    """The current default floating dtype, as ``torch.get_default_dtype()``."""
    return from_numpy_dtype(_default_float[0])


def set_default_dtype(d: Any) -> None:
    """Make ``d`` (float32 or float64, or float16) the dtype of Python floats in new tensors."""
    np_dtype = to_numpy_dtype(d)
    if np_dtype.kind != "f":
        raise TypeError(f"only floating-point types are supported as the default type, got {d!r}")
    _default_float[0] = np_dtype


# ---- PyTorch's type promotion --------------------------------------------------------------
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """The smallest dtype both fit in, PyTorch's way: a float beats any integer whatever its
    size (int64 with float32 gives float32, where NumPy would give float64)."""
    if a == b:
        return a
    ca, cb = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if ca != cb:
        return a if ca > cb else b
    return np.promote_types(a, b)


def _scalar_dtype(value: Any) -> np.dtype:
    """A Python number's dtype as PyTorch sees it: bool, int64, or the default float."""
    if isinstance(value, bool | np.bool_):
        return bool_.numpy
    if isinstance(value, numbers.Integral):
        return INT64
    if isinstance(value, numbers.Real):
        return default_float()
    raise TypeError(
        f"unsupported operand type: {type(value).__name__} (expected a number or a Tensor)"
    )


def _combine(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """A lower-priority operand matters only when it is of a higher category (c10's rule)."""
    if higher is None:
        return lower
    if lower is None or higher.kind == "f":
        return higher
    if higher.kind == "b" or lower.kind == "f":
        return promote_types(higher, lower)
    return higher


def result_type(*operands: Any) -> np.dtype:
    """The dtype of an operation on ``operands`` (tensors, arrays or Python numbers).

    PyTorch's rule, in three tiers: tensors with dimensions decide; a 0-d tensor only counts if
    it is of a higher category; a Python number likewise. So ``float16_tensor + 1.5`` stays
    float16, ``int_tensor + 1.5`` becomes the default float, float32 + float64-0-d is float32.
    """
    dims = zero = scalar = None
    for x in operands:
        array = getattr(x, "_array", x)
        if isinstance(array, np.ndarray):
            if array.ndim:
                dims = array.dtype if dims is None else promote_types(dims, array.dtype)
            else:
                zero = array.dtype if zero is None else promote_types(zero, array.dtype)
        else:
            d = _scalar_dtype(array)
            scalar = d if scalar is None else promote_types(scalar, d)
    return _combine(dims, _combine(zero, scalar))
