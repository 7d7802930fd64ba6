"""Every differentiable operation, forward and backward side by side.

Each op is a ``Function``: ``forward`` computes with NumPy on the inputs' arrays (fast);
``backward`` receives d(loss)/d(output) as a Tensor and returns d(loss)/d(input) for each
input, written with Tensor operations, so that ``create_graph=True`` can differentiate the
backward pass itself (second derivatives). A ``None`` gradient means "not needed".

Broadcasting: an op whose inputs were broadcast sums the gradient back to each input's
shape with ``sum_to`` (over added leading axes, then over axes that had size 1).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .autograd.function import Function
from .tensor import Tensor, _dims, _make

_IGNORE_FP_ERRORS = {"divide": "ignore", "invalid": "ignore", "over": "ignore"}


def _zero(like: Tensor) -> Tensor:
    """A 0-d zero of ``like``'s dtype (for where(mask, grad, 0))."""
    return _make(np.zeros((), dtype=like._array.dtype))


def sum_to(grad: Tensor, shape: tuple[int, ...]) -> Tensor:
    """Reduce a broadcast gradient back to ``shape`` (a no-op when it already fits)."""
    return grad if grad._array.shape == shape else SumToSize.apply(grad, shape)


# ---- element-wise arithmetic -----------------------------------------------------------
class Add(Function):
    """d(a + b) = da + db: the gradient flows to both inputs unchanged."""

    _node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = a._array.shape, b._array.shape
        return a._array + b._array

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        return (
            sum_to(grad, ctx.shapes[0]) if need_a else None,
            sum_to(grad, ctx.shapes[1]) if need_b else None,
        )


class Sub(Function):
    """d(a - b) = da - db."""

    _node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = a._array.shape, b._array.shape
        return a._array - b._array

    @staticmethod
    def backward(ctx, grad):
        need_a, need_b = ctx.needs_input_grad
        return (
            sum_to(grad, ctx.shapes[0]) if need_a else None,
            sum_to(-grad, ctx.shapes[1]) if need_b else None,
        )


class Mul(Function):
    """d(a * b) = b da + a db (each input is saved only if the other needs its gradient)."""

    _node_name = "MulBackward0"

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.shapes = a._array.shape, b._array.shape
        return a._array * b._array

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return (
            sum_to(grad * b, ctx.shapes[0]) if b is not None else None,
            sum_to(grad * a, ctx.shapes[1]) if a is not None else None,
        )


class Div(Function):
    """d(a / b) = da / b - a db / b²."""

    _node_name = "DivBackward0"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        ctx.shapes = a._array.shape, b._array.shape
        with np.errstate(**_IGNORE_FP_ERRORS):
            return a._array / b._array

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (
            sum_to(grad / b, ctx.shapes[0]) if need_a else None,
            sum_to(-grad * a / (b * b), ctx.shapes[1]) if need_b else None,
        )


class Neg(Function):
    """d(-x) = -dx."""

    _node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        return -x._array

    @staticmethod
    def backward(ctx, grad):
        return -grad


class PowScalar(Function):
    """d(x^c) = c x^(c-1) dx, for a constant exponent c."""

    _node_name = "PowBackward0"

    @staticmethod
    def forward(ctx, x, exponent):
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        if type(exponent) is int and exponent >= 0:  # x**2 and the like cannot divide by 0
            return x._array**exponent
        with np.errstate(**_IGNORE_FP_ERRORS):
            return x._array**exponent

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:
            return grad * 0, None
        return grad * c * x ** (c - 1), None


class Pow(Function):
    """d(a^b) = b a^(b-1) da + a^b ln(a) db (the ln term is 0 where a = 0)."""

    _node_name = "PowBackward1"

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        with np.errstate(**_IGNORE_FP_ERRORS):
            return a._array**b._array

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = sum_to(grad * b * a ** (b - 1), a.shape) if need_a else None
        grad_b = None
        if need_b:
            positive = _make(a._array > 0)
            safe_log = Where.apply(positive, a, _make(np.ones((), a._array.dtype))).log()
            grad_b = sum_to(grad * a**b * safe_log, b.shape)
        return grad_a, grad_b


