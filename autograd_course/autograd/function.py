"""The graph: one node per recorded operation, and how an operation records itself.

Every differentiable operation is a ``Function`` subclass, written as in PyTorch: a static
``forward(ctx, *args)`` that computes the result and saves what backward will need, and a
static ``backward(ctx, *grad_outputs)`` that turns d(loss)/d(output) into d(loss)/d(input),
one per forward argument. ``MyOp.apply(*args)`` runs ``forward`` and, when an input requires
grad, links ``ctx`` into the graph: ``ctx`` *is* the node (the output's ``grad_fn``), and its
``next_functions`` lead to the nodes that produced its inputs. The backward pass (engine.py)
walks these nodes from the output back to the leaves.

The built-in operations (ops/) compute forward with NumPy, so ``apply`` hands them the inputs'
arrays; a ``Function`` you write yourself gets the tensors, exactly as in PyTorch. Either way
``backward`` works on tensors, so that the backward pass can itself be differentiated.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from .. import _messages as msg
from ..grad_mode import _GradMode, no_grad
from ..tensor import RemovableHandle, Tensor, _make

_sequence = itertools.count()  # creation order: the engine runs later nodes first, as PyTorch


class Node:
    """What every node of the graph offers: its name, its edges, hooks, and a direct call."""

    _next: (
        tuple | list
    ) = ()  # per forward argument: an edge, None (no gradient), False (not a tensor)
    _num_outputs = 1
    _pre_hooks: list | None = None  # hooks on the gradients this node receives
    _post_hooks: list | None = None  # hooks on the gradients this node returns
    _retained: dict | None = None  # output_nr -> weak reference to a tensor that retains grad

    def name(self) -> str:
        return type(self).__name__

    @property
    def next_functions(self) -> tuple[tuple[Any, int], ...]:
        """Where this node sends gradients: (node, output_nr) per tensor input, PyTorch's format."""
        return tuple((e[0], e[1]) if e else (None, 0) for e in self._next if e is not False)

    def __repr__(self) -> str:
        return f"<{self.name()} object at {hex(id(self))}>"

    def __call__(self, *grad_outputs: Tensor) -> Any:
        """Run this node's backward by hand (as PyTorch's ``grad_fn(grad)``): one gradient per
        tensor input, or that gradient alone when there is one input."""
        grads = self._run_backward(list(grad_outputs))
        grads = tuple(g for g, e in zip(grads, self._next) if e is not False)
        return grads[0] if len(grads) == 1 else grads

    def register_prehook(self, hook: Callable) -> RemovableHandle:
        """``hook(grad_outputs) -> new grad_outputs or None``, before this node runs."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        return RemovableHandle(self._pre_hooks, hook)

    def register_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(grad_inputs, grad_outputs) -> new grad_inputs or None``, after it ran."""
        if self._post_hooks is None:
            self._post_hooks = []
        return RemovableHandle(self._post_hooks, hook)

    def _receive(self, grads: list) -> list:
        """The gradients arriving here, after hooks; a tensor that retains grad keeps its own."""
        for hook in self._pre_hooks or ():
            new = hook(tuple(grads))
            if new is not None:
                grads = list(new)
        for nr, ref in (self._retained or {}).items():
            tensor = ref()
            if tensor is not None and grads[nr] is not None:
                g = grads[nr] if _GradMode.enabled else grads[nr].detach()
                tensor._grad = g if tensor._grad is None else tensor._grad + g
        return grads

    def _run_backward(self, grads: list) -> tuple:
        raise NotImplementedError


