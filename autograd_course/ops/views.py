"""Views: tensors that share memory with another tensor (``x[0:2]``, ``x.T``, ``x.reshape``).

A view shares its base's version counter, so changing either in place is seen by both. A view
also remembers how it was cut from its root (the tensor that owns the memory), which lets
autograd follow an in-place change through it, as PyTorch's ``CopySlices`` does:

    b = a * 1; b[0:2].mul_(2)   # b's grad_fn becomes CopySlices: a.grad = [2, 2, 1]

The trick that makes every kind of view work alike: replaying the view's steps on the numbers
0, 1, ..., n-1 laid out like the root tells, for each element of the view, which element of
the root it is (``element_ids``). Writing into the view writes those root elements; the
gradient of the overwritten elements stops there, and the rest flows on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _messages as msg
from ..grad_mode import _GradMode
from ..tensor import Tensor, _make
from .arithmetic import Op


class ViewInfo:
    """How a view was made: its root tensor and the view operations applied to it."""

    __slots__ = ("root", "steps", "version")

    def __init__(self, root: Tensor, steps: tuple, version: int) -> None:
        self.root, self.steps = root, steps
        self.version = version  # the shared version when the view's grad_fn was made

    def element_ids(self) -> np.ndarray:
        """For each element of the view, its flat (C-order) position in the root."""
        ids = np.arange(self.root._array.size).reshape(self.root._array.shape)
        for op, args in self.steps:
            scratch = object.__new__(op)
            scratch.needs_input_grad = ()
            ids = op.forward(scratch, ids, *args)
        return np.asarray(ids)

    def refresh(self, view: Tensor) -> None:
        """If the memory was changed in place since the view's grad_fn was made, make a new
        one: the view is now a piece of the root's new history (PyTorch does the same)."""
        if view._version_counter[0] == self.version:
            return
        self.version = view._version_counter[0]
        if self.root._requires_grad:
            previous, _GradMode.enabled = _GradMode.enabled, True
            try:
                piece = AsStrided.apply(self.root, self.element_ids())
            finally:
                _GradMode.enabled = previous
            view.grad_fn, view._output_nr, view._requires_grad = piece.grad_fn, 0, True

    def change_in_place(self, view: Tensor, recorded: Any) -> None:
        """An in-place op on a view, recorded on its root: root <- CopySlices(root, result)."""
        root = self.root
        if root._requires_grad and root.grad_fn is None:
            raise RuntimeError(msg.view_of_leaf_in_place())
        self.refresh(view)
        result = recorded(view._snapshot())
        if result._array.shape != view._array.shape:
            raise RuntimeError(msg.in_place_shape(view._array.shape, result._array.shape))
        ids = self.element_ids()
        new_root = CopySlices.apply(root, result, ids)
        view._change_directly(lambda: np.copyto(view._array, result._array, casting="same_kind"))
        root.grad_fn, root._output_nr = new_root.grad_fn, 0
        root._requires_grad = new_root._requires_grad
        self.version = -1  # the view's own grad_fn is now stale: the root changed under it
        self.refresh(view)


class CopySlices(Op):
    """The root after writing ``values`` at ``ids``: the overwritten elements get no gradient
    from the root's past, ``values`` gets the gradient of the elements it became."""

    node_name = "CopySlices"

    @staticmethod
    def forward(ctx, root, values, ids):
        ctx.ids, ctx.shape = ids, root.shape
        out = root.copy()
        out.reshape(-1)[ids] = values
        return out

    @staticmethod
    def backward(ctx, grad):
        keep = np.ones(grad._array.size, dtype=grad._array.dtype)
        keep[ctx.ids.ravel()] = 0
        need_root, need_values, _ = ctx.needs_input_grad
        grad_root = grad * _make(keep.reshape(ctx.shape)) if need_root else None
        grad_values = grad.reshape(-1)[_make(ctx.ids)] if need_values else None
        return grad_root, grad_values, None


class AsStrided(Op):
    """The elements ``ids`` of the root, as a view regenerated after an in-place change."""

    node_name = "AsStridedBackward0"

    @staticmethod
    def forward(ctx, root, ids):
        ctx.ids, ctx.shape = ids, root.shape
        return root.reshape(-1)[ids]

    @staticmethod
    def backward(ctx, grad):
        zeros = _make(np.zeros(ctx.shape, dtype=grad._array.dtype))
        return CopySlices.apply(zeros, grad, ctx.ids), None


def track_view(out: Tensor, base: Tensor, op: type[Op], *args: Any) -> Tensor:
    """Mark ``out`` (made by ``op.apply(base, *args)``) as a view of ``base``."""
    out._version_counter = base._version_counter
    if _GradMode.enabled:  # only views made while recording can carry a change back
        view = base._view
        root, steps = (base, ()) if view is None else (view.root, view.steps)
        out._view = ViewInfo(root, (*steps, (op, args)), out._version_counter[0])
    return out