class Maximum(Function):
    """The gradient goes to the larger input; on a tie it is split in half, as in PyTorch."""

    _node_name = "MaximumBackward0"
    _pick = staticmethod(np.maximum)

    @classmethod
    def forward(cls, ctx, a, b):
        ctx.save_for_backward(a, b)
        return cls._pick(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        sign = 1 if type(ctx) is Maximum else -1
        a_wins = _make(((a._array - b._array) * sign > 0) + 0.5 * (a._array == b._array))
        a_share = a_wins.to(grad._array.dtype)
        return sum_to(grad * a_share, a.shape), sum_to(grad * (1 - a_share), b.shape)


class Minimum(Maximum):
    """The gradient goes to the smaller input; on a tie it is split in half."""

    _node_name = "MinimumBackward0"
    _pick = staticmethod(np.minimum)


# ---- element-wise functions ------------------------------------------------------------
class Exp(Function):
    """d(e^x) = e^x dx (the output is saved and reused)."""

    _node_name = "ExpBackward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_IGNORE_FP_ERRORS):
            out = _make(np.exp(x._array))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Function):
    """d(ln x) = dx / x."""

    _node_name = "LogBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_IGNORE_FP_ERRORS):
            return np.log(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Function):
    """d(√x) = dx / (2√x)."""

    _node_name = "SqrtBackward0"

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_IGNORE_FP_ERRORS):
            out = _make(np.sqrt(x._array))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Abs(Function):
    """d|x| = sign(x) dx (0 at x = 0, as in PyTorch)."""

    _node_name = "AbsBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * _make(np.sign(x._array))


class Sin(Function):
    """d(sin x) = cos x dx."""

    _node_name = "SinBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Function):
    """d(cos x) = -sin x dx."""

    _node_name = "CosBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * x.sin()


class Tanh(Function):
    """d(tanh x) = (1 - tanh² x) dx."""

    _node_name = "TanhBackward0"

    @staticmethod
    def forward(ctx, x):
        out = _make(np.tanh(x._array))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Function):
    """d σ(x) = σ(x) (1 - σ(x)) dx."""

    _node_name = "SigmoidBackward0"

    @staticmethod
    def forward(ctx, x):
        # exp(-|x|) never overflows: σ(x) = 1/(1+e^-x) for x >= 0, e^x/(1+e^x) for x < 0.
        e = np.exp(-np.abs(x._array))
        out = _make(np.where(x._array >= 0, 1 / (1 + e), e / (1 + e)))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class Relu(Function):
    """d relu(x) = dx where x > 0, else 0."""

    _node_name = "ReluBackward0"

    @staticmethod
    def forward(ctx, x):
        out = _make(np.maximum(x._array, 0))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        # grad * mask: NumPy multiplies float by bool directly (much faster than np.where).
        # Only an infinite upstream gradient differs from PyTorch: inf * 0 is nan, not 0.
        return Mul.apply(grad, _make(out._array > 0))


class Clamp(Function):
    """The gradient passes where min <= x <= max (bounds included, as in PyTorch)."""

    _node_name = "ClampBackward1"

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x)
        ctx.bounds = low, high
        return np.clip(x._array, low, high)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        low, high = ctx.bounds
        inside = np.ones(x._array.shape, dtype=bool)
        if low is not None:
            inside &= x._array >= low
        if high is not None:
            inside &= x._array <= high
        return Mul.apply(grad, _make(inside)), None, None


class ToDtype(Function):
    """A dtype conversion; the gradient is converted back to the input's dtype."""

    _node_name = "ToCopyBackward0"

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dtype = x._array.dtype
        return x._array.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad.to(ctx.dtype), None


class Clone(Function):
    """A copy: the gradient passes through."""

    _node_name = "CloneBackward0"

    @staticmethod
    def forward(ctx, x):
        return x._array.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


# ---- reductions --------------------------------------------------------------------------
def _kept_shape(shape: tuple[int, ...], dims: tuple[int, ...] | None) -> tuple[int, ...]:
    """The shape after reducing ``dims`` with keepdim=True."""
    if dims is None:
        return (1,) * len(shape)
    return tuple(1 if i in dims else s for i, s in enumerate(shape))


def _sum(array: np.ndarray, dims: tuple[int, ...] | None, keepdim: bool) -> np.ndarray:
    """``array.sum(dims)``. Summing the rows of a 2-D float array (a bias gradient) is done
    as the product 1ᵀA: BLAS computes it several times faster than NumPy's strided reduction
    (3 µs instead of 24 µs for 1000 x 16), with the same float32 accuracy."""
    if dims == (0,) and array.ndim == 2 and array.dtype.kind == "f":
        out = np.ones(array.shape[0], dtype=array.dtype) @ array
        return out[None, :] if keepdim else out
    return array.sum(axis=dims, keepdims=keepdim)


