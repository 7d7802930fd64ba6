"""``Adagrad``: steps divided by the root of every squared gradient so far, as ``torch.optim``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..creation import from_numpy, full_like
from ..grad_mode import no_grad
from ..tensor import Tensor
from .optimizer import Optimizer


class Adagrad(Optimizer):
    """PyTorch's equations, at step t for each parameter p with gradient g:

    - weight decay: g = g + weight_decay * p
    - clr = lr / (1 + (t - 1) lr_decay)
    - sum = sum + g² (starting from initial_accumulator_value)
    - p = p - clr g / (sqrt(sum) + eps)
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict],
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
        }
        super().__init__(params, defaults)
        for group in self.param_groups:  # PyTorch creates the state up front
            for p in group["params"]:
                self.state[p]["step"] = 0
                self.state[p]["sum"] = full_like(p, group["initial_accumulator_value"])

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update each parameter that has a gradient (in place, outside the graph)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, lr_decay, eps = group["lr"], group["lr_decay"], group["eps"]
            weight_decay = group["weight_decay"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                state["step"] += 1
                grad = param.grad.detach().numpy()
                if weight_decay != 0:
                    grad = grad + weight_decay * param.detach().numpy()
                clr = lr / (1 + (state["step"] - 1) * lr_decay)
                total = state["sum"].numpy()
                total += grad * grad
                param.add_(from_numpy(grad / (np.sqrt(total) + eps)), alpha=-clr)
        return loss
