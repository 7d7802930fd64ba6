"""Module hooks: the handle that removes one, and the machinery of full backward hooks.

A full backward hook ``hook(module, grad_input, grad_output)`` runs once the gradients with
respect to the module's inputs are known. As in PyTorch, the module's tensor inputs and
outputs pass through an identity ``Function`` (``BackwardHookFunctionBackward``): the
node before the outputs sees grad_output, the node after the inputs sees grad_input, and
the hook may replace grad_input by returning new gradients.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable
from typing import Any

from ..autograd.function import Function
from ..tensor import Tensor

_ids = itertools.count()


class RemovableHandle:
    """What ``register_*_hook`` returns: ``remove()`` unregisters the hook (also on ``with`` exit)."""

    def __init__(self, *hook_dicts: dict) -> None:
        self.id = next(_ids)
        self.hook_dicts = hook_dicts

    def remove(self) -> None:
        for hooks in self.hook_dicts:
            hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def add_hook(hooks: dict, hook: Callable, prepend: bool, *extra: dict) -> RemovableHandle:
    """Put ``hook`` last (or first) in the ordered dict ``hooks``; return its handle."""
    handle = RemovableHandle(hooks, *extra)
    hooks[handle.id] = hook
    if prepend:
        for key in [k for k in hooks if k != handle.id]:
            hooks[key] = hooks.pop(key)
    return handle


class BackwardHookFunction(Function):
    """The identity, recorded so that a module's gradients can be seen at its boundary."""

    @staticmethod
    def forward(ctx: Function, *args: Tensor) -> tuple[Tensor, ...]:
        return args

    @staticmethod
    def backward(ctx: Function, *grads: Tensor) -> tuple[Tensor, ...]:
        return grads


BackwardHookFunction.node_name = "BackwardHookFunctionBackward"


def _wrap(values: tuple) -> tuple[tuple, list[int], Any]:
    """Pass the tensors among ``values`` that require grad through one identity node.

    Returns the new values, the positions wrapped (counted among the tensors) and the node.
    """
    tensors = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
    chosen = [k for k, i in enumerate(tensors) if values[i].requires_grad]
    if not chosen:
        return values, [], None
    wrapped = BackwardHookFunction.apply(*[values[tensors[k]] for k in chosen])
    new = list(values)
    for k, w in zip(chosen, wrapped, strict=True):
        new[tensors[k]] = w
    return tuple(new), chosen, wrapped[0].grad_fn


class BackwardHook:
    """One forward call's bookkeeping: wraps inputs and outputs, runs the hooks in backward."""

    def __init__(self, module: Any, hooks: list[Callable], pre_hooks: list[Callable]) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple | None = None
        self.n_inputs, self.input_positions, self.input_node = 0, [], None

    def setup_input_hook(self, args: tuple) -> tuple:
        """Wrap the inputs that require grad: their node will see grad_input."""
        self.n_inputs = sum(isinstance(a, Tensor) for a in args)
        new, self.input_positions, self.input_node = _wrap(args)
        if self.input_node is not None:
            self.input_node.register_prehook(self._on_grad_input)
        return new

    def setup_output_hook(self, output: Any) -> Any:
        """Wrap the outputs: their node sees grad_output first."""
        single = isinstance(output, Tensor)
        values = (output,) if single else output
        if not isinstance(values, tuple):
            return output
        new, _, node = _wrap(values)
        if node is None:
            return output
        node.register_prehook(self._on_grad_output)
        return new[0] if single else new

    def _on_grad_output(self, grads: tuple) -> tuple | None:
        for hook in self.pre_hooks:
            result = hook(self.module, grads)
            if result is not None:
                grads = tuple(result) if isinstance(result, tuple | list) else (result,)
        self.grad_outputs = grads
        if self.input_node is None and self.hooks:  # no input needs a gradient
            warnings.warn(
                "Full backward hook is firing when gradients are computed with respect to module "
                "outputs since no inputs require gradients. See https://docs.pytorch.org/docs/"
                "main/generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook"
                " for more details.",
                stacklevel=2,
            )
            for hook in self.hooks:
                hook(self.module, (None,) * max(self.n_inputs, 1), grads)
        return grads

    def _on_grad_input(self, grads: tuple) -> tuple | None:
        full: list = [None] * self.n_inputs
        for k, g in zip(self.input_positions, grads, strict=True):
            full[k] = g
        grad_input = tuple(full)
        for hook in self.hooks:
            result = hook(self.module, grad_input, self.grad_outputs)
            if result is not None:
                result = tuple(result) if isinstance(result, tuple | list) else (result,)
                if len(result) != len(grad_input):
                    raise RuntimeError(
                        f"Backward hook returned an invalid number of grad_input, got "
                        f"{len(result)}, but expected {len(grad_input)}"
                    )
                grad_input = result
        return tuple(grad_input[k] for k in self.input_positions)
