"""The free functions (``ac.exp``, ``ac.cat``, ``ac.where`` ...), as ``torch.*`` offers them.

Most are the Tensor method of the same name; the joins and ``where`` live in ops/indexing.py.
This module shadows builtins (sum, max, abs...) on purpose: ``ac.sum`` is PyTorch's name.
"""

from __future__ import annotations

from typing import Any

from ._args import as_tensor
from .ops.indexing import cat, stack, where
from .tensor import Tensor

__all__ = ["cat", "concat", "concatenate", "stack", "where"]


def _method(name: str, doc: str):
    def fn(input: Tensor, *args: Any, **kwargs: Any) -> Any:  # noqa: A002 - PyTorch's name
        return getattr(as_tensor(input), name)(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    __all__.append(name)
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
reciprocal = _method("reciprocal", "1 / x for each element.")
sum = _method("sum", "Sum of the elements (over dim, if given).")  # noqa: A001
mean = _method("mean", "Mean of the elements (over dim, if given).")
var = _method("var", "Variance of the elements (over dim, if given).")
std = _method("std", "Standard deviation of the elements (over dim, if given).")
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
t = _method("t", "Transpose of a matrix.")
permute = _method("permute", "Reorder dimensions.")
matmul = _method("matmul", "Matrix product, with 1-D and batched operands.")
mm = _method("mm", "Product of two matrices.")
neg = _method("neg", "Each element negated.")
add = _method("add", "Element-wise sum.")
sub = _method("sub", "Element-wise difference.")
mul = _method("mul", "Element-wise product.")
div = _method("div", "Element-wise quotient.")
maximum = _method("maximum", "Element-wise larger value (gradient split on ties).")
minimum = _method("minimum", "Element-wise smaller value (gradient split on ties).")
clone = _method("clone", "A copy that gradients flow through.")
concat = concatenate = cat
