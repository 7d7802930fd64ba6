"""Every mistake ANCHORS.md lists gets PyTorch's key words, and says what to do."""

from __future__ import annotations

import pytest

import autograd_course as ac


def test_integer_tensor_cannot_require_grad():
    with pytest.raises(RuntimeError, match="Only Tensors of floating point and complex dtype"):
        ac.tensor([1, 2, 3], requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        ac.tensor([1, 2]).requires_grad = True


def test_backward_on_a_vector_without_gradient():
    x = ac.ones(3, requires_grad=True)
    with pytest.raises(
        RuntimeError, match="grad can be implicitly created only for scalar outputs"
    ) as err:
        (x * 2).backward()
    assert "shape [3]" in str(err.value) and "sum()" in str(err.value)


def test_backward_on_something_without_history():
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        ac.ones(1).backward()


def test_wrong_gradient_shape_names_both_shapes():
    y = ac.ones(3, requires_grad=True) * 2
    with pytest.raises(
        RuntimeError,
        match=r"Mismatch in shape: grad_output\[0\] has a shape of autograd_course\.Size\(\[2\]\) and output\[0\] has a shape of autograd_course\.Size\(\[3\]\)",
    ):
        y.backward(ac.ones(2))


def test_numpy_of_tensor_requiring_grad():
    with pytest.raises(RuntimeError, match=r"Use tensor.detach\(\).numpy\(\) instead"):
        ac.ones(2, requires_grad=True).numpy()


def test_matmul_shape_mismatch():
    with pytest.raises(
        RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied \(3x4 and 5x2\)"
    ):
        ac.ones(3, 4) @ ac.ones(5, 2)
    with pytest.raises(RuntimeError, match="inconsistent tensor size"):
        ac.ones(3) @ ac.ones(4)
    with pytest.raises(RuntimeError, match="expected m1 and m2 to have the same dtype"):
        ac.ones(2, 2, dtype=ac.float64) @ ac.ones(2, 2)


def test_broadcast_mismatch():
    with pytest.raises(
        RuntimeError,
        match=r"The size of tensor a \(6\) must match the size of tensor b \(3\) at non-singleton dimension 0",
    ):
        ac.ones(6) + ac.ones(3)
    with pytest.raises(RuntimeError, match="at non-singleton dimension 1"):
        ac.ones(2, 6) * ac.ones(2, 3)


def test_reshape_and_dim_errors():
    with pytest.raises(RuntimeError, match=r"shape '\[4\]' is invalid for input of size 6"):
        ac.ones(2, 3).reshape(4)
    with pytest.raises(IndexError, match="Dimension out of range"):
        ac.ones(2, 3).sum(dim=2)


def test_in_place_shape_change_and_dtype_errors():
    x = ac.ones(3)
    with pytest.raises(RuntimeError, match="doesn't match the broadcast shape"):
        x += ac.ones(2, 3)
    with pytest.raises(RuntimeError, match="can't be cast"):
        i = ac.tensor([1, 2])
        i += 0.5


def test_item_and_bool_of_many_elements():
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        ac.ones(2).item()
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(ac.ones(2))


def test_cat_and_stack_shape_errors():
    with pytest.raises(RuntimeError, match="Sizes of tensors must match"):
        ac.cat([ac.ones(2, 3), ac.ones(3, 2)], dim=0)
    with pytest.raises(RuntimeError, match="stack expects each tensor to be equal size"):
        ac.stack([ac.ones(2), ac.ones(3)])


def test_changing_requires_grad_of_non_leaf():
    y = ac.ones(2, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="only change requires_grad flags of leaf variables"):
        y.requires_grad = False
