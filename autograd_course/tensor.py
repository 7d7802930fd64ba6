"""The Tensor: a NumPy array plus what autograd needs (requires_grad, .grad, grad_fn).

Operations live in ``ops.py`` (one ``Function`` per operation, forward and backward side by
side); this module holds the data structure, the dtype rules, creation functions and the
in-place operations, whose rules (leaves, version counters) are about the tensor itself.
"""

from __future__ import annotations

import builtins
import numbers
import warnings
import weakref
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np

from . import dtypes as _dt
from . import random as _random
from .autograd.grad_mode import _GradMode

_DEFAULT_FLOAT = np.dtype(np.float32)
_INT = np.dtype(np.int64)

LEAF_INPLACE = (
    "a leaf Variable that requires grad is being used in an in-place operation. "
    "Hint: update parameters inside `with no_grad():`, or use an out-of-place op (x = x + 1)."
)


class Size(tuple):
    """A tensor's shape: a tuple that prints as ``Size([2, 3])``."""

    def __repr__(self) -> str:
        return f"Size({list(self)})"

    def numel(self) -> int:
        return int(np.prod(self, dtype=np.int64))


class Tensor:
    """An n-dimensional array that can record the operations applied to it.

    ``Tensor(data)`` works as in PyTorch (always float32); prefer ``tensor(data)``, which keeps
    integer and float64 data as they are.
    """

    __slots__ = (
        "_array",  # the values: a NumPy array
        "_requires_grad",
        "_grad",
        "grad_fn",  # the Function node that produced this tensor (None for leaves)
        "_version",  # one-element list shared by aliases: bumped by every in-place change
        "__weakref__",
        "__dict__",  # lets subclasses (nn.Parameter) and users add attributes
    )
    # Rarely set, so kept out of the constructor: an instance attribute overrides these.
    _retains_grad = False
    _accumulator = None  # weak reference to this leaf's AccumulateGrad node
    _hooks = None  # gradient hooks of a leaf (a non-leaf keeps them on its grad_fn)
    # NumPy defers ``ndarray + tensor`` to Tensor.__radd__ instead of converting the tensor.
    __array_priority__ = 1000

    def __init__(self, *data: Any, requires_grad: bool = False) -> None:
        if len(data) == 1 and not isinstance(data[0], numbers.Integral):
            array = np.array(_unwrap(data[0]), dtype=_DEFAULT_FLOAT)
        elif all(isinstance(d, numbers.Integral) for d in data):  # Tensor(2, 3): a shape
            array = np.zeros(data, dtype=_DEFAULT_FLOAT)
        else:
            raise TypeError(f"Tensor() takes data or a shape, got {data!r}")
        self._array, self._requires_grad, self._grad, self.grad_fn = array, False, None, None
        self._version = [0]
        if requires_grad:
            self.requires_grad = True

    # ---- what a tensor is --------------------------------------------------------------
    @property
    def data(self) -> Tensor:
        """The same values, detached from the graph; changes through it are not tracked."""
        return _make(self._array)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._array = value._array if isinstance(value, Tensor) else np.asarray(value)

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if value and self._array.dtype.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients "
                f"(this tensor is {self.dtype.name}; create it from floats, e.g. 1.0 instead "
                "of 1, or convert it with .float())"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        self.requires_grad = requires_grad
        return self

    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient (leaves, or tensors that called ``retain_grad()``)."""
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None and tuple(value.shape) != self._array.shape:
            raise RuntimeError(
                f"assigned grad has data of a different size: {value.shape} vs {self.shape}"
            )
        self._grad = value

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def shape(self) -> Size:
        return Size(self._array.shape)

    def size(self, dim: int | None = None) -> Size | int:
        return self.shape if dim is None else self._array.shape[dim]

    @property
    def dtype(self) -> _dt.dtype:
        return _dt.from_numpy_dtype(self._array.dtype)

    @property
    def ndim(self) -> int:
        return self._array.ndim

    def dim(self) -> int:
        return self._array.ndim

    def numel(self) -> int:
        return self._array.size

    def is_floating_point(self) -> bool:
        return self._array.dtype.kind == "f"

    @property
    def T(self) -> Tensor:  # noqa: N802 - PyTorch's name
        return self.permute(*reversed(range(self.ndim)))

    @property
    def mT(self) -> Tensor:  # noqa: N802 - PyTorch's name
        if self._array.ndim == 2:  # the common case (every matmul backward), without _dims
            return ops.Permute.apply(self, (1, 0), "TransposeBackward0")
        return self.transpose(-2, -1)

    # ---- leaving the graph ---------------------------------------------------------------
    def item(self) -> float | int | bool:
        if self._array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._array.size} elements cannot be converted to Scalar "
                "(item() needs exactly one element; index it first, e.g. x[0].item())"
            )
        return self._array.item()

    def tolist(self) -> Any:
        return self._array.tolist()

    def numpy(self) -> np.ndarray:
        """The values as a NumPy array sharing memory (only for tensors outside the graph)."""
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._array

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self.numpy()
        return array if dtype is None else array.astype(dtype)

    def detach(self) -> Tensor:
        """The same values (shared memory and version counter) without history."""
        out = _make(self._array)
        out._version = self._version
        return out

    def retain_grad(self) -> None:
        """Keep this non-leaf tensor's gradient in ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is None or self._retains_grad:
            return
        self._retains_grad = True
        self.grad_fn._add_pre_hook(_RetainGrad(self))

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_pre_hook(hook)
        if self._hooks is None:
            self._hooks = []
        return RemovableHandle(self._hooks, hook)

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Compute the gradient of this tensor with respect to the graph's leaves."""
        from .autograd.engine import backward

        backward(self, gradient, retain_graph, create_graph)

    # ---- conversions --------------------------------------------------------------------
    def to(self, dtype: Any) -> Tensor:
        target = _dt.to_numpy_dtype(dtype)
        return self if target == self._array.dtype else ops.ToDtype.apply(self, target)

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def long(self) -> Tensor:
        return self.to(np.int64)

    def int(self) -> Tensor:
        return self.to(np.int32)

    def bool(self) -> Tensor:
        return self.to(np.bool_)

    def type_as(self, other: Tensor) -> Tensor:
        return self.to(other._array.dtype)

    def clone(self) -> Tensor:
        return ops.Clone.apply(self)

    # ---- Python protocol --------------------------------------------------------------
    def __repr__(self) -> str:
        from ._printing import tensor_repr

        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        if self._array.ndim == 0:
            return self._array.item().__format__(spec)
        if spec:
            raise TypeError(
                "unsupported format string passed to Tensor.__format__ (only 0-d tensors "
                "format like numbers: use f'{x.item():.2f}' for a one-element tensor)"
            )
        return repr(self)

    def __len__(self) -> int:
        if self._array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._array.shape[0]))

    def __bool__(self) -> bool:
        if self._array.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (it has "
                f"{self._array.size}; use .any() or .all())"
            )
        return bool(self._array)

    def __float__(self) -> float:
        return builtins.float(self.item())

    def __int__(self) -> int:
        return builtins.int(self.item())

    def __index__(self) -> int:
        if self._array.dtype.kind not in "iu" or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self._array)

    __hash__ = object.__hash__

    # ---- arithmetic (operators build graph nodes through ops.py) ---------------------
    def __add__(self, other: Any) -> Tensor:
        return _binary(ops.Add, self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _binary(ops.Add, other, self)

    def __sub__(self, other: Any) -> Tensor:
        return _binary(ops.Sub, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _binary(ops.Sub, other, self)

    def __mul__(self, other: Any) -> Tensor:
        return _binary(ops.Mul, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _binary(ops.Mul, other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return _binary(ops.Div, self, other, true_division=True)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary(ops.Div, other, self, true_division=True)

    def __pow__(self, exponent: Any) -> Tensor:
        if isinstance(exponent, Tensor):
            return _binary(ops.Pow, self, exponent)
        if self._array.dtype.kind != "f" and isinstance(exponent, builtins.float):
            return ops.PowScalar.apply(self.float(), exponent)
        return ops.PowScalar.apply(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return _binary(ops.Pow, base, self)

    def __matmul__(self, other: Tensor) -> Tensor:
        return ops.MatMul.apply(self, _as_tensor(other))

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.MatMul.apply(_as_tensor(other), self)

    def __neg__(self) -> Tensor:
        return ops.Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return ops.Abs.apply(self)

    def __getitem__(self, key: Any) -> Tensor:
        return ops.Index.apply(self, _index_key(key))

    def __setitem__(self, key: Any, value: Any) -> None:
        key = _index_key(key)

        def assign() -> Tensor:
            return ops.IndexPut.apply(self, key, _as_tensor(value, like=self))

        self._change_in_place(assign, lambda: self._array.__setitem__(key, _unwrap(value)))

    # Comparisons give bool tensors outside the graph.
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _make(self._array == _unwrap(other))

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return _make(self._array != _unwrap(other))

    def __lt__(self, other: Any) -> Tensor:
        return _make(self._array < _unwrap(other))

    def __le__(self, other: Any) -> Tensor:
        return _make(self._array <= _unwrap(other))

    def __gt__(self, other: Any) -> Tensor:
        return _make(self._array > _unwrap(other))

    def __ge__(self, other: Any) -> Tensor:
        return _make(self._array >= _unwrap(other))

    def __invert__(self) -> Tensor:
        return _make(~self._array)

    def __and__(self, other: Any) -> Tensor:
        return _make(self._array & _unwrap(other))

    def __or__(self, other: Any) -> Tensor:
        return _make(self._array | _unwrap(other))

    def eq(self, other: Any) -> Tensor:
        return self == other

    def any(self) -> Tensor:
        return _make(np.asarray(self._array.any()))

    def all(self) -> Tensor:
        return _make(np.asarray(self._array.all()))

    def equal(self, other: Tensor) -> bool:
        return self._array.shape == other._array.shape and bool((self._array == other._array).all())

    # ---- element-wise functions and reductions (see ops.py for their derivatives) ------
    def exp(self) -> Tensor:
        return ops.Exp.apply(_floating(self))

    def log(self) -> Tensor:
        return ops.Log.apply(_floating(self))

    def sqrt(self) -> Tensor:
        return ops.Sqrt.apply(_floating(self))

    def square(self) -> Tensor:
        return self**2

    def pow(self, exponent: Any) -> Tensor:
        return self**exponent

    def abs(self) -> Tensor:
        return ops.Abs.apply(self)

    def sin(self) -> Tensor:
        return ops.Sin.apply(_floating(self))

    def cos(self) -> Tensor:
        return ops.Cos.apply(_floating(self))

    def tanh(self) -> Tensor:
        return ops.Tanh.apply(_floating(self))

    def sigmoid(self) -> Tensor:
        return ops.Sigmoid.apply(_floating(self))

    def relu(self) -> Tensor:
        return ops.Relu.apply(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        return ops.Clamp.apply(self, min, max)

    clip = clamp

    def maximum(self, other: Tensor) -> Tensor:
        return _binary(ops.Maximum, self, other)

    def minimum(self, other: Tensor) -> Tensor:
        return _binary(ops.Minimum, self, other)

    def matmul(self, other: Tensor) -> Tensor:
        return self @ other

    def mm(self, other: Tensor) -> Tensor:
        return self @ other

    def add(self, other: Any, alpha: Any = 1) -> Tensor:
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other: Any, alpha: Any = 1) -> Tensor:
        return self - (other * alpha if alpha != 1 else other)

    def mul(self, other: Any) -> Tensor:
        return self * other

    def div(self, other: Any) -> Tensor:
        return self / other

    def neg(self) -> Tensor:
        return -self

    def sum(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Tensor:
        x = self if dtype is None else self.to(dtype)
        if x._array.dtype.kind == "b":
            x = x.long()
        return ops.Sum.apply(x, _dims(dim, x.ndim), keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        if self._array.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {self.dtype.name} (convert with .float())"
            )
        return ops.Mean.apply(self, _dims(dim, self.ndim), keepdim)

    def var(self, dim: Any = None, unbiased: bool = True, keepdim: bool = False) -> Tensor:
        centred = self - self.mean(dim, keepdim=True)
        n = (
            self._array.size
            if dim is None
            else np.prod([self.shape[d] for d in _dims(dim, self.ndim)])
        )
        return (centred**2).sum(dim, keepdim=keepdim) / (n - 1 if unbiased else n)

    def std(self, dim: Any = None, unbiased: bool = True, keepdim: bool = False) -> Tensor:
        return self.var(dim, unbiased, keepdim).sqrt()

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        if isinstance(dim, Tensor):
            return self.maximum(dim)
        return ops.reduce_extreme(self, dim, keepdim, "max")

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        return ops.reduce_extreme(self, dim, keepdim, "min")

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _arg_extreme(np.argmax, self, dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        return _arg_extreme(np.argmin, self, dim, keepdim)

    def softmax(self, dim: int) -> Tensor:
        return ops.Softmax.apply(self, _dims(dim, self.ndim)[0])

    def log_softmax(self, dim: int) -> Tensor:
        return ops.LogSoftmax.apply(self, _dims(dim, self.ndim)[0])

    # ---- shapes -------------------------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        shape = _shape_arg(shape)
        if shape == self._array.shape:
            return self
        return ops.Reshape.apply(self, shape, "ViewBackward0")

    view = reshape

    def view_as(self, other: Tensor) -> Tensor:
        return self.reshape(other.shape)

    reshape_as = view_as

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        if self.ndim == 0:
            return self.reshape(1)
        start, end = (d % self.ndim for d in (start_dim, end_dim))
        shape = self.shape
        return self.reshape(*shape[:start], -1, *shape[end + 1 :])

    def squeeze(self, dim: int | None = None) -> Tensor:
        shape = self._array.shape
        if dim is None:
            new = tuple(s for s in shape if s != 1)
        else:
            d = _dims(dim, self.ndim)[0] if self.ndim else 0
            new = shape[:d] + shape[d + 1 :] if self.ndim and shape[d] == 1 else shape
        return ops.Reshape.apply(self, new, "SqueezeBackward0")

    def unsqueeze(self, dim: int) -> Tensor:
        d = _dims(dim, self.ndim + 1)[0]
        shape = self._array.shape
        return ops.Reshape.apply(self, shape[:d] + (1,) + shape[d:], "UnsqueezeBackward0")

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        d0, d1 = _dims((dim0, dim1), self.ndim) if self.ndim else (0, 0)
        axes = list(range(self.ndim))
        axes[d0], axes[d1] = axes[d1], axes[d0]
        return ops.Permute.apply(self, tuple(axes), "TransposeBackward0")

    def t(self) -> Tensor:
        if self.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D"
            )
        return self.transpose(0, 1) if self.ndim == 2 else self

    def permute(self, *dims: Any) -> Tensor:
        dims = _shape_arg(dims)
        return ops.Permute.apply(self, _dims(dims, self.ndim), "PermuteBackward0")

    def expand(self, *shape: Any) -> Tensor:
        shape = _shape_arg(shape)
        lead = len(shape) - self.ndim
        full = tuple(self._array.shape[i - lead] if s == -1 else s for i, s in enumerate(shape))
        return self if full == self._array.shape else ops.Expand.apply(self, full)

    def expand_as(self, other: Tensor) -> Tensor:
        return self.expand(other.shape)

    def sum_to_size(self, *shape: Any) -> Tensor:
        return ops.sum_to(self, _shape_arg(shape))

    # ---- in-place operations ---------------------------------------------------------
    def _change_in_place(self, recorded: Callable[[], Tensor], direct: Callable[[], Any]) -> Tensor:
        """Shared rules of every in-place op.

        In grad mode, when this tensor or an operand requires grad, the op is recorded
        out of place and this tensor takes the result's values and history (PyTorch
        "rebases" the graph the same way); otherwise the array is changed directly.
        Either way the version counter moves, so a saved copy becomes detectably stale.
        """
        if _GradMode.enabled and self._requires_grad and self.grad_fn is None:
            raise RuntimeError(LEAF_INPLACE)
        if _GradMode.enabled:
            result = recorded()
            if result._requires_grad:
                if result._array.shape != self._array.shape:
                    raise RuntimeError(
                        f"output with shape {list(self._array.shape)} doesn't match the "
                        f"broadcast shape {list(result._array.shape)}"
                    )
                _copy_into(self._array, result._array)
                self._version[0] += 1
                self.grad_fn, self._requires_grad = result.grad_fn, True
                return self
        try:
            direct()
        except ValueError:
            raise RuntimeError(
                f"output with shape {list(self._array.shape)} doesn't match the broadcast "
                "shape of the operands (in-place ops cannot change a tensor's shape)"
            ) from None
        except TypeError as err:  # NumPy refuses e.g. float into int64
            raise RuntimeError(
                f"result type can't be cast to the desired output type {self.dtype.name} "
                f"({err}); convert first, e.g. x = x.float()"
            ) from None
        self._version[0] += 1
        return self

    def _inplace(self, op: type, other: Any, ufunc: np.ufunc) -> Tensor:
        return self._change_in_place(
            lambda: _binary(op, self, other),
            lambda: ufunc(self._array, _unwrap(other), out=self._array, casting="same_kind"),
        )

    def add_(self, other: Any, alpha: Any = 1) -> Tensor:
        return self._inplace(ops.Add, _scaled(other, alpha), np.add)

    def sub_(self, other: Any, alpha: Any = 1) -> Tensor:
        return self._inplace(ops.Sub, _scaled(other, alpha), np.subtract)

    def mul_(self, other: Any) -> Tensor:
        return self._inplace(ops.Mul, other, np.multiply)

    def div_(self, other: Any) -> Tensor:
        return self._inplace(ops.Div, other, np.true_divide)

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def addcmul_(self, tensor1: Tensor, tensor2: Tensor, value: Any = 1) -> Tensor:
        """self += value * tensor1 * tensor2 (Adam's update of its second moment)."""
        if not _GradMode.enabled:  # optimizers: plain NumPy, no intermediate tensors
            return self.add_(tensor1._array * tensor2._array * value)
        return self.add_(tensor1 * tensor2 * value)

    def addcdiv_(self, tensor1: Tensor, tensor2: Tensor, value: Any = 1) -> Tensor:
        """self += value * tensor1 / tensor2 (Adam's parameter update)."""
        if not _GradMode.enabled:
            return self.add_(tensor1._array / tensor2._array * value)
        return self.add_(tensor1 / tensor2 * value)

    def _fill_from(self, make: Callable[[], np.ndarray]) -> Tensor:
        """In-place ops that overwrite every value (history from ``self`` is cut)."""

        def recorded() -> Tensor:
            return self * 0 + _make(make())

        return self._change_in_place(recorded, lambda: _copy_into(self._array, make()))

    def zero_(self) -> Tensor:
        return self._fill_from(lambda: np.zeros_like(self._array))

    def fill_(self, value: Any) -> Tensor:
        return self._fill_from(lambda: np.full_like(self._array, _unwrap(value)))

    def uniform_(self, a: float = 0.0, b: float = 1.0) -> Tensor:
        return self._fill_from(lambda: _random.generator().uniform(a, b, self._array.shape))

    def normal_(self, mean: float = 0.0, std: float = 1.0) -> Tensor:
        return self._fill_from(lambda: _random.generator().normal(mean, std, self._array.shape))

    def copy_(self, src: Any) -> Tensor:
        source = _as_tensor(src, like=self)

        def recorded() -> Tensor:
            return self * 0 + source.to(self._array.dtype)

        return self._change_in_place(recorded, lambda: _copy_into(self._array, source._array))

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return self._change_in_place(
            lambda: self.clamp(min, max),
            lambda: np.clip(self._array, min, max, out=self._array),
        )

    # ---- construction used by the engine and nn.Parameter --------------------------------
    @staticmethod
    def _make_subclass(cls: type, data: Tensor, require_grad: bool = False) -> Tensor:
        """A ``cls`` instance sharing ``data``'s values (how nn.Parameter is made)."""
        out = _make(data._array, cls=cls)
        out.requires_grad = require_grad
        return out

    def _accumulate_node(self) -> Any:
        """This leaf's AccumulateGrad node, created on first use and shared while alive."""
        node = self._accumulator() if self._accumulator is not None else None
        if node is None:
            node = AccumulateGrad(self)
            self._accumulator = weakref.ref(node)
        return node


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` unregisters the hook."""

    def __init__(self, hooks: list, hook: Callable) -> None:
        self._hooks, self._hook = hooks, hook
        hooks.append(hook)

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


class _RetainGrad:
    """A hook that stores a non-leaf's gradient into its ``.grad`` (weakly: no cycle)."""

    def __init__(self, tensor: Tensor) -> None:
        self._tensor = weakref.ref(tensor)

    def __call__(self, grad: Tensor) -> None:
        tensor = self._tensor()
        if tensor is not None:
            g = grad if _GradMode.enabled else grad.detach()
            tensor._grad = g if tensor._grad is None else tensor._grad + g


# ---- building tensors quickly inside the engine ---------------------------------------
def _make(
    array: np.ndarray, requires_grad: bool = False, grad_fn: Any = None, cls: type = Tensor
) -> Tensor:
    """Wrap an array without copying or converting it (the engine's constructor: it runs
    once per operation, so it sets the slots directly instead of going through __init__)."""
    t = object.__new__(cls)
    t._array = array
    t._requires_grad = requires_grad
    t._grad = None
    t.grad_fn = grad_fn
    t._version = [0]
    return t


def _unwrap(value: Any) -> Any:
    return value._array if isinstance(value, Tensor) else value


def _scaled(other: Any, alpha: Any) -> Any:
    """``other * alpha`` for add_/sub_; plain NumPy outside grad mode (an optimizer's step)."""
    if alpha == 1:
        return other
    return _unwrap(other) * alpha if not _GradMode.enabled else other * alpha


def _copy_into(target: np.ndarray, values: np.ndarray) -> None:
    np.copyto(target, values, casting="same_kind")


def _default_array(data: Any) -> np.ndarray:
    """PyTorch's inference: Python floats -> float32, ints -> int64, arrays keep their dtype."""
    if isinstance(data, np.ndarray):
        return data.copy()
    if isinstance(data, Tensor):
        return data._array.copy()
    if isinstance(data, np.generic):
        return np.array(data)
    array = np.array(data)
    if array.dtype == object:
        array = np.array([_unwrap(d) for d in data]) if isinstance(data, list | tuple) else array
    kind = array.dtype.kind
    if kind == "f":
        return array.astype(_DEFAULT_FLOAT)
    if kind in "iu":
        return array.astype(_INT)
    if kind not in "b":
        raise TypeError(f"can't make a tensor from {type(data).__name__} of {array.dtype}")
    return array


def _scalar_tensor(value: Any, like: Tensor) -> Tensor:
    """A Python number next to a tensor takes the tensor's kind, as in PyTorch (2 * x)."""
    kind = like._array.dtype.kind
    if type(value) is float and kind == "f":  # the common case, decided without ABC checks
        return _make(np.array(value, dtype=like._array.dtype))
    if isinstance(value, bool | np.bool_):
        dtype = like._array.dtype
    elif isinstance(value, numbers.Integral):
        dtype = like._array.dtype if kind in "fiu" else _INT
    elif isinstance(value, numbers.Real):
        dtype = like._array.dtype if kind == "f" else _DEFAULT_FLOAT
    elif isinstance(value, np.ndarray):
        return _make(value)
    else:
        raise TypeError(
            f"unsupported operand type: {type(value).__name__} (expected a number or a Tensor)"
        )
    return _make(np.array(value, dtype=dtype))


def _as_tensor(value: Any, like: Tensor | None = None) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, numbers.Number):
        return _scalar_tensor(value, like)
    return _make(_default_array(value))


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def _promote(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """PyTorch's promotion: a higher kind wins (int + float -> that float); within a kind a
    dimensioned tensor's dtype beats a 0-d tensor's; otherwise the wider dtype."""
    da, db = a._array.dtype, b._array.dtype
    ra, rb = _KIND_RANK.get(da.kind, 3), _KIND_RANK.get(db.kind, 3)
    if ra != rb:
        target = da if ra > rb else db
    elif (a._array.ndim == 0) != (b._array.ndim == 0):
        target = db if a._array.ndim == 0 else da
    else:
        target = np.promote_types(da, db)
    return a.to(target), b.to(target)


def _binary(op: type, a: Any, b: Any, true_division: bool = False) -> Tensor:
    """Bring two operands to tensors of one dtype, then apply ``op``."""
    if not isinstance(a, Tensor):
        a = _scalar_tensor(a, b)
    elif not isinstance(b, Tensor):
        b = _scalar_tensor(b, a)
    if a._array.dtype is not b._array.dtype and a._array.dtype != b._array.dtype:
        a, b = _promote(a, b)
    if true_division and a._array.dtype.kind != "f":
        a, b = a.float(), b.float()
    return op.apply(a, b)


def _floating(x: Tensor) -> Tensor:
    """Functions like exp and log give float32 for integer input, as in PyTorch."""
    return x if x._array.dtype.kind == "f" else x.float()


def _dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """Normalise ``dim`` (None, int or sequence) to non-negative ints, with PyTorch's error."""
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, numbers.Integral) else tuple(dim)
    span = max(ndim, 1)
    out = []
    for d in dims:
        if not -span <= d < span:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-span}, {span - 1}], "
                f"but got {d})"
            )
        out.append(builtins.int(d) % span)
    return tuple(out)


def _shape_arg(shape: Sequence[Any]) -> tuple[int, ...]:
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` as PyTorch does."""
    if len(shape) == 1 and not isinstance(shape[0], numbers.Integral):
        shape = shape[0]
    return tuple(builtins.int(s) for s in shape)


def _index_key(key: Any) -> Any:
    """Tensors inside an index become arrays (boolean masks, integer index tensors)."""
    if isinstance(key, tuple):
        return tuple(_unwrap(k) for k in key)
    if isinstance(key, list):
        return np.asarray([_unwrap(k) for k in key])
    return _unwrap(key)


def _arg_extreme(fn: Callable, x: Tensor, dim: int | None, keepdim: bool) -> Tensor:
    if dim is None:
        return _make(np.asarray(fn(x._array), dtype=_INT))
    axis = _dims(dim, x.ndim)[0]
    return _make(fn(x._array, axis=axis, keepdims=keepdim).astype(_INT))


# The ops and the AccumulateGrad node refer back to Tensor, so they are imported last.
from . import ops  # noqa: E402
from .autograd.function import AccumulateGrad  # noqa: E402
