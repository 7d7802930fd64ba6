"""What the demos' plain logic shares: input checks, seeded models and the training loop."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from .. import nn, optim
from .. import random as ac_random
from ..autograd import no_grad
from ..creation import tensor
from ..tensor import Tensor

__all__ = [
    "DemoError",
    "TrainingRun",
    "check_learning_rate",
    "check_number",
    "init_linear_layers",
    "keep_global_rng",
]


class DemoError(ValueError):
    """A value a demo cannot use; the widgets show its message instead of a traceback."""


def check_number(value: Any, what: str) -> float:
    """``value`` as a finite float, or a DemoError naming ``what`` and the value given."""
    if isinstance(value, bool):
        raise DemoError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DemoError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise DemoError(f"{what} must be a finite number, got {value!r}")
    return number


def check_learning_rate(value: Any) -> float:
    """A positive, finite learning rate, or a DemoError that says what to type instead."""
    lr = check_number(value, "The learning rate")
    if lr <= 0:
        raise DemoError(
            f"The learning rate must be positive, got {lr:g}: with lr <= 0 nothing is "
            "learned (or the step goes uphill). Try 0.1."
        )
    return lr


@contextmanager
def keep_global_rng() -> Iterator[None]:
    """Leave the engine's global random stream as it was (the notebook's seeded cells depend on it)."""
    generator = ac_random.generator()
    state = generator.bit_generator.state
    try:
        yield
    finally:
        generator.bit_generator.state = state


def init_linear_layers(model: nn.Module, seed: int) -> None:
    """Draw every Linear layer's W and b from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), seeded locally.

    The bound is PyTorch's default for ``nn.Linear``; a demo's own generator makes Reset
    repeatable without touching the global stream the chapter's cells were seeded with.
    """
    rng = np.random.default_rng(seed)
    with no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                bound = 1.0 / math.sqrt(module.in_features)
                for param in (module.weight, module.bias):
                    if param is not None:
                        values = rng.uniform(-bound, bound, size=tuple(param.shape))
                        param.copy_(tensor(values.astype(param.detach().numpy().dtype)))


# Float32 rounding moves a converged loss by ~1e-7 relative: not a real increase.
_NOISE = 1e-5


class TrainingRun:
    """A model trained full-batch by an optimiser, one step at a time, and its loss curve.

    Subclasses build ``model``, ``loss_fn`` and ``optimizer`` (then call ``reset``) and say
    what one step's loss is (``_loss``) and when a run has diverged (``_divergence``).
    """

    model: nn.Module
    loss_fn: nn.Module
    optimizer: optim.Optimizer
    lr: float
    seed: int

    def reset(self) -> None:
        """The same starting weights again, no optimiser state, and an empty loss curve."""
        init_linear_layers(self.model, self.seed)
        self.optimizer.zero_grad()
        self.optimizer.state.clear()
        self.losses: list[float] = []
        self.diverged: str | None = None

    def set_lr(self, value: float) -> None:
        """Use a new learning rate from the next step on, as ``param_groups[0]["lr"] = lr`` does."""
        self.lr = check_learning_rate(value)
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr

    def train(self, steps: int = 1) -> None:
        """``steps`` full-batch steps: forward, loss, backward, optimiser step, zero the gradients.

        A diverged run refuses to train (its message is raised as a DemoError) until reset.
        """
        if self.diverged:
            raise DemoError(self.diverged)
        for _ in range(int(steps)):
            with np.errstate(all="ignore"):
                loss = self._loss()
                loss.backward()
                self.optimizer.step()
            self.optimizer.zero_grad()
            value = float(loss.item())
            self.losses.append(value)
            self.diverged = self._divergence(value)
            if self.diverged:
                raise DemoError(self.diverged)

    def _loss(self) -> Tensor:
        """The loss of the model on the whole training set (one forward pass)."""
        raise NotImplementedError

    def _divergence(self, loss: float) -> str | None:
        """What to tell the user if the step that gave ``loss`` diverged, else None."""
        raise NotImplementedError

    def _loss_went_up(self) -> bool:
        """Whether the last step raised the loss by more than float32 rounding."""
        return len(self.losses) >= 2 and self.losses[-1] > self.losses[-2] * (1 + _NOISE)
