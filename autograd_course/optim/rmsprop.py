"""``RMSprop``: steps divided by a running root-mean-square of the gradient, as ``torch.optim``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..creation import from_numpy, zeros_like
from ..grad_mode import no_grad
from ..tensor import Tensor
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """PyTorch's equations, for each parameter p with gradient g:

    - weight decay: g = g + weight_decay * p
    - v = alpha v + (1 - alpha) g²
    - centered: m = alpha m + (1 - alpha) g, and the denominator uses v - m² (a variance)
    - avg = sqrt(v (- m²)) + eps
    - momentum > 0: buf = momentum buf + g / avg, p = p - lr buf; otherwise p = p - lr g / avg
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr,
            "alpha": alpha,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "centered": centered,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update each parameter that has a gradient (in place, outside the graph)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if not state:
                    state["step"] = 0
                    state["square_avg"] = zeros_like(param)
                    if momentum > 0:
                        state["momentum_buffer"] = zeros_like(param)
                    if group["centered"]:
                        state["grad_avg"] = zeros_like(param)
                state["step"] += 1
                grad = param.grad.detach().numpy()
                if weight_decay != 0:
                    grad = grad + weight_decay * param.detach().numpy()
                square_avg = state["square_avg"].numpy()
                square_avg *= alpha
                square_avg += (1 - alpha) * grad * grad
                if group["centered"]:
                    grad_avg = state["grad_avg"].numpy()
                    grad_avg += (grad - grad_avg) * (1 - alpha)  # lerp towards g
                    avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
                else:
                    avg = np.sqrt(square_avg) + eps
                if momentum > 0:
                    buf = state["momentum_buffer"].numpy()
                    buf *= momentum
                    buf += grad / avg
                    param.add_(from_numpy(buf.copy()), alpha=-lr)
                else:
                    param.add_(from_numpy(grad / avg), alpha=-lr)
        return loss
