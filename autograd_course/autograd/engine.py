"""The backward pass: walk the graph from the outputs to the leaves, once, in order.

Two steps, both iterative (a 100,000-op chain must not hit Python's recursion limit):
1. count, for every node reachable from the outputs, how many edges lead into it;
2. start from the outputs; a node runs once all the gradients flowing into it have arrived
   and been summed (Kahn's topological order), then passes its inputs' gradients on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..tensor import Size, Tensor, _make
from .function import AccumulateGrad
from .grad_mode import _GradMode


def _as_list(x: Any) -> list:
    if x is None:
        return [None]
    return list(x) if isinstance(x, list | tuple) else [x]


def _roots(outputs: list[Tensor], grad_outputs: list[Any]) -> list[tuple[Any, Tensor]]:
    """Pair each output's graph node with its starting gradient, checking shapes."""
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"got {len(grad_outputs)} gradients for {len(outputs)} outputs: pass one per output"
        )
    roots = []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs, strict=True)):
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn "
                "(no input of this computation has requires_grad=True, or it ran under no_grad)"
            )
        if grad is None:
            if out._array.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs (this output has "
                    f"shape {list(out._array.shape)}: reduce it first, e.g. y.sum().backward(), "
                    "or pass a gradient of the same shape, y.backward(gradient))"
                )
            grad = _make(np.ones_like(out._array))
        else:
            if not isinstance(grad, Tensor):
                grad = _make(np.asarray(grad, dtype=out._array.dtype))
            if grad._array.shape != out._array.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {Size(grad.shape)} and "
                    f"output[{i}] has a shape of {Size(out.shape)}. The gradient passed to "
                    "backward must have the output's shape."
                )
            if grad._array.dtype != out._array.dtype:
                grad = grad.to(out._array.dtype)
        roots.append((out.grad_fn or out._accumulate_node(), grad))
    return roots


def _execute(
    roots: list[tuple[Any, Tensor]],
    retain_graph: bool,
    create_graph: bool,
    capture: dict[Any, Tensor | None] | None = None,
) -> None:
    """Run the backward pass from ``roots``; with ``capture``, record gradients arriving at
    those nodes instead of accumulating into leaves (that is ``autograd.grad``)."""
    # 1. How many edges lead into each node (a node is pushed once: when first met).
    root_nodes = list(dict.fromkeys(node for node, _ in roots))
    dependencies: dict[Any, int] = dict.fromkeys(root_nodes, 0)
    stack = list(root_nodes)
    while stack:
        for child in stack.pop()._next:
            if child:
                if child in dependencies:
                    dependencies[child] += 1
                else:
                    dependencies[child] = 1
                    stack.append(child)

    # 2. Visit nodes once all their gradient has arrived.
    pending: dict[Any, Tensor] = {}
    for node, grad in roots:
        pending[node] = pending[node] + grad if node in pending else grad
    ready = [node for node in root_nodes if dependencies[node] == 0]
    previous_mode = _GradMode.enabled
    _GradMode.enabled = create_graph  # record the backward ops only for higher derivatives
    try:
        while ready:
            node = ready.pop()
            grad = pending.pop(node, None)
            grads: Sequence[Tensor | None] = ()
            if grad is not None:
                for hook in node._pre_hooks or ():
                    new = hook(grad)
                    if new is not None:
                        grad = new
                if capture is not None and node in capture:
                    capture[node] = grad
                if capture is None or type(node) is not AccumulateGrad:
                    grads = node._backward(grad)
                    if not retain_graph:
                        node._release()
            for child, g in zip(node._next, grads or (None,) * len(node._next)):
                if not child:  # no gradient needed, or not a tensor argument
                    continue
                if g is not None:
                    pending[child] = pending[child] + g if child in pending else g
                remaining = dependencies[child] - 1
                dependencies[child] = remaining
                if remaining == 0:
                    ready.append(child)
    finally:
        _GradMode.enabled = previous_mode


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of the graph's leaves."""
    outputs = _as_list(tensors)
    grads = _as_list(grad_tensors) if grad_tensors is not None else [None] * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    _execute(_roots(outputs, grads), retain_graph, create_graph)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad``."""
    outs = _as_list(outputs)
    ins = _as_list(inputs)
    grads = _as_list(grad_outputs) if grad_outputs is not None else [None] * len(outs)
    if retain_graph is None:
        retain_graph = create_graph
    targets = []
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError(
                f"One of the differentiated Tensors (input {i}) does not require grad"
            )
        targets.append(t.grad_fn or t._accumulate_node())
    capture: dict[Any, Tensor | None] = dict.fromkeys(targets)
    _execute(_roots(outs, grads), retain_graph, create_graph, capture)
    result = []
    for i, node in enumerate(targets):
        g = capture[node]
        if g is None and not allow_unused:
            raise RuntimeError(
                f"One of the differentiated Tensors (input {i}) appears to not have been used in "
                "the graph. Set allow_unused=True if this is the desired behavior."
            )
        result.append(g if g is None or create_graph else g.detach())
    return tuple(result)
