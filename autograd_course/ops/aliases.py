"""NumPy-style keyword names that PyTorch also accepts: ``x.sum(axis=0, keepdims=True)``,
``x.std(correction=0)``. Each method named here is wrapped once, after every family defined
it; a call without keywords goes straight through."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from ..tensor import Tensor

_REDUCTIONS = ("sum", "mean", "max", "min", "argmax", "argmin", "std", "var", "prod", "any",
               "all", "amax", "amin", "logsumexp")  # fmt: skip
_TAKE_AXIS = _REDUCTIONS + ("cumsum", "cumprod", "softmax", "log_softmax", "squeeze",
                            "unsqueeze", "sort", "argsort", "topk", "unbind", "chunk", "gather",
                            "index_select")  # fmt: skip


def translate(kwargs: dict[str, Any], keepdims: bool) -> dict[str, Any]:
    """``axis`` -> ``dim``, ``keepdims`` -> ``keepdim``, ``correction`` -> ``unbiased``."""
    if "axis" in kwargs:
        kwargs["dim"] = kwargs.pop("axis")
    if keepdims and "keepdims" in kwargs:
        kwargs["keepdim"] = kwargs.pop("keepdims")
    if "correction" in kwargs:
        correction = kwargs.pop("correction")
        if correction not in (0, 1):
            raise NotImplementedError("std/var support correction=0 or 1 (unbiased=False/True)")
        kwargs["unbiased"] = bool(correction)
    return kwargs


def _accept_aliases(method: Callable, keepdims: bool) -> Callable:
    @functools.wraps(method)
    def wrapper(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = translate(kwargs, keepdims)
        return method(self, *args, **kwargs)

    return wrapper


for _name in _TAKE_AXIS:
    setattr(Tensor, _name, _accept_aliases(getattr(Tensor, _name), _name in _REDUCTIONS))