class Sum(Function):
    """Every summed element gets the output's gradient: expand it back."""

    _node_name = "SumBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape = x._array.shape
        ctx.kept = _kept_shape(ctx.shape, dims)
        if dims is not None:
            ctx._node_name = "SumBackward1"
        return _sum(x._array, dims, keepdim)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.kept).expand(ctx.shape), None, None


class Mean(Function):
    """Each of the n averaged elements gets 1/n of the output's gradient."""

    _node_name = "MeanBackward0"

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.shape = x._array.shape
        ctx.kept = _kept_shape(ctx.shape, dims)
        out = x._array.mean(axis=dims, keepdims=keepdim)
        ctx.count = x._array.size // max(out.size, 1) if x._array.size else 0
        if dims is not None:
            ctx._node_name = "MeanBackward1"
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.kept).expand(ctx.shape) / ctx.count, None, None


class MaxAll(Function):
    """max()/min() of all elements: the gradient is shared equally among the ties."""

    _node_name = "MaxBackward1"

    @staticmethod
    def forward(ctx, x, kind):
        if x._array.size == 0:
            raise RuntimeError(
                f"{kind}(): Expected reduction dim to be specified for input.numel() == 0."
            )
        out = x._array.max() if kind == "max" else x._array.min()
        ctx.save_for_backward(x)
        ctx.winners = x._array == out
        if kind == "min":
            ctx._node_name = "MinBackward1"
        return np.asarray(out)

    @staticmethod
    def backward(ctx, grad):
        share = _make(ctx.winners / ctx.winners.sum()).to(grad._array.dtype)
        return grad * share, None


class MaxDim(Function):
    """max/min along a dim: the gradient goes to the (first) selected index only."""

    _node_name = "MaxBackward0"

    @staticmethod
    def forward(ctx, x, dim, keepdim, kind):
        pick = np.argmax if kind == "max" else np.argmin
        ctx.indices = np.expand_dims(pick(x._array, axis=dim), dim)
        ctx.shape, ctx.dim, ctx.keepdim = x._array.shape, dim, keepdim
        values = np.take_along_axis(x._array, ctx.indices, axis=dim)
        if kind == "min":
            ctx._node_name = "MinBackward0"
        return values if keepdim else values.squeeze(dim)

    @staticmethod
    def backward(ctx, grad):
        chosen = np.zeros(ctx.shape, dtype=grad._array.dtype)
        np.put_along_axis(chosen, ctx.indices, 1, axis=ctx.dim)
        g = grad if ctx.keepdim else grad.unsqueeze(ctx.dim)
        return g * _make(chosen), None, None, None


MaxMin = namedtuple("MaxMin", ["values", "indices"])


def reduce_extreme(x: Tensor, dim: Any, keepdim: bool, kind: str) -> Any:
    """``x.max()`` -> a tensor; ``x.max(dim)`` -> (values, indices), as in PyTorch."""
    if dim is None:
        return MaxAll.apply(x, kind)
    d = _dims(dim, x.ndim)[0]
    values = MaxDim.apply(x, d, keepdim, kind)
    pick = np.argmax if kind == "max" else np.argmin
    return MaxMin(values, _make(pick(x._array, axis=d, keepdims=keepdim).astype(np.int64)))


class Softmax(Function):
    """dsoftmax: s * (g - Σ g s) along dim, with s the softmax output."""

    _node_name = "SoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        shifted = np.exp(x._array - x._array.max(axis=dim, keepdims=True))
        out = _make(shifted / shifted.sum(axis=dim, keepdims=True))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (s,) = ctx.saved_tensors
        return s * (grad - (grad * s).sum(ctx.dim, keepdim=True)), None


class LogSoftmax(Function):
    """dlog_softmax: g - softmax * Σ g along dim (log-sum-exp keeps the forward stable)."""

    _node_name = "LogSoftmaxBackward0"

    @staticmethod
    def forward(ctx, x, dim):
        shifted = x._array - x._array.max(axis=dim, keepdims=True)
        out = _make(shifted - np.log(np.exp(shifted).sum(axis=dim, keepdims=True)))
        ctx.save_for_backward(out)
        ctx.dim = dim
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad - out.exp() * grad.sum(ctx.dim, keepdim=True), None


