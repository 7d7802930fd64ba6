"""Every differentiable op against finite differences (float64), over generated shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd_course as ac
from autograd_course.autograd import GradcheckError, gradcheck, gradgradcheck

SETTINGS = settings(max_examples=15, deadline=None)


def leaf(shape, seed=0, low=-2.0, high=2.0):
    rng = np.random.default_rng(seed)
    return ac.tensor(rng.uniform(low, high, shape), requires_grad=True)


def positive(shape, seed=0):
    return leaf(shape, seed, 0.5, 2.0)


@st.composite
def broadcast_pair(draw):
    """Two shapes that broadcast: added leading axes and size-1 axes on either side."""
    base = draw(st.lists(st.integers(1, 3), min_size=0, max_size=3))
    a = [draw(st.sampled_from([s, 1])) for s in base]
    b = [draw(st.sampled_from([s, 1])) for s in base]
    a = a[draw(st.integers(0, len(a))) :]  # drop leading axes of one side
    return tuple(a), tuple(b)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (b * b + 1),
    "pow": lambda a, b: (a * a + 1) ** b,
    "maximum": lambda a, b: ac.maximum(a, b),
    "minimum": lambda a, b: ac.minimum(a, b),
    "where": lambda a, b: ac.where(a > 0, a, b),
}
SMOOTH_BINARY = {"add", "sub", "mul", "div", "pow"}


@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=broadcast_pair())
def test_binary_ops_over_broadcast_patterns(name, shapes):
    a, b = leaf(shapes[0], 1), leaf(shapes[1], 2)
    assert gradcheck(BINARY[name], (a, b))
    if name in SMOOTH_BINARY:
        assert gradgradcheck(BINARY[name], (a, b))


UNARY = {
    "exp": (lambda x: x.exp(), leaf),
    "log": (lambda x: x.log(), positive),
    "sqrt": (lambda x: x.sqrt(), positive),
    "square": (lambda x: x.square(), leaf),
    "pow_scalar": (lambda x: x**3 - x**0.5 * 0 + x**-1, positive),
    "abs": (lambda x: x.abs(), leaf),
    "sin": (lambda x: x.sin(), leaf),
    "cos": (lambda x: x.cos(), leaf),
    "tanh": (lambda x: x.tanh(), leaf),
    "sigmoid": (lambda x: x.sigmoid(), leaf),
    "relu": (lambda x: x.relu(), leaf),
    "clamp": (lambda x: x.clamp(-0.5, 0.7), leaf),
    "neg": (lambda x: -x, leaf),
    "sum": (lambda x: x.sum(), leaf),
    "sum_dim": (lambda x: x.sum(-1, keepdim=True), leaf),
    "mean": (lambda x: x.mean(), leaf),
    "mean_dim": (lambda x: x.mean(0), leaf),
    "max": (lambda x: x.max(), leaf),
    "min_dim": (lambda x: x.min(-1).values, leaf),
    "softmax": (lambda x: x.softmax(-1), leaf),
    "log_softmax": (lambda x: ac.log_softmax(x, 0), leaf),
    "flatten_T": (lambda x: x.flatten().unsqueeze(0).T.squeeze(), leaf),
    "clone": (lambda x: x.clone(), leaf),
}
NOT_TWICE_DIFFERENTIABLE = {"abs", "relu", "clamp", "max", "min_dim"}


@pytest.mark.parametrize("name", sorted(UNARY))
@SETTINGS
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple))
def test_unary_ops(name, shape):
    fn, make = UNARY[name]
    x = make(shape, 3)
    assert gradcheck(fn, (x,))
    if name not in NOT_TWICE_DIFFERENTIABLE:
        assert gradgradcheck(fn, (x,))


@pytest.mark.parametrize(
    "shape_a, shape_b",
    [((3, 4), (4, 2)), ((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 2)), ((2, 3, 4), (4, 5)),
     ((2, 3, 4), (2, 4, 1)), ((4,), (2, 4, 3)), ((1, 3, 4), (2, 4, 2))],
)  # fmt: skip
def test_matmul_with_1d_and_batched_operands(shape_a, shape_b):
    a, b = leaf(shape_a, 1), leaf(shape_b, 2)
    assert gradcheck(lambda a, b: a @ b, (a, b))
    assert gradgradcheck(lambda a, b: a @ b, (a, b))


@pytest.mark.parametrize(
    "key",
    [1, -1, slice(1, None), (slice(None), 0), (Ellipsis, None, 1), [0, 2, 0, 0],
     (np.array([0, 1, 1]), np.array([2, 2, 0]))],
)  # fmt: skip
def test_indexing(key):
    x = leaf((3, 4), 4)
    assert gradcheck(lambda x: x[key], (x,))


def test_boolean_mask_indexing():
    x = leaf((3, 4), 5)
    assert gradcheck(lambda x: x[x > 0] * 2, (x,))


def test_repeated_indices_accumulate():
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[ac.tensor([0, 0, 2, 0])].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_cat_stack_expand():
    a, b = leaf((2, 3), 1), leaf((2, 1), 2)
    assert gradcheck(lambda a, b: ac.cat([a, b, a], dim=1), (a, b))
    assert gradcheck(lambda a: ac.stack([a, a * 2], dim=-1), (a,))
    assert gradcheck(lambda b: b.expand(2, 5), (b,))
    assert gradgradcheck(lambda a, b: ac.cat([a, b], 1) ** 2, (a, b))


def test_max_ties_follow_pytorch():
    # Full reduction: ties share the gradient equally. Along a dim: the first index gets it.
    x = ac.tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()
    assert x.grad.tolist() == [0.0, 0.5, 0.5]
    y = ac.tensor([[3.0, 3.0, 1.0]], requires_grad=True)
    y.max(dim=1).values.sum().backward()
    assert y.grad.tolist() == [[1.0, 0.0, 0.0]]
    a = ac.tensor([2.0], requires_grad=True)
    b = ac.tensor([2.0], requires_grad=True)
    ac.maximum(a, b).backward()
    assert (a.grad.item(), b.grad.item()) == (0.5, 0.5)


def test_softmax_rows_sum_to_one_and_are_stable():
    x = ac.tensor([[1000.0, 1000.0], [-1000.0, 0.0]])
    s = x.softmax(dim=1)
    assert np.allclose(s.numpy(), [[0.5, 0.5], [0.0, 1.0]])
    assert np.isfinite(ac.log_softmax(x, 1).numpy()).all()


def test_gradcheck_reports_the_worst_element():
    class WrongSquare(ac.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x  # should be 2x

    x = ac.tensor([1.0, 2.0], dtype=ac.float64, requires_grad=True)
    with pytest.raises(GradcheckError) as err:
        gradcheck(WrongSquare.apply, (x,))
    message = str(err.value)
    assert "input 0" in message and "numerical 4" in message and "analytical 6" in message
    assert gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False


def test_dtype_cast_sends_gradient_back_in_the_input_dtype():
    x = ac.tensor([1.0, 2.0], dtype=ac.float64, requires_grad=True)
    y = x.float() * ac.tensor([3.0, 4.0])
    assert y.dtype == ac.float32 and y.grad_fn.name() == "MulBackward0"
    y.sum().backward()
    assert x.grad.dtype == ac.float64 and x.grad.tolist() == [3.0, 4.0]
