"""``accelerator``: PyTorch's device-agnostic queries; there is no accelerator, only the CPU."""

from __future__ import annotations


def is_available() -> bool:
    """False: tutorials then fall back to ``"cpu"``."""
    return False


def current_accelerator(check_available: bool = False) -> None:
    """None: there is no accelerator."""
    return None


def device_count() -> int:
    return 0
