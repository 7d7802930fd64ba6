"""Layers and classification losses against NumPy references written here, closed forms and
finite differences (gradcheck / gradgradcheck)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_course as ac
from autograd_course import nn
from autograd_course.autograd import gradcheck, gradgradcheck
from autograd_course.nn import functional as F

RNG = np.random.default_rng(0)


def arr(t: ac.Tensor) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def t64(a: np.ndarray, grad: bool = False) -> ac.Tensor:
    return ac.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


# ----- NumPy references ----------------------------------------------------------------------


def np_conv2d(x, w, b=None, stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1):
    """Direct convolution: a loop over every output pixel (slow, obviously right)."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding[0],) * 2, (padding[1],) * 2))
    oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    out = np.zeros((n, o, oh, ow))
    per_out = o // groups
    for k in range(o):
        g = k // per_out
        for i in range(oh):
            for j in range(ow):
                r, s = i * stride[0], j * stride[1]
                patch = xp[:, g * cg : (g + 1) * cg,
                           r : r + dilation[0] * (kh - 1) + 1 : dilation[0],
                           s : s + dilation[1] * (kw - 1) + 1 : dilation[1]]  # fmt: skip
                out[:, k, i, j] = (patch * w[k]).sum((1, 2, 3))
    if b is not None:
        out += b[None, :, None, None]
    return out


def np_pool(x, k, s, p, reduce, fill):
    n, c, h, w = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=fill)
    oh, ow = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = reduce(xp[:, :, i * s : i * s + k, j * s : j * s + k], axis=(2, 3))
    return out


def np_log_softmax(z, axis=1):
    z = z - z.max(axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis, keepdims=True))


# ----- convolution ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "stride, padding, dilation, groups",
    [((1, 1), (0, 0), (1, 1), 1), ((2, 1), (1, 2), (1, 1), 1), ((1, 2), (2, 1), (2, 1), 1),
     ((1, 1), (1, 1), (1, 1), 2)],
)  # fmt: skip
def test_conv2d_matches_a_direct_convolution(stride, padding, dilation, groups):
    x = RNG.standard_normal((2, 4, 7, 6))
    w = RNG.standard_normal((6, 4 // groups, 3, 2))
    b = RNG.standard_normal(6)
    out = F.conv2d(t64(x), t64(w), t64(b), stride, padding, dilation, groups)
    np.testing.assert_allclose(arr(out), np_conv2d(x, w, b, stride, padding, dilation, groups),
                               atol=1e-12)  # fmt: skip


def test_conv2d_gradients_and_second_derivatives():
    x, w, b = (t64(RNG.standard_normal(s), True) for s in [(2, 2, 5, 4), (3, 2, 3, 2), (3,)])
    fn = lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1)  # noqa: E731
    assert gradcheck(fn, (x, w, b))
    assert gradgradcheck(fn, (x, w, b))
    grouped = lambda x, w: F.conv2d(x, w, groups=2, dilation=(1, 2))  # noqa: E731
    assert gradcheck(grouped, (t64(RNG.standard_normal((1, 4, 5, 6)), True),
                               t64(RNG.standard_normal((2, 2, 2, 2)), True)))  # fmt: skip


def test_conv2d_padding_same_keeps_the_size_even_for_even_kernels():
    x = RNG.standard_normal((1, 1, 5, 6))
    w = RNG.standard_normal((1, 1, 4, 3))
    out = F.conv2d(t64(x), t64(w), padding="same")
    assert out.shape == (1, 1, 5, 6)
    # PyTorch puts the odd extra row of padding after: top 1, bottom 2 for a 4-tall kernel.
    padded = np.pad(x, ((0, 0), (0, 0), (1, 2), (1, 1)))
    np.testing.assert_allclose(arr(out), np_conv2d(padded, w), atol=1e-12)


def test_conv1d_matches_a_direct_convolution_and_accepts_unbatched_input():
    x = RNG.standard_normal((2, 3, 9))
    w = RNG.standard_normal((4, 3, 3))
    b = RNG.standard_normal(4)
    out = F.conv1d(t64(x), t64(w), t64(b), stride=2, padding=1)
    ref = np_conv2d(x[:, :, None], w[:, :, None], b, (1, 2), (0, 1))[:, :, 0]
    np.testing.assert_allclose(arr(out), ref, atol=1e-12)
    np.testing.assert_allclose(arr(F.conv1d(t64(x[0]), t64(w))), np_conv2d(
        x[:1, :, None], w[:, :, None])[0, :, 0], atol=1e-12)  # fmt: skip
    assert gradcheck(lambda x, w: F.conv1d(x, w, padding=2, dilation=2),
                     (t64(x[:1], True), t64(w, True)))  # fmt: skip


def test_unfold_and_fold_are_adjoint_and_match_im2col():
    x = RNG.standard_normal((2, 3, 5, 6))
    cols = F.unfold(t64(x), (2, 3), padding=1, stride=(2, 1))
    assert cols.shape == (2, 3 * 2 * 3, 3 * 6)
    # Column l of sample n is the window at (row l // 6, col l % 6) of the padded image.
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    np.testing.assert_allclose(arr(cols)[1, :, 7], xp[1, :, 2:4, 1:4].reshape(-1))
    y = RNG.standard_normal(cols.shape)
    back = F.fold(t64(y), (5, 6), (2, 3), padding=1, stride=(2, 1))
    np.testing.assert_allclose((arr(cols) * y).sum(), (x * arr(back)).sum(), rtol=1e-12)
    assert gradcheck(lambda x: F.unfold(x, 2, dilation=2), (t64(x[:1, :1], True),))
    assert gradcheck(lambda y: F.fold(y, (4, 4), 2), (t64(RNG.standard_normal((1, 4, 9)), True),))


def test_conv2d_errors_in_pytorch_words():
    conv = nn.Conv2d(1, 6, 5)
    with pytest.raises(RuntimeError, match=r"expected input\[2, 3, 8, 8\] to have 1 channels"):
        conv(ac.randn(2, 3, 8, 8))
    with pytest.raises(RuntimeError, match="Kernel size can't be greater than actual input size"):
        conv(ac.randn(2, 1, 3, 3))
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input"):
        conv(ac.randn(8, 8))
    assert conv(ac.randn(1, 8, 8)).shape == (6, 4, 4)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided"):
        nn.Conv2d(1, 6, 3, stride=2, padding="same")
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 6, 3, groups=2)


