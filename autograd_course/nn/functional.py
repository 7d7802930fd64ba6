"""Stateless versions of the layers and losses, as ``torch.nn.functional`` (``import ... as F``).

Where PyTorch records an operation as one graph node with a hand-written derivative
(``linear`` is ``AddmmBackward0``, ``mse_loss`` is ``MseLossBackward0``, the two binary cross
entropies likewise), so do we: each is a ``Function`` with its forward and backward side by
side, and the same node name. One node instead of several also keeps training fast. The
backward formulas use tensor operations, so ``create_graph=True`` still gives second
derivatives. Everything else (``l1_loss``, the activations, ``dropout``) is composed from
tensor operations, exactly as PyTorch composes it, and autograd derives the gradient.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from .. import random as _random
from .._args import operands
from ..autograd.function import Function
from ..creation import from_numpy
from ..ops.arithmetic import Op
from ..tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


# ----- layers ----------------------------------------------------------------------------


class LinearFunction(Op):
    """y = x Wᵀ + b, for x of shape (..., in_features) and W of shape (out_features, in).

    With G = dL/dy and the samples as rows: dL/dx = G W, dL/dW = Gᵀ x, dL/db = G summed over
    the samples (b was added to every row, so every row's gradient reaches it).
    """

    node_name = "AddmmBackward0"

    @staticmethod
    def forward(ctx: Function, input: Tensor, weight: Tensor, bias: Tensor | None) -> np.ndarray:
        ctx.save_for_backward(input, weight)
        output = input @ weight.T
        if bias is not None:
            output += bias  # output is a new array: adding in place is safe
        return output

    @staticmethod
    def backward(ctx: Function, grad: Tensor) -> tuple[Tensor | None, ...]:
        input, weight = ctx.saved_tensors
        need_input, need_weight, need_bias = ctx.needs_input_grad
        # Rows are samples: any leading dimensions (a batch of sequences, say) are flattened.
        grad_rows = grad if grad.ndim == 2 else grad.reshape(-1, grad.shape[-1])
        grad_input = grad @ weight if need_input else None
        grad_weight = None
        if need_weight:
            input_rows = input if input.ndim == 2 else input.reshape(-1, input.shape[-1])
            grad_weight = grad_rows.mT @ input_rows
        grad_bias = grad_rows.sum(0) if need_bias else None
        return grad_input, grad_weight, grad_bias

    @classmethod
    def explain(cls, args: tuple, err: ValueError) -> str:
        input, weight = args[0], args[1]
        rows = math.prod(input.shape[:-1])
        return (
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{input.shape[-1]} and "
            f"{weight.shape[1]}x{weight.shape[0]}): the input's last size must be the layer's "
            f"in_features ({weight.shape[1]})"
        )


class LinearNoBias(LinearFunction):
    """y = x Wᵀ, without a bias: PyTorch's node is then a plain matrix product."""

    node_name = "MmBackward0"


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: weight has shape (out_features, in_features), as in PyTorch."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"linear(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if input.dim() == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are 0D and {weight.dim()}D"
        )
    if input.dtype != weight.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {input.dtype.name} and "
            f"{weight.dtype.name} (convert the input, e.g. x.float() or "
            "autograd_course.tensor(data, dtype=autograd_course.float32))"
        )
    return (LinearFunction if bias is not None else LinearNoBias).apply(input, weight, bias)


def relu(input: Tensor) -> Tensor:
    """max(x, 0) elementwise."""
    return input.relu()


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + exp(-x)) elementwise."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent elementwise."""
    return input.tanh()


def softmax(input: Tensor, dim: int) -> Tensor:
    """exp(x) / sum(exp(x)) along ``dim``: turns scores into probabilities."""
    return input.softmax(dim)


def log_softmax(input: Tensor, dim: int) -> Tensor:
    """log(softmax(x)) along ``dim``, computed stably."""
    return input.log_softmax(dim)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1/(1-p) (training only).

    The scaling keeps the expected value of every element unchanged, so nothing needs to
    change at evaluation time, when dropout does nothing.
    """
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if inplace:
        raise NotImplementedError(
            "dropout with inplace=True is not supported; use inplace=False (the default)"
        )
    if not training or p == 0.0:
        return input
    keep = _random.generator().random(tuple(input.shape)) >= p  # True with probability 1 - p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return input * from_numpy((keep * scale).astype(input._array.dtype))


# ----- losses: shared checks ------------------------------------------------------------------


def _check_reduction(reduction: str) -> None:
    """Reject an unknown reduction before any work is done."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _warn_if_sizes_differ(input: Tensor, target: Tensor) -> None:
    """PyTorch's warning: (3, 1) against (3,) broadcasts to (3, 3), almost never what was meant."""
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def _check_not_differentiable(function: str, **tensors: Tensor | None) -> None:
    """PyTorch gives no gradient for a loss's ``weight`` or ``pos_weight``; say so up front."""
    for name, t in tensors.items():
        if t is not None and t.requires_grad:
            raise RuntimeError(
                f"The function '{function}' is not differentiable with respect to argument "
                f"'{name}'. This input cannot have requires_grad True."
            )


