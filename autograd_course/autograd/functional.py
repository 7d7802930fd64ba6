"""``autograd.functional``: derivatives of a whole function at a point, as PyTorch offers them:
``vjp`` (vᵀJ, one backward pass), ``jvp`` (J v, by differentiating a vjp once more),
``jacobian`` (one vjp per output element), ``hessian`` (the jacobian of the gradient), and
``hvp`` / ``vhp`` (H v, a second backward pass through the gradient).

The inputs are detached copies that require grad, so nothing reaches the caller's graph
unless ``create_graph=True``; an output that does not depend on an input gives zeros.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..grad_mode import enable_grad
from ..ops.indexing import stack
from ..tensor import Tensor, _make
from .engine import grad


def _as_tuple(x: Any, what: str, fn: str) -> tuple[bool, tuple[Tensor, ...]]:
    """(was it a tuple, its tensors), with PyTorch's error for anything else (a list too)."""
    is_tuple = isinstance(x, tuple)
    items = x if is_tuple else (x,)
    for i, t in enumerate(items):
        if not isinstance(t, Tensor):
            where = f"value at index {i}" if is_tuple else f"given {what}"
            raise TypeError(
                f"The {what} given to {fn} must be either a Tensor or a tuple of Tensors but the "
                f"{where} has type {type(t)}."
            )
    return is_tuple, items


_INDEPENDENT = {  # PyTorch's strict-mode messages, by the pass that found no dependence
    "back": "The output of the user-provided function is independent of input {i}.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the "
    "grad_outputs when using the double backward trick to compute forward mode gradients.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}.",
}


def _check_outputs(outputs: tuple[Tensor, ...], strict: bool) -> None:
    """strict=True: every output must depend differentiably on the inputs."""
    for i, out in enumerate(outputs):
        if strict and not out.requires_grad:
            raise RuntimeError(
                f"Output {i} of the user-provided function does not require gradients. The "
                "outputs must be computed in a differentiable manner from the input when "
                "running in strict mode."
            )


def _prepare(inputs: tuple[Tensor, ...], create_graph: bool) -> tuple[Tensor, ...]:
    """Inputs that require grad: views of them when building a graph, else detached copies."""
    if create_graph:
        return tuple(
            t.view_as(t) if t.requires_grad else t.detach().requires_grad_() for t in inputs
        )
    return tuple(t.detach().requires_grad_() for t in inputs)


