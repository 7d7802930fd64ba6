"""Products and norms: dot, mv, bmm, outer (checked forms of ``@`` and ``*``), einsum, and
vector norms.

einsum's rule for gradients: the gradient of one operand is the einsum of the output's
gradient with all the other operands, written back to that operand's subscripts. A letter
that appears in no other place was summed over in that operand alone: its gradient is the
same for every value of the letter, so it is expanded back.
"""

from __future__ import annotations

import string
from typing import Any

import numpy as np

from .._args import as_tensor
from .._args import dims as _dims
from ..tensor import Tensor, tensor_method
from .arithmetic import Op
from .linalg import matmul


def _same_dtype(name: str, a: Tensor, b: Tensor) -> None:
    if a._array.dtype != b._array.dtype:
        raise RuntimeError(
            f"{name} : expected both vectors to have same dtype, but found "
            f"{a.dtype.name.capitalize()} and {b.dtype.name.capitalize()}"
        )


@tensor_method("dot", "inner")
def dot(self: Tensor, other: Tensor) -> Tensor:
    """Σ a_i b_i of two 1-D tensors of one dtype."""
    other = as_tensor(other)
    if self.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
    _same_dtype("dot", self, other)
    return matmul(self, other)


@tensor_method("mv")
def mv(self: Tensor, vec: Tensor) -> Tensor:
    """Matrix times vector."""
    vec = as_tensor(vec)
    if self.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self.ndim}, {vec.ndim}")
    return matmul(self, vec)


@tensor_method("bmm")
def bmm(self: Tensor, mat2: Tensor) -> Tensor:
    """A batch of matrix products: (b, n, m) @ (b, m, p) -> (b, n, p), no broadcasting."""
    mat2 = as_tensor(mat2)
    if self.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if self.shape[0] != mat2.shape[0] or self.shape[2] != mat2.shape[1]:
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{self.shape[0]}, {self.shape[2]}] but got: [{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    return matmul(self, mat2)


@tensor_method("outer", "ger")
def outer(self: Tensor, vec2: Tensor) -> Tensor:
    """a_i b_j: every product of an element of a with one of b."""
    vec2 = as_tensor(vec2)
    return self.reshape(-1, 1) * vec2.reshape(1, -1)


# ---- einsum -----------------------------------------------------------------------------------
def _parse(equation: str, operands: list[Tensor]) -> tuple[list[str], str]:
    """Each operand's subscripts and the output's, with ``...`` spelled out as letters."""
    equation = equation.replace(" ", "")
    inputs, arrow, output = equation.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(operands) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the equation")  # fmt: skip
    free = [c for c in string.ascii_letters if c not in equation]
    width = max((t.ndim - len(term.replace("...", "")) for term, t in zip(terms, operands)
                 if "..." in term), default=0)  # fmt: skip
    ellipsis = "".join(free[:width])
    spelled = []
    for term, t in zip(terms, operands):
        if "..." in term:
            n = t.ndim - len(term.replace("...", ""))
            term = term.replace("...", ellipsis[width - n :])
        spelled.append(term)
    if arrow:
        output = output.replace("...", ellipsis)
    else:  # implicit output: the letters used once, in alphabetical order, after the ellipsis
        letters = "".join(spelled)
        output = ellipsis + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ellipsis)
        )
    return spelled, output


