"""The random generators: one default behind every random tensor, initialisation, dropout and
shuffle (seeded by ``manual_seed``), and ``Generator`` objects for code that wants its own."""

from __future__ import annotations

from typing import Any

import numpy as np

_generator = np.random.default_rng(0)
_initial_seed = 0


def manual_seed(seed: int) -> np.random.Generator:
    """Seed all of the engine's randomness, so that a run can be repeated exactly."""
    global _generator, _initial_seed
    _initial_seed = int(seed)
    _generator = np.random.default_rng(_initial_seed)
    return _generator


def initial_seed() -> int:
    """The seed last given to ``manual_seed`` (0 before any)."""
    return _initial_seed


def generator() -> np.random.Generator:
    """The current generator (read it at call time: ``manual_seed`` replaces it)."""
    return _generator


class Generator:
    """A random generator of its own, as ``torch.Generator``: ``DataLoader(generator=g)``,
    ``random_split(..., generator=g)`` and ``randperm(n, generator=g)`` draw from it and leave
    the default generator (``manual_seed``) untouched."""

    def __init__(self, device: Any = "cpu") -> None:
        if str(device) != "cpu":
            raise RuntimeError(
                f"Generator on device {device!r}: this engine runs on the CPU only, "
                "use Generator() or Generator('cpu')"
            )
        self.device = device
        self._seed = 67280421310721  # PyTorch's default seed for a new CPU generator
        self._rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> Generator:
        """Reseed; returns the generator itself, so ``Generator().manual_seed(0)`` chains."""
        self._seed = int(seed)
        self._rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Reseed from fresh entropy and return the new seed."""
        self._seed = int(np.random.SeedSequence().entropy % 2**63)
        self._rng = np.random.default_rng(self._seed)
        return self._seed

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._seed

    def get_state(self) -> dict:
        """The generator's state, to restore later with ``set_state``."""
        return self._rng.bit_generator.state

    def set_state(self, state: dict) -> Generator:
        """Restore a state from ``get_state``."""
        self._rng.bit_generator.state = state
        return self

    def __repr__(self) -> str:
        return f"<autograd_course.Generator object at {id(self):#x}>"


def numpy_generator(generator: Generator | np.random.Generator | None) -> np.random.Generator:
    """The NumPy generator to draw from: ``generator``'s own, or the default one when None."""
    if generator is None:
        return _generator
    if isinstance(generator, Generator):
        return generator._rng
    if isinstance(generator, np.random.Generator):
        return generator
    raise TypeError(
        f"generator must be an autograd_course.Generator, not {type(generator).__name__}"
    )
