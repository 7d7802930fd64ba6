"""The rest of the trigonometric and hyperbolic family: tan, asin, acos, atan, atan2, sinh,
cosh, asinh, acosh, atanh (with NumPy's ``arc*`` names, as PyTorch has them), and the vector
cross product. Each backward is the derivative from a table, written with tensor operations so
that second derivatives work too.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .._args import dim as _dim
from .._args import floating, operands
from ..tensor import Tensor, tensor_method
from .arithmetic import _QUIET, Op
from .pointwise import _in_place_form


class Tan(Op):
    """d tan x = (1 + tan² x) dx."""

    node_name = "TanBackward0"
    saved_names = ("result",)

    @staticmethod
    def forward(ctx, x):
        out = np.tan(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 + out * out)


class Asin(Op):
    """d asin x = dx / √(1 - x²)."""

    node_name = "AsinBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.arcsin(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (1 - x * x).rsqrt()


class Acos(Op):
    """d acos x = -dx / √(1 - x²)."""

    node_name = "AcosBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.arccos(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * (1 - x * x).rsqrt()


class Atan(Op):
    """d atan x = dx / (1 + x²)."""

    node_name = "AtanBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arctan(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1 + x * x)


class Sinh(Op):
    """d sinh x = cosh x dx."""

    node_name = "SinhBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.sinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.cosh()


class Cosh(Op):
    """d cosh x = sinh x dx."""

    node_name = "CoshBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.cosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * x.sinh()


class Asinh(Op):
    """d asinh x = dx / √(x² + 1)."""

    node_name = "AsinhBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.arcsinh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x + 1).rsqrt()


class Acosh(Op):
    """d acosh x = dx / √(x² - 1)."""

    node_name = "AcoshBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.arccosh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (x * x - 1).rsqrt()


class Atanh(Op):
    """d atanh x = dx / (1 - x²)."""

    node_name = "AtanhBackward0"
    saved_names = ("self",)

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        with np.errstate(**_QUIET):
            return np.arctanh(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1 - x * x)


class Atan2(Op):
    """atan2(y, x), the angle of the point (x, y): d = (x dy - y dx) / (x² + y²)."""

    node_name = "Atan2Backward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, y, x):
        ctx.save_for_backward(y, x)
        return np.arctan2(y, x)

    @staticmethod
    def backward(ctx, grad):
        y, x = ctx.saved_tensors
        scale = grad / (x * x + y * y)
        return scale * x, -scale * y


class Cross(Op):
    """a × b along ``dim``: d(a × b) = da × b + a × db, so the gradients are b × g and g × a."""

    node_name = "LinalgCrossBackward0"
    saved_names = ("self", "other")

    @staticmethod
    def forward(ctx, a, b, dim):
        ctx.save_for_backward(a, b)
        ctx.dim = dim
        return np.cross(a, b, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return b.cross(grad, dim=ctx.dim), grad.cross(a, dim=ctx.dim), None


def _unary(names: tuple[str, ...], op: type[Op]) -> None:
    def method(self: Tensor) -> Tensor:
        return op.apply(floating(self))

    method.__name__ = method.__qualname__ = names[0]
    method.__doc__ = op.__doc__
    tensor_method(*names)(method)


for _names, _op in [(("tan",), Tan), (("asin", "arcsin"), Asin), (("acos", "arccos"), Acos),
                    (("atan", "arctan"), Atan), (("sinh",), Sinh), (("cosh",), Cosh),
                    (("asinh", "arcsinh"), Asinh), (("acosh", "arccosh"), Acosh),
                    (("atanh", "arctanh"), Atanh)]:  # fmt: skip
    _unary(_names, _op)
    for _name in _names:
        _in_place_form(_name)


@tensor_method("atan2", "arctan2")
def atan2(self: Tensor, other: Any) -> Tensor:
    """The angle of the point (other, self), in (-π, π]."""
    y, x = operands(self, other)
    return Atan2.apply(floating(y), floating(x))


_in_place_form("atan2")


@tensor_method("cross")
def cross(self: Tensor, other: Tensor, dim: int | None = None) -> Tensor:
    """The cross product of 3-vectors along ``dim`` (the first dimension of size 3 when None,
    as ``torch.cross`` does)."""
    a, b = operands(self, other)  # dim=None: the first dimension of size 3, with PyTorch's warning
    if a.shape != b.shape:
        raise RuntimeError(
            f"linalg.cross: inputs must have the same shape, but got {a.shape} and {b.shape}"
        )
    if dim is None:
        warnings.warn(
            "Using autograd_course.cross without specifying the dim arg is deprecated.\nPlease "
            "either pass the dim explicitly or simply use autograd_course.linalg.cross.\nThe "
            "default value of dim will change to agree with that of linalg.cross in a future "
            "release.",
            UserWarning,
            stacklevel=3,
        )
        dim = next((i for i, n in enumerate(a.shape) if n == 3), -1)
    d = _dim(dim, a.ndim)
    if a.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {a.shape[d]} and "
            f"{b.shape[d]}"
        )
    return Cross.apply(a, b, d)
