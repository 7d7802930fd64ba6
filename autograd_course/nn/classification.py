"""Losses for classification: ``nll_loss``, ``cross_entropy`` and ``one_hot``, as in PyTorch.

``cross_entropy(logits, y)`` is ``nll_loss(log_softmax(logits, 1), y)``: the log-softmax turns
scores into log-probabilities, and the negative log-likelihood picks, for each sample, minus
the log-probability of its true class. ``nll_loss`` is one graph node (``NllLossBackward0``)
with its derivative written out; the class dimension is always dimension 1, so an image
segmentation target of shape (N, H, W) goes with scores of shape (N, C, H, W).
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..creation import from_numpy
from ..ops.arithmetic import Op
from ..tensor import Tensor, _make

_REDUCTIONS = ("mean", "sum", "none")
_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int32": "Int",
                 "int16": "Short", "int8": "Char", "bool": "Bool"}  # fmt: skip


def _check_reduction(reduction: str) -> None:
    """Reject an unknown reduction before any work is done (PyTorch's ValueError)."""
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _picked_weights(target: np.ndarray, weight: np.ndarray | None, ignore: int, dtype) -> tuple:
    """Per sample: the class to pick (0 where ignored) and its weight (0 where ignored)."""
    kept = target != ignore
    safe = np.where(kept, target, 0)
    w = np.ones(target.shape, dtype) if weight is None else weight[safe].astype(dtype)
    return safe, w * kept


class NllLossFunction(Op):
    """loss_i = -w[y_i] log p[i, y_i]; 'mean' divides the total by Σ w[y_i], not by N.

    Only the picked entry of each row depends on the input, so the gradient is
    -w[y_i] (divided by Σ w[y_i] for 'mean') at (i, y_i) and zero everywhere else.
    """

    node_name = "NllLossBackward0"

    @staticmethod
    def forward(ctx: Function, logp, target, weight, reduction: str, ignore_index: int):
        classes = logp.shape[1] if logp.ndim > 1 else logp.shape[0]
        bad = (target != ignore_index) & ((target < 0) | (target >= classes))
        if bad.any():
            raise IndexError(f"Target {int(target[bad].flat[0])} is out of bounds.")
        scores = np.moveaxis(logp, 1, -1) if logp.ndim > 1 else logp[None]
        picks = target if logp.ndim > 1 else target[None]
        safe, w = _picked_weights(picks, weight, ignore_index, logp.dtype)
        chosen = np.take_along_axis(scores, safe[..., None], axis=-1)[..., 0]
        loss = -w * chosen
        total = w.sum()
        ctx.shape, ctx.safe, ctx.w, ctx.total = logp.shape, safe, w, total
        ctx.reduction = reduction
        if reduction == "none":
            return loss if logp.ndim > 1 else loss[0]
        with np.errstate(invalid="ignore", divide="ignore"):  # all ignored: 0 / 0 = nan
            return loss.sum() / total if reduction == "mean" else loss.sum()

    @staticmethod
    def backward(ctx: Function, grad: Tensor) -> tuple:
        # The weights the forward picked, scattered back to their (sample, class) places.
        scale = -ctx.w / ctx.total if ctx.reduction == "mean" else -ctx.w
        shape = ctx.shape if len(ctx.shape) > 1 else (1, ctx.shape[0])
        moved = np.zeros(ctx.safe.shape + (shape[1],), dtype=ctx.w.dtype)
        np.put_along_axis(moved, ctx.safe[..., None], scale[..., None], axis=-1)
        mask = np.moveaxis(moved, -1, 1) if len(ctx.shape) > 1 else moved[0]
        if ctx.reduction == "none" and len(ctx.shape) > 1:
            grad = grad.unsqueeze(1)  # one loss per sample: spread along the class dimension
        return grad * _make(mask), None, None, None, None


def _check_nll_shapes(input: Tensor, target: Tensor) -> None:
    """PyTorch's shape checks, in its words: batch sizes agree, extra dims agree."""
    if target.dtype.name not in ("int64", "uint8"):
        scalar = _SCALAR_NAMES.get(target.dtype.name, target.dtype.name)
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {scalar}")
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() == 1:
        if target.dim() > 0:
            raise RuntimeError("0D target tensor expected, multi-target not supported")
        return
    if target.dim() == 0 or target.shape[0] != input.shape[0]:
        got = target.shape[0] if target.dim() else 1
        raise ValueError(
            f"Expected input batch_size ({input.shape[0]}) to match target batch_size ({got})."
        )
    if input.dim() == 2 and target.dim() != 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    expected = (input.shape[0],) + tuple(input.shape[2:])
    if input.dim() > 2 and tuple(target.shape) != expected:
        raise RuntimeError(f"Expected target size {list(expected)}, got {list(target.shape)}")


def nll_loss(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` (N, C, ...) at classes ``target``."""
    _check_reduction(reduction)
    _check_nll_shapes(input, target)
    w = None if weight is None else weight.detach().numpy()
    return NllLossFunction.apply(input, target._array, w, reduction, int(ignore_index))


def _soft_cross_entropy(logp: Tensor, target: Tensor, weight, reduction, smoothing) -> Tensor:
    """Targets given as class probabilities: loss_i = -Σ_c w_c t_ic log p_ic ('mean' over N)."""
    classes = logp.shape[1] if logp.dim() > 1 else logp.shape[0]
    if smoothing > 0:
        target = target * (1 - smoothing) + smoothing / classes
    terms = logp * target
    if weight is not None:
        terms = terms * weight.reshape([classes] + [1] * max(logp.dim() - 2, 0))
    loss = -terms.sum(1 if logp.dim() > 1 else 0)
    if reduction == "mean":
        return loss.sum() / (logp.numel() / classes)
    return loss.sum() if reduction == "sum" else loss


def _smoothed(logp: Tensor, target: Tensor, weight, ignore_index, reduction, smoothing) -> Tensor:
    """Label smoothing with class indices, exactly PyTorch's formula: the NLL term weighted by
    (1 - ε) plus ε/C times -Σ_c w_c log p_c, normalised like the NLL term."""
    classes = logp.shape[1] if logp.dim() > 1 else logp.shape[0]
    class_dim = 1 if logp.dim() > 1 else 0
    nll = nll_loss(logp, target, weight, ignore_index, reduction)
    terms = logp
    if weight is not None:
        terms = logp * weight.reshape([classes] + [1] * max(logp.dim() - 2, 0))
    kept = target._array != ignore_index
    smooth = -terms.sum(class_dim) * from_numpy(kept.astype(logp._array.dtype))
    if reduction == "mean":
        if weight is None:
            denominator = kept.sum()
        else:
            denominator = weight.detach().numpy()[target._array[kept]].sum()
        smooth = smooth.sum() / float(denominator)
    elif reduction == "sum":
        smooth = smooth.sum()
    return nll * (1 - smoothing) + smooth * (smoothing / classes)


def cross_entropy(
    input: Tensor,
    target: Tensor,
    weight: Tensor | None = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Cross entropy of unnormalised scores ``input`` (N, C, ...) against class indices (N, ...)
    or class probabilities (the same shape as ``input``)."""
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(
            f"label_smoothing must be between 0.0 and 1.0. Got: {float(label_smoothing)}"
        )
    class_dim = 0 if input.dim() == 1 else 1
    logp = input.log_softmax(class_dim)
    if target.is_floating_point() and target.shape == input.shape:
        return _soft_cross_entropy(logp, target, weight, reduction, label_smoothing)
    if label_smoothing > 0:
        _check_nll_shapes(input, target)
        return _smoothed(logp, target, weight, ignore_index, reduction, label_smoothing)
    return nll_loss(logp, target, weight, ignore_index, reduction)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices (int64) to rows of zeros with a 1 at each index: shape (..., num_classes)."""
    if tensor.dtype.name != "int64":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    values = tensor._array
    if values.size and values.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(values.max()) + 1 if values.size else 0
    elif values.size and values.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return from_numpy((values[..., None] == np.arange(num_classes)).astype(np.int64))
