"""The one random generator behind every random tensor, initialisation, dropout and shuffle."""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng(0)


def manual_seed(seed: int) -> np.random.Generator:
    """Seed all of the engine's randomness, so that a run can be repeated exactly."""
    global _generator
    _generator = np.random.default_rng(int(seed))
    return _generator


def generator() -> np.random.Generator:
    """The current generator (read it at call time: ``manual_seed`` replaces it)."""
    return _generator
