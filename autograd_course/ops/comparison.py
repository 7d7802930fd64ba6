"""Comparisons and logic: ``==``, ``<``, ``&`` ... give bool tensors outside the graph
(they have no gradient), as in PyTorch."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._args import unwrap
from ..tensor import Tensor, _make, tensor_method


def _outside_graph(name: str, ufunc: np.ufunc, *aliases: str) -> None:
    def method(self: Tensor, other: Any) -> Tensor:
        return _make(np.asarray(ufunc(self._array, unwrap(other))))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Element-wise ``{ufunc.__name__}``, as a bool (or integer) tensor."
    tensor_method(name, *aliases)(method)


_outside_graph("__eq__", np.equal, "eq")
_outside_graph("__ne__", np.not_equal, "ne")
_outside_graph("__lt__", np.less, "lt", "less")
_outside_graph("__le__", np.less_equal, "le", "less_equal")
_outside_graph("__gt__", np.greater, "gt", "greater")
_outside_graph("__ge__", np.greater_equal, "ge", "greater_equal")
_outside_graph("__and__", np.bitwise_and, "__rand__", "bitwise_and")
_outside_graph("__or__", np.bitwise_or, "__ror__", "bitwise_or")
_outside_graph("__xor__", np.bitwise_xor, "__rxor__", "bitwise_xor")


@tensor_method("__invert__", "bitwise_not")
def invert(self: Tensor) -> Tensor:
    return _make(~self._array)


@tensor_method("logical_not")
def logical_not(self: Tensor) -> Tensor:
    return _make(np.logical_not(self._array))


@tensor_method("any")
def any_(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """True where any element (along ``dim``) is nonzero."""
    return _make(np.asarray(self._array.any(axis=dim, keepdims=keepdim)))


@tensor_method("all")
def all_(self: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """True where every element (along ``dim``) is nonzero."""
    return _make(np.asarray(self._array.all(axis=dim, keepdims=keepdim)))


@tensor_method("equal")
def equal(self: Tensor, other: Tensor) -> bool:
    """True when both have the same shape and the same values."""
    return self._array.shape == other._array.shape and bool((self._array == other._array).all())


@tensor_method("isclose")
def isclose(
    self: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """|a - b| <= atol + rtol |b| element-wise (NaNs equal only with equal_nan)."""
    return _make(np.isclose(self._array, unwrap(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


@tensor_method("allclose")
def allclose(
    self: Tensor, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> bool:
    """True when every element is close (``isclose``)."""
    return bool(np.allclose(self._array, unwrap(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


@tensor_method("logical_and")
def logical_and(self: Tensor, other: Any) -> Tensor:
    return _make(np.logical_and(self._array, unwrap(other)))


@tensor_method("logical_or")
def logical_or(self: Tensor, other: Any) -> Tensor:
    return _make(np.logical_or(self._array, unwrap(other)))


@tensor_method("logical_xor")
def logical_xor(self: Tensor, other: Any) -> Tensor:
    return _make(np.logical_xor(self._array, unwrap(other)))
