"""The tensor operations of PyTorch's beginner API: values against NumPy written here,
gradients against finite differences (gradcheck), PyTorch's errors and in-place rules."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_course as ac
import autograd_course.nn.functional as F
from autograd_course.autograd import gradcheck, gradgradcheck

RNG = np.random.default_rng(7)


def leaf(*shape: int, low: float = -2.0, high: float = 2.0) -> ac.Tensor:
    return ac.tensor(RNG.uniform(low, high, shape), dtype=ac.float64, requires_grad=True)


# ---- element-wise ----------------------------------------------------------------------------
def test_log1p_expm1_keep_the_digits_of_small_values():
    tiny = ac.tensor([1e-10], dtype=ac.float64)

    def error(t: ac.Tensor, exact: float) -> float:
        return abs(t.item() - exact) / exact

    x = 1e-10  # Taylor: log(1 + x) = x - x²/2 + ..., e^x - 1 = x + x²/2 + ...
    assert error(tiny.log1p(), x - x * x / 2) < 1e-15
    assert error(tiny.expm1(), x + x * x / 2) < 1e-15
    assert error(tiny.exp() - 1, x) > 1e-9  # why they exist: the naive forms lose digits


@pytest.mark.parametrize("name", ["log1p", "expm1", "rsqrt", "log2", "log10", "exp2"])
def test_new_element_wise_functions_match_numpy_and_gradcheck(name):
    x = leaf(3, 2, low=0.5, high=2.0)
    reference = {"log1p": np.log1p, "expm1": np.expm1, "rsqrt": lambda a: 1 / np.sqrt(a),
                 "log2": np.log2, "log10": np.log10, "exp2": np.exp2}[name]  # fmt: skip
    np.testing.assert_allclose(getattr(x, name)().detach().numpy(), reference(x.detach().numpy()))
    assert gradcheck(lambda t: getattr(ac, name)(t), (x,))
    assert gradgradcheck(lambda t: getattr(t, name)(), (x,))


def test_rounding_family_values_and_zero_gradient():
    x = ac.tensor([1.5, -2.5, 0.5, 2.4, -0.7], requires_grad=True)
    assert x.round().tolist() == [2.0, -2.0, 0.0, 2.0, -1.0]  # halves to even
    assert x.ceil().tolist() == [2.0, -2.0, 1.0, 3.0, -0.0]
    assert x.floor().tolist() == [1.0, -3.0, 0.0, 2.0, -1.0]
    assert x.trunc().tolist() == [1.0, -2.0, 0.0, 2.0, -0.0]
    assert x.sign().tolist() == [1.0, -1.0, 1.0, 1.0, -1.0]
    np.testing.assert_allclose(x.frac().detach().numpy(), [0.5, -0.5, 0.5, 0.4, -0.7], rtol=1e-6)
    assert ac.round(ac.tensor([1.2345]), decimals=2).item() == pytest.approx(1.23)
    assert x.round().grad_fn.name() == "RoundBackward0"
    assert x.round(decimals=1).grad_fn.name() == "RoundBackward1"
    (x.round() + x.ceil() + x.floor() + x.trunc() + x.sign()).sum().backward()
    assert x.grad.tolist() == [0.0] * 5
    ints = ac.tensor([1, -2])
    assert ints.round().dtype == ac.int64 and ints.sign().tolist() == [1, -1]


def test_softplus_matches_its_closed_form_and_pytorch_threshold():
    x = ac.tensor([-30.0, -1.0, 0.0, 0.5, 10.0, 25.0], dtype=ac.float64)
    a = x.numpy()
    expected = np.where(a > 20, a, np.log1p(np.exp(a)))
    np.testing.assert_allclose(F.softplus(x).numpy(), expected, rtol=1e-12)
    beta, threshold = 2.0, 1.0
    expected = np.where(beta * a > threshold, a, np.log1p(np.exp(beta * a)) / beta)
    np.testing.assert_allclose(F.softplus(x, beta, threshold).numpy(), expected, rtol=1e-12)
    big = ac.tensor([1000.0])  # the naive log(1 + exp(x)) overflows here
    assert F.softplus(big, threshold=2000).item() == 1000.0


def test_softplus_gradient_is_the_sigmoid_including_at_zero():
    x = ac.tensor([-3.0, 0.0, 2.0], dtype=ac.float64, requires_grad=True)
    F.softplus(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 1 / (1 + np.exp(-x.detach().numpy())))
    y = leaf(4, 3)
    assert gradcheck(lambda t: F.softplus(t, beta=1.5), (y,))
    assert gradgradcheck(lambda t: F.softplus(t), (y,))


# ---- in-place forms and their rules ------------------------------------------------------------
def test_in_place_forms_change_the_values_and_record_the_op():
    a = leaf(3)
    b = a * 1
    version = b._version
    b.exp_()
    np.testing.assert_allclose(b.detach().numpy(), np.exp(a.detach().numpy()))
    assert b._version == version + 1 and b.grad_fn.name() == "ExpBackward0"
    b.sin_().sum().backward()
    x = a.detach().numpy()
    np.testing.assert_allclose(a.grad.numpy(), np.cos(np.exp(x)) * np.exp(x))


def test_in_place_forms_refuse_a_leaf_that_requires_grad_but_work_under_no_grad():
    a = ac.ones(2, requires_grad=True)
    for call in (lambda: a.sin_(), lambda: a.unsqueeze_(0), lambda: a.round_()):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            call()
    with ac.no_grad():
        a.mul_(3).log_()
    np.testing.assert_allclose(a.detach().numpy(), np.log([3.0, 3.0]), rtol=1e-6)


def test_in_place_float_function_on_integers_is_refused():
    with pytest.raises(RuntimeError):
        ac.tensor([1, 2]).exp_()


def test_in_place_shape_ops_change_the_tensor_itself():
    x = ac.arange(6.0).reshape(2, 3)
    same = x.t_()
    assert same is x and x.shape == (3, 2) and x[0].tolist() == [0.0, 3.0]
    x.unsqueeze_(0)
    assert x.shape == (1, 3, 2)
    x.squeeze_()
    x.transpose_(0, 1)
    assert x.shape == (2, 3) and x.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
    a = leaf(2, 3)
    b = a * 2
    version = b._version
    b.unsqueeze_(1)
    assert b.shape == (2, 1, 3) and b._version == version + 1
    assert b.grad_fn.name() == "UnsqueezeBackward0"
    (b * b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), 8 * a.detach().numpy())


# ---- cutting and rearranging -------------------------------------------------------------------
def test_split_chunk_unbind_match_numpy():
    x = ac.arange(10.0).reshape(5, 2)
    assert [p.shape[0] for p in x.split(2)] == [2, 2, 1]
    assert [p.tolist() for p in x.split([1, 4])] == [[[0.0, 1.0]], x[1:].tolist()]
    assert [p.shape[0] for p in x.chunk(3)] == [2, 2, 1]
    assert [p.shape for p in ac.chunk(x, 2, dim=1)] == [(5, 1), (5, 1)]
    assert [t.tolist() for t in x.unbind(1)] == [
        [0.0, 2.0, 4.0, 6.0, 8.0],
        [1.0, 3.0, 5.0, 7.0, 9.0],
    ]
    assert [p.shape[0] for p in x.tensor_split(3)] == [2, 2, 1]
    with pytest.raises(RuntimeError, match="split_with_sizes expects split_sizes to sum exactly"):
        x.split([1, 2])
    with pytest.raises(RuntimeError, match="chunk expects `chunks` to be greater than 0"):
        x.chunk(0)


def test_split_pieces_are_views_and_gradients_return_to_the_pieces():
    a = leaf(6, 2)
    first, second = a.split(3)
    (first * 2 + 0).sum().backward(retain_graph=True)
    assert a.grad.numpy()[:3].tolist() == [[2.0, 2.0]] * 3 and a.grad.numpy()[3:].sum() == 0
    assert gradcheck(lambda t: ac.cat([p * (i + 1) for i, p in enumerate(t.chunk(3, 0))]), (a,))
    assert gradcheck(lambda t: ac.stack(t.unbind(1), 0), (a,))


@pytest.mark.parametrize(
    ("op", "reference"),
    [
        (lambda t: t.flip(0), lambda a: np.flip(a, 0)),
        (lambda t: ac.flip(t, [0, 1]), lambda a: np.flip(a, (0, 1))),
        (lambda t: t.roll(2), lambda a: np.roll(a, 2)),
        (lambda t: t.roll((1, -1), (0, 1)), lambda a: np.roll(a, (1, -1), (0, 1))),
        (lambda t: t.repeat(2, 3), lambda a: np.tile(a, (2, 3))),
        (lambda t: t.repeat(2, 1, 2), lambda a: np.tile(a, (2, 1, 2))),
        (lambda t: ac.tile(t, (2,)), lambda a: np.tile(a, (2,))),
        (lambda t: t.repeat_interleave(2, dim=0), lambda a: np.repeat(a, 2, 0)),
        (lambda t: t.narrow(1, 1, 2), lambda a: a[:, 1:3]),
        (lambda t: t.movedim(0, 1), lambda a: np.moveaxis(a, 0, 1)),
    ],
)
def test_rearranging_matches_numpy_and_gradcheck(op, reference):
    x = leaf(3, 4)
    np.testing.assert_array_equal(op(x).detach().numpy(), reference(x.detach().numpy()))
    assert gradcheck(op, (x,))


def test_repeat_needs_enough_repeat_counts():
    with pytest.raises(
        RuntimeError, match="Number of dimensions of repeat dims can not be smaller"
    ):
        ac.ones(2, 2).repeat(2)


# ---- gather, scatter, selection ----------------------------------------------------------------
def test_gather_and_scatter_match_numpy_loops():
    x = leaf(3, 4)
    index = ac.tensor([[0, 2], [3, 3], [1, 0]])
    a, idx = x.detach().numpy(), index.numpy()
    expected = np.array([[a[i, idx[i, j]] for j in range(2)] for i in range(3)])
    np.testing.assert_array_equal(x.gather(1, index).detach().numpy(), expected)
    src = ac.tensor(RNG.normal(size=(3, 2)))
    added = np.zeros((3, 4))
    written = np.zeros((3, 4))
    for i in range(3):
        for j in range(2):
            added[i, idx[i, j]] += src.numpy()[i, j]
            written[i, idx[i, j]] = src.numpy()[i, j]
    np.testing.assert_allclose(
        ac.zeros(3, 4, dtype=ac.float64).scatter_add(1, index, src).numpy(), added
    )
    np.testing.assert_allclose(
        ac.zeros(3, 4, dtype=ac.float64).scatter(1, index, src).numpy(), written
    )
    assert ac.zeros(2, 2).scatter(0, ac.tensor([[1, 0]]), 5.0).tolist() == [[0.0, 5.0], [5.0, 0.0]]


def test_gather_and_scatter_gradients():
    index = ac.tensor([[0, 2], [3, 3], [1, 0]])
    unique_index = ac.tensor([[0, 2], [3, 1], [1, 0]])
    x, src = leaf(3, 4), leaf(3, 2)
    assert gradcheck(lambda t: t.gather(1, index), (x,))
    assert gradgradcheck(lambda t: t.gather(1, index) ** 2, (x,))
    assert gradcheck(lambda t, s: t.scatter_add(1, index, s), (x, src))
    assert gradcheck(lambda t, s: t.scatter(1, unique_index, s), (x, src))
    assert gradcheck(lambda t: ac.gather(t, 0, ac.tensor([[2, 0, 1, 1]])), (x,))


@pytest.mark.parametrize("op", ["gather", "scatter", "scatter_add"])
def test_an_index_changed_after_gather_or_scatter_is_detected(op):
    # Without the check the backward would read the new index: gather gave x.grad = [1, 0, 1]
    # for an index [0, 0] changed to [2, 0] after forward (the right answer is [2, 0, 0]).
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = ac.tensor([0, 0])
    y = x.gather(0, index) if op == "gather" else getattr(x, op)(0, index, ac.tensor([5.0, 6.0]))
    index[0] = 2
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_in_place_scatter_and_index_dtype_check():
    x = ac.zeros(2, 3)
    x.scatter_(1, ac.tensor([[2], [0]]), ac.ones(2, 1))
    x.scatter_add_(1, ac.tensor([[2], [2]]), ac.ones(2, 1))
    assert x.tolist() == [[0.0, 0.0, 2.0], [1.0, 0.0, 1.0]]
    with pytest.raises(RuntimeError, match="Expected dtype int64 for index"):
        x.gather(1, ac.tensor([[0]], dtype=ac.int32))


def test_masked_fill_index_select_masked_select():
    x = leaf(3, 4)
    a = x.detach().numpy()
    np.testing.assert_array_equal(
        x.masked_fill(x > 0, -1.0).detach().numpy(), np.where(a > 0, -1.0, a)
    )
    np.testing.assert_array_equal(
        x.index_select(1, ac.tensor([3, 0])).detach().numpy(), a[:, [3, 0]]
    )
    np.testing.assert_array_equal(x.masked_select(x > 0).detach().numpy(), a[a > 0])
    x.masked_fill(x > 0, 0.0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (a <= 0).astype(float))
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks"):
        x.masked_fill(ac.tensor([1, 0, 1, 0]), 0.0)
    y = ac.zeros(2)
    y.masked_fill_(ac.tensor([True, False]), 3.0)
    assert y.tolist() == [3.0, 0.0]
    assert ac.nonzero(ac.tensor([0, 1, 0, 2])).tolist() == [[1], [3]]
    assert ac.count_nonzero(ac.tensor([[0, 1], [2, 3]])).item() == 3


# ---- sorting -----------------------------------------------------------------------------------
def test_sort_argsort_topk_unique_match_numpy():
    y = ac.tensor([3.0, 1.0, 2.0, 3.0, 0.0])
    values, indices = y.sort()
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0, 3.0] and indices.tolist() == [4, 1, 2, 0, 3]
    values, indices = y.sort(descending=True)
    assert values.tolist() == [3.0, 3.0, 2.0, 1.0, 0.0] and indices.tolist() == [0, 3, 2, 1, 4]
    assert y.argsort().tolist() == np.argsort(y.numpy(), kind="stable").tolist()
    top = y.topk(2)
    assert top.values.tolist() == [3.0, 3.0] and top.indices.tolist() == [0, 3]
    assert y.topk(2, largest=False).indices.tolist() == [4, 1]
    assert repr(top).startswith("autograd_course.return_types.topk(\nvalues=tensor([3., 3.]),")
    values, inverse, counts = y.unique(return_inverse=True, return_counts=True)
    assert values.tolist() == [0.0, 1.0, 2.0, 3.0] and inverse.tolist() == [3, 1, 2, 3, 0]
    assert counts.tolist() == [1, 1, 1, 2]
    nan = ac.tensor([1.0, float("nan"), 0.0])
    assert nan.sort().indices.tolist() == [2, 0, 1]  # NaN is the largest, as in PyTorch
    assert nan.sort(descending=True).indices.tolist() == [1, 0, 2]


def test_sorted_values_send_their_gradient_back_where_they_came_from():
    x = leaf(3, 5)
    assert gradcheck(lambda t: t.sort(dim=1).values * ac.arange(5.0, dtype=ac.float64), (x,))
    assert gradcheck(lambda t: t.topk(2, dim=0).values, (x,))


# ---- scans and reductions ----------------------------------------------------------------------
def test_cumsum_cumprod_prod_match_numpy():
    x = leaf(3, 4)
    a = x.detach().numpy()
    np.testing.assert_allclose(x.cumsum(1).detach().numpy(), np.cumsum(a, 1))
    np.testing.assert_allclose(x.cumprod(0).detach().numpy(), np.cumprod(a, 0))
    np.testing.assert_allclose(x.prod().item(), np.prod(a))
    np.testing.assert_allclose(
        x.prod(1, keepdim=True).detach().numpy(), np.prod(a, 1, keepdims=True)
    )
    ints = ac.tensor([1, 2, 3], dtype=ac.int32)
    assert ints.cumsum(0).dtype == ac.int64 and ints.prod().item() == 6


def test_cumprod_and_prod_gradients_also_with_zeros():
    x = leaf(3, 4)
    assert gradcheck(lambda t: t.cumsum(1), (x,))
    assert gradgradcheck(lambda t: t.cumsum(0) ** 2, (x,))
    assert gradcheck(lambda t: t.cumprod(1), (x,))
    assert gradgradcheck(lambda t: t.cumprod(1), (x,))
    with_zeros = ac.tensor([[2.0, 0.0, 3.0, 0.0], [0.5, 1.5, 0.0, 2.0]], dtype=ac.float64,
                           requires_grad=True)  # fmt: skip
    assert gradcheck(lambda t: t.cumprod(1), (with_zeros,))
    assert gradcheck(lambda t: t.prod(1), (with_zeros,))
    single_zero = ac.tensor([2.0, 0.0, 3.0], dtype=ac.float64, requires_grad=True)
    single_zero.prod().backward()
    assert single_zero.grad.tolist() == [0.0, 6.0, 0.0]  # d/dx_i of x0 x1 x2


def test_logsumexp_amax_amin():
    x = leaf(3, 4)
    a = x.detach().numpy()
    np.testing.assert_allclose(x.logsumexp(1).detach().numpy(), np.log(np.exp(a).sum(1)))
    big = ac.tensor([1000.0, 1000.0])
    assert big.logsumexp(0).item() == pytest.approx(1000 + np.log(2))
    np.testing.assert_array_equal(x.amax(0).detach().numpy(), a.max(0))
    np.testing.assert_array_equal(
        x.amin((0, 1), keepdim=True).detach().numpy(), a.min(keepdims=True)
    )
    assert gradcheck(lambda t: t.logsumexp((0, 1)), (x,))
    ties = ac.tensor([1.0, 3.0, 3.0], requires_grad=True)
    ties.amax().backward()
    assert ties.grad.tolist() == [0.0, 0.5, 0.5]  # shared evenly, as PyTorch's amax


def test_numpy_keyword_aliases():
    x = ac.arange(6.0).reshape(2, 3)
    assert x.sum(axis=0).tolist() == [3.0, 5.0, 7.0]
    assert x.mean(axis=1, keepdims=True).shape == (2, 1)
    assert ac.sum(x, axis=1).tolist() == [3.0, 12.0]
    assert x.max(axis=0).values.tolist() == [3.0, 4.0, 5.0]
    assert x.std(correction=0).item() == pytest.approx(np.std(np.arange(6.0)))
    assert ac.cat([x, x], axis=1).shape == (2, 6)
    assert x.softmax(axis=1).shape == (2, 3) and x.cumsum(axis=1)[0, -1].item() == 3.0


# ---- products and norms ------------------------------------------------------------------------
def test_dot_mv_bmm_outer_match_numpy_and_check_shapes():
    v, w = leaf(3), leaf(3)
    m, b1, b2 = leaf(2, 3), leaf(4, 2, 3), leaf(4, 3, 5)
    np.testing.assert_allclose(v.dot(w).item(), v.detach().numpy() @ w.detach().numpy())
    np.testing.assert_allclose(m.mv(v).detach().numpy(), m.detach().numpy() @ v.detach().numpy())
    np.testing.assert_allclose(
        ac.bmm(b1, b2).detach().numpy(), b1.detach().numpy() @ b2.detach().numpy()
    )
    np.testing.assert_allclose(
        ac.outer(v, w).detach().numpy(), np.outer(v.detach().numpy(), w.detach().numpy())
    )
    assert gradcheck(lambda a, b: ac.outer(a, b), (v, w))
    assert gradcheck(lambda a, b: ac.bmm(a, b), (b1, b2))
    with pytest.raises(RuntimeError, match="1D tensors expected, but got 2D and 1D tensors"):
        m.dot(v)
    with pytest.raises(RuntimeError, match="batch1 must be a 3D tensor"):
        m.bmm(b2)
    with pytest.raises(RuntimeError, match="expected both vectors to have same dtype"):
        ac.tensor([1.0]).dot(ac.tensor([1]))


@pytest.mark.parametrize(
    ("equation", "shapes"),
    [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ij->ji", [(2, 3)]),
        ("ij->i", [(2, 3)]),
        ("i,j->ij", [(3,), (2,)]),
        ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]),
        ("ij,ij->", [(2, 3), (2, 3)]),
        ("...j,j->...", [(2, 3, 4), (4,)]),
        ("ij,jk", [(2, 3), (3, 2)]),
    ],
)
def test_einsum_matches_numpy_and_gradcheck(equation, shapes):
    tensors = [leaf(*s) for s in shapes]
    expected = np.einsum(equation, *(t.detach().numpy() for t in tensors))
    np.testing.assert_allclose(ac.einsum(equation, *tensors).detach().numpy(), expected)
    assert gradcheck(lambda *ts: ac.einsum(equation, *ts), tuple(tensors))
    assert ac.einsum(equation, tensors).shape == expected.shape  # operands as one list


def test_einsum_trace_forward_and_its_unsupported_gradient_is_explicit():
    m = leaf(3, 3)
    assert ac.einsum("ii", m).item() == pytest.approx(np.trace(m.detach().numpy()))
    with pytest.raises(NotImplementedError, match="repeated subscript"):
        ac.einsum("ii", m).backward()


def test_norms_match_numpy_and_the_gradient_at_zero_is_zero():
    x = leaf(3, 4)
    a = x.detach().numpy()
    np.testing.assert_allclose(x.norm().item(), np.linalg.norm(a))
    np.testing.assert_allclose(ac.norm(x, dim=1).detach().numpy(), np.linalg.norm(a, axis=1))
    np.testing.assert_allclose(x.norm(p=1).item(), np.abs(a).sum())
    np.testing.assert_allclose(x.norm(p=3).item(), (np.abs(a) ** 3).sum() ** (1 / 3))
    np.testing.assert_allclose(ac.linalg.norm(x).item(), np.linalg.norm(a))
    np.testing.assert_allclose(ac.linalg.vector_norm(x, ord=float("inf")).item(), np.abs(a).max())
    np.testing.assert_allclose(ac.linalg.matrix_norm(x).item(), np.linalg.norm(a, "fro"))
    np.testing.assert_allclose(ac.linalg.norm(x, dim=0, keepdim=True).detach().numpy(),
                               np.linalg.norm(a, axis=0, keepdims=True))  # fmt: skip
    assert gradcheck(lambda t: t.norm(dim=1), (x,))
    assert gradgradcheck(lambda t: t.norm(), (x,))
    assert gradcheck(lambda t: t.norm(p=3), (x,))
    zero = ac.zeros(3, requires_grad=True)
    zero.norm().backward()
    assert zero.grad.tolist() == [0.0, 0.0, 0.0]


def test_isclose_allclose_equal():
    v = ac.tensor([1.0, 2.0, float("nan")])
    assert v.isclose(v + 1e-9).tolist() == [True, True, False]
    assert ac.isclose(v, v, equal_nan=True).tolist() == [True, True, True]
    assert ac.allclose(v[:2], v[:2] + 1e-9) and not ac.allclose(v[:2], v[:2] + 0.1)
    assert ac.equal(v[:2], ac.tensor([1.0, 2.0])) and not ac.equal(v[:2], ac.tensor([1.0]))


# ---- out= --------------------------------------------------------------------------------------
def test_out_writes_the_result_into_the_given_tensor():
    out = ac.zeros(2, 3)
    result = ac.mul(ac.ones(2, 3), 2.0, out=out)
    assert result is out and out.tolist() == [[2.0] * 3] * 2
    z = ac.zeros(4)
    with pytest.warns(UserWarning, match="An output with one or more elements was resized"):
        ac.matmul(ac.ones(2, 2), ac.ones(2, 2), out=z)
    assert z.shape == (2, 2) and z.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    a = ac.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"mul\(\): functions with out=\.\.\. arguments don't"):
        ac.mul(a, a, out=ac.zeros(2))


def test_logaddexp_is_stable_and_its_gradient_is_the_softmax_weight():
    """log(e^x + e^y) without overflow (900 and -800 stay finite), d/dx = e^x / (e^x + e^y)."""
    z = ac.tensor([-800.0, -1.0, 0.0, 2.0, 900.0], requires_grad=True)
    out = ac.logaddexp(ac.zeros_like(z), -z)  # softplus(-z), a BCE-with-logits term
    zn = np.array([-800.0, -1.0, 0.0, 2.0, 900.0])
    np.testing.assert_allclose(out.detach().numpy(), np.logaddexp(0, -zn), rtol=1e-6)
    out.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), -1 / (1 + np.exp(np.clip(zn, -50, 50))), atol=1e-7)
    neg_inf = ac.tensor([-np.inf])
    assert ac.logaddexp(neg_inf, neg_inf).item() == -np.inf
    a = ac.tensor([0.3, -1.2, 2.0], dtype=ac.float64, requires_grad=True)
    b = ac.tensor([1.1, 0.4, 2.0], dtype=ac.float64, requires_grad=True)
    assert ac.autograd.gradcheck(ac.logaddexp, (a, b))
    assert ac.autograd.gradgradcheck(ac.logaddexp, (a, b))


def test_named_results_print_as_pytorch_return_types_with_the_module_swapped():
    x = ac.tensor([[1.0, 3.0], [2.0, 0.0]])
    assert repr(x.max(dim=0)) == (  # torch: torch.return_types.max(\nvalues=..., ...)
        "autograd_course.return_types.max(\nvalues=tensor([2., 3.]),\nindices=tensor([1, 0]))"
    )
    assert repr(x.min(1)) == (
        "autograd_course.return_types.min(\nvalues=tensor([1., 0.]),\nindices=tensor([0, 1]))"
    )
    values, indices = x.max(0)
    assert x.max(0).values is not None and indices.tolist() == [1, 0]
    assert type(x.max(0)).__name__ == "max" and x.min(0)._fields == ("values", "indices")
    assert repr(x.sort(1)).startswith("autograd_course.return_types.sort(\n")
    assert repr(x.shape) == "autograd_course.Size([2, 2])" and repr(ac.Size([])) == (
        "autograd_course.Size([])"
    )


@pytest.mark.parametrize(
    "name, reference, low, high, node",
    [
        ("tan", np.tan, -1.2, 1.2, "TanBackward0"),
        ("asin", np.arcsin, -0.9, 0.9, "AsinBackward0"),
        ("acos", np.arccos, -0.9, 0.9, "AcosBackward0"),
        ("atan", np.arctan, -3.0, 3.0, "AtanBackward0"),
        ("sinh", np.sinh, -2.0, 2.0, "SinhBackward0"),
        ("cosh", np.cosh, -2.0, 2.0, "CoshBackward0"),
        ("asinh", np.arcsinh, -3.0, 3.0, "AsinhBackward0"),
        ("acosh", np.arccosh, 1.2, 3.0, "AcoshBackward0"),
        ("atanh", np.arctanh, -0.9, 0.9, "AtanhBackward0"),
    ],
)
def test_trigonometric_and_hyperbolic_functions(name, reference, low, high, node):
    x = leaf(3, 2, low=low, high=high)
    np.testing.assert_allclose(getattr(ac, name)(x).detach().numpy(), reference(x.detach().numpy()))
    assert getattr(x, name)().grad_fn.name() == node
    assert gradcheck(lambda t: getattr(ac, name)(t), (x,))
    assert gradgradcheck(lambda t: getattr(t, name)(), (x,))
    alias = "arc" + name[1:] if name.startswith("a") else None
    if alias:  # NumPy's names, which PyTorch has too
        assert (
            getattr(ac, alias)(x).tolist()
            == getattr(x, alias)().tolist()
            == getattr(x, name)().tolist()
        )
    y = x.detach().clone()
    assert getattr(y, name + "_")() is y and np.allclose(y.numpy(), reference(x.detach().numpy()))
    assert ac.tensor([0, 1]).sin().dtype == ac.float32  # integers give the default float


def test_atan2_and_cross_values_and_gradients():
    y, x = leaf(4), leaf(4)
    np.testing.assert_allclose(
        ac.atan2(y, x).detach().numpy(), np.arctan2(y.detach().numpy(), x.detach().numpy())
    )
    assert gradcheck(ac.atan2, (y, x)) and gradgradcheck(ac.atan2, (y, x))
    a, b = leaf(2, 3), leaf(2, 3)
    np.testing.assert_allclose(
        ac.cross(a, b, dim=1).detach().numpy(), np.cross(a.detach().numpy(), b.detach().numpy())
    )
    assert gradcheck(lambda p, q: ac.cross(p, q, dim=-1), (a, b))
    e1, e2 = ac.tensor([1.0, 0.0, 0.0]), ac.tensor([0.0, 1.0, 0.0])
    with pytest.warns(UserWarning, match="without specifying the dim arg is deprecated"):
        assert ac.cross(e1, e2).tolist() == [0.0, 0.0, 1.0]
    with pytest.raises(RuntimeError, match="must have length 3"):
        ac.cross(ac.ones(2, 4), ac.ones(2, 4), dim=1)


def test_svd_values_structure_and_missing_gradient():
    A = ac.tensor(RNG.normal(size=(3, 2)))
    U, S, V = ac.svd(A)  # torch.svd: reduced, V (not Vh)
    assert U.shape == (3, 2) and S.shape == (2,) and V.shape == (2, 2)
    np.testing.assert_allclose(S.numpy(), np.linalg.svd(A.numpy(), compute_uv=False))
    np.testing.assert_allclose((U.numpy() * S.numpy()) @ V.numpy().T, A.numpy(), atol=1e-12)
    assert repr(A.svd()).startswith("autograd_course.return_types.svd(\nU=tensor(")
    U, S, Vh = ac.linalg.svd(A)  # full matrices by default, Vh
    assert (
        U.shape == (3, 3) and Vh.shape == (2, 2) and type(ac.linalg.svd(A)).__name__ == "linalg_svd"
    )
    with pytest.raises(NotImplementedError, match="gradient of the singular value decomposition"):
        ac.svd(leaf(2, 2))
    with ac.no_grad():
        assert ac.svd(leaf(2, 2)).S.shape == (2,)


def test_comparison_and_bitwise_free_functions():
    d, e = ac.tensor([[1.0, 2.0], [3.0, 4.0]]), ac.ones(1, 2)
    assert ac.eq(d, e).tolist() == [[True, False], [False, False]]
    assert ac.ne(d, e).tolist() == [[False, True], [True, True]]
    assert ac.gt(d, 2).tolist() == [[False, False], [True, True]]
    assert ac.le(d, 2).tolist() == [[True, True], [False, False]]
    b, c = ac.tensor([1, 5, 11]), ac.tensor([2, 7, 10])
    assert ac.bitwise_xor(b, c).tolist() == [3, 2, 1]
    assert ac.bitwise_and(b, c).tolist() == [0, 5, 10] and ac.bitwise_or(b, c).tolist() == [
        3,
        7,
        11,
    ]
    assert ac.bitwise_not(b).tolist() == [-2, -6, -12]
    x = ac.tensor([0.0, 1.0])
    assert ac.sin_(x) is x and x.tolist() == pytest.approx([0.0, np.sin(1.0)], rel=1e-7)