class Einsum(Op):
    """Forward is NumPy's einsum; see the module docstring for the gradient."""

    node_name = "EinsumBackward0"

    @staticmethod
    def forward(ctx, spec, *arrays):
        ctx.terms, ctx.output = spec
        ctx.save_for_backward(None, *arrays)
        return np.einsum(",".join(ctx.terms) + "->" + ctx.output, *arrays)

    @staticmethod
    def backward(ctx, grad):
        arrays = ctx.saved_tensors[1:]
        grads = [None]
        for i, (term, x) in enumerate(zip(ctx.terms, arrays)):
            if not ctx.needs_input_grad[i + 1]:
                grads.append(None)
                continue
            if len(set(term)) != len(term):
                raise NotImplementedError(
                    f"einsum: the gradient of an operand with a repeated subscript ({term}) "
                    "is not supported"
                )
            others = [t for j, t in enumerate(ctx.terms) if j != i]
            known = set(ctx.output).union(*others)
            kept = "".join(c for c in term if c in known)
            spec = ([ctx.output, *others], kept)
            g = Einsum.apply(spec, grad, *(a for j, a in enumerate(arrays) if j != i))
            shape = [x.shape[k] if c in kept else 1 for k, c in enumerate(term)]
            g = g.reshape(shape).expand(x.shape) if kept != term else g
            grads.append(g)
        return tuple(grads)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sums of products written as index notation: ``einsum("ij,jk->ik", a, b)`` is a @ b."""
    if len(operands) == 1 and isinstance(operands[0], list | tuple):
        operands = tuple(operands[0])
    tensors = [as_tensor(t) for t in operands]
    terms, output = _parse(equation, tensors)
    return Einsum.apply((terms, output), *tensors)


# ---- norms ------------------------------------------------------------------------------------
class Norm2(Op):
    """‖x‖₂ = √Σx²: the gradient is x / ‖x‖, and 0 where the norm is 0 (as PyTorch)."""

    node_name = "NormBackward1"
    saved_names = ("self", "result")

    @staticmethod
    def forward(ctx, x, dims, keepdim):
        ctx.dims, ctx.keepdim = dims, keepdim
        out = np.sqrt(np.sum(x * x, axis=dims, keepdims=keepdim))
        ctx.save_for_backward(x, out)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        if not ctx.keepdim and ctx.dims is not None:
            grad, out = _unsqueeze_dims(grad, ctx.dims), _unsqueeze_dims(out, ctx.dims)
        safe = out.masked_fill(out == 0, 1)
        scale = (grad / safe).masked_fill(out == 0, 0)
        return x * scale, None, None


def _unsqueeze_dims(t: Tensor, dims: tuple[int, ...]) -> Tensor:
    for d in sorted(dims):
        t = t.unsqueeze(d)
    return t


def vector_norm(x: Tensor, ord: Any = 2, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: A002
    """The p-norm of the elements (all, or along ``dim``): ord 2, 1, inf, -inf, 0 or any p."""
    if not x.is_floating_point():
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. "
            f"Got {x.dtype.name.capitalize()}"
        )
    dims = _dims(dim, x.ndim) if dim is not None else None
    if dims is not None and x.ndim == 0:
        dims = None
    if ord == 2:
        return Norm2.apply(x, dims, keepdim)
    reduce_dims = tuple(range(x.ndim)) if dims is None else dims
    a = x.abs()
    if ord == float("inf"):
        out = a.amax(reduce_dims, keepdim=True)
    elif ord == float("-inf"):
        out = a.amin(reduce_dims, keepdim=True)
    elif ord == 0:
        out = (a != 0).to(x.dtype).sum(reduce_dims, keepdim=True)
    elif ord == 1:
        out = a.sum(reduce_dims, keepdim=True)
    else:
        out = (a**ord).sum(reduce_dims, keepdim=True) ** (1.0 / ord)
    if keepdim:
        return out
    return out.reshape(()) if dims is None else out.squeeze(reduce_dims)


@tensor_method("norm")
def norm(
    self: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
) -> Tensor:
    """The p-norm (2 and "fro" are the square root of the sum of squares)."""
    x = self if dtype is None else self.to(dtype)
    if p == "fro" or p is None:
        p = 2
    if isinstance(p, str):
        raise NotImplementedError(
            f"norm(p={p!r}) is not supported; use p='fro', 1, 2, inf or a number"
        )
    return vector_norm(x, p, dim, keepdim)