def test_conv_initialisation_is_bounded_like_pytorch():
    ac.manual_seed(0)
    conv = nn.Conv2d(3, 8, 3)
    bound = 1 / math.sqrt(3 * 3 * 3)  # kaiming_uniform_(a=sqrt(5)) gives 1/sqrt(fan_in)
    assert conv.weight.shape == (8, 3, 3, 3) and conv.bias.shape == (8,)
    assert np.abs(arr(conv.weight)).max() <= bound and np.abs(arr(conv.bias)).max() <= bound
    assert np.abs(arr(conv.weight)).max() > 0.8 * bound


# ----- pooling -------------------------------------------------------------------------------


def test_max_pool2d_matches_numpy_with_padding_and_stride():
    x = RNG.standard_normal((2, 3, 7, 6))
    for k, s, p in [(2, 2, 0), (3, 2, 1), (3, 1, 1)]:
        out = F.max_pool2d(t64(x), k, s, p)
        np.testing.assert_allclose(arr(out), np_pool(x, k, s, p, np.max, -np.inf))
    assert gradcheck(lambda x: F.max_pool2d(x, 3, 2, 1), (t64(x[:1], True),))


def test_max_pool2d_gradient_goes_to_the_maximum_and_indices_are_flat():
    x = t64([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 9.0, 1.0]]]], True)
    values, indices = F.max_pool2d(x, 2, return_indices=True)
    assert values.tolist() == [[[[5.0, 9.0]]]]
    assert indices.tolist() == [[[[1, 6]]]]  # row * width + column, as PyTorch
    values.sum().backward()
    assert x.grad.tolist() == [[[[0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]]]


def test_max_pool2d_ceil_mode_and_too_small_output():
    x = RNG.standard_normal((1, 1, 5, 5))
    out = F.max_pool2d(t64(x), 2, ceil_mode=True)
    assert out.shape == (1, 1, 3, 3)
    assert arr(out)[0, 0, 2, 2] == x[0, 0, 4, 4]  # the last, partial window holds one value
    with pytest.raises(RuntimeError, match=r"Given input size: \(1x1x1\). Calculated output size"):
        nn.MaxPool2d(2)(ac.randn(1, 1, 1, 1))


def test_avg_pool2d_and_count_include_pad():
    x = RNG.standard_normal((2, 2, 6, 5))
    np.testing.assert_allclose(arr(F.avg_pool2d(t64(x), 2)), np_pool(x, 2, 2, 0, np.mean, 0))
    padded = F.avg_pool2d(t64(x), 3, 2, 1)
    np.testing.assert_allclose(arr(padded), np_pool(x, 3, 2, 1, np.mean, 0.0))
    excluded = F.avg_pool2d(t64(x), 3, 2, 1, count_include_pad=False)
    ones = np.ones_like(x)
    ref = np_pool(x, 3, 2, 1, np.sum, 0.0) / np_pool(ones, 3, 2, 1, np.sum, 0.0)
    np.testing.assert_allclose(arr(excluded), ref)
    assert gradcheck(lambda x: F.avg_pool2d(x, 3, 2, 1, count_include_pad=False),
                     (t64(x[:1, :1], True),))  # fmt: skip


def test_adaptive_avg_pool2d_uses_pytorchs_bins():
    x = RNG.standard_normal((1, 2, 7, 5))
    out = F.adaptive_avg_pool2d(t64(x), (3, 2))
    rows = [(0, 3), (2, 5), (4, 7)]  # floor(i*7/3) .. ceil((i+1)*7/3)
    cols = [(0, 3), (2, 5)]
    ref = np.array([[[x[0, c, r0:r1, c0:c1].mean() for c0, c1 in cols] for r0, r1 in rows]
                    for c in range(2)])  # fmt: skip
    np.testing.assert_allclose(arr(out)[0], ref)
    np.testing.assert_allclose(arr(nn.AdaptiveAvgPool2d(1)(t64(x))), x.mean((2, 3), keepdims=True))
    assert gradcheck(lambda x: F.adaptive_avg_pool2d(x, (3, 2)), (t64(x, True),))


def test_one_d_pools():
    x = RNG.standard_normal((2, 3, 8))
    np.testing.assert_allclose(arr(F.max_pool1d(t64(x), 2)), x.reshape(2, 3, 4, 2).max(-1))
    np.testing.assert_allclose(arr(nn.AvgPool1d(4)(t64(x))), x.reshape(2, 3, 2, 4).mean(-1))
    np.testing.assert_allclose(arr(F.adaptive_avg_pool1d(t64(x), 1)), x.mean(-1, keepdims=True))


# ----- classification losses -----------------------------------------------------------------

Z = RNG.standard_normal((5, 4))
Y = np.array([0, 3, 1, 3, 2])
W = np.array([0.5, 1.0, 2.0, 1.5])


def np_cross_entropy(z, y, w=None, ignore=-100, reduction="mean", eps=0.0):
    logp = np_log_softmax(z)
    c = z.shape[1]
    w = np.ones(c) if w is None else w
    kept = y != ignore
    safe = np.where(kept, y, 0)
    nll = -w[safe] * logp[np.arange(len(y)), safe] * kept
    smooth = -(logp * w).sum(1) * kept
    denom = (w[safe] * kept).sum()
    if reduction == "mean":
        return (1 - eps) * nll.sum() / denom + eps / c * smooth.sum() / denom
    if reduction == "sum":
        return (1 - eps) * nll.sum() + eps / c * smooth.sum()
    return (1 - eps) * nll + eps / c * smooth


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weight", [None, W])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_with_class_indices(reduction, weight, smoothing):
    y = Y.copy()
    y[2] = -1  # ignored with ignore_index=-1
    w = None if weight is None else t64(weight)
    loss = F.cross_entropy(t64(Z), ac.tensor(y), w, -1, reduction, smoothing)
    np.testing.assert_allclose(arr(loss), np_cross_entropy(Z, y, weight, -1, reduction, smoothing),
                               rtol=1e-12)  # fmt: skip
    fn = lambda z: F.cross_entropy(z, ac.tensor(y), w, -1, reduction, smoothing)  # noqa: E731
    assert gradcheck(fn, (t64(Z, True),))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_cross_entropy_with_class_probabilities(reduction):
    p = RNG.dirichlet(np.ones(4), size=5)
    for weight, smoothing in [(None, 0.0), (W, 0.1)]:
        w = None if weight is None else t64(weight)
        loss = F.cross_entropy(t64(Z), t64(p), w, reduction=reduction, label_smoothing=smoothing)
        q = p * (1 - smoothing) + smoothing / 4
        per = -(np_log_softmax(Z) * q * (1 if weight is None else weight)).sum(1)
        ref = {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]
        np.testing.assert_allclose(arr(loss), ref, rtol=1e-12)
    assert gradcheck(lambda z, p: F.cross_entropy(z, p), (t64(Z, True), t64(p, True)))


def test_cross_entropy_gradient_is_softmax_minus_one_hot():
    z = t64(Z, True)
    F.cross_entropy(z, ac.tensor(Y)).backward()
    softmax = np.exp(np_log_softmax(Z))
    np.testing.assert_allclose(arr(z.grad), (softmax - np.eye(4)[Y]) / 5, rtol=1e-12)
    assert z.grad is not None and F.cross_entropy(z, ac.tensor(Y)).grad_fn.name() == (
        "NllLossBackward0"
    )


def test_cross_entropy_second_derivatives_and_image_targets():
    z = RNG.standard_normal((2, 3, 4, 5))
    y = RNG.integers(0, 3, (2, 4, 5))
    loss = F.cross_entropy(t64(z), ac.tensor(y))
    logp = np_log_softmax(z)
    ref = -np.take_along_axis(logp, y[:, None], 1).mean()
    np.testing.assert_allclose(arr(loss), ref, rtol=1e-12)
    assert gradgradcheck(lambda z: F.cross_entropy(z, ac.tensor(y)), (t64(z, True),))
    single = F.cross_entropy(t64(Z[0]), ac.tensor(2))
    np.testing.assert_allclose(arr(single), -np_log_softmax(Z[:1])[0, 2], rtol=1e-12)


def test_nll_loss_module_and_all_ignored_is_nan():
    logp = t64(np_log_softmax(Z))
    loss = nn.NLLLoss(weight=t64(W))(logp, ac.tensor(Y))
    ref = -(W[Y] * np_log_softmax(Z)[np.arange(5), Y]).sum() / W[Y].sum()
    np.testing.assert_allclose(arr(loss), ref, rtol=1e-12)
    assert math.isnan(F.cross_entropy(t64(Z), ac.tensor([-100] * 5)).item())


def test_classification_errors_in_pytorch_words():
    z = ac.randn(3, 5)
    with pytest.raises(IndexError, match="Target 7 is out of bounds."):
        F.cross_entropy(z, ac.tensor([1, 2, 7]))
    with pytest.raises(ValueError, match=r"Expected input batch_size \(3\) to match target"):
        F.cross_entropy(z, ac.tensor([1, 2]))
    with pytest.raises(
        RuntimeError, match="expected target dtype to be Long or Byte, but got Float"
    ):
        F.cross_entropy(z, ac.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="foo is not a valid value for reduction"):
        F.cross_entropy(z, ac.tensor([1, 2, 3]), reduction="foo")


def test_one_hot():
    out = F.one_hot(ac.tensor([[0, 2], [1, 0]]), 3)
    assert out.dtype == ac.int64 and out.shape == (2, 2, 3)
    assert out.tolist() == [[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]
    assert F.one_hot(ac.tensor([1, 3])).shape == (2, 4)
    with pytest.raises(RuntimeError, match="Class values must be smaller than num_classes."):
        F.one_hot(ac.tensor([1, 5]), 3)
    with pytest.raises(RuntimeError, match="Class values must be non-negative."):
        F.one_hot(ac.tensor([1, -1]))
    with pytest.raises(RuntimeError, match="only applicable to index tensor of type LongTensor"):
        F.one_hot(ac.tensor([1.0]))


# ----- activations ---------------------------------------------------------------------------

A = np.linspace(-4, 4, 17) + 0.05  # avoids the kinks at exactly 0
_erf = np.vectorize(math.erf)


def sp(x, beta=1.0):
    return np.log1p(np.exp(beta * x)) / beta


ACTIVATIONS = [
    (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
    (nn.ELU(0.7), lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1))),
    (nn.CELU(2.0), lambda x: np.where(x > 0, x, 2.0 * (np.exp(x / 2) - 1))),
    (nn.SELU(), lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1))),
    (nn.GELU(), lambda x: x * 0.5 * (1 + _erf(x / np.sqrt(2)))),
    (nn.GELU("tanh"), lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))),
    (nn.Softplus(), sp),
    (nn.Softplus(beta=2.0, threshold=3.0), lambda x: np.where(2 * x > 3, x, sp(x, 2.0))),
    (nn.SiLU(), lambda x: x / (1 + np.exp(-x))),
    (nn.Mish(), lambda x: x * np.tanh(sp(x))),
    (nn.Hardtanh(-2.0, 1.5), lambda x: np.clip(x, -2, 1.5)),
    (nn.ReLU6(), lambda x: np.clip(x, 0, 6)),
    (nn.Hardsigmoid(), lambda x: np.clip(x + 3, 0, 6) / 6),
    (nn.Hardswish(), lambda x: x * np.clip(x + 3, 0, 6) / 6),
    (nn.LogSigmoid(), lambda x: -sp(-x)),
    (nn.Softsign(), lambda x: x / (1 + np.abs(x))),
    (nn.Tanhshrink(), lambda x: x - np.tanh(x)),
    (nn.Threshold(0.5, -3.0), lambda x: np.where(x > 0.5, x, -3.0)),
    (nn.PReLU(), lambda x: np.where(x > 0, x, 0.25 * x)),
    (nn.ReLU(), lambda x: np.maximum(x, 0)),
    (nn.Tanh(), np.tanh),
]  # fmt: skip


