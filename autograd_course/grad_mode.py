"""Grad mode: whether operations are recorded for backward (``no_grad`` and friends)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any


class _GradMode:
    """One flag, read on every operation; a plain attribute keeps that read cheap."""

    enabled = True


def is_grad_enabled() -> bool:
    """True when new operations are recorded in the graph."""
    return _GradMode.enabled


class _GradModeContext:
    """Base for ``no_grad``/``enable_grad``/``set_grad_enabled``: a context manager and a decorator."""

    mode: bool = True

    def __enter__(self) -> None:
        self._previous = _GradMode.enabled
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._previous

    def __call__(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__.__new__(self.__class__)._copy_of(self):
                return func(*args, **kwargs)

        return wrapper

    def _copy_of(self, other: _GradModeContext) -> _GradModeContext:
        self.mode = other.mode
        return self


class _NoParamDecorator(_GradModeContext):
    """Allows both ``@no_grad()`` and ``@no_grad``, as PyTorch does."""

    def __new__(cls, orig_func: Callable | None = None):
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecorator):
    """Turn recording off: results have ``requires_grad=False`` and no ``grad_fn``."""

    mode = False


class enable_grad(_NoParamDecorator):
    """Turn recording back on inside a ``no_grad`` block."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """Set grad mode to ``mode``: at once as a function call, or for a block as a context."""

    def __init__(self, mode: bool) -> None:
        self._previous = _GradMode.enabled
        self.mode = bool(mode)
        _GradMode.enabled = self.mode

    def __enter__(self) -> None:
        _GradMode.enabled = self.mode

    def __exit__(self, *exc: object) -> None:
        _GradMode.enabled = self._previous


class inference_mode(_GradModeContext):
    """PyTorch's faster ``no_grad`` for evaluation: nothing is recorded. (Here it is exactly
    ``no_grad``: tensors made inside are not marked as inference tensors.)"""

    _depth = 0  # how many inference_mode(True) blocks are open

    def __new__(cls, mode: Any = True):
        if callable(mode):  # used as @inference_mode, without parentheses
            return cls(True)(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = not mode  # the grad mode inside the block

    def __enter__(self) -> None:
        super().__enter__()
        inference_mode._depth += not self.mode

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        inference_mode._depth -= not self.mode


def is_inference_mode_enabled() -> bool:
    """True inside an ``inference_mode`` block."""
    return inference_mode._depth > 0
