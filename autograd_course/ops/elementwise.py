"""Element-wise functions: exp, log, sqrt, abs, sin, cos, tanh, sigmoid, relu, clamp, and the
element-wise maximum and minimum of two tensors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import _messages as msg
from .._args import floating, operands
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import _QUIET, Op


class Exp(Op):
    """d(e^x) = e^x dx (the output is saved and reused)."""

    node_name = "ExpBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_QUIET):
            out = np.exp(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Op):
    """d(ln x) = dx / x."""

    node_name = "LogBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.log(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
    """d(√x) = dx / (2√x)."""

    node_name = "SqrtBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_QUIET):
            out = np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Abs(Op):
    """d|x| = sign(x) dx (0 at x = 0, as in PyTorch)."""

    node_name = "AbsBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * _make(np.sign(x._array))


class Sin(Op):
    """d(sin x) = cos x dx."""

    node_name = "SinBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cos()


class Cos(Op):
    """d(cos x) = -sin x dx."""

    node_name = "CosBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * x.sin()


class Tanh(Op):
    """d(tanh x) = (1 - tanh² x) dx."""

    node_name = "TanhBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        out = np.tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class Sigmoid(Op):
    """d σ(x) = σ(x) (1 - σ(x)) dx."""

    node_name = "SigmoidBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        # exp(-|x|) never overflows: σ(x) = 1/(1+e^-x) for x >= 0, e^x/(1+e^x) for x < 0.
        e = np.exp(-np.abs(x))
        out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class Relu(Op):
    """d relu(x) = dx where x > 0, else 0."""

    node_name = "ReluBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        out = np.maximum(x, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return _pass_where(grad, out._array > 0)


class Clamp(Op):
    """The gradient passes where min <= x <= max (bounds included, as in PyTorch)."""

    node_name = "ClampBackward1"
    saved_names = ("self",)
    saved_values = ("min", "max")

    @staticmethod
    def forward(ctx, x, low, high):
        ctx.save_for_backward(x)
        ctx.min, ctx.max = low, high
        return np.clip(x, low, high)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        inside = np.ones(x._array.shape, dtype=bool)
        if ctx.min is not None:
            inside &= x._array >= ctx.min
        if ctx.max is not None:
            inside &= x._array <= ctx.max
        return _pass_where(grad, inside), None, None


def _pass_where(grad: Tensor, mask: np.ndarray) -> Tensor:
    """``grad`` where ``mask`` holds, 0 elsewhere (0 even for an infinite grad, as PyTorch)."""
    return MaskGrad.apply(grad, mask)


class MaskGrad(Op):
    """grad masked by a fixed boolean array; its own derivative is the same mask."""

    node_name = "ThresholdBackwardBackward0"

    @staticmethod
    def forward(ctx, g, mask):
        ctx.mask = mask
        # Multiplying by a bool mask is several times faster than np.where, but inf * 0 is
        # nan. One sum shows whether g holds an inf or a nan (or overflows: then the slow
        # path is merely not needed), so the common case costs a single reduction.
        if math.isfinite(np.add.reduce(g, axis=None)):
            return g * mask
        with np.errstate(invalid="ignore"):
            out = g * mask
        out[~mask] = 0
        return out

    @staticmethod
    def backward(ctx, grad):
        return MaskGrad.apply(grad, ctx.mask), None


class Maximum(Op):
    """The gradient goes to the larger input; on a tie it is split in half, as in PyTorch."""

    node_name = "MaximumBackward0"
    saved_names = ("self", "other")
    pick = staticmethod(np.maximum)
    sign = 1

    @classmethod
    def forward(cls, ctx, a, b):
        ctx.save_for_backward(a, b)
        return cls.pick(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        difference = (a._array - b._array) * ctx.sign
        a_share = _make(((difference > 0) + 0.5 * (difference == 0)).astype(grad._array.dtype))
        return grad * a_share, grad * (1 - a_share)


class Minimum(Maximum):
    """The gradient goes to the smaller input; on a tie it is split in half."""

    node_name = "MinimumBackward0"
    pick = staticmethod(np.minimum)
    sign = -1


def _unary(name: str, op: type[Op], to_float: bool = True) -> None:
    def method(self: Tensor) -> Tensor:
        return op.apply(floating(self) if to_float else self)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = op.__doc__
    tensor_method(name)(method)


for _name, _op in [("exp", Exp), ("log", Log), ("sqrt", Sqrt), ("sin", Sin), ("cos", Cos),
                   ("tanh", Tanh), ("sigmoid", Sigmoid)]:  # fmt: skip
    _unary(_name, _op)
_unary("abs", Abs, to_float=False)
_unary("__abs__", Abs, to_float=False)
_unary("relu", Relu, to_float=False)


@tensor_method("clamp", "clip")
def clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    """Limit each element to [min, max]; the gradient is zero where a bound was applied."""
    if min is None and max is None:
        raise RuntimeError(msg.clamp_without_bounds())
    return Clamp.apply(self, min, max)


@tensor_method("maximum")
def maximum(self: Tensor, other: Tensor) -> Tensor:
    """Element-wise larger value (the gradient is split on ties)."""
    return Maximum.apply(*operands(self, other))


@tensor_method("minimum")
def minimum(self: Tensor, other: Tensor) -> Tensor:
    """Element-wise smaller value (the gradient is split on ties)."""
    return Minimum.apply(*operands(self, other))
