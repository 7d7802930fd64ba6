"""The matrix product ``a @ b`` (with 1-D operands and broadcast batches, as ``matmul``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _messages as msg
from .._args import as_tensor
from ..tensor import Tensor, tensor_method
from .arithmetic import Op


class MatMul(Op):
    """d(A @ B) = dA @ B + A @ dB, so grad_A = G @ Bᵀ and grad_B = Aᵀ @ G.

    1-D operands act as a row (left) or column (right) vector; batch dimensions broadcast,
    and the engine sums a broadcast operand's gradient back over the batch.
    """

    node_name = "MatmulBackward0"
    saved_names = ("self", "mat2")

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        a2 = a.unsqueeze(0) if a.ndim == 1 else a  # vectors as 1 x n and n x 1 matrices
        b2 = b.unsqueeze(-1) if b.ndim == 1 else b
        g = grad
        if b.ndim == 1:
            g = g.unsqueeze(-1)
        if a.ndim == 1:
            g = g.unsqueeze(-2)
        grad_a = g @ b2.mT if need_a else None
        grad_b = a2.mT @ g if need_b else None
        if grad_a is not None and a.ndim == 1:  # back from a row (of a batch) to a vector
            grad_a = grad_a.reshape(-1, a.shape[0]).sum(0)
        if grad_b is not None and b.ndim == 1:
            grad_b = grad_b.reshape(-1, b.shape[0]).sum(0)
        return grad_a, grad_b

    @classmethod
    def explain(cls, args, err):
        a, b = (t._array.shape for t in args)
        if len(a) == 1 and len(b) == 1:
            return msg.dot_sizes(a[0], b[0])
        rows = "x".join(map(str, a if len(a) > 1 else (1,) + a))
        cols = "x".join(map(str, b if len(b) > 1 else b + (1,)))
        return msg.matmul_shapes(rows, cols)


class Mm(MatMul):
    """Two matrices: the common case, with its own short backward."""

    node_name = "MmBackward0"

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return grad @ b.mT if need_a else None, a.mT @ grad if need_b else None


class Dot(MatMul):
    node_name = "DotBackward0"


class Mv(MatMul):
    node_name = "MvBackward0"


_KINDS = {(2, 2): Mm, (1, 1): Dot, (2, 1): Mv}


@tensor_method("__matmul__", "matmul")
def matmul(self: Tensor, other: Any) -> Tensor:
    """Matrix product; vectors and batches as in ``torch.matmul``."""
    other = as_tensor(other)
    a, b = self._array, other._array
    if a.dtype != b.dtype:
        raise RuntimeError(msg.matmul_dtypes(str(a.dtype), str(b.dtype)))
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(msg.matmul_0d(a.ndim, b.ndim))
    return _KINDS.get((a.ndim, b.ndim), MatMul).apply(self, other)


@tensor_method("__rmatmul__")
def _rmatmul(self: Tensor, other: Any) -> Tensor:
    return matmul(as_tensor(other), self)


@tensor_method("mm")
def mm(self: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices."""
    return matmul(self, mat2)
