"""``Parameter``: a tensor that a ``Module`` registers as something to learn."""

from __future__ import annotations

from ..creation import zeros
from ..tensor import Tensor


class Parameter(Tensor):
    """A tensor that requires grad by default and is registered when assigned to a Module."""

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> Parameter:
        if data is None:
            data = zeros(0)
        # Share data's storage rather than copy it, as PyTorch does.
        return Tensor._make_subclass(cls, data, requires_grad)

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        """Everything was set up by ``__new__``; this stops Tensor's own ``__init__`` running."""

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
