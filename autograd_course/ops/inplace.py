"""In-place operations: ``+=``, ``add_``, ``zero_``, ``copy_``, ``x[key] = v`` ...

Each one gives ``Tensor._in_place`` two ways of doing its work: ``direct`` changes the array
(outside autograd: an optimizer's step under ``no_grad``), ``recorded`` computes the same
values out of place so that the graph can take them over. ``Tensor._in_place`` holds the
rules (leaves that require grad refuse; version counters move; views pass the change to their
base).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import random as _random
from .._args import as_tensor, index_key, unwrap
from ..grad_mode import _GradMode
from ..tensor import Tensor, tensor_method
from .arithmetic import Op
from .indexing import IndexPut, getitem, is_basic


class Copy(Op):
    """x's values replaced by ``src`` (broadcast): x's old values get no gradient, src gets
    all of it (summed back to src's shape and dtype by the engine)."""

    node_name = "CopyBackwards"

    @staticmethod
    def forward(ctx, x, src):
        return np.broadcast_to(src, x.shape).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad
        return grad * 0 if need_x else None, grad if need_src else None


class Fill(Op):
    """Every value replaced by one number: no gradient reaches the old values."""

    node_name = "FillBackward0"

    @staticmethod
    def forward(ctx, x, value):
        return np.full_like(x, value)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


class Zero(Fill):
    node_name = "ZeroBackward0"


def _scaled(other: Any, alpha: Any) -> Any:
    """``other * alpha`` for add_/sub_; plain NumPy outside grad mode (an optimizer's step)."""
    if alpha == 1:
        return other
    return unwrap(other) * alpha if not _GradMode.enabled else other * alpha


def _ufunc_in_place(self: Tensor, ufunc: np.ufunc, other: Any) -> Any:
    return lambda: ufunc(self._array, unwrap(other), out=self._array, casting="same_kind")


@tensor_method("add_", "__iadd__")
def add_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    other = _scaled(other, alpha)
    return self._in_place(lambda old: old + other, _ufunc_in_place(self, np.add, other), other)


@tensor_method("sub_", "__isub__")
def sub_(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    other = _scaled(other, alpha)
    return self._in_place(lambda old: old - other, _ufunc_in_place(self, np.subtract, other), other)


@tensor_method("mul_", "__imul__")
def mul_(self: Tensor, other: Any) -> Tensor:
    return self._in_place(lambda old: old * other, _ufunc_in_place(self, np.multiply, other), other)


@tensor_method("div_", "__itruediv__")
def div_(self: Tensor, other: Any) -> Tensor:
    return self._in_place(
        lambda old: old / other, _ufunc_in_place(self, np.true_divide, other), other
    )


@tensor_method("clamp_", "clip_")
def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return self._in_place(
        lambda old: old.clamp(min, max), lambda: np.clip(self._array, min, max, out=self._array)
    )


@tensor_method("addcmul_")
def addcmul_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """self += value * tensor1 * tensor2 (Adam's update of its second moment)."""
    if not _GradMode.enabled:  # optimizers: plain NumPy, no intermediate tensors
        return add_(self, tensor1._array * tensor2._array * value)
    return add_(self, tensor1 * tensor2 * value)


@tensor_method("addcdiv_")
def addcdiv_(self: Tensor, tensor1: Tensor, tensor2: Tensor, *, value: Any = 1) -> Tensor:
    """self += value * tensor1 / tensor2 (Adam's parameter update)."""
    if not _GradMode.enabled:
        return add_(self, tensor1._array / tensor2._array * value)
    return add_(self, tensor1 / tensor2 * value)


@tensor_method("copy_")
def copy_(self: Tensor, src: Any) -> Tensor:
    """Copy ``src``'s values (broadcast, converted to this dtype) into this tensor."""
    src = as_tensor(src, like=self)
    return self._in_place(
        lambda old: Copy.apply(old, src),
        lambda: np.copyto(self._array, src._array, casting="unsafe"),
        src,
    )


def _fill(self: Tensor, op: type[Op], values: Any) -> Tensor:
    return self._in_place(
        lambda old: op.apply(old, values), lambda: np.copyto(self._array, values, casting="unsafe")
    )


@tensor_method("fill_")
def fill_(self: Tensor, value: Any) -> Tensor:
    if isinstance(value, Tensor):
        return copy_(self, value)
    return _fill(self, Fill, value)


@tensor_method("zero_")
def zero_(self: Tensor) -> Tensor:
    return _fill(self, Zero, 0)


@tensor_method("uniform_")
def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0) -> Tensor:
    """Fill with values drawn uniformly from [a, b), from the engine's seeded generator."""
    return _fill(self, Fill, _random.generator().uniform(a, b, self._array.shape))


@tensor_method("normal_")
def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0) -> Tensor:
    """Fill with normally distributed values, from the engine's seeded generator."""
    return _fill(self, Fill, _random.generator().normal(mean, std, self._array.shape))


@tensor_method("__setitem__")
def setitem(self: Tensor, key: Any, value: Any) -> None:
    """``x[key] = value``: for a slice, a copy into the view ``x[key]`` (PyTorch's CopySlices);
    for index tensors and masks, an index_put."""
    if isinstance(key, list | Tensor):
        key = (key,) if isinstance(key, Tensor) else index_key(key)
    value = as_tensor(value, like=self)
    if is_basic(key) and _GradMode.enabled and (self._requires_grad or value._requires_grad):
        copy_(getitem(self, key), value)
        return
    plain_key = index_key(key)
    self._in_place(
        lambda old: IndexPut.apply(old, value.to(self._array.dtype), key),
        lambda: self._array.__setitem__(plain_key, value._array),
        value,
    )
