"""The course's worked examples and PyTorch's backward semantics, checked by closed forms."""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest

import autograd_course as ac
from autograd_course.autograd import Function, gradcheck


# ---- the worked examples the chapters are built on ---------------------------------------
def test_square_at_two_has_gradient_four():
    x = ac.tensor(2.0, requires_grad=True)
    y = x**2
    y.backward()
    assert x.grad.item() == 4.0


def test_cubic_minus_square_example():
    a = ac.tensor([5.0], requires_grad=True)
    b = ac.tensor([6.0], requires_grad=True)
    y = a**3 - b**2
    assert repr(y) == "tensor([89.], grad_fn=<SubBackward0>)"
    y.backward()  # a one-element tensor of shape (1,) needs no gradient argument
    assert a.grad.item() == 3 * 5**2 and b.grad.item() == -2 * 6


def test_vector_output_with_gradient_argument_and_accumulation():
    a_values, b_values = [2.0, 3.0], [6.0, 4.0]
    a = ac.tensor(a_values, requires_grad=True)
    b = ac.tensor(b_values, requires_grad=True)
    f = 2 * a**2 + b**2
    f.backward(ac.ones(2), retain_graph=True)
    assert a.grad.tolist() == [4 * v for v in a_values]
    assert b.grad.tolist() == [2 * v for v in b_values]
    f.backward(ac.ones(2))  # gradients accumulate into leaves
    assert a.grad.tolist() == [8 * v for v in a_values]


def test_learning_a_line_with_bare_tensors_predicts_81_at_8():
    x = ac.tensor([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0]])
    y = 10 * x + 1
    w = ac.tensor([[0.0]], requires_grad=True)
    b = ac.tensor([0.0], requires_grad=True)
    for _ in range(3000):
        loss = ((x @ w + b - y) ** 2).mean()
        loss.backward()
        with ac.no_grad():
            w -= 0.03 * w.grad
            b -= 0.03 * b.grad
        w.grad.zero_()
        b.grad.zero_()
    prediction = (ac.tensor([[8.0]]) @ w + b).item()
    assert prediction == pytest.approx(81.0, abs=0.05)


# ---- graph structure ------------------------------------------------------------------
def test_fan_out_sums_gradients():
    a = ac.tensor(3.0, requires_grad=True)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


def test_hundred_thousand_op_chain_is_iterative():
    x = ac.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.backward()
    assert x.grad.item() == 1.0


def test_sum_over_two_thousand_scalar_parameters():
    params = [ac.tensor(float(i), requires_grad=True) for i in range(2000)]
    total = sum(p * p for p in params)  # micrograd's L2 term, which overflows its recursion
    total.backward()
    assert all(p.grad.item() == 2 * i for i, p in enumerate(params))


def test_grad_fn_names_and_next_functions():
    a = ac.tensor([1.0], requires_grad=True)
    y = a * 2
    assert y.grad_fn.name() == "MulBackward0"
    (acc, _), (none, _) = y.grad_fn.next_functions
    assert acc.name() == "AccumulateGrad" and acc.variable is a and none is None
    assert (a @ a).grad_fn.name() == "DotBackward0"
    assert a.sum().grad_fn.name() == "SumBackward0"
    assert a.mean().grad_fn.name() == "MeanBackward0"


def test_graph_is_freed_without_the_cycle_collector():
    gc.disable()
    try:
        x = ac.ones(10, requires_grad=True)
        y = x.exp().sigmoid().sum()  # both save their output
        node_ref = __import__("weakref").ref(y.grad_fn)
        y.backward()
        del y
        assert node_ref() is None  # freed by reference counting alone
    finally:
        gc.enable()


# ---- backward's arguments ---------------------------------------------------------------
def test_second_backward_raises_then_retain_graph_allows_it():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    y = (x**2).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_second_derivatives_with_create_graph():
    x = ac.tensor(2.0, requires_grad=True)
    y = x**3
    (dy,) = ac.autograd.grad(y, x, create_graph=True)
    (d2y,) = ac.autograd.grad(dy, x)
    assert dy.item() == 12.0 and d2y.item() == 12.0
    z = ac.tensor(1.5, requires_grad=True)
    (z.sin() * z).backward(create_graph=True)
    first = z.grad
    z.grad = None
    first.backward()
    expected = 2 * np.cos(1.5) - 1.5 * np.sin(1.5)  # d²/dz² z sin z
    assert z.grad.item() == pytest.approx(expected, rel=1e-6)


