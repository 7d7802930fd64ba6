"""``Variable``: before PyTorch 0.4 a wrapper that gave tensors autograd; since then any tensor
has it, and ``Variable(t, requires_grad=True)`` just returns a tensor sharing ``t``'s values.
Kept so that the older tutorials (``from torch.autograd import Variable``) run unchanged."""

from __future__ import annotations

from typing import Any

from ..tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor)


class Variable(metaclass=_VariableMeta):
    """``Variable(data, requires_grad=False)``: a tensor sharing ``data``'s values (a new leaf
    when it asks for gradients); every tensor counts as a Variable."""

    def __new__(cls, data: Any, requires_grad: bool = False, volatile: bool = False) -> Any:
        if not isinstance(data, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
        if not requires_grad and not data.requires_grad:
            return data.detach()
        return data.detach().requires_grad_(requires_grad)
