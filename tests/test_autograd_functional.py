"""autograd.functional (jacobian, hessian, vjp, jvp, hvp, vhp) against closed forms written
here, with PyTorch's return structure (tuples for tuples of inputs or outputs), its
create_graph / strict / vectorize arguments and its error messages (torch 2.13's wording)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_course as ac
from autograd_course.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

X = np.array([1.0, 2.0, -0.5])
Y = np.array([3.0])


def t(a) -> ac.Tensor:
    return ac.tensor(np.array(a, dtype=np.float64))


def arr(x) -> np.ndarray:
    return x.detach().numpy()


def test_jacobian_of_one_input_one_output_is_a_tensor_of_shape_out_by_in():
    J = jacobian(lambda a: a**2 * a.sum(), t(X))  # d(a_i² s)/da_j = 2 a_i s δij + a_i²
    assert isinstance(J, ac.Tensor) and J.shape == (3, 3) and not J.requires_grad
    np.testing.assert_allclose(arr(J), np.diag(2 * X * X.sum()) + (X**2)[:, None])
    M = jacobian(lambda m: m.sum(1), t(np.ones((2, 3))))
    np.testing.assert_allclose(arr(M), np.repeat(np.eye(2)[:, :, None], 3, axis=2))


def test_jacobian_structure_for_tuples_of_inputs_and_outputs():
    x, y = t(X), t(Y)
    J = jacobian(lambda a, b: a * b.sum(), (x, y))
    assert isinstance(J, tuple) and [j.shape for j in J] == [(3, 3), (3, 1)]
    np.testing.assert_allclose(arr(J[0]), np.eye(3) * Y[0])
    np.testing.assert_allclose(arr(J[1]), X[:, None])
    J = jacobian(lambda a: (a**2, a.sum()), x)
    assert isinstance(J, tuple) and [j.shape for j in J] == [(3, 3), (3,)]
    J = jacobian(lambda a, b: (a * b, b), (x, y))
    assert isinstance(J, tuple) and all(isinstance(row, tuple) for row in J)
    assert [[j.shape for j in row] for row in J] == [[(3, 3), (3, 1)], [(1, 3), (1, 1)]]
    np.testing.assert_allclose(arr(J[1][1]), [[1.0]])
    np.testing.assert_allclose(arr(J[1][0]), np.zeros((1, 3)))  # independent: zeros


def test_jacobian_strict_vectorize_and_create_graph():
    x, y = t(X), t(Y)
    with pytest.raises(RuntimeError) as info:
        jacobian(lambda a, b: a**2, (x, y), strict=True)
    assert str(info.value) == (
        "Output 0 of the user-provided function is independent of input 1. This is not allowed "
        "in strict mode."
    )
    with pytest.raises(RuntimeError, match="`strict=True` and `vectorized=True` are not"):
        jacobian(lambda a: a**2, x, strict=True, vectorize=True)
    np.testing.assert_allclose(arr(jacobian(lambda a: a**2, x, vectorize=True)), np.diag(2 * X))
    with pytest.raises(RuntimeError, match="^Output 0 of the user-provided function does not"):
        jacobian(lambda a: ac.ones(2), x, strict=True)
    leaf = t(X).requires_grad_()
    J = jacobian(lambda a: a**3, leaf, create_graph=True)  # 3a² on the diagonal
    assert J.requires_grad and J.grad_fn is not None
    J.sum().backward()
    np.testing.assert_allclose(arr(leaf.grad), 6 * X)
    leaf.grad = None
    jacobian(lambda a: a**3, leaf)  # without create_graph the caller's graph is untouched
    assert leaf.grad is None


def test_hessian_closed_forms_and_structure():
    H = hessian(lambda a: (a**3).sum(), t(X))
    np.testing.assert_allclose(arr(H), np.diag(6 * X))
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 4.0]])
    H = hessian(lambda a: a @ t(A) @ a / 2, t(X))
    np.testing.assert_allclose(arr(H), A)
    H = hessian(lambda a, b: (a**2).sum() * b.sum(), (t(X), t(Y)))
    assert isinstance(H, tuple) and all(isinstance(row, tuple) for row in H)
    assert [[h.shape for h in row] for row in H] == [[(3, 3), (3, 1)], [(1, 3), (1, 1)]]
    np.testing.assert_allclose(arr(H[0][0]), 2 * Y[0] * np.eye(3))
    np.testing.assert_allclose(arr(H[0][1]), 2 * X[:, None])
    np.testing.assert_allclose(arr(H[1][1]), [[0.0]])
    with pytest.raises(RuntimeError) as info:
        hessian(lambda a: a**2, t(X))
    assert str(info.value) == (
        "The Tensor returned by the function given to hessian should contain a single element"
    )
    with pytest.raises(RuntimeError, match="^While computing the hessian, found that the jacob"):
        hessian(lambda a: a.sum(), t(X), strict=True)  # linear: its gradient is constant
    assert hessian(lambda a: a.sum(), t(X)).abs().sum().item() == 0


def test_vjp_and_jvp_values_and_structure():
    x, y = t(X), t(Y)
    v = t([1.0, -2.0, 0.5])
    out, g = vjp(lambda a: a**2, x, v)
    np.testing.assert_allclose(arr(out), X**2)
    np.testing.assert_allclose(arr(g), 2 * X * np.array([1.0, -2.0, 0.5]))
    out, g = vjp(lambda a, b: a * b, (x, y), v)
    assert isinstance(g, tuple)
    np.testing.assert_allclose(arr(g[0]), Y[0] * np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(arr(g[1]), [X @ np.array([1.0, -2.0, 0.5])])
    out, g = vjp(lambda a: (a * a).sum(), x)  # v may be omitted for a one-element output
    np.testing.assert_allclose(arr(g), 2 * X)
    out, g = jvp(lambda a: a.cumsum(0), x, v)  # J is lower-triangular ones
    np.testing.assert_allclose(arr(g), np.tril(np.ones((3, 3))) @ np.array([1.0, -2.0, 0.5]))
    out, g = jvp(lambda a: (a.sin(), a.sum()), x, v)
    assert isinstance(out, tuple) and isinstance(g, tuple)
    np.testing.assert_allclose(arr(g[0]), np.cos(X) * np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(arr(g[1]), -0.5)
    assert not out[0].requires_grad and not g[0].requires_grad


def test_vjp_jvp_errors_and_strict_mode():
    x = t(X)
    with pytest.raises(RuntimeError) as info:
        vjp(lambda a: a**2, x)
    assert str(info.value) == (
        "The vector v can only be None if the user-provided function returns a single Tensor "
        "with a single element."
    )
    with pytest.raises(RuntimeError) as info:
        jvp(lambda a: a**2, x)
    assert str(info.value) == (
        "The vector v can only be None if the input to the user-provided function is a single "
        "Tensor with a single element."
    )
    with pytest.raises(RuntimeError) as info:
        vjp(lambda a: a**2, x, t([1.0, 2.0]))
    assert str(info.value) == (
        "v has invalid size: should be autograd_course.Size([3]) but got autograd_course.Size([2])."
    )
    with pytest.raises(RuntimeError, match="^v is a tuple of invalid length: should be 2 but"):
        jvp(lambda a, b: a * b, (x, t(Y)), (t(X),))
    with pytest.raises(RuntimeError, match="^Output 0 of the user-provided function does not"):
        vjp(lambda a: ac.ones(3, dtype=ac.float64), x, t(X), strict=True)
    with pytest.raises(RuntimeError) as info:
        vjp(lambda a, b: a * 2, (x, t(Y)), t(X), strict=True)
    assert str(info.value) == (
        "The output of the user-provided function is independent of input 1. This is not "
        "allowed in strict mode."
    )
    _, g = vjp(lambda a, b: a * 2, (x, t(Y)), t(X))
    assert g[1].tolist() == [0.0]
    with pytest.raises(TypeError) as info:
        jacobian(lambda a: a, [x])  # a list is not a tuple, as in PyTorch
    assert str(info.value) == (
        "The inputs given to jacobian must be either a Tensor or a tuple of Tensors but the "
        "given inputs has type <class 'list'>."
    )


def test_hvp_vhp_closed_forms_create_graph_and_strict():
    x, v = t(X), t([1.0, 0.0, 2.0])
    A = np.array([[2.0, 1.0, 0.0], [1.0, 3.0, -1.0], [0.0, -1.0, 4.0]])
    out, hv = hvp(lambda a: a @ t(A) @ a / 2, x, v)
    np.testing.assert_allclose(arr(out), X @ A @ X / 2)
    np.testing.assert_allclose(arr(hv), A @ np.array([1.0, 0.0, 2.0]))
    out, vh = vhp(lambda a: (a**3).sum(), x, v)
    np.testing.assert_allclose(arr(vh), 6 * X * np.array([1.0, 0.0, 2.0]))
    out, vh = vhp(lambda a, b: (a**2).sum() * b.sum(), (x, t(Y)), (v, t([1.0])))
    assert isinstance(vh, tuple)  # [2b I, 2a; 2aᵀ, 0] (v, 1)
    np.testing.assert_allclose(arr(vh[0]), 2 * Y[0] * np.array([1.0, 0.0, 2.0]) + 2 * X)
    np.testing.assert_allclose(arr(vh[1]), [2 * X @ np.array([1.0, 0.0, 2.0])])
    leaf = t(X).requires_grad_()
    _, hv = hvp(lambda a: (a**4).sum(), leaf, v, create_graph=True)  # 12 a² v
    assert hv.requires_grad
    hv.sum().backward()  # d/da Σ 12 a² v = 24 a v
    np.testing.assert_allclose(arr(leaf.grad), 24 * X * np.array([1.0, 0.0, 2.0]))
    with pytest.raises(RuntimeError, match="^While computing the hessian, found that the jacob"):
        hvp(lambda a: a.sum(), x, v, strict=True)
    assert hvp(lambda a: a.sum(), x, v)[1].tolist() == [0.0, 0.0, 0.0]
