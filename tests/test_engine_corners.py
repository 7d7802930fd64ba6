"""PyTorch's autograd in its corners: saved values, views, custom Functions, introspection,
promotion and edge cases. Expected values are closed forms or written out (as PyTorch 2.13
prints them for the same program)."""

from __future__ import annotations

import numpy as np
import pytest

import autograd_course as ac
from autograd_course.autograd import Function, gradcheck, once_differentiable

STALE = "modified by an inplace operation"


# ---- everything a backward reads is version-checked -------------------------------------------
def test_a_mask_changed_after_where_is_detected():
    mask = ac.tensor([True, False, True])
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = ac.where(mask, x, 0.0)
    mask[0] = False
    with pytest.raises(RuntimeError, match=f"{STALE}: \\[autograd_course.BoolTensor \\[3\\]\\]"):
        y.sum().backward()


def test_an_index_changed_after_indexing_is_detected():
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    idx = ac.tensor([0, 1])
    y = x[idx]
    idx[0] = 2
    with pytest.raises(RuntimeError, match=f"{STALE}: \\[autograd_course.LongTensor \\[2\\]\\]"):
        y.sum().backward()


def test_unchanged_masks_and_indices_give_the_scattered_gradient():
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (ac.where(x > 1.5, x, 0.0).sum() + x[ac.tensor([0, 0, 2])].sum()).backward()
    assert x.grad.tolist() == [2.0, 1.0, 2.0]


def test_the_message_names_the_node_that_made_the_changed_tensor():
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1
    y = h.sin()
    h.add_(1)
    with pytest.raises(
        RuntimeError, match="which is output 0 of AddBackward0, is at version 1; expected version 0"
    ):
        y.sum().backward()


def test_multiplying_by_a_number_does_not_save_the_tensor():
    # micrograd's `d += d * 2`: d * 2 needs only the 2 for its backward, as in PyTorch
    x = ac.tensor(3.0, requires_grad=True)
    d = x * 1
    d += d * 2
    d.backward()
    assert x.grad.item() == 3.0


# ---- in-place changes through views reach the base (CopySlices) -------------------------------
def test_in_place_on_a_slice_is_recorded_on_the_base():
    a = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 1
    b[0:2].mul_(2)
    assert b.tolist() == [2.0, 4.0, 3.0] and b.grad_fn.name() == "CopySlices"
    b.sum().backward()
    assert a.grad.tolist() == [2.0, 2.0, 1.0]


def test_in_place_on_an_element_and_on_a_reshaped_view():
    a = ac.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    b = a * 1
    y = b[0]
    y += 1
    b.reshape(2, 2)[1].mul_(a[0])  # b[2:4] *= a0: the other operand also gets its gradient
    assert b.tolist() == [2.0, 2.0, 3.0, 4.0]
    b.sum().backward()  # d/da0 = 1 + (a2 + a3), d/da2 = d/da3 = a0
    assert a.grad.tolist() == [8.0, 1.0, 1.0, 1.0]