def test_autograd_grad_does_not_touch_grad_and_checks_unused():
    x = ac.tensor(1.0, requires_grad=True)
    unused = ac.tensor(1.0, requires_grad=True)
    (g,) = ac.autograd.grad(x * 3, x)
    assert g.item() == 3.0 and x.grad is None
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        ac.autograd.grad(x * 3, [x, unused])
    assert ac.autograd.grad(x * 3, [x, unused], allow_unused=True)[1] is None


def test_non_leaf_grad_is_none_with_warning_unless_retained():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    z = y * 2
    y.retain_grad()
    z.sum().backward()
    assert y.grad.tolist() == [2.0, 2.0]
    with pytest.warns(UserWarning, match="retain_grad"):
        assert z.grad is None


def test_hooks_see_and_replace_gradients():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.tolist()))
    y = x * 2
    handle = y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert seen == [[20.0, 20.0]] and x.grad.tolist() == [20.0, 20.0]
    handle.remove()
    x.grad = None
    (x * 2).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_grad_mode_context_and_decorator():
    x = ac.tensor(1.0, requires_grad=True)
    with ac.no_grad():
        y = x * 2
        with ac.enable_grad():
            z = x * 2
    assert not y.requires_grad and y.grad_fn is None and z.requires_grad

    @ac.no_grad()
    def f(t):
        return t * 2

    @ac.no_grad
    def g(t):
        return t * 2

    assert not f(x).requires_grad and not g(x).requires_grad and ac.is_grad_enabled()
    ac.set_grad_enabled(False)
    assert not (x * 2).requires_grad
    ac.set_grad_enabled(True)
    with ac.set_grad_enabled(False):
        assert not ac.is_grad_enabled()
    assert ac.is_grad_enabled()


def test_detach_and_data():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None
    x.data = ac.tensor([5.0, 6.0])
    assert x.tolist() == [5.0, 6.0] and x.requires_grad
    x.data.mul_(2)  # .data aliases the values
    assert x.tolist() == [10.0, 12.0]


# ---- in-place operations ---------------------------------------------------------------
def test_micrograd_expression_with_in_place_updates():
    # micrograd's published example; its values: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
    a = ac.tensor(-4.0, dtype=ac.float64, requires_grad=True)
    b = ac.tensor(2.0, dtype=ac.float64, requires_grad=True)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.item() == pytest.approx(24.7041, abs=1e-4)
    assert a.grad.item() == pytest.approx(138.8338, abs=1e-4)
    assert b.grad.item() == pytest.approx(645.5773, abs=1e-4)


def test_in_place_on_a_leaf_requires_no_grad():
    w = ac.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used"):
        w += 1
    with ac.no_grad():
        w -= 0.5
    assert w.tolist() == [0.5] and w.is_leaf and w.requires_grad


def test_modified_saved_tensor_makes_backward_raise():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.exp()  # saves its output
    z += 1  # ... which is then changed
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        z.sum().backward()


def test_in_place_on_non_leaf_rebases_history():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y *= 3
    assert y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 6.0]


# ---- dtype policy -------------------------------------------------------------------------
def test_dtype_policy():
    assert ac.tensor(1.5).dtype == ac.float32
    assert ac.tensor([1, 2]).dtype == ac.int64
    assert ac.tensor(np.zeros(2)).dtype == ac.float64
    x = ac.tensor([1.0], requires_grad=True)
    assert (x * 2.5).dtype == ac.float32 and (x + 1).dtype == ac.float32
    assert (ac.tensor([1, 2]) * 0.5).dtype == ac.float32
    assert (ac.tensor([1, 2]) + ac.tensor([1.0])).dtype == ac.float32
    (x * 3).sum().backward()
    assert x.grad.dtype == ac.float32
    assert ac.Tensor([1, 2]).dtype == ac.float32
    t = ac.tensor([1.0, 2.0])
    t.requires_grad = True
    assert t.requires_grad and (ac.tensor([1, 2]) > 1).dtype == ac.bool


def test_explicit_dtype_keeps_full_precision():
    assert ac.tensor(1.6, dtype=ac.float64).item() == 1.6
    assert ac.tensor([1.6], dtype=ac.float64).tolist() == [1.6]
    assert ac.tensor([1, 2], dtype=ac.float32).dtype == ac.float32