@pytest.mark.parametrize("module, reference", ACTIVATIONS, ids=lambda v: repr(v)[:30])
def test_activation_matches_its_closed_form_and_gradcheck(module, reference):
    module = module.double()
    np.testing.assert_allclose(arr(module(t64(A))), reference(A), rtol=1e-10, atol=1e-12)
    assert gradcheck(module, (t64(A, True),))


def test_softplus_is_finite_for_large_inputs_and_softmax_modules():
    out = F.softplus(t64([-800.0, 0.0, 800.0]))
    np.testing.assert_allclose(arr(out), [0.0, math.log(2), 800.0])
    z = t64(Z)
    np.testing.assert_allclose(arr(nn.Softmax(dim=1)(z)), np.exp(np_log_softmax(Z)), rtol=1e-12)
    np.testing.assert_allclose(arr(nn.LogSoftmax(dim=0)(z)), np_log_softmax(Z, 0), rtol=1e-12)
    np.testing.assert_allclose(arr(nn.Softmin(1)(z)), np.exp(np_log_softmax(-Z)), rtol=1e-12)
    np.testing.assert_allclose(arr(nn.Softmax()(z)), np.exp(np_log_softmax(Z)), rtol=1e-12)


REPRS = [
    (nn.CrossEntropyLoss(label_smoothing=0.1), "CrossEntropyLoss()"),
    (nn.NLLLoss(), "NLLLoss()"),
    (nn.Softmax(dim=1), "Softmax(dim=1)"),
    (nn.Softmax(), "Softmax(dim=None)"),
    (nn.Conv2d(1, 6, 5), "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))"),
    (nn.Conv2d(1, 6, 3, padding=1, bias=False),
     "Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)"),
    (nn.Conv2d(1, 6, 3, padding="same"), "Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1), padding=same)"),
    (nn.Conv2d(2, 6, 3, groups=2, dilation=2),
     "Conv2d(2, 6, kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2), groups=2)"),
    (nn.Conv1d(1, 6, 3), "Conv1d(1, 6, kernel_size=(3,), stride=(1,))"),
    (nn.MaxPool2d(2), "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (nn.MaxPool1d(2), "MaxPool1d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)"),
    (nn.AvgPool2d(2), "AvgPool2d(kernel_size=2, stride=2, padding=0)"),
    (nn.AdaptiveAvgPool2d((1, 1)), "AdaptiveAvgPool2d(output_size=(1, 1))"),
    (nn.BatchNorm1d(4), "BatchNorm1d(4, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"),
    (nn.LayerNorm((4, 5)), "LayerNorm((4, 5), eps=1e-05, elementwise_affine=True, bias=True)"),
    (nn.Embedding(10, 3, padding_idx=0), "Embedding(10, 3, padding_idx=0)"),
    (nn.Dropout2d(), "Dropout2d(p=0.5, inplace=False)"),
    (nn.AlphaDropout(0.2), "AlphaDropout(p=0.2, inplace=False)"),
    (nn.Flatten(), "Flatten(start_dim=1, end_dim=-1)"),
    (nn.Unflatten(1, (2, 5)), "Unflatten(dim=1, unflattened_size=(2, 5))"),
    (nn.LeakyReLU(), "LeakyReLU(negative_slope=0.01)"),
    (nn.LeakyReLU(0.2, True), "LeakyReLU(negative_slope=0.2, inplace=True)"),
    (nn.GELU(), "GELU(approximate='none')"),
    (nn.ELU(), "ELU(alpha=1.0)"),
    (nn.Softplus(), "Softplus(beta=1.0, threshold=20.0)"),
    (nn.ReLU(inplace=True), "ReLU(inplace=True)"),
    (nn.ReLU(), "ReLU()"),
    (nn.SiLU(), "SiLU()"),
    (nn.Hardtanh(), "Hardtanh(min_val=-1.0, max_val=1.0)"),
    (nn.PReLU(), "PReLU(num_parameters=1)"),
    (nn.Threshold(0.1, 20), "Threshold(threshold=0.1, value=20)"),
]  # fmt: skip