def _grads(outputs: Any, inputs: tuple, grad_outputs: Any, create_graph: bool,
           strict: bool = False, stage: str = "back") -> tuple:  # fmt: skip
    """autograd.grad, with zeros for inputs the outputs do not depend on (an error instead
    under strict=True, in PyTorch's words)."""
    outs = [o for o in outputs if o.requires_grad]
    gos = [g for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if not outs:
        found = (None,) * len(inputs)
    else:
        found = grad(outs, list(inputs), gos, retain_graph=True, create_graph=create_graph,
                     allow_unused=True)  # fmt: skip
    if strict:
        for i, g in enumerate(found):
            if g is None:
                raise RuntimeError(
                    _INDEPENDENT[stage].format(i=i) + " This is not allowed in strict mode."
                )
    return tuple(_make(np.zeros_like(x._array)) if g is None else g for g, x in zip(found, inputs))


def _finish(values: tuple, is_tuple: bool, create_graph: bool) -> Any:
    values = tuple(v if create_graph else v.detach() for v in values)
    return values if is_tuple else values[0]


def _check_jacobian(g: tuple[Tensor, ...], strict: bool) -> None:
    """strict=True, for second derivatives: the gradient must still depend on the inputs."""
    for i, gi in enumerate(g):
        if strict and not gi.requires_grad:
            raise RuntimeError(
                "While computing the hessian, found that the jacobian of the user-provided "
                f"function with respect to input {i} is independent of the input. This is not "
                "allowed in strict mode. You should ensure that your function is twice "
                "differentiable and that the jacobian depends on the inputs (this would be "
                "violated by a linear function for example)."
            )


def _check_v(v: Any, like: tuple[Tensor, ...], like_tuple: bool, fn: str, what: str) -> tuple:
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"The vector v can only be None if {what} a single Tensor with a "
                               "single element.")  # fmt: skip
        return (_make(np.ones_like(like[0]._array)),)
    _, vs = _as_tuple(v, "v", fn)
    if len(vs) != len(like):
        if like_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(like)} but got {len(vs)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for i, (a, b) in enumerate(zip(vs, like)):
        if a.shape != b.shape:
            entry = f"Entry {i} in " if like_tuple else ""
            raise RuntimeError(f"{entry}v has invalid size: should be {b.shape} but got {a.shape}.")
    return vs


_RETURNS = "the user-provided function returns"
_TAKES = "the input to the user-provided function is"


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """(func(inputs), vᵀ J): the gradient of ⟨v, func(inputs)⟩ with respect to the inputs."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "vjp")
    with enable_grad():
        xs = _prepare(xs, create_graph)
        out_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", "vjp")
        _check_outputs(outs, strict)
        vs = _check_v(v, outs, out_tuple, "vjp", _RETURNS)
        result = _grads(outs, xs, vs, create_graph, strict)
    return _finish(outs, out_tuple, create_graph), _finish(result, in_tuple, create_graph)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """(func(inputs), J v). Reverse mode twice: u ↦ uᵀJ is linear in u, so differentiating
    ⟨uᵀJ, v⟩ with respect to u gives J v."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "jvp")
    with enable_grad():
        xs = _prepare(xs, create_graph)
        vs = _check_v(v, xs, in_tuple, "jvp", _TAKES)
        out_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", "jvp")
        _check_outputs(outs, strict)
        us = tuple(_make(np.zeros_like(o._array)).requires_grad_() for o in outs)
        g = _grads(outs, xs, us, True, strict)
        result = _grads(g, us, vs, create_graph, strict, "back_trick")
    return _finish(outs, out_tuple, create_graph), _finish(result, out_tuple, create_graph)


def jacobian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:  # fmt: skip
    """d func / d inputs: shape output.shape + input.shape, one backward pass per output
    element (tuples of inputs or outputs give tuples, as in PyTorch)."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "jacobian")
    with enable_grad():
        xs = _prepare(xs, create_graph)
        out_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", "jacobian")
        _check_outputs(outs, strict)
        if strict and vectorize:
            raise RuntimeError(
                "autograd_course.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                "not supported together. Please either set `strict=False` or `vectorize=False`."
            )
        blocks = []
        for i, out in enumerate(outs):
            rows = []
            for k in range(out.numel()):
                seed = np.zeros(out._array.size, dtype=out._array.dtype)
                seed[k] = 1
                seed_t = _make(seed.reshape(out._array.shape))
                try:
                    rows.append(_grads((out,), xs, (seed_t,), create_graph, strict))
                except RuntimeError as err:  # say which output, as PyTorch does
                    j = int(str(err).split("input ")[1].split(".")[0])
                    raise RuntimeError(
                        f"Output {i} of the user-provided function is independent of input {j}. "
                        "This is not allowed in strict mode."
                    ) from None
            per_input = []
            for j, x in enumerate(xs):
                if rows:
                    block = stack([r[j] for r in rows]).reshape(*out.shape, *x.shape)
                else:
                    block = _make(np.zeros((*out.shape, *x.shape), x._array.dtype))
                per_input.append(block if create_graph else block.detach())
            blocks.append(tuple(per_input) if in_tuple else per_input[0])
    return tuple(blocks) if out_tuple else blocks[0]


def hessian(func: Callable, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False, outer_jacobian_strategy: str = "reverse-mode") -> Any:  # fmt: skip
    """Second derivatives of a scalar function: the jacobian of its gradient."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*args: Tensor) -> Any:
        out = func(*args)
        if not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single "
                "element"
            )
        _check_outputs((out,), strict)
        g = _grads((out.reshape(()),), args, (_make(np.ones((), out._array.dtype)),), True, strict)
        _check_jacobian(g, strict)
        return g if in_tuple else g[0]

    return jacobian(gradient, xs if in_tuple else xs[0], create_graph, strict, vectorize)


def vhp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """(func(inputs), vᵀ H) for a scalar function: a backward pass through its gradient."""
    in_tuple, xs = _as_tuple(inputs, "inputs", "vhp")
    with enable_grad():
        xs = _prepare(xs, create_graph)
        out_tuple, outs = _as_tuple(func(*xs), "outputs of the user-provided function", "vhp")
        _check_outputs(outs, strict)
        out = outs[0]
        if out_tuple or out.numel() != 1:
            raise RuntimeError(
                "The function given to vhp should return a single Tensor"
                if out_tuple
                else "The Tensor returned by the function given to vhp should contain a single "
                "element"
            )
        vs = _check_v(v, xs, in_tuple, "vhp", _TAKES)
        one = _make(np.ones((), out._array.dtype))
        g = _grads((out.reshape(()),), xs, (one,), True, strict)
        _check_jacobian(g, strict)
        result = _grads(g, xs, vs, create_graph, strict, "double_back")
    return (out if create_graph else out.detach()), _finish(result, in_tuple, create_graph)


def hvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """(func(inputs), H v): the Hessian is symmetric, so this is ``vhp``."""
    return vhp(func, inputs, v, create_graph, strict)
