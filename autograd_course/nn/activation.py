"""Activation functions and their modules, composed from tensor operations as PyTorch defines them.

Each function is a line or two of existing differentiable operations, so autograd derives
its gradient (and second derivatives) with no new backward. The one new primitive is
``Erf`` (the Gauss error function, which GELU needs and NumPy lacks), written as an ``Op``
with its derivative 2/√π · exp(-x²) beside it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..creation import full
from ..ops.arithmetic import Op
from ..ops.indexing import where
from ..tensor import Tensor
from .module import Module
from .parameter import Parameter

_erf = np.frompyfunc(math.erf, 1, 1)  # exact to the last bit, element by element


class Erf(Op):
    """erf(x) = 2/√π ∫₀ˣ exp(-t²) dt; d erf(x)/dx = 2/√π exp(-x²)."""

    node_name = "ErfBackward0"

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _erf(x).astype(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (2 / math.sqrt(math.pi)) * (-x * x).exp()


def erf(input: Tensor) -> Tensor:
    """The Gauss error function, elementwise."""
    return Erf.apply(input)


# ----- functions -----------------------------------------------------------------------------


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x for x > 0, negative_slope * x otherwise."""
    return where(input > 0, input, input * negative_slope)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x for x > 0, alpha (exp(x) - 1) otherwise (exp only of x <= 0, so it never overflows)."""
    return where(input > 0, input, (input.clamp(max=0).exp() - 1) * alpha)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1))."""
    return where(input > 0, input, ((input.clamp(max=0) / alpha).exp() - 1) * alpha)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """scale * elu(x, alpha) with the self-normalising constants of Klambauer et al. (2017)."""
    return elu(input, _SELU_ALPHA) * _SELU_SCALE


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x Φ(x), Φ the standard normal CDF; ``approximate='tanh'`` uses tanh instead of erf."""
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2 / math.pi)
        return input * 0.5 * (inner.tanh() + 1)
    if approximate != "none":
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate}")
    return input * 0.5 * (erf(input / math.sqrt(2)) + 1)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (already linear)."""
    scaled = input * beta
    # max(z, 0) + log1p(exp(-|z|)) is log(1 + exp(z)) without overflow for large z; maximum
    # splits its gradient at a tie, so the derivative at 0 is sigmoid(0) = 1/2, as it should be.
    smooth = (scaled.maximum(scaled.new_zeros(())) + (-scaled.abs()).exp().log1p()) / beta
    return where(scaled > threshold, input, smooth)


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """x sigmoid(x) (also called swish)."""
    return input * input.sigmoid()


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """x tanh(softplus(x))."""
    return input * softplus(input).tanh()


def hardtanh(
    input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False
) -> Tensor:
    """x clamped to [min_val, max_val]."""
    return input.clamp(min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """min(max(x, 0), 6)."""
    return input.clamp(0, 6)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """relu6(x + 3) / 6: a piecewise-linear sigmoid."""
    return (input + 3).clamp(0, 6) / 6


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """x relu6(x + 3) / 6."""
    return input * hardsigmoid(input)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(x)) = -softplus(-x), computed stably."""
    return -softplus(-input)


def softsign(input: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def tanhshrink(input: Tensor) -> Tensor:
    """x - tanh(x)."""
    return input - input.tanh()


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    """x where x > threshold, ``value`` elsewhere."""
    return where(input > threshold, input, full(tuple(input.shape), value, dtype=input.dtype))


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """x for x > 0, weight * x otherwise; weight has one value or one per channel (dim 1)."""
    if weight.numel() > 1 and input.dim() > 1:
        weight = weight.reshape([-1] + [1] * (input.dim() - 2))
    return where(input > 0, input, input * weight)


def softmin(input: Tensor, dim: int) -> Tensor:
    """softmax(-x) along ``dim``."""
    return (-input).softmax(dim)


# ----- modules ----------------------------------------------------------------------------------


def _inplace(inplace: bool) -> str:
    return ", inplace=True" if inplace else ""


class LeakyReLU(Module):
    """x for x > 0, negative_slope * x otherwise: a small slope keeps negative units learning."""

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        return leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}{_inplace(self.inplace)}"


class ELU(Module):
    """x for x > 0, alpha (exp(x) - 1) otherwise."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        return elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}{_inplace(self.inplace)}"


class CELU(ELU):
    """max(0, x) + min(0, alpha (exp(x / alpha) - 1))."""

    def forward(self, input: Tensor) -> Tensor:
        return celu(input, self.alpha)


class SELU(Module):
    """Scaled ELU with the self-normalising constants."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return selu(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class GELU(Module):
    """x Φ(x), the Gaussian error linear unit (transformers' usual activation)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + exp(beta x)) / beta: a smooth ReLU, always positive."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class _Simple(Module):
    """An activation with no settings but PyTorch's ``inplace`` flag (accepted, not used)."""

    function: Any = None

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return type(self).function(input)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class SiLU(_Simple):
    """x sigmoid(x)."""

    function = staticmethod(silu)


class Mish(_Simple):
    """x tanh(softplus(x))."""

    function = staticmethod(mish)


class ReLU6(_Simple):
    """min(max(x, 0), 6)."""

    function = staticmethod(relu6)


class Hardsigmoid(_Simple):
    """relu6(x + 3) / 6."""

    function = staticmethod(hardsigmoid)


class Hardswish(_Simple):
    """x relu6(x + 3) / 6."""

    function = staticmethod(hardswish)


class LogSigmoid(Module):
    """log(sigmoid(x)), stably."""

    def forward(self, input: Tensor) -> Tensor:
        return logsigmoid(input)


class Softsign(Module):
    """x / (1 + |x|)."""

    def forward(self, input: Tensor) -> Tensor:
        return softsign(input)


class Tanhshrink(Module):
    """x - tanh(x)."""

    def forward(self, input: Tensor) -> Tensor:
        return tanhshrink(input)


class Hardtanh(Module):
    """x clamped to [min_val, max_val]."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, input: Tensor) -> Tensor:
        return hardtanh(input, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}{_inplace(self.inplace)}"


class Threshold(Module):
    """x where x > threshold, ``value`` elsewhere."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, input: Tensor) -> Tensor:
        return threshold(input, self.threshold, self.value)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}{_inplace(self.inplace)}"


class PReLU(Module):
    """Leaky ReLU whose negative slope is learned (one per channel, or one shared)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.weight = Parameter(full((num_parameters,), init, dtype=dtype))

    def forward(self, input: Tensor) -> Tensor:
        return prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class _Normalizer(Module):
    """Softmax-like modules: remember the dimension they normalise over."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def _dim(self, input: Tensor) -> int:
        # PyTorch's legacy choice when no dim is given (with a warning there): 0 for 0-, 1-
        # and 3-D inputs, 1 otherwise.
        if self.dim is not None:
            return self.dim
        return 0 if input.dim() in (0, 1, 3) else 1

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_Normalizer):
    """exp(x) / Σ exp(x) along ``dim``: scores to probabilities that sum to 1."""

    def forward(self, input: Tensor) -> Tensor:
        return input.softmax(self._dim(input))


class LogSoftmax(_Normalizer):
    """log(softmax(x)) along ``dim``, computed stably (pair it with NLLLoss)."""

    def forward(self, input: Tensor) -> Tensor:
        return input.log_softmax(self._dim(input))


class Softmin(_Normalizer):
    """softmax(-x) along ``dim``."""

    def forward(self, input: Tensor) -> Tensor:
        return softmin(input, self._dim(input))
