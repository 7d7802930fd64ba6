"""``linalg``: PyTorch's ``torch.linalg`` subset: norms of vectors and matrices (Frobenius)."""

from __future__ import annotations

from typing import Any

from .ops.products import vector_norm
from .tensor import Tensor

__all__ = ["matrix_norm", "norm", "vector_norm"]


def matrix_norm(A: Tensor, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False) -> Tensor:  # noqa: A002, N803
    """The Frobenius norm of each matrix (the last two dims); other orders need an SVD."""
    if ord != "fro":
        raise NotImplementedError(f"linalg.matrix_norm(ord={ord!r}) is not supported; use 'fro'")
    return vector_norm(A, 2, dim, keepdim)


def norm(A: Tensor, ord: Any = None, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002, N803
    """A vector norm (``ord`` a number, or None for 2 over all elements) or 'fro' of matrices."""
    if ord is None:
        return vector_norm(A, 2, dim, keepdim)
    if isinstance(ord, str):
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim)
    if dim is None and A.ndim == 2:
        raise NotImplementedError(
            f"linalg.norm(ord={ord!r}) of a matrix needs a matrix norm, which is not supported; "
            "give dim= for vector norms, or use ord='fro'"
        )
    return vector_norm(A, ord, dim, keepdim)
