"""Losses against their closed forms (written here in NumPy), every reduction, and gradients."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn
from autograd_course.autograd import gradcheck, gradgradcheck
from autograd_course.nn import functional as F

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3))
Y = RNG.standard_normal((4, 3))
P = RNG.uniform(0.05, 0.95, (4, 3))  # probabilities
T = (RNG.uniform(size=(4, 3)) > 0.5).astype(np.float64)  # 0/1 targets


def arr(t: ac.Tensor) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def reduce(values: np.ndarray, reduction: str) -> np.ndarray:
    return {"mean": values.mean(), "sum": values.sum(), "none": values}[reduction]


def softplus(x: np.ndarray) -> np.ndarray:
    """log(1 + exp(x)), computed stably by NumPy."""
    return np.logaddexp(0.0, x)


def bce_with_logits_closed_form(x, y, pos_weight=1.0):
    """-(pw * y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))."""
    return pos_weight * y * softplus(-x) + (1 - y) * softplus(x)


CASES = [
    (nn.MSELoss, F.mse_loss, X, Y, lambda x, y: (x - y) ** 2),
    (nn.L1Loss, F.l1_loss, X, Y, lambda x, y: np.abs(x - y)),
    (
        nn.BCELoss,
        F.binary_cross_entropy,
        P,
        T,
        lambda p, y: -(y * np.log(p) + (1 - y) * np.log(1 - p)),
    ),
    (nn.BCEWithLogitsLoss, F.binary_cross_entropy_with_logits, X, T, bce_with_logits_closed_form),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize(("module", "function", "x", "y", "formula"), CASES)
def test_loss_matches_closed_form(module, function, x, y, formula, reduction):
    expected = reduce(formula(x, y), reduction)
    got_module = module(reduction=reduction)(ac.tensor(x), ac.tensor(y))
    got_function = function(ac.tensor(x), ac.tensor(y), reduction=reduction)
    np.testing.assert_allclose(arr(got_module), expected, rtol=1e-12)
    np.testing.assert_allclose(arr(got_function), expected, rtol=1e-12)
    assert tuple(got_module.shape) == np.shape(expected)


@pytest.mark.parametrize(("module", "function", "x", "y", "formula"), CASES)
def test_loss_defaults_to_mean_in_float32(module, function, x, y, formula):
    got = module()(ac.tensor(x, dtype=ac.float32), ac.tensor(y, dtype=ac.float32))
    assert got.dtype == ac.float32 and got.dim() == 0
    assert got.item() == pytest.approx(formula(x, y).mean(), rel=1e-5)


@pytest.mark.parametrize(("module", "function", "x", "y", "formula"), CASES)
def test_gradcheck_every_loss(module, function, x, y, formula):
    xs = ac.tensor(x, requires_grad=True)
    ys = ac.tensor(y, requires_grad=True)
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(lambda a, b, r=reduction: function(a, b, reduction=r), (xs, ys))
    assert gradcheck(lambda a, b: module()(a, b), (xs, ys))


@pytest.mark.parametrize(
    "function", [F.mse_loss, F.binary_cross_entropy, F.binary_cross_entropy_with_logits]
)
def test_second_derivatives_of_smooth_losses(function):
    x = ac.tensor(P, requires_grad=True)  # in (0, 1), so valid for every one of them
    assert gradgradcheck(lambda a: function(a, ac.tensor(T)), (x,))


def test_loss_reprs_are_pytorchs():
    assert repr(nn.MSELoss()) == "MSELoss()"
    assert repr(nn.L1Loss(reduction="sum")) == "L1Loss()"
    assert repr(nn.BCELoss()) == "BCELoss()"
    assert repr(nn.BCEWithLogitsLoss(pos_weight=ac.tensor([3.0]))) == "BCEWithLogitsLoss()"


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        nn.MSELoss(reduction="avg")(ac.zeros(2), ac.zeros(2))


# ----- gradients by formula ------------------------------------------------------------------


def test_mse_and_l1_gradients():
    x = ac.tensor(X, requires_grad=True)
    F.mse_loss(x, ac.tensor(Y)).backward()
    np.testing.assert_allclose(arr(x.grad), 2 * (X - Y) / X.size, rtol=1e-12)
    x.grad = None
    F.l1_loss(x, ac.tensor(Y), reduction="sum").backward()
    np.testing.assert_allclose(arr(x.grad), np.sign(X - Y), rtol=1e-12)


# ----- BCELoss at the edges ------------------------------------------------------------------


def test_bce_clamps_the_log_at_minus_100():
    assert nn.BCELoss()(ac.tensor([0.0, 1.0]), ac.tensor([1.0, 0.0])).item() == 100.0
    loss = F.binary_cross_entropy(ac.tensor([0.0, 1.0]), ac.tensor([0.0, 1.0]), reduction="none")
    assert loss.tolist() == [0.0, 0.0]


def test_bce_gradient_is_finite_at_0_and_1_as_in_pytorch():
    # PyTorch's gradient is (p - y) / max(p (1 - p), 1e-12): finite everywhere, never nan.
    p = ac.tensor([0.0, 1.0, 0.0, 1.0, 0.5], requires_grad=True)
    y = ac.tensor([1.0, 0.0, 0.0, 1.0, 1.0])
    F.binary_cross_entropy(p, y, reduction="sum").backward()
    grad = arr(p.grad)
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, [-1e12, 1e12, 0.0, 0.0, -2.0], rtol=1e-6)


def test_bce_gradient_matches_closed_form_inside_the_interval():
    p = ac.tensor(P, requires_grad=True)
    F.binary_cross_entropy(p, ac.tensor(T), reduction="sum").backward()
    np.testing.assert_allclose(arr(p.grad), (P - T) / (P * (1 - P)), rtol=1e-10)


def test_bce_weight():
    w = RNG.uniform(0.5, 2.0, (4, 3))
    got = nn.BCELoss(weight=ac.tensor(w), reduction="sum")(ac.tensor(P), ac.tensor(T))
    expected = (w * -(T * np.log(P) + (1 - T) * np.log(1 - P))).sum()
    assert got.item() == pytest.approx(expected, rel=1e-12)


def test_bce_checks_its_input():
    with pytest.raises(RuntimeError, match="all elements of input should be between 0 and 1"):
        F.binary_cross_entropy(ac.tensor([1.5]), ac.tensor([1.0]))
    with pytest.raises(ValueError) as info:
        nn.BCELoss()(ac.full((3, 1), 0.5), ac.zeros(3))
    assert str(info.value) == (
        "Using a target size (autograd_course.Size([3])) that is different to the input size (autograd_course.Size([3, 1])) "
        "is deprecated. Please ensure they have the same size."
    )


# ----- BCEWithLogitsLoss: stability and pos_weight ---------------------------------------------


def test_bce_with_logits_is_finite_for_huge_logits():
    x = ac.tensor([1000.0, -1000.0, 1000.0, -1000.0], requires_grad=True)
    y = ac.tensor([1.0, 0.0, 0.0, 1.0])
    loss = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    assert loss.tolist() == [0.0, 0.0, 1000.0, 1000.0]
    loss.sum().backward()
    assert arr(x.grad).tolist() == [0.0, 0.0, 1.0, -1.0]  # sigmoid(x) - y


def test_bce_with_logits_gradient_is_sigmoid_minus_target_everywhere_including_zero():
    x_values = np.array([-30.0, -2.0, 0.0, 0.0, 1e-3, 4.0, 30.0])
    y_values = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0])
    x = ac.tensor(x_values, requires_grad=True)
    F.binary_cross_entropy_with_logits(x, ac.tensor(y_values), reduction="sum").backward()
    np.testing.assert_allclose(arr(x.grad), 1 / (1 + np.exp(-x_values)) - y_values, atol=1e-15)


def test_bce_with_logits_pos_weight():
    pw = np.array([0.5, 2.0, 3.0])  # one weight per class (last dimension), broadcast
    loss = nn.BCEWithLogitsLoss(pos_weight=ac.tensor(pw), reduction="none")
    x = ac.tensor(X, requires_grad=True)
    out = loss(x, ac.tensor(T))
    np.testing.assert_allclose(arr(out), bce_with_logits_closed_form(X, T, pw), rtol=1e-12)
    out.sum().backward()
    sig = 1 / (1 + np.exp(-X))
    # d/dx of pw y softplus(-x) + (1 - y) softplus(x) = -pw y (1 - sig) + (1 - y) sig
    np.testing.assert_allclose(arr(x.grad), -pw * T * (1 - sig) + (1 - T) * sig, rtol=1e-12)
    big = ac.tensor([1000.0, -1000.0], requires_grad=True)
    value = F.binary_cross_entropy_with_logits(
        big, ac.tensor([1.0, 1.0]), pos_weight=ac.tensor(3.0), reduction="sum"
    )
    assert value.item() == pytest.approx(3000.0)
    value.backward()
    assert np.isfinite(arr(big.grad)).all()
    assert gradcheck(
        lambda a: F.binary_cross_entropy_with_logits(a, ac.tensor(T), pos_weight=ac.tensor(pw)),
        (ac.tensor(X, requires_grad=True),),
    )


def test_bce_with_logits_equals_bce_of_sigmoid():
    x = ac.tensor(X)
    a = F.binary_cross_entropy_with_logits(x, ac.tensor(T))
    b = F.binary_cross_entropy(x.sigmoid(), ac.tensor(T))
    assert a.item() == pytest.approx(b.item(), rel=1e-12)


def test_bce_with_logits_requires_equal_shapes():
    with pytest.raises(ValueError) as info:
        nn.BCEWithLogitsLoss()(ac.zeros(3, 1), ac.zeros(3))
    assert (
        str(info.value)
        == "Target size (autograd_course.Size([3])) must be the same as input size (autograd_course.Size([3, 1]))"
    )


# ----- the broadcasting warning ------------------------------------------------------------


@pytest.mark.parametrize("loss", [nn.MSELoss(), nn.L1Loss()])
def test_mismatched_shapes_warn_as_pytorch_does(loss):
    with pytest.warns(UserWarning) as record:
        out = loss(ac.zeros(3, 1), ac.ones(3))
    assert str(record[0].message) == (
        "Using a target size (autograd_course.Size([3])) that is different to the input size (autograd_course.Size([3, 1])). "
        "This will likely lead to incorrect results due to broadcasting. "
        "Please ensure they have the same size."
    )
    assert out.item() == 1.0  # it still broadcasts, to (3, 3), as PyTorch does
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss(ac.zeros(3), ac.ones(3))  # equal shapes: no warning


# ----- graph nodes and arguments that take no gradient -------------------------------------------


@pytest.mark.parametrize(
    ("function", "x", "names"),
    [
        (F.mse_loss, X, ["MseLossBackward0"] * 3),
        (F.l1_loss, X, ["MeanBackward0", "SumBackward0", "AbsBackward0"]),
        (F.binary_cross_entropy, P, ["BinaryCrossEntropyBackward0"] * 3),
        (F.binary_cross_entropy_with_logits, X, ["BinaryCrossEntropyWithLogitsBackward0"] * 3),
    ],
)
def test_loss_graph_nodes_are_named_as_in_pytorch(function, x, names):
    xs = ac.tensor(x, requires_grad=True)
    got = [function(xs, ac.tensor(T), reduction=r).grad_fn.name() for r in ("mean", "sum", "none")]
    assert got == names


def test_weights_cannot_require_grad():
    w = ac.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="not differentiable with respect to argument 'weight'"):
        F.binary_cross_entropy(ac.tensor(P), ac.tensor(T), weight=w)
    with pytest.raises(
        RuntimeError, match="not differentiable with respect to argument 'pos_weight'"
    ):
        F.binary_cross_entropy_with_logits(ac.tensor(X), ac.tensor(T), pos_weight=w)
    with pytest.raises(RuntimeError, match=r"doesn't match the broadcast shape \[2, 4, 3\]"):
        F.binary_cross_entropy_with_logits(ac.tensor(X), ac.tensor(T), weight=ac.ones(2, 4, 3))


def test_gradcheck_bce_with_logits_target_with_pos_weight_and_weight():
    pw, w = ac.tensor([0.5, 2.0, 3.0]), ac.tensor(RNG.uniform(0.5, 2.0, (4, 3)))
    x, y = ac.tensor(X, requires_grad=True), ac.tensor(RNG.uniform(size=(4, 3)), requires_grad=True)
    for reduction in ("mean", "sum", "none"):
        assert gradcheck(
            lambda a, b, r=reduction: F.binary_cross_entropy_with_logits(
                a, b, weight=w, pos_weight=pw, reduction=r
            ),
            (x, y),
        )
    assert gradcheck(
        lambda a, b: F.binary_cross_entropy(a, b, weight=w), (ac.tensor(P, requires_grad=True), y)
    )


def test_mse_with_broadcast_shapes_reduces_gradients_to_each_input():
    x = ac.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    y = ac.tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(UserWarning):
        F.mse_loss(x, y, reduction="sum").backward()
    diff = np.array([[1.0], [2.0], [3.0]]) - np.array([0.0, 1.0])  # broadcast to (3, 2)
    np.testing.assert_allclose(arr(x.grad), (2 * diff).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(arr(y.grad), (-2 * diff).sum(axis=0))