class Function(Node):
    """Base class of every differentiable operation, built-in or written by a student."""

    node_name: str | None = None  # PyTorch's name for the node, e.g. "MulBackward0"
    saved_names: tuple[str, ...] = ()  # ctx._saved_<name>: the saved tensors, in save order
    saved_values: tuple[str, ...] = ()  # ctx._saved_<name>: other values kept on ctx
    forward_on_arrays = False  # built-in ops: forward computes with NumPy arrays

    _saved: tuple | None = ()  # what save_for_backward kept; None once the graph is freed
    _materialize_grads = True
    _dirty: tuple = ()
    _non_differentiable: tuple = ()

    # ---- written by subclasses ----------------------------------------------------------
    @staticmethod
    def forward(ctx: Function, *args: Any) -> Any:
        """Compute the output(s) from the inputs; save what backward needs."""
        raise NotImplementedError("a Function subclass must define a static forward(ctx, ...)")

    @staticmethod
    def setup_context(ctx: Function, inputs: tuple, output: Any) -> None:
        """PyTorch 2 style: ``forward(*args)`` without ctx, then this saves what is needed."""
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Function, *grad_outputs: Tensor) -> Any:
        """Given d(loss)/d(output), return d(loss)/d(input) for each input of forward."""
        raise NotImplementedError("a Function subclass must define a static backward(ctx, grad)")

    # ---- the context API used inside forward and backward --------------------------------
    def save_for_backward(self, *values: Any) -> None:
        """Keep inputs or outputs for backward; their versions are checked when read back."""
        if True in self.needs_input_grad:  # nothing will run backward otherwise
            self._saved = values

    @property
    def saved_tensors(self) -> tuple[Tensor | None, ...]:
        """The saved values, refused if the graph was freed or one was changed in place."""
        if self._saved is None:
            raise RuntimeError(msg.freed_graph())
        tensors = []
        for entry in self._saved:
            if type(entry) is tuple:  # an input (or a constant) and its version when saved
                t, version = entry
                if t._version_counter[0] != version:
                    raise RuntimeError(_stale(t._array, t._version_counter[0], version, t.grad_fn))
                tensors.append(t)
            else:
                tensors.append(entry if entry is None else entry.unpack(self))
        return tuple(tensors)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Tell autograd that forward changed these inputs in place (and returns them)."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        """These outputs get no gradient (indices, masks): requires_grad stays False."""
        self._non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """False: backward gets None, not zeros, for outputs that received no gradient."""
        self._materialize_grads = value

    def name(self) -> str:
        return self.node_name or f"{type(self).__name__}Backward"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Give the node PyTorch's ``_saved_self``, ``_saved_result``, ``_saved_dim`` ...: one
        property per saved tensor (``saved_names``) and per saved value (``saved_values``)."""
        super().__init_subclass__(**kwargs)
        for i, name in enumerate(cls.__dict__.get("saved_names", ())):
            setattr(cls, f"_saved_{name}", property(lambda self, i=i: self.saved_tensors[i]))
        for name in cls.__dict__.get("saved_values", ()):
            setattr(cls, f"_saved_{name}", property(lambda self, name=name: self.__dict__[name]))

    # ---- building the graph -------------------------------------------------------------
    @classmethod
    def apply(cls, *args: Any) -> Any:
        """Run ``forward`` and, if any input requires grad, record this call in the graph."""
        node = object.__new__(cls)
        grad_enabled = _GradMode.enabled
        if grad_enabled:
            flags = []  # (loops here and below rather than comprehensions: no extra frame)
            for a in args:
                flags.append(isinstance(a, Tensor) and a._requires_grad)
            needs = tuple(flags)
            recording = True in needs
        else:  # under no_grad (and in every backward pass) nothing is recorded
            needs, recording = (False,) * len(args), False
        node.needs_input_grad = needs
        _GradMode.enabled = False  # forward's own operations are not recorded
        try:
            if cls.forward_on_arrays:  # built-in ops: NumPy arrays in, one array out
                arrays = []
                for a in args:
                    arrays.append(a._array if isinstance(a, Tensor) else a)
                try:
                    result = cls.forward(node, *arrays)
                except ValueError as err:  # NumPy's complaint, in PyTorch's words
                    raise RuntimeError(cls.explain(args, err)) from err
                out = _make(result if type(result) is np.ndarray else np.asarray(result))
                outputs = (out,)
                if node._saved:  # saved arrays are the inputs' or the output's: keep those
                    node._saved = _pack_arrays(node._saved, args, arrays, out, result)
            else:
                outputs = node._forward_tensors(args)
        finally:
            _GradMode.enabled = grad_enabled
        if recording:
            node._link(args, outputs)
        return outputs[0] if node._num_outputs == 1 and not node._returns_tuple else outputs

    _returns_tuple = False

    def _forward_tensors(self, args: tuple) -> tuple:
        """Functions written by users: tensors in, tensors out, as in PyTorch."""
        cls = type(self)
        if cls.setup_context is not Function.setup_context:
            result = cls.forward(*args)
            cls.setup_context(self, args, result)
        else:
            result = cls.forward(self, *args)
        self._returns_tuple = isinstance(result, tuple)
        outputs = tuple(
            self._own_output(o, args) for o in (result if self._returns_tuple else (result,))
        )
        self._num_outputs = len(outputs)
        for t in self._dirty:
            t._version_counter[0] += 1
        if self._saved:
            tensors = tuple(o for o in outputs if isinstance(o, Tensor))
            self._saved = tuple(_pack(v, tensors) for v in self._saved)
        return outputs

    def _own_output(self, o: Any, args: tuple) -> Any:
        """An input returned unchanged becomes a new tensor sharing its values (unless dirty)."""
        if (
            isinstance(o, Tensor)
            and any(o is a for a in args)
            and not any(o is d for d in self._dirty)
        ):
            alias = _make(o._array)
            alias._version_counter = o._version_counter
            return alias
        return o

    def _link(self, args: tuple, outputs: tuple) -> None:
        """Connect this node: an edge to each input's node, then make it the outputs' grad_fn."""
        self._sequence_nr = next(_sequence)
        # An edge is (node, output_nr, shape, dtype): where the gradient goes, and the shape
        # and dtype it must arrive in (the engine reduces broadcast gradients to that shape).
        edges = self._next = []
        for a, need in zip(args, self.needs_input_grad):
            if not need:
                edges.append(None if isinstance(a, Tensor) else False)
                continue
            node = a.grad_fn if a.grad_fn is not None and a._view is None else _edge_node(a)
            edges.append((node, a._output_nr, a._array.shape, a._array.dtype))
        if self._num_outputs == 1 and not (self._dirty or self._non_differentiable):
            out = outputs[0]  # every built-in op: one output, nothing special about it
            if out._array.dtype.kind == "f":
                out._requires_grad, out.grad_fn = True, self
            return
        self._output_meta = [(o._array.shape, o._array.dtype) for o in outputs]
        for nr, out in enumerate(outputs):
            if not isinstance(out, Tensor) or out._array.dtype.kind != "f":
                continue
            if any(out is t for t in self._non_differentiable):
                continue
            if any(out is t for t in self._dirty) and out.grad_fn is None and out._requires_grad:
                raise RuntimeError(msg.dirty_leaf())
            out._requires_grad, out.grad_fn, out._output_nr = True, self, nr

    @classmethod
    def explain(cls, args: tuple, err: ValueError) -> str:
        """A NumPy shape error in PyTorch's words; the default is the broadcasting message."""
        shapes = [a._array.shape for a in args if isinstance(a, Tensor)]
        if len(shapes) >= 2:
            a, b = shapes[0], shapes[1]
            ndim = max(len(a), len(b))
            for i in range(1, ndim + 1):
                sa = a[-i] if i <= len(a) else 1
                sb = b[-i] if i <= len(b) else 1
                if sa != sb and 1 not in (sa, sb):
                    return msg.broadcast(sa, sb, ndim - i, a, b)
        return f"{cls.__name__}: {err}"

    # ---- what the backward pass calls ---------------------------------------------------
    def _run_backward(self, grads: list) -> tuple:
        """Call ``backward`` with one gradient per output; check it returned one per input."""
        if self._num_outputs > 1 and self._materialize_grads:
            grads = [
                g if g is not None else _make(np.zeros(shape, dtype))
                for g, (shape, dtype) in zip(grads, self._output_meta)
            ]
        result = type(self).backward(self, *grads)
        if not isinstance(result, tuple):
            result = (result,)
        if len(result) != len(self._next):
            if len(result) < len(self._next) or any(
                g is not None for g in result[len(self._next) :]
            ):
                raise RuntimeError(
                    msg.wrong_number_of_gradients(self.name(), len(self._next), len(result))
                )
            result = result[: len(self._next)]  # extra Nones are allowed, as in PyTorch
        for hook in self._post_hooks or ():
            new = hook(result, tuple(grads))
            if new is not None:
                result = tuple(new)
        return result