def _reduce_values(loss: np.ndarray, reduction: str) -> np.ndarray:
    """The forward half of a reduction: average, total, or one value per element."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _spread(grad: Tensor, reduction: str, count: int) -> Tensor:
    """The backward half: each element receives grad (sum), grad / count (mean) or its own."""
    return grad / count if reduction == "mean" else grad


def _weighted(values: np.ndarray, weight: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """Multiply by an optional weight, which may broadcast to the loss's shape but not beyond."""
    if weight is None:
        return values
    values = values * weight
    if values.shape != shape:
        raise RuntimeError(
            f"output with shape {list(shape)} doesn't match the broadcast shape "
            f"{list(values.shape)}"
        )
    return values


# ----- mean squared error and L1 -------------------------------------------------------------


class MSELossFunction(Op):
    """(x - y)² per element, then reduced; d/dx = 2 (x - y), d/dy = -2 (x - y)."""

    node_name = "MseLossBackward0"

    @staticmethod
    def forward(ctx: Function, input: Tensor, target: Tensor, reduction: str) -> np.ndarray:
        ctx.save_for_backward(input, target)
        ctx.reduction = reduction
        diff = input - target
        ctx.count = diff.size
        return _reduce_values(diff * diff, reduction)

    @staticmethod
    def backward(ctx: Function, grad: Tensor) -> tuple[Tensor | None, Tensor | None, None]:
        input, target = ctx.saved_tensors
        need_input, need_target, _ = ctx.needs_input_grad
        grad_diff = (input - target) * (2 * _spread(grad, ctx.reduction, ctx.count))
        # Shapes may differ (with a warning): the engine sums each back to its input's shape.
        grad_input = grad_diff if need_input else None
        grad_target = -grad_diff if need_target else None
        return grad_input, grad_target, None


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: mean((input - target)^2)."""
    _check_reduction(reduction)
    _warn_if_sizes_differ(input, target)
    return MSELossFunction.apply(*operands(input, target), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input - target|), composed from tensor operations."""
    _check_reduction(reduction)
    _warn_if_sizes_differ(input, target)
    loss = (input - target).abs()
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


# ----- binary cross entropy ------------------------------------------------------------------


def _clamped_log(values: np.ndarray) -> np.ndarray:
    """log(x), but never below -100 (so log(0) = -100, not -inf), as PyTorch's BCELoss."""
    with np.errstate(divide="ignore"):
        return np.maximum(np.log(values), -100)


class BinaryCrossEntropyFunction(Op):
    """-(y log p + (1 - y) log(1 - p)) per element, each log clamped at -100, then reduced.

    d/dp = (p - y) / (p (1 - p)), with the denominator kept >= 1e-12 so that it stays finite
    at p = 0 and p = 1 (as PyTorch's). Composing clamp(log(p), min=-100) from tensor
    operations would give nan there instead: the clamp passes a gradient of 0, log's
    derivative 1/p is inf, and 0 * inf = nan.
    """

    node_name = "BinaryCrossEntropyBackward0"

    @staticmethod
    def forward(ctx: Function, p: Tensor, y: Tensor, weight: Tensor | None, reduction: str):
        pv, yv = p, y
        if ((pv < 0) | (pv > 1)).any():
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.save_for_backward(p, y, weight)
        ctx.reduction, ctx.count = reduction, pv.size
        loss = -(yv * _clamped_log(pv) + (1 - yv) * _clamped_log(1 - pv))
        return _reduce_values(_weighted(loss, weight, pv.shape), reduction)

    @staticmethod
    def backward(ctx: Function, grad: Tensor) -> tuple[Tensor | None, ...]:
        p, y, weight = ctx.saved_tensors
        need_p, need_y = ctx.needs_input_grad[:2]
        grad = _spread(grad, ctx.reduction, ctx.count)
        if weight is not None:
            grad = grad * weight
        grad_p = grad * (p - y) / (p * (1 - p)).clamp(min=1e-12) if need_p else None
        grad_y = None
        if need_y:  # d/dy = log(1 - p) - log(p), with the same clamps as the forward
            with np.errstate(divide="ignore"):
                grad_y = grad * ((1 - p).log().clamp(min=-100) - p.log().clamp(min=-100))
        return grad_p, grad_y, None, None


