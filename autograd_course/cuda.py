"""``cuda``: what PyTorch's ``torch.cuda`` answers on a machine without a GPU.

The engine runs on the CPU only (NumPy), so ``is_available()`` is False and seeding is a
no-op; asking for a device's properties raises PyTorch's message.
"""

from __future__ import annotations

from . import _messages as msg


def is_available() -> bool:
    """False: the engine has no GPU backend."""
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def manual_seed(seed: int) -> None:
    """Nothing to seed (as PyTorch without a GPU): ``manual_seed`` seeds the engine."""


def manual_seed_all(seed: int) -> None:
    """Nothing to seed (as PyTorch without a GPU)."""


def empty_cache() -> None:
    """Nothing to free."""


def current_device() -> int:
    raise AssertionError(msg.no_cuda())


def synchronize(device: object = None) -> None:
    raise AssertionError(msg.no_cuda())


def get_device_name(device: object = None) -> str:
    raise AssertionError(msg.no_cuda())
