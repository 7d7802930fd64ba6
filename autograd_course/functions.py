"""The free functions (``ac.exp``, ``ac.cat``, ``ac.where`` ...), as ``torch.*`` offers them.

Most are the Tensor method of the same name; the joins and ``where`` build their op here.
This module shadows builtins (sum, max, abs...) on purpose: ``ac.sum`` is PyTorch's name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .ops import Cat, Maximum, Minimum, Stack, Where
from .tensor import Tensor, _as_tensor, _binary, _dims, _promote


def _method(name: str, doc: str):
    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Any:  # noqa: A002 - PyTorch's name
        return getattr(_as_tensor(input), name)(*args, **kwargs)

    fn.__name__, fn.__doc__ = name, doc
    return fn


exp = _method("exp", "e to the power of each element.")
log = _method("log", "Natural logarithm of each element.")
sqrt = _method("sqrt", "Square root of each element.")
square = _method("square", "Each element squared.")
abs = _method("abs", "Absolute value of each element.")  # noqa: A001
sin = _method("sin", "Sine of each element.")
cos = _method("cos", "Cosine of each element.")
tanh = _method("tanh", "Hyperbolic tangent of each element.")
sigmoid = _method("sigmoid", "The logistic function 1 / (1 + e^-x) of each element.")
relu = _method("relu", "max(x, 0) for each element.")
clamp = _method("clamp", "Limit each element to [min, max].")
clip = clamp
pow = _method("pow", "Each element to a power.")  # noqa: A001
sum = _method("sum", "Sum of the elements (over dim, if given).")  # noqa: A001
mean = _method("mean", "Mean of the elements (over dim, if given).")
max = _method("max", "Largest element, or (values, indices) along dim.")  # noqa: A001
min = _method("min", "Smallest element, or (values, indices) along dim.")  # noqa: A001
argmax = _method("argmax", "Index of the largest element.")
argmin = _method("argmin", "Index of the smallest element.")
softmax = _method("softmax", "exp(x) / Σ exp(x) along dim.")
log_softmax = _method("log_softmax", "log(softmax(x)) along dim, computed stably.")
reshape = _method("reshape", "The same elements in a new shape.")
flatten = _method("flatten", "The elements as one dimension.")
squeeze = _method("squeeze", "Remove dimensions of size 1.")
unsqueeze = _method("unsqueeze", "Insert a dimension of size 1.")
transpose = _method("transpose", "Swap two dimensions.")
permute = _method("permute", "Reorder dimensions.")
matmul = _method("matmul", "Matrix product, with 1-D and batched operands.")
mm = matmul
neg = _method("neg", "Each element negated.")
add = _method("add", "Element-wise sum.")
sub = _method("sub", "Element-wise difference.")
mul = _method("mul", "Element-wise product.")
div = _method("div", "Element-wise quotient.")


def maximum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Element-wise larger value (gradient split on ties)."""
    return _binary(Maximum, input, other)


def minimum(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """Element-wise smaller value (gradient split on ties)."""
    return _binary(Minimum, input, other)


def where(condition: Tensor, input: Any, other: Any) -> Tensor:  # noqa: A002
    """``input`` where ``condition`` holds, else ``other``."""
    cond = _as_tensor(condition)
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        a, b = input, other
        if a._array.dtype != b._array.dtype:
            a, b = _promote(a, b)
    elif isinstance(input, Tensor):
        a, b = input, _as_tensor(other, like=input)
    elif isinstance(other, Tensor):
        a, b = _as_tensor(input, like=other), other
    else:
        a, b = _as_tensor(input), _as_tensor(other)
    return Where.apply(cond, a, b)


def _join(op: type, tensors: Sequence[Tensor], dim: int, extra: int) -> Tensor:
    if len(tensors) == 0:
        raise RuntimeError(f"{op.__name__.lower()}() expects a non-empty list of Tensors")
    items = [_as_tensor(t) for t in tensors]
    dtype = np.result_type(*(t._array.dtype for t in items))
    items = [t if t._array.dtype == dtype else t.to(dtype) for t in items]
    return op.apply(_dims(dim, items[0].ndim + extra)[0], *items)


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension."""
    return _join(Cat, tensors, dim, 0)


concat = cat


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along a new dimension."""
    return _join(Stack, tensors, dim, 1)
