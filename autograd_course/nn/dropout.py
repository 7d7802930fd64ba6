"""Dropout variants: whole channels (``Dropout1d``/``2d``/``3d``) and ``AlphaDropout`` for SELU.

Like ``Dropout``, each is active only in training mode and composed from a random mask
multiplied in, so the gradient is the same mask.
"""

from __future__ import annotations

from ..creation import from_numpy
from ..random import generator
from ..tensor import Tensor
from .module import Module

_ALPHA = 1.7580993408473766  # -SELU's limit for x -> -inf: SELU's scale times its alpha


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep(shape: tuple[int, ...], p: float, dtype) -> Tensor:
    """1 with probability 1 - p, else 0 (the engine's generator: manual_seed repeats it)."""
    return from_numpy((generator().random(shape) >= p).astype(dtype))


def _channel_dropout(input: Tensor, p: float, training: bool, dims: int, name: str) -> Tensor:
    """Zero whole channels: one draw per (sample, channel), broadcast over the other dims."""
    _check_p(p)
    if input.dim() not in (dims + 1, dims + 2):
        raise RuntimeError(
            f"{name}: Expected {dims + 1}D or {dims + 2}D input, but received a "
            f"{input.dim()}D input."
        )
    if not training or p == 0.0:
        return input
    batched = input.dim() == dims + 2
    lead = tuple(input.shape[:2]) if batched else tuple(input.shape[:1])
    keep = _keep(lead + (1,) * dims, p, input._array.dtype)
    return input * keep * (0.0 if p == 1.0 else 1.0 / (1.0 - p))


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, L) sequences with probability p; scale the rest."""
    return _channel_dropout(input, p, training, 1, "dropout1d")


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, H, W) images with probability p; scale the rest."""
    return _channel_dropout(input, p, training, 2, "dropout2d")


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False):
    """Zero whole channels of (N, C, D, H, W) volumes with probability p; scale the rest."""
    return _channel_dropout(input, p, training, 3, "dropout3d")


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False):
    """Dropout that keeps SELU's mean 0 and variance 1: dropped units are set to SELU's
    negative limit, then a x + b restores the moments (a, b as in PyTorch)."""
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    keep = _keep(tuple(input.shape), p, input._array.dtype)
    a = 1.0 / ((_ALPHA * _ALPHA * p + 1) * (1 - p)) ** 0.5
    return input * keep * a + (keep - 1) * (_ALPHA * a) + _ALPHA * a * p


class _DropoutNd(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        _check_p(p)
        self.p, self.inplace = p, inplace

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_DropoutNd):
    """Zero whole channels of (N, C, L) sequences in training."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout1d(input, self.p, self.training)


class Dropout2d(_DropoutNd):
    """Zero whole channels of (N, C, H, W) images in training."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout2d(input, self.p, self.training)


class Dropout3d(_DropoutNd):
    """Zero whole channels of (N, C, D, H, W) volumes in training."""

    def forward(self, input: Tensor) -> Tensor:
        return dropout3d(input, self.p, self.training)


class AlphaDropout(_DropoutNd):
    """Dropout for self-normalising (SELU) networks."""

    def forward(self, input: Tensor) -> Tensor:
        return alpha_dropout(input, self.p, self.training)
