"""Stateless versions of the layers and losses, as ``torch.nn.functional`` (``import ... as F``).

Everything here is built from the engine's tensor operations, so gradients (and gradients of
gradients, with ``create_graph=True``) come from autograd. The one exception is binary cross
entropy, whose gradient PyTorch computes with a formula that stays finite at p = 0 and p = 1.
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import random as _random
from ..autograd.function import Function
from ..tensor import Tensor, from_numpy

_REDUCTIONS = ("mean", "sum", "none")


# ----- layers ----------------------------------------------------------------------------


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``input @ weight.T + bias``: weight has shape (out_features, in_features), as in PyTorch."""
    output = input @ weight.T
    return output if bias is None else output + bias


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
    dtype = input.detach().numpy().dtype
    keep = _random.generator().random(tuple(input.shape)) >= p  # True with probability 1 - p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return input * from_numpy((keep * scale).astype(dtype))


# ----- losses ------------------------------------------------------------------------------


def _check_reduction(reduction: str) -> None:
    """Reject an unknown reduction before any work is done."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """Apply the loss's (already checked) ``reduction``: average, total, or one per element."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _warn_if_sizes_differ(input: Tensor, target: Tensor) -> None:
    """PyTorch's warning: (3, 1) against (3,) broadcasts to (3, 3), almost never what was meant."""
    if input.shape != target.shape:
        warnings.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}). This will likely lead to incorrect results due to "
            "broadcasting. Please ensure they have the same size.",
            stacklevel=3,
        )


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: mean((input - target)^2)."""
    _check_reduction(reduction)
    _warn_if_sizes_differ(input, target)
    return _reduce((input - target).square(), reduction)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input - target|)."""
    _check_reduction(reduction)
    _warn_if_sizes_differ(input, target)
    return _reduce((input - target).abs(), reduction)


class BinaryCrossEntropy(Function):
    """-(y log p + (1 - y) log(1 - p)) with each log clamped at -100, as PyTorch computes it.

    Written as a Function because composing ``clamp(log(p), min=-100)`` gives a nan gradient
    at p = 0 or p = 1 (the clamp passes 0, the log's derivative is 1/0 = inf, and 0 * inf is
    nan); PyTorch instead uses the closed form (p - y) / max(p (1 - p), 1e-12), as we do.
    """

    @staticmethod
    def forward(ctx: Function, p: Tensor, y: Tensor) -> Tensor:
        if ((p < 0) | (p > 1)).any():
            raise RuntimeError("all elements of input should be between 0 and 1")
        ctx.save_for_backward(p, y)
        return -(y * _clamped_log(p) + (1 - y) * _clamped_log(1 - p))

    @staticmethod
    def backward(ctx: Function, grad: Tensor) -> tuple[Tensor | None, Tensor | None]:
        p, y = ctx.saved_tensors
        grad_p = grad_y = None
        if ctx.needs_input_grad[0]:
            grad_p = grad * (p - y) / (p * (1 - p)).clamp(min=1e-12)
        if ctx.needs_input_grad[1]:
            grad_y = grad * (_clamped_log(1 - p) - _clamped_log(p))
        return grad_p, grad_y


def _clamped_log(x: Tensor) -> Tensor:
    """log(x), but never below -100 (so log(0) = -100, not -inf), without NumPy's warning."""
    with np.errstate(divide="ignore"):
        return x.log().clamp(min=-100)


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
    loss = BinaryCrossEntropy.apply(input, target)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    reduction: str = "mean",
    pos_weight: Tensor | None = None,
) -> Tensor:
    """Binary cross entropy of sigmoid(input), computed without ever forming sigmoid(input).

    With s(x) = log(1 + exp(-x)) = -log(sigmoid(x)), the loss is (1 - y) x + s(x), and with
    ``pos_weight`` (1 - y) x + (1 + (pos_weight - 1) y) s(x). We evaluate s stably as
    max(-x, 0) + log(1 + exp(-|x|)): exp never sees a positive argument, so logits of +-1000
    give finite values and gradients. max(-x, 0) is written (|x| - x) / 2 so that autograd
    gets the exact gradient sigmoid(x) - y even at x = 0, where max and |x| have kinks.
    """
    _check_reduction(reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})"
        )
    abs_x = input.abs()
    log_one_plus_exp_neg_x = 0.5 * (abs_x - input) + (1 + (-abs_x).exp()).log()
    if pos_weight is None:
        loss = (1 - target) * input + log_one_plus_exp_neg_x
    else:
        loss = (1 - target) * input + (1 + (pos_weight - 1) * target) * log_one_plus_exp_neg_x
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)