def test_float64_gradient_stays_float64():
    x = ac.tensor([1.0, 2.0], dtype=ac.float64, requires_grad=True)
    (x * 2).sum().backward()
    assert x.grad.dtype == ac.float64


# ---- printing -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value, text",
    [
        (ac.tensor(4.0), "tensor(4.)"),
        (ac.tensor(0.5), "tensor(0.5000)"),
        (ac.tensor([1.0, 2.0], requires_grad=True), "tensor([1., 2.], requires_grad=True)"),
        (ac.tensor([1, 2, 3]), "tensor([1, 2, 3])"),
        (ac.tensor([True, False]), "tensor([ True, False])"),
        (ac.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
        (ac.tensor([[1.5, -2.0], [3.0, 4.0]]), "tensor([[ 1.5000, -2.0000],\n        [ 3.0000,  4.0000]])"),
        (ac.tensor([1.0], dtype=ac.float64), "tensor([1.], dtype=autograd_course.float64)"),
        (ac.zeros(0), "tensor([])"),
    ],
)  # fmt: skip
def test_repr_matches_pytorch(value, text):
    assert repr(value) == text


def test_long_tensors_are_summarised_and_wrapped():
    # Expected strings printed by PyTorch 2.13 for the same tensors.
    assert repr(ac.arange(2000.0)) == (
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])"
    )
    assert repr(ac.arange(20.0) * 1.5) == (
        "tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n"
        "        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n"
        "        24.0000, 25.5000, 27.0000, 28.5000])"
    )
    assert repr(ac.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(ac.tensor([float("nan"), 1.0])) == "tensor([nan, 1.])"


def test_format_of_zero_dim_tensor():
    assert f"{ac.tensor(3.14159):.2f}" == "3.14"
    with pytest.raises(TypeError, match="0-d"):
        f"{ac.tensor([1.0, 2.0]):.2f}"


# ---- custom Functions ----------------------------------------------------------------------
class MySigmoid(Function):
    @staticmethod
    def forward(ctx, x):
        out = 1 / (1 + (-x).exp())
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


def test_custom_function_with_save_for_backward():
    x = ac.tensor([-1.0, 0.0, 2.0], dtype=ac.float64, requires_grad=True)
    y = MySigmoid.apply(x)
    assert y.grad_fn.name() == "MySigmoidBackward"
    assert np.allclose(y.detach().numpy(), 1 / (1 + np.exp([1.0, 0.0, -2.0])))
    assert gradcheck(MySigmoid.apply, (x,))


def test_custom_function_returning_wrong_number_of_gradients_is_explained():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, grad):
            return grad

    x = ac.tensor(1.0, requires_grad=True)
    with pytest.raises(RuntimeError, match="incorrect number of gradients"):
        Bad.apply(x, x).backward()


# ---- warnings stay out of the way ----------------------------------------------------------
def test_log_of_zero_is_minus_inf_without_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ac.tensor([0.0]).log().item() == -np.inf
        assert (ac.tensor([1.0]) / 0).item() == np.inf


def test_setitem_is_recorded_on_non_leaves_and_refused_on_leaves():
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ac.tensor(10.0, requires_grad=True)
    z = x * 2
    z[1] = y * 3  # z = [2x0, 3y, 2x2]
    assert z.tolist() == [2.0, 30.0, 6.0]
    z.sum().backward()
    assert x.grad.tolist() == [2.0, 0.0, 2.0] and y.grad.item() == 3.0
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x[0] = 5.0
    with ac.no_grad():
        x[0] = 5.0
    assert x.tolist() == [5.0, 2.0, 3.0]


@pytest.mark.parametrize("dtype", [ac.float32, ac.float64])
@pytest.mark.parametrize("shape", [(1000, 16), (1, 3), (0, 4), (5, 0)])
def test_row_sums_match_numpy(dtype, shape):
    values = np.random.default_rng(0).standard_normal(shape)
    x = ac.tensor(values, dtype=dtype)
    tol = 1e-4 if dtype == ac.float32 else 1e-12
    assert np.allclose(x.sum(0).numpy(), values.sum(0), atol=tol)
    assert x.sum(0, keepdim=True).shape == (1, shape[1])
    assert np.allclose(x.sum_to_size(1, shape[1]).numpy(), values.sum(0, keepdims=True), atol=tol)
