"""Devices: the engine computes with NumPy, on the CPU, so ``cpu`` is the one device it runs on.

``device("cuda")`` can be made (PyTorch's tutorials build it before checking availability),
but putting a tensor there raises PyTorch's message for a build without CUDA. So the usual
line ``device = "cuda" if torch.cuda.is_available() else "cpu"`` works unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from . import _messages as msg
from .tensor import Tensor, tensor_method

_TYPES = (
    "cpu",
    "cuda",
    "ipu",
    "xpu",
    "mkldnn",
    "opengl",
    "opencl",
    "ideep",
    "hip",
    "ve",
    "fpga",
    "maia",
    "xla",
    "lazy",
    "vulkan",
    "mps",
    "meta",
    "hpu",
    "mtia",
    "privateuseone",
)  # fmt: skip - PyTorch's list, in its order (for its error message)


class device:  # noqa: N801 - PyTorch's name
    """Where a tensor lives: ``device("cpu")``, ``device("cuda", 0)``, ``device("cpu:0")``."""

    __slots__ = ("type", "index")

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index  # noqa: A001
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments: {type!r}")
        name, _, number = type.partition(":")
        if name not in _TYPES:
            raise RuntimeError(msg.unknown_device(", ".join(_TYPES), type))
        if number:
            if not re.fullmatch(r"\d+", number) or index is not None:
                raise RuntimeError(f"Invalid device string: '{type}'")
            index = int(number)
        if index is not None and index < 0:
            raise RuntimeError(f"Device index must not be negative, got {index}")
        self.type, self.index = name, index

    def __repr__(self) -> str:
        return (
            f"device(type='{self.type}')"
            if self.index is None
            else (f"device(type='{self.type}', index={self.index})")
        )

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))


CPU = device("cpu")


def check(where: Any) -> device:
    """The device named by ``where`` (a string, a device or an int), if the engine can use it."""
    if where is None:
        return CPU
    d = device("cuda", where) if isinstance(where, int) else device(where)
    if d.type == "cuda":
        raise AssertionError(msg.no_cuda())
    if d.type != "cpu":
        raise RuntimeError(msg.device_unsupported(d.type))
    return d


def is_device(value: Any) -> bool:
    """True for what ``Tensor.to`` reads as a device: a device or a device string."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in _TYPES


# ---- the Tensor's device methods ----------------------------------------------------------
Tensor.device = property(lambda self: CPU, doc="Where the values live: always the CPU here.")
Tensor.is_cpu = property(lambda self: True)
Tensor.is_cuda = property(lambda self: False)


@tensor_method("cpu")
def cpu(self: Tensor, memory_format: Any = None) -> Tensor:
    """This tensor on the CPU: itself, as in PyTorch for a tensor already there."""
    return self


@tensor_method("cuda")
def cuda(self: Tensor, device: Any = None, non_blocking: bool = False, **kwargs: Any) -> Tensor:
    """Refused: the engine has no GPU (test with ``cuda.is_available()`` first)."""
    raise AssertionError(msg.no_cuda())


def set_default_device(device: Any) -> None:  # noqa: A002 - PyTorch's name
    """Where new tensors go: only ``"cpu"`` (or None, the default) is possible here, so the
    tutorials' ``set_default_device("cuda" if cuda.is_available() else "cpu")`` runs."""
    check(device)


def get_default_device() -> device:
    """Where new tensors go: always the CPU."""
    return CPU
