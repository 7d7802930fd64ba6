"""The free functions (``ac.exp``, ``ac.cat``, ``ac.where`` ...), as ``torch.*`` offers them.

Most are the Tensor method of the same name; the joins and ``where`` live in ops/indexing.py.
This module shadows builtins (sum, max, abs...) on purpose: ``ac.sum`` is PyTorch's name.
"""

from __future__ import annotations

from typing import Any

from ._args import as_tensor, write_out
from .ops import indexing as _indexing
from .ops.indexing import where
from .ops.products import einsum
from .tensor import Tensor

__all__ = ["cat", "concat", "concatenate", "einsum", "stack", "where"]


def _method(name: str, doc: str):
    def fn(input: Tensor, *args: Any, out: Tensor | None = None, **kwargs: Any) -> Any:  # noqa: A002 - PyTorch's name
        result = getattr(as_tensor(input), name)(*args, **kwargs)
        return result if out is None else write_out(out, result, name, input, *args)

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


def cat(
    tensors: Any, dim: int = 0, *, axis: int | None = None, out: Tensor | None = None
) -> Tensor:
    """Join tensors along an existing dimension."""
    result = _indexing.cat(tensors, dim if axis is None else axis)
    return result if out is None else write_out(out, result, "cat", *tensors)


def stack(
    tensors: Any, dim: int = 0, *, axis: int | None = None, out: Tensor | None = None
) -> Tensor:
    """Join tensors along a new dimension."""
    result = _indexing.stack(tensors, dim if axis is None else axis)
    return result if out is None else write_out(out, result, "stack", *tensors)


concat = concatenate = cat

