"""Graph nodes: ``Function`` (one recorded operation) and ``AccumulateGrad`` (a leaf's sink).

A ``Function`` subclass is written as in PyTorch: a static ``forward(ctx, *args)`` and a
static ``backward(ctx, grad)``. Calling ``MyOp.apply(*args)`` creates the ``ctx``, runs
``forward`` and, when a gradient will be needed, links ``ctx`` into the graph as the output's
``grad_fn``. The same ``ctx`` object is the node the backward pass visits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import RemovableHandle, Tensor, _make
from .grad_mode import _GradMode

FREED_GRAPH = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


NOT_A_TENSOR = False  # the edge of a non-tensor argument: falsy like None, but not shown


class _SavedOutput:
    """A saved output, kept as values + version counter so the node does not own its output
    tensor (which owns the node): no reference cycle, so graphs free themselves at once."""

    __slots__ = ("array", "version", "saved_version")

    def __init__(self, output: Tensor) -> None:
        self.array, self.version = output._array, output._version
        self.saved_version = output._version[0]


class Function:
    """Base class of every differentiable operation, built-in or written by a student."""

    _node_name: str | None = None  # e.g. "MulBackward0"; default: class name + "Backward"
    _pre_hooks: list | None = None  # hooks on the gradient of this node's output
    _saved: tuple | None = ()

    # ---- written by subclasses ----------------------------------------------------------
    @staticmethod
    def forward(ctx: Function, *args: Any) -> Any:
        """Compute the output from the inputs (arrays or tensors); save what backward needs."""
        raise NotImplementedError("a Function subclass must define a static forward(ctx, ...)")

    @staticmethod
    def backward(ctx: Function, *grad_outputs: Tensor) -> Any:
        """Given d(loss)/d(output), return d(loss)/d(input) for each input of forward."""
        raise NotImplementedError("a Function subclass must define a static backward(ctx, grad)")

    # ---- the context API used inside forward/backward ------------------------------------
    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors for backward; their versions are checked when they are read back."""
        if True not in self.needs_input_grad:  # not recorded: no backward will read them
            return
        self._saved = tensors
        self._saved_versions = [t._version[0] if t is not None else 0 for t in tensors]

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        if self._saved is None:
            raise RuntimeError(FREED_GRAPH)
        out = []
        for entry, version in zip(self._saved, self._saved_versions):
            if type(entry) is _SavedOutput:
                if entry.version[0] != entry.saved_version:
                    raise RuntimeError(self._stale_message(entry.array, entry.version[0], version))
                t = _make(entry.array, True, self)
                t._version = entry.version
                out.append(t)
                continue
            if entry is not None and entry._version[0] != version:
                raise RuntimeError(self._stale_message(entry._array, entry._version[0], version))
            out.append(entry)
        return tuple(out)

    def _stale_message(self, array: np.ndarray, now: int, saved: int) -> str:
        return (
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{array.dtype} tensor of shape {list(array.shape)}], which is "
            f"used by {self.name()}, is at version {now}; expected version {saved} instead. "
            "Hint: a value saved for backward was changed in place afterwards (+=, add_, "
            "x[...] = ...); use an out-of-place operation (x = x + 1) instead."
        )

    # ---- building the graph ----------------------------------------------------------
    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run ``forward`` and, if any input requires grad, record this op in the graph."""
        ctx = object.__new__(cls)
        grad_enabled = _GradMode.enabled
        if grad_enabled:
            needs = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
            recording = True in needs
        else:
            needs, recording = (False,) * len(args), False
        ctx.needs_input_grad = needs
        _GradMode.enabled = False  # forward's own tensor operations are not recorded
        try:
            result = cls.forward(ctx, *args)
        except ValueError as err:  # NumPy's shape complaints, in PyTorch's words
            raise RuntimeError(cls._shape_error(args, err)) from None
        finally:
            _GradMode.enabled = grad_enabled
        if type(result) is np.ndarray:  # built-in ops compute arrays
            out = _make(result)
        elif isinstance(result, Tensor):  # ... or make their output tensor to save it
            out = _make(result._array) if any(result is a for a in args) else result
            if recording and any(s is out for s in ctx._saved):
                ctx._saved = tuple(_SavedOutput(s) if s is out else s for s in ctx._saved)
        else:  # NumPy scalars from 0-d arithmetic
            out = _make(np.asarray(result))
        if recording:
            # One edge per argument: the input's node, None when it needs no gradient,
            # or NOT_A_TENSOR (falsy too) for arguments like a dim or an exponent.
            ctx._next = [
                (a.grad_fn or a._accumulate_node())
                if need
                else (None if isinstance(a, Tensor) else NOT_A_TENSOR)
                for a, need in zip(args, needs)
            ]
            out._requires_grad = True
            out.grad_fn = ctx
        return out

    @classmethod
    def _shape_error(cls, args: tuple, err: ValueError) -> str:
        """Explain a shape error; the default is PyTorch's broadcasting message."""
        shapes = [a._array.shape for a in args if isinstance(a, Tensor)]
        if len(shapes) >= 2:
            a, b = shapes[0], shapes[1]
            ndim = max(len(a), len(b))
            for i in range(1, ndim + 1):
                sa = a[-i] if i <= len(a) else 1
                sb = b[-i] if i <= len(b) else 1
                if sa != sb and 1 not in (sa, sb):
                    return (
                        f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                        f"non-singleton dimension {ndim - i} (shapes {list(a)} and {list(b)}; "
                        "sizes must be equal or 1 to broadcast: reshape or unsqueeze one)"
                    )
        return f"{cls.__name__}: {err}"

    # ---- what the backward pass and users see -----------------------------------------
    def name(self) -> str:
        return self._node_name or f"{type(self).__name__}Backward"

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """Where this node sends gradients: (node, 0) per tensor input, None if none is needed."""
        return tuple((n, 0) for n in self._next if n is not NOT_A_TENSOR)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def _add_pre_hook(self, hook: Any) -> RemovableHandle:
        if self._pre_hooks is None:
            self._pre_hooks = []
        return RemovableHandle(self._pre_hooks, hook)

    def _backward(self, grad: Tensor) -> tuple:
        grads = type(self).backward(self, grad)
        if not isinstance(grads, tuple):
            grads = (grads,)
        if len(grads) != len(self._next):
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients (expected "
                f"{len(self._next)}, got {len(grads)}): return one per forward input, None for "
                "inputs that need no gradient"
            )
        return grads

    def _release(self) -> None:
        """Free saved tensors after a backward pass that does not retain the graph."""
        self._saved = None