class AccumulateGrad(Node):
    """The node at a leaf that requires grad: adds the incoming gradient into ``.grad``."""

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable

    def _run_backward(self, grads: list) -> tuple:
        var, grad = self.variable, grads[0]
        for hook in var._hooks or ():  # hooks registered on the leaf tensor
            new = hook(grad)
            if new is not None:
                grad = new
        if grad._array.shape != var._array.shape:
            raise RuntimeError(
                msg.invalid_gradient("AccumulateGrad", 0, grad._array.shape, var._array.shape)
            )
        if grad._array.dtype is not var._array.dtype:
            grad = _make(grad._array.astype(var._array.dtype))
        if _GradMode.enabled:  # create_graph: the gradient keeps its own history
            var._grad = grad if var._grad is None else var._grad + grad
        elif var._grad is None:
            # A copy: the same gradient tensor may also reach other leaves or the caller.
            var._grad = _make(np.array(grad._array))
        else:
            var._grad._array += grad._array
            var._grad._version_counter[0] += 1
        return ()


def _edge_node(t: Tensor) -> Node:
    """The node a gradient for ``t`` goes to: its grad_fn, or its leaf's AccumulateGrad."""
    if t._view is not None:
        t._view.refresh(t)  # a view whose base was changed in place gets a fresh grad_fn
    if t.grad_fn is not None:
        return t.grad_fn
    node = t._accumulator() if t._accumulator is not None else None
    if node is None:  # created on first use and shared while it is alive (held by the graph)
        node = AccumulateGrad(t)
        t._accumulator = weakref.ref(node)
    return node