@pytest.mark.parametrize("module, text", REPRS, ids=[t for _, t in REPRS])
def test_reprs_are_pytorchs(module, text):
    assert repr(module) == text


# ----- normalisation, embedding, dropout, reshaping -------------------------------------------


def test_batch_norm_training_eval_and_running_statistics():
    x = RNG.standard_normal((8, 3, 4, 5)) * 2 + 1
    bn = nn.BatchNorm2d(3).double()
    with ac.no_grad():
        bn.weight.copy_(t64([1.0, 2.0, 0.5]))
        bn.bias.copy_(t64([0.0, -1.0, 3.0]))
    out = bn(t64(x))
    mean, var = x.mean((0, 2, 3)), x.var((0, 2, 3))
    ref = (x - mean[:, None, None]) / np.sqrt(var[:, None, None] + 1e-5)
    ref = ref * np.array([1.0, 2.0, 0.5])[:, None, None] + np.array([0.0, -1.0, 3.0])[:, None, None]
    np.testing.assert_allclose(arr(out), ref, rtol=1e-10)
    n = 8 * 4 * 5
    np.testing.assert_allclose(arr(bn.running_mean), 0.1 * mean, rtol=1e-12)
    np.testing.assert_allclose(arr(bn.running_var), 0.9 + 0.1 * var * n / (n - 1), rtol=1e-12)
    assert bn.num_batches_tracked.item() == 1
    bn.eval()
    rm, rv = arr(bn.running_mean), arr(bn.running_var)
    expected = (x - rm[:, None, None]) / np.sqrt(rv[:, None, None] + 1e-5)
    expected = (
        expected * np.array([1.0, 2.0, 0.5])[:, None, None]
        + np.array([0.0, -1.0, 3.0])[:, None, None]
    )
    np.testing.assert_allclose(arr(bn(t64(x))), expected, rtol=1e-10)
    assert list(bn.state_dict()) == ["weight", "bias", "running_mean", "running_var",
                                     "num_batches_tracked"]  # fmt: skip
    assert bn.num_batches_tracked.dtype == ac.int64