class AccumulateGrad:
    """The node at a leaf: adds the incoming gradient into ``variable.grad``."""

    __slots__ = ("variable", "__weakref__")
    _next = ()
    _pre_hooks = None

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def name(self) -> str:
        return "AccumulateGrad"

    @property
    def next_functions(self) -> tuple:
        return ()

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {hex(id(self))}>"

    def _backward(self, grad: Tensor) -> tuple:
        var = self.variable
        for hook in var._hooks or ():
            new = hook(grad)
            if new is not None:
                grad = new
        if grad._array.shape != var._array.shape:
            raise RuntimeError(
                f"gradient of shape {list(grad._array.shape)} cannot be accumulated into a leaf "
                f"of shape {list(var._array.shape)} (a custom Function's backward must return a "
                "gradient with the shape of its input)"
            )
        if grad._array.dtype != var._array.dtype:
            grad = _make(grad._array.astype(var._array.dtype))
        if _GradMode.enabled:  # create_graph: keep the gradient's own history
            var._grad = grad if var._grad is None else var._grad + grad
        elif var._grad is None:
            # A copy: the same gradient tensor may also reach other leaves or the caller.
            var._grad = _make(np.array(grad._array))
        else:
            var._grad._array += grad._array
            var._grad._version[0] += 1
        return ()

    def _release(self) -> None:
        pass
