"""Creation functions with PyTorch's names and defaults: ``tensor``, ``zeros``, ``randn``...

Python floats become float32, ints int64, NumPy arrays keep their dtype; every random
tensor comes from the one generator that ``manual_seed`` seeds. Every function takes
PyTorch's keywords (``dtype``, ``device``, ``requires_grad``, ``out`` where PyTorch has it);
the only device is the CPU.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import devices as _device
from . import dtypes as _dt
from . import random as _random
from ._args import data_array as _default_array
from ._args import shape_arg as _shape_arg
from ._args import unwrap as _unwrap
from ._args import write_out as _write_out
from .tensor import Tensor, _make, tensor_method


def _finish(array: np.ndarray, requires_grad: bool, device: Any, out: Any, name: str) -> Tensor:
    """The new tensor (or ``out`` holding it), after checking the device."""
    _device.check(device)
    t = _make(array)
    if requires_grad:
        t.requires_grad = True
    return _write_out(out, t, name)


def tensor(
    data: Any, dtype: Any = None, device: Any = None, requires_grad: bool = False, **kw: Any
) -> Tensor:
    """A new tensor holding a copy of ``data`` (list, number, NumPy array or tensor)."""
    if dtype is None:
        array = _default_array(data)
    else:  # straight to the asked dtype: 1.6 must not pass through float32 on its way to float64
        array = np.array(_unwrap(data), dtype=_dt.to_numpy_dtype(dtype))
    return _finish(array, requires_grad, device, None, "tensor")


def as_tensor(data: Any, dtype: Any = None, device: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with a NumPy array when the dtype already fits."""
    _device.check(device)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or _dt.to_numpy_dtype(dtype) == data.dtype):
        return _make(data)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with ``array`` and keeping its dtype (float64 stays float64)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    return _make(array)


def _np_dtype(dtype: Any, default: Any = None) -> np.dtype:
    if dtype is None:
        return _dt.default_float() if default is None else default
    return _dt.to_numpy_dtype(dtype)


def _sized(size: tuple, keyword: Any) -> tuple[int, ...]:
    """The shape from ``f(2, 3)``, ``f((2, 3))`` or ``f(size=(2, 3))``."""
    return _shape_arg(size if keyword is None else (keyword,))


def _filled(fill: Callable, size: tuple, dtype: Any, kw: dict, name: str) -> Tensor:
    shape = _sized(size, kw.pop("size", None))
    array = fill(shape, _np_dtype(dtype))
    return _finish(
        array, kw.pop("requires_grad", False), kw.pop("device", None), kw.pop("out", None), name
    )