def test_setitem_on_a_tensor_that_needs_no_grad_with_a_value_that_does():
    x = ac.zeros(3)
    w = ac.tensor([1.0, 2.0], requires_grad=True)
    x[0:2] = w * 2
    assert x.grad_fn.name() == "CopySlices"
    (x * ac.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert w.grad.tolist() == [2.0, 20.0]


def test_a_view_sees_its_base_changed_in_place():
    a = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 1
    v = b[0:2]
    b.mul_(3)
    assert v.tolist() == [3.0, 6.0]
    v.sum().backward()  # v is now a piece of b's new history
    assert a.grad.tolist() == [3.0, 3.0, 0.0]


def test_views_of_leaves_and_expanded_views_refuse_in_place_changes():
    a = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        a[0:2].mul_(2)
    with pytest.raises(RuntimeError, match="more than one element of the written-to tensor"):
        (a * 1).expand(2, 3).add_(1)


def test_views_share_the_version_counter():
    x = ac.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 1
    y = h.exp()
    with ac.no_grad():
        h.T[0] = 5.0
    assert h._version == 1
    y.add_(0)  # y saved itself: the change is seen through its own counter
    with pytest.raises(RuntimeError, match=STALE):
        y.sum().backward()


def test_in_place_with_an_operand_that_needs_grad_on_a_plain_tensor():
    w = ac.tensor(2.0, requires_grad=True)
    buf = ac.ones(3)
    buf.mul_(w)  # buf's old values are kept for w's gradient: buf's own change must not spoil it
    buf.sum().backward()
    assert w.grad.item() == 3.0


# ---- custom Functions as in PyTorch -----------------------------------------------------------
class TwoOutputs(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g2, g3):
        return g2 * 2 + g3 * 3


def test_a_function_with_two_outputs():
    x = ac.tensor([1.0, 2.0], requires_grad=True)
    p, q = TwoOutputs.apply(x)
    assert p.grad_fn is q.grad_fn and (p.output_nr, q.output_nr) == (0, 1)
    assert repr(p) == "tensor([2., 4.], grad_fn=<TwoOutputsBackward>)"
    p.sum().backward()  # q got no gradient: backward sees zeros for it
    assert x.grad.tolist() == [2.0, 2.0]
    x.grad = None
    p, q = TwoOutputs.apply(x)
    (p + q).sum().backward()
    assert x.grad.tolist() == [5.0, 5.0]
    assert gradcheck(lambda t: TwoOutputs.apply(t), (ac.tensor([0.5, -1.0], requires_grad=True),))


def test_set_materialize_grads_false_gives_none():
    seen = []

    class Lazy(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g2, g3):
            seen.append(g3)
            return g2 * 2

    x = ac.tensor([1.0], requires_grad=True)
    Lazy.apply(x)[0].sum().backward()
    assert seen == [None] and x.grad.tolist() == [2.0]


def test_pytorch_2_style_forward_with_setup_context():
    class Scale(Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, grad):
            return grad * ctx.k, None

    x = ac.tensor([1.0, 2.0], requires_grad=True)
    y = Scale.apply(x, 5)
    y.sum().backward()
    assert y.tolist() == [5.0, 10.0] and x.grad.tolist() == [5.0, 5.0]


def test_an_unreduced_broadcast_gradient_is_reduced_by_the_engine():
    class Plus(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, grad):
            return grad, grad  # b's gradient still has a's shape

    a, b = ac.ones(3, requires_grad=True), ac.ones(1, requires_grad=True)
    Plus.apply(a, b).sum().backward()
    assert a.grad.tolist() == [1.0, 1.0, 1.0] and b.grad.tolist() == [3.0]


def test_a_gradient_of_an_impossible_shape_is_refused():
    class Wrong(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 1

        @staticmethod
        def backward(ctx, grad):
            return ac.ones(4)

    a = ac.ones(3, requires_grad=True)
    expected = "Function WrongBackward returned an invalid gradient at index 0 - got \\[4\\] but expected shape compatible with \\[3\\]"
    with pytest.raises(RuntimeError, match=expected):
        Wrong.apply(a).sum().backward()


def test_mark_dirty_rebases_the_changed_input():
    class Double_(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, grad):
            return grad * 2

    x = ac.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1
    out = Double_.apply(h)
    assert out is h and h.tolist() == [2.0, 4.0] and h.grad_fn.name() == "Double_Backward"
    assert h._version == 2  # once by mul_, once by mark_dirty, as in PyTorch
    out.sum().backward()
    assert x.grad.tolist() == [2.0, 2.0]
    with pytest.raises(
        RuntimeError,
        match="a leaf Variable that requires grad has been used in an in-place operation",
    ):
        Double_.apply(ac.tensor([1.0], requires_grad=True))


def test_mark_non_differentiable_outputs_need_no_gradient():
    class MaxWithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            values, index = x.max(0)
            ctx.mark_non_differentiable(index)
            ctx.save_for_backward(x, index)
            return values, index

        @staticmethod
        def backward(ctx, grad_values, grad_index):
            x, index = ctx.saved_tensors
            g = ac.zeros_like(x)
            g[index] = grad_values
            return g

    x = ac.tensor([1.0, 3.0, 2.0], requires_grad=True)
    values, index = MaxWithIndex.apply(x)
    assert not index.requires_grad and values.requires_grad
    values.backward()
    assert x.grad.tolist() == [0.0, 1.0, 0.0]


def test_once_differentiable_backward_gives_no_second_derivative():
    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**2

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            assert not ac.is_grad_enabled()
            return grad * 2 * x

    x = ac.tensor(3.0, requires_grad=True)
    (g,) = ac.autograd.grad(Square.apply(x), x, create_graph=True)
    assert g.item() == 6.0 and not g.requires_grad


def test_errors_raised_inside_a_custom_forward_pass_through_unchanged():
    class Fails(Function):
        @staticmethod
        def forward(ctx, x):
            raise ValueError("my own value error")

    with pytest.raises(ValueError, match="^my own value error$"):
        Fails.apply(ac.ones(2, requires_grad=True))


def test_built_in_ops_translate_numpy_errors_and_keep_the_original():
    with pytest.raises(RuntimeError, match="The size of tensor a \\(3\\) must match") as info:
        ac.ones(3) + ac.ones(2)
    assert isinstance(info.value.__cause__, ValueError)


# ---- graph introspection ----------------------------------------------------------------------
def test_next_functions_list_inputs_in_pytorch_order():
    a = ac.tensor([1.0, 2.0], requires_grad=True)
    (first, _), (second, _) = (2 * a.sin()).grad_fn.next_functions
    assert first.name() == "SinBackward0" and second is None
    names = {
        "1.0 - a": ((1.0 - a), "RsubBackward1", 1),
        "2 / a": ((2 / a), "MulBackward0", 2),
        "2 ** a": ((2**a), "PowBackward2", 1),
        "a ** 2": ((a**2), "PowBackward0", 1),
        "a.t()": (a.unsqueeze(0).t(), "TBackward0", 1),
        "a.T": (a.unsqueeze(0).T, "PermuteBackward0", 1),
        "squeeze(0)": (a.unsqueeze(0).squeeze(0), "SqueezeBackward1", 1),
        "a[0]": (a[0], "SelectBackward0", 1),
        "a[0:1]": (a[0:1], "SliceBackward0", 1),
    }
    for expr, (y, name, edges) in names.items():
        assert (y.grad_fn.name(), len(y.grad_fn.next_functions)) == (name, edges), expr
    assert (2 / a).grad_fn.next_functions[0][0].name() == "ReciprocalBackward0"


def test_saved_tensors_are_visible_as_pytorch_names_them():
    a = ac.tensor([1.0, 2.0], requires_grad=True)
    b = ac.tensor(2.0, requires_grad=True)
    y = a * b
    assert y.grad_fn._saved_self is a and y.grad_fn._saved_other is b
    e = a.exp()
    assert e.grad_fn._saved_result.tolist() == e.tolist()
    p = a**3
    assert p.grad_fn._saved_self is a and p.grad_fn._saved_exponent == 3
    assert "_saved_result" in dir(e.grad_fn)
    s = a.sum(0)
    assert s.grad_fn._saved_dim == (0,) and s.grad_fn._saved_keepdim is False
    (a * b).sum().backward()
    freed = y.grad_fn
    y.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        freed._saved_self  # noqa: B018


def test_a_node_can_be_called_by_hand():
    x = ac.tensor(2.0, requires_grad=True)
    g = (x**3).grad_fn(ac.tensor(1.0))
    assert g.item() == 12.0 and g.requires_grad  # 3 x², recorded as PyTorch does
    a, b = ac.tensor([1.0, 2.0], requires_grad=True), ac.tensor(3.0, requires_grad=True)
    ga, gb = (a * b).grad_fn(ac.ones(2))
    assert ga.tolist() == [3.0, 3.0] and gb.tolist() == [
        1.0,
        2.0,
    ]  # not reduced: the engine does that


def test_nodes_run_newest_first_as_in_pytorch():
    order = []
    x = ac.tensor(1.0, requires_grad=True)
    a = x * 2
    b = x * 3
    c = a + b
    for name, t in (("a", a), ("b", b), ("c", c)):
        t.register_hook(lambda g, name=name: order.append(name))
    c.backward()
    assert order == ["c", "b", "a"]


def test_retain_grad_sees_the_gradient_after_tensor_hooks():
    x = ac.tensor([1.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert y.grad.tolist() == [10.0] and x.grad.tolist() == [20.0]


# ---- dtype promotion between tensors ----------------------------------------------------------
@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (ac.ones(2), ac.tensor([1, 2]), ac.float32),
        (ac.ones(2), ac.tensor(1), ac.float32),
        (ac.tensor([1, 2]), ac.tensor(1.5, dtype=ac.float64), ac.float64),
        (ac.tensor([1, 2], dtype=ac.int32), 2, ac.int32),
        (ac.tensor([1, 2], dtype=ac.uint8), ac.tensor([1], dtype=ac.int8), ac.int16),
        (ac.ones(2, dtype=ac.float16), 1.5, ac.float16),
        (ac.ones(2, dtype=ac.float16), ac.tensor(1.5, dtype=ac.float64), ac.float16),
        (ac.ones(2, dtype=ac.float16), ac.ones(2, dtype=ac.float64), ac.float64),
        (ac.tensor([True]), 1.5, ac.float32),
        (ac.tensor([True]), 1, ac.int64),
    ],
)
def test_binary_ops_promote_as_pytorch(a, b, expected):
    assert (a + b).dtype == expected


def test_losses_and_joins_keep_the_float_dtype_of_a_float_and_an_integer_tensor():
    assert ac.nn.functional.mse_loss(ac.ones(2), ac.tensor([1, 2])).dtype == ac.float32
    assert ac.cat([ac.ones(2), ac.tensor([1, 2])]).dtype == ac.float32
    assert ac.stack([ac.tensor([1]), ac.tensor([1.5], dtype=ac.float64)]).dtype == ac.float64
    assert ac.where(ac.tensor([True]), ac.tensor([1]), 2.5).dtype == ac.float32


# ---- edges --------------------------------------------------------------------------------------
def test_softmax_over_an_empty_dimension():
    x = ac.zeros(2, 0, requires_grad=True)
    for y in (x.softmax(1), x.log_softmax(1), x.softmax(0)):
        assert y.shape == (2, 0)
        y.sum().backward()
    assert x.grad.shape == (2, 0)


def test_relu_passes_no_gradient_where_the_input_was_negative_even_an_infinite_one():
    x = ac.tensor([-1.0, 2.0], requires_grad=True)
    x.relu().backward(ac.tensor([float("inf"), 1.0]))
    assert x.grad.tolist() == [0.0, 1.0]
    y = ac.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y.clamp(0, 1).backward(ac.tensor([float("inf"), 1.0, float("inf")]))
    assert y.grad.tolist() == [0.0, 1.0, 0.0]


def test_backward_with_a_list_as_gradient_says_to_pass_a_tensor():
    y = ac.ones(2, requires_grad=True) * 2
    with pytest.raises(TypeError, match="gradients can be either Tensors or None, but got float"):
        y.backward([1.0, 1.0])


def test_every_broadcast_pattern_of_a_custom_function_is_reduced():
    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            return grad * b, grad * a

    for sa, sb in [((3, 1), (1, 4)), ((2, 3), (3,)), ((), (2, 2)), ((1,), (5, 1, 2))]:
        rng = np.random.default_rng(0)
        a = ac.tensor(rng.standard_normal(sa), requires_grad=True)
        b = ac.tensor(rng.standard_normal(sb), requires_grad=True)
        assert gradcheck(Mul.apply, (a, b))
