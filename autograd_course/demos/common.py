"""What the demos' plain logic shares: input checks, seeded models and divergence detection."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from .. import nn
from .. import random as ac_random
from ..autograd import no_grad
from ..creation import tensor

__all__ = [
    "DemoError",
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
