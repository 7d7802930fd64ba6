"""More element-wise functions: log1p, expm1, log2, log10, rsqrt, and the rounding family
(ceil, floor, round, trunc, sign, frac), with their in-place forms (``x.exp_()``...).

log1p and expm1 exist because ``log(1 + x)`` and ``exp(x) - 1`` lose every digit of a small
``x`` in floating point; NumPy's versions keep them. Rounding is a step function: its
derivative is zero wherever it exists, so PyTorch (and we) send back zeros.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._args import floating
from ..grad_mode import no_grad
from ..tensor import Tensor, _make, tensor_method
from .arithmetic import _QUIET, Op


class Log1p(Op):
    """d log(1 + x) = dx / (1 + x)."""

    node_name = "Log1PBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.log1p(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x + 1)


class Expm1(Op):
    """d (e^x - 1) = e^x dx = (output + 1) dx."""

    node_name = "Expm1Backward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_QUIET):
            out = np.expm1(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (out + 1)


class Rsqrt(Op):
    """d x^(-1/2) = -x^(-3/2) / 2 dx = -out³ / 2 dx."""

    node_name = "RsqrtBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        with np.errstate(**_QUIET):
            out = 1 / np.sqrt(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * out * out * -0.5


class Step(Op):
    """A piecewise constant function (ceil, floor, round, trunc, sign): zero gradient."""

    fn: Any = None

    @classmethod
    def forward(cls, ctx, x):
        return cls.fn(x)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0


def _step(name: str, fn: Any, node: str) -> type[Op]:
    return type(name, (Step,), {"fn": staticmethod(fn), "node_name": node, "__doc__": Step.__doc__})


Ceil = _step("Ceil", np.ceil, "CeilBackward0")
Floor = _step("Floor", np.floor, "FloorBackward0")
Trunc = _step("Trunc", np.trunc, "TruncBackward0")
Round = _step("Round", np.round, "RoundBackward0")  # halves to even, as PyTorch: 2.5 -> 2
Sign = _step("Sign", np.sign, "SignBackward0")


class RoundDecimals(Step):
    """Round to ``decimals`` places (zero gradient)."""

    node_name = "RoundBackward1"

    @staticmethod
    def forward(ctx, x, decimals):
        return np.round(x, decimals)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0, None


# ---- the methods ------------------------------------------------------------------------------
def _method(name: str, fn: Any, doc: str) -> None:
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    tensor_method(name)(fn)


_method("log1p", lambda self: Log1p.apply(floating(self)), "log(1 + x), accurate for small x.")
_method("expm1", lambda self: Expm1.apply(floating(self)), "e^x - 1, accurate for small x.")
_method("rsqrt", lambda self: Rsqrt.apply(floating(self)), "1 / sqrt(x) element-wise.")
_method("log2", lambda self: self.log() / math.log(2), "Base-2 logarithm element-wise.")
_method("log10", lambda self: self.log() / math.log(10), "Base-10 logarithm element-wise.")
_method("exp2", lambda self: 2.0**self, "2 to the power of each element.")


def _rounding(name: str, op: type[Op]) -> None:
    def method(self: Tensor) -> Tensor:
        if self._array.dtype.kind in "iub":  # integers are already whole: a copy, no node
            return _make(op.fn(self._array) if name == "sign" else self._array.copy())
        return op.apply(self)

    _method(name, method, f"``{name}`` of each element; the gradient is zero.")


for _name, _op in [("ceil", Ceil), ("floor", Floor), ("trunc", Trunc), ("fix", Trunc),
                   ("sign", Sign)]:  # fmt: skip
    _rounding(_name, _op)


@tensor_method("round")
def round_(self: Tensor, *, decimals: int = 0) -> Tensor:
    """Round to the nearest integer (halves to even), or to ``decimals`` places."""
    if self._array.dtype.kind in "iub":
        if decimals:
            raise RuntimeError(f'"round_cpu" not implemented for {self.dtype.name!r}')
        return _make(self._array.copy())
    return Round.apply(self) if decimals == 0 else RoundDecimals.apply(self, decimals)


@tensor_method("frac")
def frac(self: Tensor) -> Tensor:
    """The fractional part x - trunc(x) (gradient 1)."""
    return self - self.trunc()


@tensor_method("isnan")
def isnan(self: Tensor) -> Tensor:
    return _make(np.isnan(self._array))


@tensor_method("isinf")
def isinf(self: Tensor) -> Tensor:
    return _make(np.isinf(self._array))


@tensor_method("isfinite")
def isfinite(self: Tensor) -> Tensor:
    return _make(np.isfinite(self._array))


# ---- in-place forms: x.exp_() is x's values replaced by x.exp() -------------------------------
def _in_place_form(name: str) -> None:
    def method(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        def direct() -> None:
            with no_grad():
                new = getattr(self.detach(), name)(*args, **kwargs)._array
            np.copyto(self._array, new, casting="same_kind")

        return self._in_place(lambda old: getattr(old, name)(*args, **kwargs), direct, *args)

    method.__name__ = method.__qualname__ = f"{name}_"
    method.__doc__ = f"In-place ``{name}``: this tensor's values replaced by ``x.{name}()``."
    tensor_method(f"{name}_")(method)


for _name in ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg",
              "reciprocal", "square", "log1p", "expm1", "rsqrt", "log2", "log10", "ceil",
              "floor", "round", "trunc", "sign", "frac", "pow", "maximum", "minimum",
              "clamp_min", "clamp_max", "masked_fill", "negative", "fix", "exp2"):  # fmt: skip
    _in_place_form(_name)


@tensor_method("clamp_min")
def clamp_min(self: Tensor, min: Any) -> Tensor:  # noqa: A002 - PyTorch's name
    return self.clamp(min=min)


@tensor_method("clamp_max")
def clamp_max(self: Tensor, max: Any) -> Tensor:  # noqa: A002
    return self.clamp(max=max)
