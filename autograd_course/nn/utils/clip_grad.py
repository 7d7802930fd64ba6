"""Gradient clipping, as ``torch.nn.utils``: keeps one bad batch from throwing training off."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ...creation import from_numpy
from ...grad_mode import no_grad
from ...tensor import Tensor


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


@no_grad()
def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    total = ‖(‖g₁‖, ‖g₂‖, ...)‖ (the norm of all gradients as one vector); every gradient is
    multiplied by min(1, max_norm / (total + 1e-6)). Returns ``total``, measured before clipping.
    """
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return from_numpy(np.array(0.0, dtype=np.float32))
    arrays = [g._array for g in grads]
    if math.isinf(norm_type):
        total = max(float(np.abs(a).max()) if a.size else 0.0 for a in arrays)
    else:
        per = [np.sum(np.abs(a.astype(np.float64)) ** norm_type) for a in arrays]
        total = float(np.sum(per)) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the "
            "non-finite norm anyway, set `error_if_nonfinite=False`"
        )
    coef = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g.mul_(coef)
    return from_numpy(np.array(total, dtype=arrays[0].dtype))


@no_grad()
def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient element to [-clip_value, clip_value], in place."""
    for g in _grads(parameters):
        g.clamp_(-clip_value, clip_value)
