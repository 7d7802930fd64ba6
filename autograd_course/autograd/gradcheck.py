"""Check analytic gradients against central finite differences, in float64.

For every input element x_j: numerical column  (f(x + eps e_j) - f(x - eps e_j)) / (2 eps);
for every output element y_i: analytic row  = the gradient of y_i from one backward pass.
They must agree within ``atol + rtol * |numerical|``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..grad_mode import no_grad
from ..tensor import Tensor, _make
from .engine import grad


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytic and numerical gradients disagree."""


def _as_tuple(x: Any) -> tuple:
    return tuple(x) if isinstance(x, list | tuple) else (x,)


def _outputs(fn: Callable, inputs: tuple) -> tuple[Tensor, ...]:
    return tuple(o for o in _as_tuple(fn(*inputs)) if isinstance(o, Tensor))


def _numerical_jacobians(fn: Callable, inputs: tuple, eps: float) -> list[list[np.ndarray]]:
    """jac[i][j]: d(output i)/d(input j) as a (output size, input size) matrix."""
    sizes = [o._array.size for o in _outputs(fn, inputs)]
    jac = [[np.zeros((n, t._array.size)) for t in inputs] for n in sizes]
    for j, t in enumerate(inputs):
        if not (isinstance(t, Tensor) and t.requires_grad):
            continue
        flat = t._array.reshape(-1)  # a view: perturbing it perturbs the input
        for k in range(flat.size):
            original = flat[k]
            # fn runs with grad mode on: for gradgradcheck, fn itself calls autograd.grad.
            flat[k] = original + eps
            plus = [o._array.astype(np.float64).ravel() for o in _outputs(fn, inputs)]
            flat[k] = original - eps
            minus = [o._array.astype(np.float64).ravel() for o in _outputs(fn, inputs)]
            flat[k] = original
            for i, (p, m) in enumerate(zip(plus, minus, strict=True)):
                jac[i][j][:, k] = (p - m) / (2 * eps)
    return jac


def _analytic_jacobians(fn: Callable, inputs: tuple) -> list[list[np.ndarray]]:
    outputs = _outputs(fn, inputs)
    wanted = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    jac = [[np.zeros((o._array.size, t._array.size)) for t in inputs] for o in outputs]
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            continue
        for row in range(out._array.size):
            seed = np.zeros(out._array.size, dtype=out._array.dtype)
            seed[row] = 1
            grads = grad(
                out,
                wanted,
                _make(seed.reshape(out._array.shape)),
                retain_graph=True,
                allow_unused=True,
            )
            g_iter = iter(grads)
            for j, t in enumerate(inputs):
                if isinstance(t, Tensor) and t.requires_grad:
                    g = next(g_iter)
                    if g is not None:
                        jac[i][j][row] = g._array.astype(np.float64).ravel()
    return jac


def _float64_inputs(inputs: Any) -> tuple:
    """Copies of the inputs in float64 (finite differences need the precision)."""
    copies = []
    for t in _as_tuple(inputs):
        if isinstance(t, Tensor) and t.is_floating_point():
            c = _make(t._array.astype(np.float64))
            c.requires_grad = t.requires_grad
            copies.append(c)
        else:
            copies.append(t)
    return tuple(copies)


def gradcheck(
    func: Callable,
    inputs: Tensor | Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """True when ``func``'s autograd gradients match finite differences; else raise (or False)."""
    inputs = _float64_inputs(inputs)
    if not any(isinstance(t, Tensor) and t.requires_grad for t in inputs):
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but none of them "
            "have requires_grad=True."
        )
    numerical = _numerical_jacobians(func, inputs, eps)
    analytic = _analytic_jacobians(func, inputs)
    for i, (num_row, ana_row) in enumerate(zip(numerical, analytic, strict=True)):
        for j, (num, ana) in enumerate(zip(num_row, ana_row, strict=True)):
            bad = ~np.isclose(ana, num, rtol=rtol, atol=atol)
            if not bad.any():
                continue
            r, c = np.unravel_index(np.argmax(np.abs(ana - num) * bad), bad.shape)
            shape = inputs[j]._array.shape
            element = np.unravel_index(c, shape) if shape else ()
            rel = abs(ana[r, c] - num[r, c]) / max(abs(num[r, c]), 1e-12)
            message = (
                f"Jacobian mismatch for output {i} with respect to input {j}: at input element "
                f"{tuple(int(e) for e in element)} and output element {int(r)}, numerical "
                f"{num[r, c]:.6g} vs analytical {ana[r, c]:.6g} (relative error {rel:.3g}; "
                f"{int(bad.sum())} of {bad.size} entries differ).\n"
                f"numerical:\n{np.array2string(num, precision=4)}\n"
                f"analytical:\n{np.array2string(ana, precision=4)}"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def gradgradcheck(
    func: Callable,
    inputs: Tensor | Sequence[Any],
    grad_outputs: Sequence[Tensor] | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check second derivatives: gradcheck the first-derivative function of ``func``."""
    inputs = _float64_inputs(inputs)
    with no_grad():
        outputs = _outputs(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = [_make(rng.standard_normal(o._array.shape)) for o in outputs]
    grad_outputs = _float64_inputs(grad_outputs)
    for g in grad_outputs:
        g.requires_grad = True
    n = len(inputs)
    wanted = [k for k, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]

    def first_derivatives(*args: Any) -> tuple:
        xs, gs = args[:n], args[n:]
        outs = _outputs(func, xs)
        grads = grad(outs, [xs[k] for k in wanted], list(gs), create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivatives, (*inputs, *grad_outputs), eps, atol, rtol, raise_exception)