def binary_cross_entropy(
    input: Tensor, target: Tensor, weight: Tensor | None = None, reduction: str = "mean"
) -> Tensor:
    """Binary cross entropy of probabilities ``input`` (in [0, 1]) against 0/1 ``target``."""
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}) is deprecated. Please ensure they have the same size."
        )
    _check_not_differentiable("binary_cross_entropy", weight=weight)
    return BinaryCrossEntropyFunction.apply(input, target, weight, reduction)


class BinaryCrossEntropyWithLogitsFunction(Op):
    """Binary cross entropy of sigmoid(x), computed without ever forming sigmoid(x).

    With s(x) = log(1 + exp(-x)) = -log(sigmoid(x)), the loss per element is
    (1 - y) x + s(x), or with ``pos_weight`` (1 - y) x + (1 + (pos_weight - 1) y) s(x).
    NumPy's logaddexp(0, -x) evaluates s without overflow, so logits of +-1000 are fine.
    The gradient is simply d/dx = sigmoid(x) - y, or with pos_weight
    (pos_weight y + 1 - y) sigmoid(x) - pos_weight y; d/dy = -x + (pos_weight - 1) s(x).
    """

    node_name = "BinaryCrossEntropyWithLogitsBackward0"

    @staticmethod
    def forward(ctx, x: Tensor, y: Tensor, weight: Tensor | None, pos_weight, reduction: str):
        ctx.save_for_backward(x, y, weight, pos_weight)
        ctx.reduction = reduction
        xv, yv, pw = x, y, pos_weight
        ctx.count = xv.size
        s = np.logaddexp(0, -xv)
        if pw is None:
            loss = (1 - yv) * xv + s
        else:
            loss = (1 - yv) * xv + (1 + (pw - 1) * yv) * s
        return _reduce_values(_weighted(loss, weight, xv.shape), reduction)

    @staticmethod
    def backward(ctx: Function, grad: Tensor) -> tuple[Tensor | None, ...]:
        x, y, weight, pos_weight = ctx.saved_tensors
        need_x, need_y = ctx.needs_input_grad[:2]
        grad = _spread(grad, ctx.reduction, ctx.count)
        if weight is not None:
            grad = grad * weight
        grad_x = grad_y = None
        if need_x:
            if pos_weight is None:
                grad_x = grad * (x.sigmoid() - y)
            else:
                weighted_y = pos_weight * y
                grad_x = grad * ((weighted_y + 1 - y) * x.sigmoid() - weighted_y)
        if need_y:
            grad_y = -grad * x
            if pos_weight is not None:
                s = (-x).relu() + (1 + (-x.abs()).exp()).log()  # log(1 + exp(-x)), stably
                grad_y = grad_y + grad * (pos_weight - 1) * s
        return grad_x, grad_y, None, None, None


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Sigmoid and binary cross entropy in one, stable for any logit ``input``."""
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})"
        )
    _check_not_differentiable(
        "binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight
    )
    return BinaryCrossEntropyWithLogitsFunction.apply(input, target, weight, pos_weight, reduction)


# ----- the rest of the functional API lives with its layers ----------------------------------
# (each module below imports nothing from this one, so these imports close no cycle)
from .activation import (  # noqa: E402, F401
    celu,
    elu,
    gelu,
    hardsigmoid,
    hardswish,
    hardtanh,
    leaky_relu,
    logsigmoid,
    mish,
    prelu,
    relu6,
    selu,
    silu,
    softmin,
    softplus,
    softsign,
    tanhshrink,
    threshold,
)
from .classification import cross_entropy, nll_loss, one_hot  # noqa: E402, F401
from .conv import conv1d, conv2d, fold, pad, unfold  # noqa: E402, F401
from .dropout import alpha_dropout, dropout1d, dropout2d, dropout3d  # noqa: E402, F401
from .normalization import batch_norm, group_norm, layer_norm  # noqa: E402, F401
from .pooling import (  # noqa: E402, F401
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from .sparse import embedding  # noqa: E402, F401