# ---- matrix product ------------------------------------------------------------------------
class MatMul(Function):
    """d(A @ B) = dA @ B + A @ dB, so grad_A = G @ Bᵀ and grad_B = Aᵀ @ G."""

    _node_name = "MmBackward0"

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        ctx.shapes = a._array.shape, b._array.shape
        if a._array.dtype != b._array.dtype:
            raise RuntimeError(
                f"expected m1 and m2 to have the same dtype, but got: {a._array.dtype} != "
                f"{b._array.dtype} (convert one, e.g. x.float() or w.double())"
            )
        if a._array.ndim == 0 or b._array.ndim == 0:
            raise RuntimeError(
                "both arguments to matmul need to be at least 1D, but they are "
                f"{a._array.ndim}D and {b._array.ndim}D"
            )
        if (a._array.ndim, b._array.ndim) != (2, 2):
            names = {(1, 1): "DotBackward0", (2, 1): "MvBackward0"}
            ctx._node_name = names.get((a._array.ndim, b._array.ndim), "MatmulBackward0")
        return np.matmul(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        if len(shape_a) == 2 and len(shape_b) == 2:  # the common case, kept simple
            return (grad @ b.mT if b is not None else None, a.mT @ grad if a is not None else None)
        # 1-D operands act as a row (left) or a column (right) vector; batches broadcast.
        g = grad
        if len(shape_b) == 1:
            g = g.unsqueeze(-1)
        if len(shape_a) == 1:
            g = g.unsqueeze(-2)
        grad_a = grad_b = None
        if b is not None:
            b2 = b.unsqueeze(-1) if len(shape_b) == 1 else b
            grad_a = sum_to(g @ b2.mT, shape_a if len(shape_a) > 1 else (1,) + shape_a)
            grad_a = grad_a.reshape(shape_a)
        if a is not None:
            a2 = a.unsqueeze(-2) if len(shape_a) == 1 else a
            grad_b = sum_to(a2.mT @ g, shape_b if len(shape_b) > 1 else shape_b + (1,))
            grad_b = grad_b.reshape(shape_b)
        return grad_a, grad_b

    @classmethod
    def _shape_error(cls, args, err):
        a, b = (t._array.shape for t in args)
        if len(a) == 1 and len(b) == 1:
            return (
                f"inconsistent tensor size, expected tensor [{a[0]}] and src [{b[0]}] to have the "
                f"same number of elements, but got {a[0]} and {b[0]} elements respectively"
            )
        rows = "x".join(map(str, a if len(a) > 1 else (1,) + a))
        cols = "x".join(map(str, b if len(b) > 1 else b + (1,)))
        return (
            f"mat1 and mat2 shapes cannot be multiplied ({rows} and {cols}): the last size of "
            "the first must equal the first size of the second (transpose one, e.g. w.T)"
        )


# ---- shapes ----------------------------------------------------------------------------------
class Reshape(Function):
    """Only the layout changes: reshape the gradient back."""

    _node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, x, shape, node_name):
        ctx.shape, ctx._node_name = x._array.shape, node_name
        return x._array.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return Reshape.apply(grad, ctx.shape, "ViewBackward0"), None, None

    @classmethod
    def _shape_error(cls, args, err):
        x, shape = args[0], args[1]
        return (
            f"shape '{list(shape)}' is invalid for input of size {x._array.size} "
            f"(the input has shape {list(x._array.shape)}; the new shape must hold the same "
            "number of elements, use -1 to let one size be inferred)"
        )


class Permute(Function):
    """Axes are reordered: apply the inverse order to the gradient."""

    _node_name = "PermuteBackward0"

    @staticmethod
    def forward(ctx, x, axes, node_name):
        ctx.inverse = tuple(sorted(range(len(axes)), key=axes.__getitem__))
        ctx._node_name = node_name
        return x._array.transpose(axes)

    @staticmethod
    def backward(ctx, grad):
        return Permute.apply(grad, ctx.inverse, "PermuteBackward0"), None, None


