"""``AdamW``: Adam with decoupled weight decay, as ``torch.optim.AdamW``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..grad_mode import no_grad
from ..tensor import Tensor
from .adam import Adam


class AdamW(Adam):
    """Adam, with weight decay applied to the parameter itself rather than added to the gradient.

    PyTorch's equations, at step t: first p = p (1 - lr weight_decay), then Adam's update
    (moments, bias correction, p = p - lr m_hat / (sqrt(v_hat) + eps)) with no decay term in g.
    So the decay does not pass through the moments, and is not rescaled by them.
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Decay each parameter that has a gradient, then take Adam's step without decay."""
        loss = self._evaluate(closure)
        decays = []
        for group in self.param_groups:
            decays.append(group["weight_decay"])
            for param in group["params"]:
                if param.grad is not None and group["weight_decay"] != 0:
                    param.mul_(1 - group["lr"] * group["weight_decay"])
            group["weight_decay"] = 0  # Adam's coupled decay is off for this step
        try:
            super().step()
        finally:
            for group, decay in zip(self.param_groups, decays, strict=True):
                group["weight_decay"] = decay
        return loss
