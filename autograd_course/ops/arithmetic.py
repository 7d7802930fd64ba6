"""Arithmetic: + - * / ** and negation, each forward next to its derivative.

``forward`` gets NumPy arrays and returns one; ``backward`` gets d(loss)/d(output) as a tensor
and returns d(loss)/d(input) for each input, written with tensor operations (so that it can be
differentiated again), or None where the input needs no gradient. If an input was broadcast
(a bias of shape (1,) added to 1,500 rows), its gradient comes back in the output's shape and
the engine sums it to the input's shape: ``Add.backward`` really is just ``grad, grad``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._args import as_tensor, floating, operands
from ..autograd.function import Function
from ..tensor import Tensor, tensor_method

_QUIET = {"divide": "ignore", "invalid": "ignore", "over": "ignore"}  # inf and nan, as PyTorch


class Op(Function):
    """A built-in operation: ``apply`` hands ``forward`` the inputs' NumPy arrays."""

    forward_on_arrays = True


class Add(Op):
    """d(a + b) = da + db: the gradient reaches both inputs unchanged."""

    node_name = "AddBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class Sub(Op):
    """d(a - b) = da - db."""

    node_name = "SubBackward0"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        return grad, -grad


class Rsub(Op):
    """number - x (``1.0 - x``): d/dx = -1; the number is not a graph input."""

    node_name = "RsubBackward1"

    @staticmethod
    def forward(ctx, x, number):
        return number - x

    @staticmethod
    def backward(ctx, grad):
        return -grad, None


class Mul(Op):
    """d(a b) = b da + a db: each input's gradient is scaled by the other input, so an input
    is saved only when the other one needs a gradient (as PyTorch does: ``d * 2`` keeps 2)."""

    node_name = "MulBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        need_a, need_b = ctx.needs_input_grad
        ctx.save_for_backward(a if need_b else None, b if need_a else None)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad * b if need_a else None, grad * a if need_b else None


class Div(Op):
    """d(a / b) = da / b - a db / b²."""

    node_name = "DivBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        with np.errstate(**_QUIET):
            return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad / b if need_a else None, -grad * a / (b * b) if need_b else None


class Neg(Op):
    """d(-x) = -dx."""

    node_name = "NegBackward0"

    @staticmethod
    def forward(ctx, x):
        return -x

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Reciprocal(Op):
    """d(1/x) = -dx / x² = -(1/x)² dx (the output is saved and reused)."""

    node_name = "ReciprocalBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_QUIET):
            out = 1 / x
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return -grad * out * out


class PowScalar(Op):
    """d(x^c) = c x^(c-1) dx, for a number c."""

    node_name = "PowBackward0"
    saved_names = ("self",)
    saved_values = ("exponent",)

    @staticmethod
    def forward(ctx, x, exponent):
        ctx.save_for_backward(x)
        ctx.exponent = exponent
        if type(exponent) is int and exponent >= 0:  # x**2 cannot divide by 0: no errstate
            return x**exponent
        with np.errstate(**_QUIET):
            return x**exponent

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        c = ctx.exponent
        if c == 0:
            return grad * 0, None
        return grad * c * (x if c == 2 else x ** (c - 1)), None


class Pow(Op):
    """d(a^b) = b a^(b-1) da + a^b ln(a) db (the ln term taken as 0 where a = 0)."""

    node_name = "PowBackward1"
    saved_names = ("self", "exponent", "result")

    @staticmethod
    def forward(ctx, a, b):
        with np.errstate(**_QUIET):
            out = a**b
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad * b * a ** (b - 1) if need_a else None
        grad_b = grad * out * _log_or_zero(a) if need_b else None
        return grad_a, grad_b


class PowScalarBase(Op):
    """d(c^x) = c^x ln(c) dx, for a number c (``2 ** x``)."""

    node_name = "PowBackward2"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x, base):
        with np.errstate(**_QUIET):
            out = base**x
        ctx.save_for_backward(out)
        ctx.log_base = np.log(base) if base > 0 else np.zeros_like(base)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * float(ctx.log_base), None


def _log_or_zero(a: Tensor) -> Tensor:
    """ln(a) where a > 0, else 0 (the derivative of a^b with respect to b uses it)."""
    return a.clamp(min=np.finfo(a._array.dtype).tiny).log() * (a > 0)


# ---- the operators and methods built on them ---------------------------------------------------
@tensor_method("__add__", "add")
def add(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``self + alpha * other``."""
    return Add.apply(*operands(self, other if alpha == 1 else other * alpha))


@tensor_method("__radd__")
def _radd(self: Tensor, other: Any) -> Tensor:
    return Add.apply(*operands(self, other))


@tensor_method("__sub__", "sub", "subtract")
def sub(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``self - alpha * other``."""
    return Sub.apply(*operands(self, other if alpha == 1 else other * alpha))


@tensor_method("__rsub__")
def _rsub(self: Tensor, other: Any) -> Tensor:
    if not isinstance(other, int | float):  # an array on the left: an ordinary subtraction
        return Sub.apply(*operands(as_tensor(other), self))
    x, number = operands(self, other)
    return Rsub.apply(x, number._array)


@tensor_method("__mul__", "__rmul__", "mul", "multiply")
def mul(self: Tensor, other: Any) -> Tensor:
    """Element-wise product (``self`` first, also for ``2 * x``, as in PyTorch)."""
    return Mul.apply(*operands(self, other))


@tensor_method("__truediv__", "div", "divide", "true_divide")
def div(self: Tensor, other: Any) -> Tensor:
    """Element-wise quotient; integers are divided as floats."""
    a, b = operands(floating(self), other)
    return Div.apply(floating(a), floating(b))


@tensor_method("__rtruediv__")
def _rtruediv(self: Tensor, other: Any) -> Tensor:
    return floating(self).reciprocal() * other  # PyTorch's own definition of number / x


@tensor_method("__neg__", "neg", "negative")
def neg(self: Tensor) -> Tensor:
    return Neg.apply(self)


@tensor_method("__pos__", "positive")
def _pos(self: Tensor) -> Tensor:
    return self


@tensor_method("reciprocal")
def reciprocal(self: Tensor) -> Tensor:
    """1 / x element-wise."""
    return Reciprocal.apply(floating(self))


@tensor_method("__pow__", "pow")
def pow_(self: Tensor, exponent: Any) -> Tensor:
    """``self ** exponent`` for a number or a tensor exponent."""
    if isinstance(exponent, Tensor):
        return Pow.apply(*operands(self, exponent))
    if isinstance(exponent, float) and self._array.dtype.kind != "f":
        self = floating(self)  # an integer tensor to a float power is a float tensor
    return PowScalar.apply(self, exponent)


@tensor_method("__rpow__")
def _rpow(self: Tensor, base: Any) -> Tensor:
    if isinstance(base, Tensor | np.ndarray):
        return Pow.apply(*operands(base, self))
    x, number = operands(self, base)
    return PowScalarBase.apply(x, number._array)


@tensor_method("square")
def square(self: Tensor) -> Tensor:
    return PowScalar.apply(self, 2)