class Expand(Function):
    """Broadcast to a larger shape; the copies' gradients are summed back."""

    _node_name = "ExpandBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._array.shape
        return np.broadcast_to(x._array, shape)

    @staticmethod
    def backward(ctx, grad):
        return sum_to(grad, ctx.shape), None

    @classmethod
    def _shape_error(cls, args, err):
        x, shape = args
        return (
            f"The expanded size of the tensor must match the existing size at non-singleton "
            f"dimensions (cannot expand shape {list(x._array.shape)} to {list(shape)})"
        )


class SumToSize(Function):
    """Sum over broadcast axes (leading ones, then size-1 ones); the inverse of Expand."""

    _node_name = "SumToSizeBackward0"

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x._array.shape
        lead = x._array.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, s in enumerate(shape) if s == 1 and x._array.shape[lead + i] != 1
        )
        out = _sum(x._array, axes, keepdim=True) if axes else x._array
        return out.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape), None


# ---- indexing and joining --------------------------------------------------------------------
def _is_basic(key: Any) -> bool:
    """Ints, slices, None and ... select without repeats, so a plain assignment suffices."""
    keys = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, int | slice) for k in keys)


class Index(Function):
    """x[key]: the gradient is scattered back to the selected places (repeats accumulate)."""

    _node_name = "IndexBackward0"

    @staticmethod
    def forward(ctx, x, key):
        ctx.shape, ctx.key = x._array.shape, key
        if _is_basic(key):
            ctx._node_name = "SelectBackward0" if isinstance(key, int) else "SliceBackward0"
        return x._array[key]

    @staticmethod
    def backward(ctx, grad):
        return IndexAdd.apply(grad, ctx.shape, ctx.key), None


class IndexAdd(Function):
    """Scatter ``grad`` into zeros of ``shape`` at ``key``; its own gradient is an index."""

    _node_name = "IndexAddBackward0"

    @staticmethod
    def forward(ctx, grad, shape, key):
        ctx.key = key
        out = np.zeros(shape, dtype=grad._array.dtype)
        if _is_basic(key):
            out[key] = grad._array
        else:
            np.add.at(out, key, grad._array)
        return out

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.key], None, None


class IndexPut(Function):
    """x[key] = v, recorded: x's gradient is zero at ``key``; v gets the gradient there."""

    _node_name = "IndexPutBackward0"

    @staticmethod
    def forward(ctx, x, key, value):
        ctx.key, ctx.value_shape = key, value._array.shape
        out = x._array.copy()
        out[key] = value._array
        return out

    @staticmethod
    def backward(ctx, grad):
        kept = grad._array.copy()
        kept[ctx.key] = 0
        return _make(kept) * 1, None, sum_to(grad[ctx.key], ctx.value_shape)


class Cat(Function):
    """Join along ``dim``; each input gets its slice of the gradient back."""

    _node_name = "CatBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        ctx.bounds = np.cumsum([0] + [t._array.shape[dim] for t in tensors])
        return np.concatenate([t._array for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        pieces = [
            grad[lead + (slice(int(lo), int(hi)),)]
            for lo, hi in zip(ctx.bounds[:-1], ctx.bounds[1:], strict=True)
        ]
        return (None, *pieces)

    @classmethod
    def _shape_error(cls, args, err):
        shapes = [list(t._array.shape) for t in args[1:]]
        return f"Sizes of tensors must match except in dimension {args[0]} (got shapes {shapes})"


class Stack(Function):
    """Stack along a new ``dim``; each input gets its index of the gradient back."""

    _node_name = "StackBackward0"

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim, ctx.count = dim, len(tensors)
        return np.stack([t._array for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        lead = (slice(None),) * ctx.dim
        return (None, *(grad[lead + (i,)] for i in range(ctx.count)))

    @classmethod
    def _shape_error(cls, args, err):
        shapes = [list(t._array.shape) for t in args[1:]]
        return f"stack expects each tensor to be equal size, but got shapes {shapes}"


class Where(Function):
    """where(c, a, b): a's gradient where c holds, b's where it does not."""

    _node_name = "WhereBackward0"

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition._array
        ctx.shapes = a._array.shape, b._array.shape
        return np.where(ctx.condition, a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        _, need_a, need_b = ctx.needs_input_grad
        zero = _zero(grad)
        cond = _make(ctx.condition)
        return (
            None,
            sum_to(Where.apply(cond, grad, zero), ctx.shapes[0]) if need_a else None,
            sum_to(Where.apply(cond, zero, grad), ctx.shapes[1]) if need_b else None,
        )
