"""The Tensor: a NumPy array plus the bookkeeping autograd needs.

A tensor holds its values (a NumPy array), whether gradients should flow to it
(``requires_grad``), the gradient accumulated so far (``.grad``) and, when an operation made
it, that operation's graph node (``grad_fn``). This file is that data structure and its
autograd rules: leaves and ``.grad``, ``backward()``, hooks, ``detach``, and what an in-place
change may do. The operations themselves (``+``, ``exp``, ``sum``, ``reshape`` ...) are defined
with their derivatives in ``ops/``, one module per family, and attached to this class there.
"""

from __future__ import annotations

import builtins
import numbers
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from . import _messages as msg
from . import dtypes as _dt
from .grad_mode import _GradMode

_engine_backward = None  # autograd.engine.backward, looked up on the first backward()


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``autograd_course.Size([2, 3])``, as PyTorch's
    prints ``torch.Size([2, 3])`` (the module named, as for dtypes)."""

    def __repr__(self) -> str:
        return f"autograd_course.Size({list(self)})"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    ``Tensor(data)`` works as in PyTorch (always the default float dtype); prefer
    ``tensor(data)``, which keeps integer and float64 data as they are.
    """

    __slots__ = (
        "_array",  # the values: a NumPy array
        "_requires_grad",
        "grad_fn",  # the node of the operation that produced this tensor (None for leaves)
        "_output_nr",  # which output of grad_fn this is (not 0 only for multi-output nodes)
        "_view",  # for a view of another tensor: how it was cut from its base (ops/views.py)
        "_version_counter",  # [n], shared with views: bumped by every in-place change
        "__weakref__",
        "__dict__",  # lets subclasses (nn.Parameter) and users add attributes
    )
    # Set on few tensors, so kept out of the constructor: an instance attribute overrides these.
    _grad = None  # the accumulated gradient (leaves, and tensors that retain it)
    _retains_grad = False
    _accumulator = None  # weak reference to this leaf's AccumulateGrad node
    _hooks = None  # gradient hooks of a leaf (a non-leaf keeps them on its grad_fn)
    # NumPy defers ``ndarray + tensor`` to Tensor.__radd__ instead of converting the tensor.
    __array_priority__ = 1000

    def __init__(self, *data: Any, requires_grad: bool = False) -> None:
        if len(data) == 1 and not isinstance(data[0], numbers.Integral):
            value = data[0]._array if isinstance(data[0], Tensor) else data[0]
            array = np.array(value, dtype=_dt.default_float())
        elif all(isinstance(d, numbers.Integral) for d in data):  # Tensor(2, 3): a shape
            array = np.zeros(data or (0,), dtype=_dt.default_float())  # Tensor(): size 0
        else:
            raise TypeError(f"Tensor() takes data or a shape, got {data!r}")
        _init(self, array)
        if requires_grad:
            self.requires_grad = True

    # ---- autograd: leaves, requires_grad, .grad -------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None and not value:
            raise RuntimeError(msg.requires_grad_of_non_leaf())
        if value and self._array.dtype.kind != "f":
            raise RuntimeError(msg.only_floats_require_grad(self._array.dtype.name))
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """Made by the user, not by a recorded operation: only leaves accumulate ``.grad``."""
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (leaves, or tensors that called ``retain_grad()``)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(msg.non_leaf_grad(), UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None and value._array.shape != self._array.shape:
            raise RuntimeError(msg.assigned_grad_size(Size(value.shape), self.shape))
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError(msg.retain_grad_without_grad())
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        node = self.grad_fn
        if node._retained is None:
            node._retained = {}
        node._retained[self._output_nr] = weakref.ref(self)

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError(msg.hook_without_grad())
        if self.grad_fn is None:
            if self._hooks is None:
                self._hooks = []
            return RemovableHandle(self._hooks, hook)
        return self.grad_fn.register_prehook(_OutputHook(self._output_nr, hook))

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Compute the gradient of this tensor with respect to the graph's leaves."""
        global _engine_backward
        if _engine_backward is None:  # the engine is built on tensors, so it is found late
            from .autograd.engine import backward as _engine_backward
        _engine_backward(self, gradient, retain_graph, create_graph)

    def detach(self) -> Tensor:
        """The same values (shared memory and version counter) without history."""
        out = _make(self._array)
        out._version_counter = self._version_counter
        return out

    def detach_(self) -> Tensor:
        """Cut this tensor from its history: it becomes a leaf that does not require grad."""
        self.grad_fn, self._requires_grad, self._view = None, False, None
        return self

    @property
    def data(self) -> Tensor:
        """The same values, detached, with a version counter of their own: changes made
        through ``.data`` are invisible to autograd (use with care)."""
        return _make(self._array)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._array = value._array if isinstance(value, Tensor) else np.asarray(value)

    @property
    def _version(self) -> int:
        """How many times this tensor (or a view sharing its memory) was changed in place."""
        return self._version_counter[0]

    @property
    def output_nr(self) -> int:
        return self._output_nr

    # ---- what a tensor is -----------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    def size(self, dim: int | None = None) -> Size | int:
        return self.shape if dim is None else self._array.shape[dim]

    @property
    def dtype(self) -> _dt.dtype:
        return _dt.from_numpy_dtype(self._array.dtype)

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        return self._array.ndim

    def numel(self) -> int:
        return self._array.size

    def is_floating_point(self) -> bool:
        return self._array.dtype.kind == "f"

    # ---- leaving the graph ----------------------------------------------------------------
    def item(self) -> float | int | bool:
        if self._array.size != 1:
            raise RuntimeError(msg.item_of_many(self._array.size))
        return self._array.item()

    def tolist(self) -> Any:
        return self._array.tolist()

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array sharing memory (only for tensors outside the graph)."""
        if self._requires_grad:
            raise RuntimeError(msg.numpy_of_grad_tensor())
        return self._array

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    # ---- Python protocol ------------------------------------------------------------------
    def __repr__(self) -> str:
        from ._printing import tensor_repr  # printing is a leaf module, not part of the core

        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        if self._array.ndim == 0:
            return self._array.item().__format__(spec)
        if spec:
            raise TypeError(msg.format_of_non_scalar())
        return repr(self)

    def __len__(self) -> int:
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._array.shape[0]))

    def __bool__(self) -> bool:
        if self._array.size != 1:
            raise RuntimeError(msg.ambiguous_bool(self._array.size))
        return bool(self._array)

    def __float__(self) -> float:
        return builtins.float(self.item())

    def __int__(self) -> int:
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._array.dtype.kind not in "iu" or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self._array)

    __hash__ = object.__hash__

    # ---- the rules of in-place changes ---------------------------------------------------
    def _in_place(
        self, recorded: Callable[[Tensor], Tensor], direct: Callable[[], Any], *operands: Any
    ) -> Tensor:
        """What every in-place operation (``x += 1``, ``x.zero_()``, ``x[0] = 5`` ...) obeys.

        ``direct()`` changes the array itself; ``recorded(old)`` computes the new values out of
        place from ``old`` (this tensor's values and place in the graph). When a gradient must
        flow (grad mode, and this tensor or an operand requires grad), the op is recorded and
        this tensor takes the result's values and history: PyTorch "rebases" it. A leaf that
        requires grad refuses. Either way the version counter moves, so a copy saved for
        backward is later detected as stale.
        """
        recording = _GradMode.enabled and (
            self._requires_grad or any(isinstance(o, Tensor) and o._requires_grad for o in operands)
        )
        if not recording:
            self._change_directly(direct)
        elif self._view is not None:  # changing a view changes its base: see ops/views.py
            self._view.change_in_place(self, recorded)
        elif self._requires_grad and self.grad_fn is None:
            raise RuntimeError(msg.leaf_in_place())
        else:
            self._take(recorded(self._snapshot()))
        return self

    def _snapshot(self) -> Tensor:
        """This tensor's current values (copied) at its current place in the graph."""
        old = _make(self._array.copy(), self._requires_grad, self.grad_fn)
        old._output_nr = self._output_nr
        return old

    def _take(self, result: Tensor) -> None:
        """Take ``result``'s values and history (the out-of-place result of an in-place op)."""
        if result._array.shape != self._array.shape:
            raise RuntimeError(msg.in_place_shape(self._array.shape, result._array.shape))
        self._change_directly(lambda: np.copyto(self._array, result._array, casting="same_kind"))
        self.grad_fn, self._output_nr = result.grad_fn, result._output_nr
        self._requires_grad = result._requires_grad

    def _change_directly(self, direct: Callable[[], Any]) -> None:
        if not self._array.flags.writeable:  # an expanded view: several elements share memory
            raise RuntimeError(msg.overlapping_write())
        try:
            direct()
        except ValueError:
            raise RuntimeError(msg.in_place_shape(self._array.shape)) from None
        except TypeError as err:  # NumPy refuses e.g. float into int64
            raise RuntimeError(msg.in_place_cast(self.dtype.name, str(err))) from None
        self._version_counter[0] += 1

    @staticmethod
    def _make_subclass(cls: type, data: Tensor, require_grad: bool = False) -> Tensor:
        """A ``cls`` instance sharing ``data``'s values (how nn.Parameter is made)."""
        out = _make(data._array, cls=cls)
        out.requires_grad = require_grad
        return out


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self._hooks, self._hook = hooks, hook
        hooks.append(hook)

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class _OutputHook:
    """A tensor hook on a non-leaf: a node pre-hook that looks at one output's gradient."""

    def __init__(self, output_nr: int, hook: Callable) -> None:
        self.output_nr, self.hook = output_nr, hook

    def __call__(self, grads: tuple) -> tuple | None:
        grad = grads[self.output_nr]
        new = self.hook(grad) if grad is not None else None
        if new is None:
            return None
        return grads[: self.output_nr] + (new,) + grads[self.output_nr + 1 :]


# ---- building tensors quickly inside the engine ------------------------------------------
def _init(t: Tensor, array: np.ndarray, requires_grad: bool = False, grad_fn: Any = None) -> None:
    t._array, t._requires_grad, t.grad_fn, t._version_counter = array, requires_grad, grad_fn, [0]
    t._output_nr, t._view = 0, None


def _make(
    array: np.ndarray, requires_grad: bool = False, grad_fn: Any = None, cls: type = Tensor
) -> Tensor:
    """Wrap an array without copying or converting it (the engine's constructor: it runs
    once per operation, so it sets the slots directly instead of going through __init__)."""
    t = object.__new__(cls)
    t._array, t._requires_grad, t.grad_fn, t._version_counter = array, requires_grad, grad_fn, [0]
    t._output_nr, t._view = 0, None
    return t


def tensor_method(*names: str) -> Callable[[Callable], Callable]:
    """Attach a function to ``Tensor`` under each name: how ops/ gives tensors their methods."""

    def attach(fn: Callable) -> Callable:
        for name in names or (fn.__name__,):
            setattr(Tensor, name, fn)
        return fn

    return attach