def test_batch_norm_gradients_and_errors():
    x = t64(RNG.standard_normal((6, 3)), True)
    w, b = t64(RNG.standard_normal(3), True), t64(RNG.standard_normal(3), True)
    fn = lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True)  # noqa: E731
    assert gradcheck(fn, (x, w, b))
    with pytest.raises(ValueError, match="Expected more than 1 value per channel when training"):
        nn.BatchNorm1d(3)(ac.randn(1, 3))
    with pytest.raises(ValueError, match=r"expected 4D input \(got 3D input\)"):
        nn.BatchNorm2d(3)(ac.randn(2, 3, 4))


def test_layer_norm_and_group_norm():
    x = RNG.standard_normal((2, 3, 4))
    ln = nn.LayerNorm(4).double()
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    np.testing.assert_allclose(arr(ln(t64(x))), (x - mean) / np.sqrt(var + 1e-5), rtol=1e-10)
    assert gradcheck(lambda x: F.layer_norm(x, (3, 4)), (t64(x, True),))
    g = x.reshape(2, 1, 12)  # one group of 3 channels
    ref = ((g - g.mean(-1, keepdims=True)) / np.sqrt(g.var(-1, keepdims=True) + 1e-5)).reshape(
        x.shape
    )
    np.testing.assert_allclose(arr(nn.GroupNorm(1, 3).double()(t64(x))), ref, rtol=1e-10)