# ---- element-wise, rounding ----------------------------------------------------------------
log1p = _method("log1p", "log(1 + x), accurate for small x.")
expm1 = _method("expm1", "e^x - 1, accurate for small x.")
log2 = _method("log2", "Base-2 logarithm.")
log10 = _method("log10", "Base-10 logarithm.")
exp2 = _method("exp2", "2 to the power of each element.")
rsqrt = _method("rsqrt", "1 / sqrt(x).")
ceil = _method("ceil", "The smallest integer >= x (zero gradient).")
floor = _method("floor", "The largest integer <= x (zero gradient).")
round = _method("round", "Round to the nearest integer, halves to even (zero gradient).")  # noqa: A001
trunc = _method("trunc", "Round towards zero (zero gradient).")
fix = trunc
sign = _method("sign", "-1, 0 or 1 (zero gradient).")
frac = _method("frac", "x - trunc(x).")
clamp_min = _method("clamp_min", "max(x, min).")
clamp_max = _method("clamp_max", "min(x, max).")
isnan = _method("isnan", "True where the element is NaN.")
isinf = _method("isinf", "True where the element is infinite.")
isfinite = _method("isfinite", "True where the element is finite.")
# ---- cutting and rearranging -----------------------------------------------------------------
split = _method("split", "Pieces of a given size (or sizes) along dim.")
chunk = _method("chunk", "At most n pieces of equal size along dim.")
tensor_split = _method("tensor_split", "n nearly equal pieces, or cuts at indices.")
unbind = _method("unbind", "The slices along dim.")
narrow = _method("narrow", "length elements from start along dim.")
movedim = _method("movedim", "Dimensions moved to new positions.")
moveaxis = movedim
flip = _method("flip", "Reverse the order of elements along dims.")
fliplr = _method("fliplr", "Reverse the columns.")
flipud = _method("flipud", "Reverse the rows.")
roll = _method("roll", "Shift the elements cyclically.")
tile = _method("tile", "Repeat the tensor along each dimension.")
repeat_interleave = _method("repeat_interleave", "Repeat each element in place.")
# ---- gathering and scattering ---------------------------------------------------------------
gather = _method("gather", "Pick values along dim at index.")
scatter = _method("scatter", "Write src at index along dim (a copy).")
scatter_add = _method("scatter_add", "Add src at index along dim (a copy).")
index_select = _method("index_select", "The slices index along dim.")
masked_fill = _method("masked_fill", "value where mask is True.")
masked_select = _method("masked_select", "The elements where mask is True, as 1-D.")
take_along_dim = _method("take_along_dim", "NumPy's take_along_axis.")
nonzero = _method("nonzero", "Indices of the nonzero elements.")
argwhere = _method("argwhere", "Indices of the nonzero elements, one row each.")
count_nonzero = _method("count_nonzero", "How many elements are nonzero.")
# ---- sorting, scans, reductions ------------------------------------------------------------
sort = _method("sort", "(values, indices) sorted along dim.")
argsort = _method("argsort", "The indices that sort along dim.")
msort = _method("msort", "Sorted along the first dimension.")
topk = _method("topk", "The k largest (or smallest) values and their indices.")
unique = _method("unique", "The distinct values, sorted.")
cumsum = _method("cumsum", "Running sum along dim.")
cumprod = _method("cumprod", "Running product along dim.")
prod = _method("prod", "Product of the elements (over dim, if given).")
logsumexp = _method("logsumexp", "log(sum(exp(x))) along dim, computed stably.")
logaddexp = _method("logaddexp", "log(exp(x) + exp(y)) element-wise, computed stably.")
amax = _method("amax", "The largest values along dims (ties share the gradient).")
amin = _method("amin", "The smallest values along dims (ties share the gradient).")
# ---- products, norms, comparisons ----------------------------------------------------------
dot = _method("dot", "Dot product of two 1-D tensors.")
inner = _method("inner", "Inner product of two 1-D tensors.")
mv = _method("mv", "Matrix times vector.")
bmm = _method("bmm", "A batch of matrix products.")
outer = _method("outer", "Outer product of two vectors.")
ger = outer
norm = _method("norm", "The p-norm (Frobenius by default).")
isclose = _method("isclose", "|a - b| <= atol + rtol |b| element-wise.")
allclose = _method("allclose", "True when all elements are close.")
equal = _method("equal", "True when the shapes and all values are equal.")
logical_and = _method("logical_and", "Element-wise logical and.")
logical_or = _method("logical_or", "Element-wise logical or.")
logical_xor = _method("logical_xor", "Element-wise logical xor.")
logical_not = _method("logical_not", "Element-wise logical not.")
eq = _method("eq", "Element-wise ==, as a bool tensor.")
ne = _method("ne", "Element-wise !=, as a bool tensor.")
lt = _method("lt", "Element-wise <, as a bool tensor.")
le = _method("le", "Element-wise <=, as a bool tensor.")
gt = _method("gt", "Element-wise >, as a bool tensor.")
ge = _method("ge", "Element-wise >=, as a bool tensor.")
bitwise_and = _method("bitwise_and", "Element-wise & of integer or bool tensors.")
bitwise_or = _method("bitwise_or", "Element-wise | of integer or bool tensors.")
bitwise_xor = _method("bitwise_xor", "Element-wise ^ of integer or bool tensors.")
bitwise_not = _method("bitwise_not", "Element-wise ~ of integer or bool tensors.")
# ---- trigonometric and hyperbolic, cross product, SVD ----------------------------------------
tan = _method("tan", "Tangent of each element.")
asin = arcsin = _method("asin", "Inverse sine of each element.")
acos = arccos = _method("acos", "Inverse cosine of each element.")
atan = arctan = _method("atan", "Inverse tangent of each element.")
atan2 = arctan2 = _method("atan2", "The angle of the point (other, input).")
sinh = _method("sinh", "Hyperbolic sine of each element.")
cosh = _method("cosh", "Hyperbolic cosine of each element.")
asinh = arcsinh = _method("asinh", "Inverse hyperbolic sine of each element.")
acosh = arccosh = _method("acosh", "Inverse hyperbolic cosine of each element.")
atanh = arctanh = _method("atanh", "Inverse hyperbolic tangent of each element.")
cross = _method("cross", "Cross product of 3-vectors along dim.")
svd = _method("svd", "(U, S, V) with input = U diag(S) Vᵀ (no gradient).")
# ---- in-place forms as functions: torch.sin_(x) is x.sin_() --------------------------------
for _name in ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "abs", "neg",
              "reciprocal", "ceil", "floor", "round", "trunc", "asin", "acos", "atan",
              "sinh", "cosh", "clamp", "relu"):  # fmt: skip
    globals()[f"{_name}_"] = _method(f"{_name}_", f"In-place ``{_name}``: input.{_name}_().")

# aliases (clip = clamp, arcsin = asin ...) are exported under their own names too
__all__ += [n for n, f in list(globals().items()) if callable(f) and getattr(f, "__name__", "") in
            __all__ and n != f.__name__ and not n.startswith("_")]  # fmt: skip