def zeros(*size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return _filled(np.zeros, size, dtype, kw, "zeros")


def ones(*size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return _filled(np.ones, size, dtype, kw, "ones")


def empty(*size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    """Uninitialised in PyTorch; here zeros (NumPy's empty could leak old memory into prints)."""
    return _filled(np.zeros, size, dtype, kw, "empty")


def full(size: Sequence[int], fill_value: Any, dtype: Any = None, **kw: Any) -> Tensor:
    if dtype is None:
        dtype = _default_array(_unwrap(fill_value)).dtype
    fill = _unwrap(fill_value)
    return _filled(lambda s, d: np.full(s, fill, d), (tuple(size),), dtype, kw, "full")


def rand(*size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    """Uniform in [0, 1), from the engine's seeded generator."""
    rng = _random.numpy_generator(kw.pop("generator", None))
    return _filled(lambda s, d: rng.random(s).astype(d), size, dtype, kw, "rand")


def randn(*size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    """Standard normal, from the engine's seeded generator."""
    rng = _random.numpy_generator(kw.pop("generator", None))
    return _filled(lambda s, d: rng.standard_normal(s).astype(d), size, dtype, kw, "randn")


def randint(*args: Any, dtype: Any = None, **kw: Any) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)``, as PyTorch reads them (int64 unless ``dtype`` says)."""
    low, high, size = 0, kw.pop("high", None), kw.pop("size", None)
    if "low" in kw:
        low = kw.pop("low")
    positional = list(args)
    if size is None and positional and not isinstance(positional[-1], numbers.Integral):
        size = positional.pop()
    if len(positional) == 2:
        low, high = positional
    elif len(positional) == 1:
        if high is None:
            high = positional[0]
        else:
            low = positional[0]
    if high is None or size is None or len(positional) > 2:
        raise TypeError(
            "randint() received an invalid combination of arguments: expected "
            "(int high, tuple of ints size) or (int low, int high, tuple of ints size)"
        )
    rng = _random.numpy_generator(kw.pop("generator", None))
    values = rng.integers(low, high, size=_shape_arg((size,)))
    array = np.asarray(values, dtype=_np_dtype(dtype, _dt.INT64))
    return _finish(array, kw.pop("requires_grad", False), kw.pop("device", None),
                   kw.pop("out", None), "randint")  # fmt: skip


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, **kw: Any) -> Tensor:
    """Normal samples: element-wise ``mean`` and ``std`` (tensors or numbers), or two numbers
    and a ``size``."""
    out, dtype = kw.pop("out", None), kw.pop("dtype", None)
    means, stds = _unwrap(mean), _unwrap(std)
    if size is None:
        if not (isinstance(mean, Tensor) or isinstance(std, Tensor)):
            raise TypeError(
                "normal() received an invalid combination of arguments: give a tensor mean or "
                "std, or numbers and a size: normal(0.0, 1.0, size=(2, 3))"
            )
        shape = np.broadcast_shapes(np.shape(means), np.shape(stds))
        ref = mean if isinstance(mean, Tensor) else std
        np_dtype = ref._array.dtype
    else:
        shape, np_dtype = _shape_arg((size,)), _np_dtype(dtype)
    array = _random.generator().normal(means, stds, shape).astype(np_dtype)
    return _finish(array, kw.pop("requires_grad", False), kw.pop("device", None), out, "normal")


# ---- like another tensor ---------------------------------------------------------------------
def _like(input: Tensor, make: Callable, dtype: Any, kw: dict) -> Tensor:
    kw.pop("memory_format", None)
    return make(input.shape, dtype=input.dtype if dtype is None else dtype, **kw)


def zeros_like(input: Tensor, dtype: Any = None, **kw: Any) -> Tensor:  # noqa: A002
    return _like(input, zeros, dtype, kw)


def ones_like(input: Tensor, dtype: Any = None, **kw: Any) -> Tensor:  # noqa: A002
    return _like(input, ones, dtype, kw)


def empty_like(input: Tensor, dtype: Any = None, **kw: Any) -> Tensor:  # noqa: A002
    return _like(input, empty, dtype, kw)


def full_like(input: Tensor, fill_value: Any, dtype: Any = None, **kw: Any) -> Tensor:  # noqa: A002
    return _like(input, lambda s, **k: full(s, fill_value, **k), dtype, kw)


def _float_like(name: str, make: Callable) -> Callable:
    def like(input: Tensor, dtype: Any = None, **kw: Any) -> Tensor:  # noqa: A002
        target = _dt.from_numpy_dtype(_np_dtype(dtype, input._array.dtype))
        if not target.is_floating_point:
            raise NotImplementedError(f'"{name}" not implemented for {target.name!r}')
        return _like(input, make, target, kw)

    return like


rand_like = _float_like("check_uniform_bounds", rand)
randn_like = _float_like("normal_kernel_cpu", randn)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, **kw: Any) -> Tensor:  # noqa: A002
    """Integers in [low, high) in ``input``'s shape (and dtype, unless ``dtype`` says)."""
    if high is None:
        low, high = 0, low
    kw.setdefault("dtype", input.dtype)
    return randint(low, high, tuple(input.shape), **kw)


# ---- ranges and matrices -----------------------------------------------------------------
def arange(start: Any, end: Any = None, step: Any = 1, dtype: Any = None, **kw: Any) -> Tensor:
    """``start, start + step, ...`` below ``end``: int64 for whole-number bounds, else float."""
    if end is None:
        start, end = 0, start
    if dtype is None:
        whole = all(isinstance(_unwrap(v), numbers.Integral) for v in (start, end, step))
        dtype = _dt.INT64 if whole else None
    array = np.arange(_unwrap(start), _unwrap(end), _unwrap(step)).astype(_np_dtype(dtype))
    return _finish(array, kw.pop("requires_grad", False), kw.pop("device", None),
                   kw.pop("out", None), "arange")  # fmt: skip


def linspace(start: float, end: float, steps: int, dtype: Any = None, **kw: Any) -> Tensor:
    array = np.linspace(start, end, steps, dtype=_np_dtype(dtype))
    return _finish(array, kw.pop("requires_grad", False), kw.pop("device", None),
                   kw.pop("out", None), "linspace")  # fmt: skip


def eye(n: int, m: int | None = None, dtype: Any = None, **kw: Any) -> Tensor:
    return _filled(lambda s, d: np.eye(n, m, dtype=d), (n,), dtype, kw, "eye")


def randperm(n: int, dtype: Any = None, **kw: Any) -> Tensor:
    rng = _random.numpy_generator(kw.pop("generator", None))
    array = rng.permutation(n).astype(_np_dtype(dtype, _dt.INT64))
    return _finish(array, kw.pop("requires_grad", False), kw.pop("device", None),
                   kw.pop("out", None), "randperm")  # fmt: skip


def manual_seed(seed: int) -> np.random.Generator:
    """Seed every random source of the engine (tensors, initialisation, dropout, shuffling)."""
    return _random.manual_seed(seed)


# ---- Tensor.new_*: same dtype (and device) as this tensor, unless told otherwise -----------------
@tensor_method("new_tensor")
def new_tensor(self: Tensor, data: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return tensor(data, dtype=self.dtype if dtype is None else dtype, **kw)


@tensor_method("new_zeros")
def new_zeros(self: Tensor, *size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return zeros(*size, dtype=self.dtype if dtype is None else dtype, **kw)


@tensor_method("new_ones")
def new_ones(self: Tensor, *size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return ones(*size, dtype=self.dtype if dtype is None else dtype, **kw)


@tensor_method("new_empty")
def new_empty(self: Tensor, *size: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return empty(*size, dtype=self.dtype if dtype is None else dtype, **kw)


@tensor_method("new_full")
def new_full(self: Tensor, size: Any, fill_value: Any, dtype: Any = None, **kw: Any) -> Tensor:
    return full(size, fill_value, dtype=self.dtype if dtype is None else dtype, **kw)


# ---- the legacy typed constructors: FloatTensor([1, 2]), LongTensor(2, 3) ----------------------
class _LegacyType(type):
    """``FloatTensor(data)`` or ``FloatTensor(*sizes)`` makes a tensor of that dtype (zeros for
    sizes); ``isinstance(t, FloatTensor)`` asks for the dtype, as in PyTorch's old tensor types."""

    dtype: Any

    def __call__(cls, *args: Any) -> Tensor:
        if all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in args):
            return _make(np.zeros(args or (0,), dtype=_dt.to_numpy_dtype(cls.dtype)))
        if len(args) == 1:
            data = args[0]
            if isinstance(data, Tensor) and data.dtype != cls.dtype:
                raise TypeError(
                    f"expected {cls.dtype} tensor (got {data.dtype} tensor): use .to(dtype)"
                )
            return tensor(data, dtype=cls.dtype)
        raise TypeError(f"{cls.__name__}() takes data or sizes, got {args!r}")

    def __instancecheck__(cls, obj: Any) -> bool:
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'autograd_course.{cls.__name__}'>"


def _legacy(name: str, dtype: Any) -> type:
    return _LegacyType(name, (), {"dtype": dtype, "__module__": "autograd_course"})


FloatTensor = _legacy("FloatTensor", _dt.float32)
DoubleTensor = _legacy("DoubleTensor", _dt.float64)
HalfTensor = _legacy("HalfTensor", _dt.float16)
LongTensor = _legacy("LongTensor", _dt.int64)
IntTensor = _legacy("IntTensor", _dt.int32)
ShortTensor = _legacy("ShortTensor", _dt.int16)
CharTensor = _legacy("CharTensor", _dt.int8)
ByteTensor = _legacy("ByteTensor", _dt.uint8)
BoolTensor = _legacy("BoolTensor", _dt.bool_)
