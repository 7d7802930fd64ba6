"""``Adam``: adaptive moment estimation, as ``torch.optim.Adam``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..creation import from_numpy, zeros_like
from ..grad_mode import no_grad
from ..tensor import Tensor
from .optimizer import Optimizer


class Adam(Optimizer):
    """Steps scaled per parameter by running averages of the gradient and its square.

    PyTorch's equations, at step t for each parameter p with gradient g:

    - weight decay: g = g + weight_decay * p
    - m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g^2
    - bias correction (m and v start at 0): m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t)
    - amsgrad: v_max = max(v_max, v), used in place of v
    - update: p = p - lr * m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(
        self,
        params: Iterable[Tensor] | Iterable[dict],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
    ) -> None:
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
        }
        super().__init__(params, defaults)

    @no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update each parameter that has a gradient (in place, outside the graph)."""
        loss = self._evaluate(closure)
        for group in self.param_groups:
            lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
            weight_decay, amsgrad = group["weight_decay"], group["amsgrad"]
            for param in group["params"]:
                if param.grad is None:
                    continue
                state = self.state[param]
                if not state:  # first step: both running averages start at zero
                    state["step"] = 0
                    state["exp_avg"] = zeros_like(param)
                    state["exp_avg_sq"] = zeros_like(param)
                    if amsgrad:
                        state["max_exp_avg_sq"] = zeros_like(param)
                state["step"] += 1
                step = state["step"]

                # The arithmetic runs on NumPy views of the gradient and of the state tensors
                # (updated in place): the same operations as PyTorch's exp_avg.mul_(beta1)...,
                # without a tensor operation's overhead for each of them.
                grad = param.grad.detach().numpy()
                if weight_decay != 0:
                    grad = grad + weight_decay * param.detach().numpy()
                exp_avg, exp_avg_sq = state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()
                exp_avg *= beta1
                exp_avg += (1 - beta1) * grad
                exp_avg_sq *= beta2
                exp_avg_sq += (1 - beta2) * grad * grad

                bias_correction1 = 1 - beta1**step
                bias_correction2_sqrt = (1 - beta2**step) ** 0.5
                if amsgrad:
                    max_exp_avg_sq = state["max_exp_avg_sq"].numpy()
                    np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                    exp_avg_sq = max_exp_avg_sq
                denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
                # The parameter itself changes through the engine (its version counter moves).
                param.add_(from_numpy(exp_avg / denom), alpha=-lr / bias_correction1)
        return loss
