"""The backward pass: walk the graph from the outputs back to the leaves, each node once.

1. Count, for every node reachable from the outputs, how many edges lead into it.
2. Start from the outputs. A node runs once every gradient flowing into it has arrived and
   been summed (Kahn's topological order; among ready nodes the most recently created runs
   first, as in PyTorch). It passes one gradient to each of its inputs' nodes.
3. A gradient that comes back in a different shape than its input had was broadcast in the
   forward pass: the engine sums it back to the input's shape (so no operation has to).

Both walks use explicit stacks and queues, never recursion: a 100,000-op chain works.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import _messages as msg
from ..grad_mode import _GradMode
from ..tensor import Size, Tensor, _make
from .function import AccumulateGrad, Function, Node, _edge_node


def _execute(
    roots: list[tuple[Node, int, Tensor]],
    retain_graph: bool,
    create_graph: bool,
    capture: dict[tuple[Node, int], Tensor | None] | None = None,
) -> None:
    """Run backward from ``roots`` (node, output_nr, gradient). With ``capture``, record the
    gradients that arrive at those (node, output_nr) instead of accumulating into leaves."""
    dependencies = _count_dependencies([node for node, _, _ in roots])

    # 2. Visit each node once all its gradient has arrived, the newest first.
    pending: dict[Node, list] = {}
    for node, nr, grad in roots:
        slots = pending.setdefault(node, [None] * node._num_outputs)
        slots[nr] = grad if slots[nr] is None else slots[nr] + grad
    # Leaves are ready at once (their nodes only store the gradient); the other nodes wait in
    # a heap ordered by creation, newest first.
    ready = [
        (-n._sequence_nr, n)
        for n in dependencies
        if not dependencies[n] and type(n) is not AccumulateGrad
    ]
    leaves = [n for n in dependencies if not dependencies[n] and type(n) is AccumulateGrad]
    heapq.heapify(ready)
    previous_mode = _GradMode.enabled
    _GradMode.enabled = create_graph  # record the backward ops only for higher derivatives
    try:
        while ready or leaves:
            node = leaves.pop() if leaves else heapq.heappop(ready)[1]
            grads = pending.pop(node, None)  # None: no gradient reached it, none goes on
            input_grads = () if grads is None else _run_node(node, grads, retain_graph, capture)
            for i, edge in enumerate(node._next):
                if not edge:  # no gradient needed, or not a tensor argument
                    continue
                child, nr, shape, dtype = edge
                g = input_grads[i] if input_grads else None
                if g is not None:
                    # 3. The gradient must arrive in its input's shape and dtype.
                    if g._array.shape != shape:
                        g = _sum_to(g, shape, node, i)
                    if g._array.dtype is not dtype:  # NumPy's dtypes are shared objects
                        g = g.to(dtype)
                    slots = pending.get(child)
                    if slots is None:  # the first gradient for this node
                        pending[child] = slots = [None] * child._num_outputs
                    # Gradients that reach the same output along several paths add up (fan-out).
                    slots[nr] = g if slots[nr] is None else slots[nr] + g
                left = dependencies[child] - 1
                dependencies[child] = left
                if not left:
                    if type(child) is AccumulateGrad:
                        leaves.append(child)
                    else:
                        heapq.heappush(ready, (-child._sequence_nr, child))
    finally:
        _GradMode.enabled = previous_mode


def _run_node(node: Node, grads: list, retain_graph: bool, capture: dict | None) -> Sequence:
    """Hooks, then the node's backward (in ``autograd.grad``, leaves only report what came)."""
    if node._pre_hooks or node._retained:
        grads = node._receive(grads)
    if capture is not None:
        for nr, g in enumerate(grads):
            if (node, nr) in capture:
                capture[node, nr] = g
        if type(node) is AccumulateGrad:
            return ()
    input_grads = node._run_backward(grads)
    if not retain_graph:
        node._saved = None  # free what forward saved for this backward
    return input_grads


def _count_dependencies(roots: list[Node]) -> dict[Node, int]:
    """1. For every node reachable from ``roots``, how many edges lead into it."""
    dependencies = dict.fromkeys(roots, 0)
    stack = list(dependencies)
    while stack:
        for edge in stack.pop()._next:
            if edge:
                child = edge[0]
                if child in dependencies:
                    dependencies[child] += 1
                else:
                    dependencies[child] = 1
                    stack.append(child)
    return dependencies


class SumToSize(Function):
    """The engine's broadcast rule: sum over broadcast axes (added leading ones, then those
    that had size 1). Its backward expands back, so higher derivatives work through it."""

    node_name = "SumToSizeBackward0"
    forward_on_arrays = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        lead = x.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(
            lead + i for i, s in enumerate(shape) if s == 1 and x.shape[lead + i] != 1
        )
        return (x.sum(axis=axes, keepdims=True) if axes else x).reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.expand(ctx.shape), None


def _sum_to(grad: Tensor, shape: tuple[int, ...], node: Node, index: int) -> Tensor:
    """Reduce a broadcast gradient to ``shape``, or say which backward returned a wrong one."""
    got = grad._array.shape
    lead = len(got) - len(shape)
    if lead < 0 or any(s not in (1, g) for s, g in zip(shape, got[lead:])):
        raise RuntimeError(msg.invalid_gradient(node.name(), index, got, shape))
    return SumToSize.apply(grad, shape)


# ---- the two entry points --------------------------------------------------------------------
def _as_list(x: Any) -> list:
    if x is None:
        return [None]
    return list(x) if isinstance(x, list | tuple) else [x]


def _roots(outputs: list[Tensor], grad_outputs: list[Any]) -> list[tuple[Node, int, Tensor]]:
    """Pair each output's node with its starting gradient (1 for a scalar), checking shapes."""
    for grad in grad_outputs:
        if grad is not None and not isinstance(grad, Tensor):
            raise TypeError(msg.gradient_not_tensor(type(grad).__name__))
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(msg.gradient_count(len(grad_outputs), len(outputs)))
    roots = []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs)):
        if not out._requires_grad:
            raise RuntimeError(msg.no_grad_fn(i))
        if grad is None:
            if out._array.size != 1:
                raise RuntimeError(msg.non_scalar_backward(out._array.shape))
            grad = _make(np.ones_like(out._array))
        elif grad._array.shape != out._array.shape:
            raise RuntimeError(msg.gradient_shape(i, repr(Size(grad.shape)), repr(Size(out.shape))))
        elif grad._array.dtype is not out._array.dtype:
            grad = grad.to(out._array.dtype)
        roots.append((_edge_node(out), out._output_nr, grad))
    return roots


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
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple[Tensor | None, ...]:
    """Return d(outputs)/d(inputs) without touching any ``.grad``."""
    outs, ins = _as_list(outputs), _as_list(inputs)
    grads = _as_list(grad_outputs) if grad_outputs is not None else [None] * len(outs)
    if retain_graph is None:
        retain_graph = create_graph
    targets = []
    for i, t in enumerate(ins):
        if not t._requires_grad:
            raise RuntimeError(msg.input_without_grad(i))
        targets.append((_edge_node(t), t._output_nr))
    capture: dict[tuple[Node, int], Tensor | None] = dict.fromkeys(targets)
    _execute(_roots(outs, grads), retain_graph, create_graph, capture)
    result = []
    for i, (t, target) in enumerate(zip(ins, targets)):
        g = capture[target]
        if g is None:
            if materialize_grads:
                g = _make(np.zeros_like(t._array))
            elif not (allow_unused or materialize_grads):
                raise RuntimeError(msg.unused_input(i))
        result.append(g if g is None or create_graph else g.detach())
    return tuple(result)