def test_embedding_lookup_and_padding_row_gets_no_gradient():
    ac.manual_seed(0)
    emb = nn.Embedding(5, 3, padding_idx=1)
    assert arr(emb.weight)[1].tolist() == [0.0, 0.0, 0.0]
    ids = ac.tensor([[0, 1], [4, 0]])
    out = emb(ids)
    np.testing.assert_array_equal(arr(out), arr(emb.weight)[[[0, 1], [4, 0]]])
    out.sum().backward()
    np.testing.assert_array_equal(arr(emb.weight.grad)[:, 0], [2.0, 0.0, 0.0, 0.0, 1.0])
    with pytest.raises(IndexError, match="index out of range in self"):
        emb(ac.tensor([5]))
    frozen = nn.Embedding.from_pretrained(ac.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert not frozen.weight.requires_grad and frozen(ac.tensor([1])).tolist() == [[3.0, 4.0]]


def test_channel_dropout_zeroes_whole_channels_and_scales():
    ac.manual_seed(1)
    out = arr(nn.Dropout2d(0.5)(ac.ones(4, 6, 3, 3)))
    per_channel = out.reshape(4, 6, 9)
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert (per_channel.min(-1) == per_channel.max(-1)).all()  # a channel is all or nothing
    drop = nn.Dropout1d(0.3).eval()
    x = ac.randn(2, 3, 4)
    assert drop(x) is x


def test_alpha_dropout_formula():
    ac.manual_seed(2)
    x = RNG.standard_normal((200, 50))
    out = arr(F.alpha_dropout(t64(x), 0.2, training=True))
    alpha, p = 1.7580993408473766, 0.2
    a = 1 / math.sqrt((alpha**2 * p + 1) * (1 - p))
    kept = np.isclose(out, a * x + alpha * a * p)
    dropped = np.isclose(out, -alpha * a + alpha * a * p)
    assert (kept | dropped).all() and 0.15 < dropped.mean() < 0.25


def test_flatten_and_unflatten():
    x = ac.randn(2, 3, 4, 5)
    assert nn.Flatten()(x).shape == (2, 60)
    assert nn.Flatten(0, 2)(x).shape == (24, 5)
    assert nn.Unflatten(1, (2, 30))(nn.Flatten()(x)).shape == (2, 2, 30)
