"""``linalg``: PyTorch's ``torch.linalg`` subset: norms of vectors and matrices (Frobenius), and
the singular value decomposition (values only: its gradient is not implemented)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import return_types
from .grad_mode import is_grad_enabled
from .ops.products import vector_norm
from .tensor import Tensor, _make, tensor_method

__all__ = ["matrix_norm", "norm", "svd", "vector_norm"]


def _svd_arrays(A: Tensor, full_matrices: bool, name: str) -> tuple[np.ndarray, ...]:
    """U, S, Vh from LAPACK (NumPy's gesdd, as PyTorch uses on the CPU); refused on a tensor
    that would need a gradient, rather than giving one silently wrong."""
    if A.requires_grad and is_grad_enabled():
        raise NotImplementedError(
            f"{name}: the gradient of the singular value decomposition is not implemented in "
            "autograd_course; call it on a tensor that does not require grad (A.detach())"
        )
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    return np.linalg.svd(A._array, full_matrices=full_matrices)


def svd(A: Tensor, full_matrices: bool = True, *, driver: Any = None, out: Any = None) -> Any:  # noqa: N803
    """(U, S, Vh) with A = U diag(S) Vh, as ``torch.linalg.svd``."""
    u, s, vh = _svd_arrays(A, full_matrices, "linalg.svd")
    return return_types.linalg_svd(_make(u), _make(s), _make(vh))


@tensor_method("svd")
def svd_method(self: Tensor, some: bool = True, compute_uv: bool = True) -> Any:
    """(U, S, V) with A = U diag(S) Vᵀ, as the older ``torch.svd`` (V, not Vh)."""
    u, s, vh = _svd_arrays(self, not some, "svd")
    v = np.swapaxes(vh, -1, -2)
    if not compute_uv:
        u, v = np.zeros_like(u), np.zeros_like(v)
    return return_types.svd(_make(u), _make(s), _make(np.ascontiguousarray(v)))


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