# ---- saved tensors ---------------------------------------------------------------------------
class _SavedOutput:
    """An output saved by its own node, kept as values + version counter rather than as the
    tensor (which owns the node): no reference cycle, so graphs free themselves at once."""

    __slots__ = ("array", "counter", "version", "output_nr")

    def __init__(self, output: Tensor, output_nr: int) -> None:
        self.array, self.counter, self.output_nr = output._array, output._version_counter, output_nr
        self.version = self.counter[0]

    def unpack(self, node: Function) -> Tensor:
        """The output again, as a tensor of ``node`` (checked against its saved version)."""
        if self.counter[0] != self.version:
            raise RuntimeError(_stale(self.array, self.counter[0], self.version, node))
        t = _make(self.array, True, node)
        t._version_counter, t._output_nr = self.counter, self.output_nr
        return t


def _pack(value: Any, outputs: tuple) -> Any:
    """What to keep for a value a user Function saved: an output, or a tensor and its version."""
    for nr, out in enumerate(outputs):
        if value is out:
            return _SavedOutput(out, nr)
    if isinstance(value, Tensor):
        return value, value._version_counter[0]
    return value


def _pack_arrays(values: tuple, args: tuple, arrays: list, out: Tensor, raw: Any) -> tuple:
    """What to keep for arrays a built-in op saved: the input tensor holding that array, with
    its version, or the output (``raw`` is what forward returned); else a constant. Ops save
    their inputs in order, so each value is first compared with the input in its place."""
    packed = []
    n = len(arrays)
    for i, value in enumerate(values):
        if i < n and value is arrays[i] and value is not args[i]:  # the array of input i
            packed.append((args[i], args[i]._version_counter[0]))
        elif value is None:
            packed.append(None)
        elif value is raw or value is out._array:
            packed.append(_SavedOutput(out, 0))
        else:  # an index tensor, another input, or a constant made in forward
            owner = next((a for a in args if isinstance(a, Tensor) and a._array is value), value)
            owner = owner if isinstance(owner, Tensor) else _make(np.asarray(owner))
            packed.append((owner, owner._version_counter[0]))
    return tuple(packed)


def _stale(array: np.ndarray, now: int, saved: int, producer: Node | None) -> str:
    name = producer.name() if producer is not None else None
    return msg.saved_tensor_modified(array.dtype.name, array.shape, name, now, saved)


def once_differentiable(backward: Callable) -> Callable:
    """Decorate a custom ``backward`` that cannot itself be differentiated: it runs without
    recording, so asking for a second derivative through it finds no graph."""

    @functools.wraps(backward)
    def wrapper(ctx: Function, *grads: Any) -> Any:
        with no_grad():
            return backward(ctx, *grads)

    return wrapper
