"""Pooling: max and average over windows, and adaptive average pooling, as in PyTorch.

All are composed from conv.py's ``Im2Col`` (which gives every window as one row) and the
existing reductions: max pooling is ``max`` over each window (its gradient reaches the
first maximum), average pooling is a sum over each window divided by its size. Max pooling
pads with -inf, so a padded border never wins.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..creation import from_numpy
from ..ops.indexing import stack
from ..tensor import Tensor
from .conv import POOL_ORDER, _out_size, _pair, _windows
from .module import Module


def _pool_geometry(x: Tensor, kernel, stride, padding, dilation, ceil_mode: bool) -> tuple:
    """Output size and the (top, bottom, left, right) padding, with ceil_mode's extra rows."""
    pads, sizes, extra = _pair(padding), [], []
    for d in range(2):
        k, s, p, dil, size = kernel[d], stride[d], pads[d], dilation[d], x.shape[2 + d]
        if p * 2 > k:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={dil}"
            )
        span = size + 2 * p - dil * (k - 1) - 1
        out = (-(-span // s) if ceil_mode else span // s) + 1
        if ceil_mode and (out - 1) * s >= size + p:  # the last window must start inside
            out -= 1
        sizes.append(out)
        extra.append(max(0, (out - 1) * s + dil * (k - 1) + 1 - (size + 2 * p)))
    if sizes[0] <= 0 or sizes[1] <= 0:
        c, h, w = x.shape[1:]
        raise RuntimeError(
            f"Given input size: ({c}x{h}x{w}). Calculated output size: "
            f"({c}x{sizes[0]}x{sizes[1]}). Output size is too small"
        )
    return sizes, (pads[0], pads[0] + extra[0], pads[1], pads[1] + extra[1])


def _batched(fn):
    """Accept one (C, H, W) image as well as a batch (N, C, H, W), as PyTorch's pools do."""

    def wrapper(input: Tensor, *args: Any, **kwargs: Any) -> Any:
        if input.dim() == 3:
            out = fn(input.unsqueeze(0), *args, **kwargs)
            return tuple(o[0] for o in out) if isinstance(out, tuple) else out[0]
        if input.dim() != 4:
            raise RuntimeError(
                f"{fn.__name__}: Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                f"size for input, but got: {list(input.shape)}"
            )
        return fn(input, *args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@_batched
def max_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    dilation: Any = 1,
    ceil_mode: bool = False,
    return_indices: bool = False,
) -> Any:
    """The largest value of each window (stride defaults to the kernel size)."""
    kernel = _pair(kernel_size)
    stride = kernel if stride is None or stride == [] else _pair(stride)
    dilation = _pair(dilation)
    (oh, ow), pads = _pool_geometry(input, kernel, stride, padding, dilation, ceil_mode)
    windows = _windows(input, kernel, dilation, pads, stride, POOL_ORDER, fill=-np.inf)
    n, c = input.shape[:2]
    values, where = windows.reshape(n, c, oh, ow, kernel[0] * kernel[1]).max(-1)
    if not return_indices:
        return values
    # The flat index (row * W + column) in the unpadded input, as PyTorch returns it.
    rows = np.arange(oh)[:, None] * stride[0] - pads[0] + (where._array // kernel[1]) * dilation[0]
    cols = np.arange(ow) * stride[1] - pads[2] + (where._array % kernel[1]) * dilation[1]
    return values, from_numpy((rows * input.shape[3] + cols).astype(np.int64))


@_batched
def avg_pool2d(
    input: Tensor,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override: int | None = None,
) -> Tensor:
    """The mean of each window; zero padding counts in the divisor if ``count_include_pad``."""
    kernel = _pair(kernel_size)
    stride = kernel if stride is None or stride == [] else _pair(stride)
    one = (1, 1)
    (oh, ow), pads = _pool_geometry(input, kernel, stride, padding, one, ceil_mode)
    windows = _windows(input, kernel, one, pads, stride, POOL_ORDER)
    n, c = input.shape[:2]
    total = windows.reshape(n, c, oh, ow, kernel[0] * kernel[1]).sum(-1)
    if divisor_override:
        return total / divisor_override
    counts = _window_counts(input.shape[2:], kernel, stride, pads, count_include_pad)
    if (counts == counts.flat[0]).all():
        return total / float(counts.flat[0])
    return total / from_numpy(counts.astype(input._array.dtype))


def _window_counts(size, kernel, stride, pads, include_pad: bool) -> np.ndarray:
    """How many elements each window divides by: inside the input (and, if counted, inside
    the padding), never the extra border ceil_mode adds."""
    top, bottom, left, right = pads
    h, w = size[0] + top + bottom, size[1] + left + right
    mask = np.zeros((h, w))
    if include_pad:  # the symmetric padding counts; ceil_mode's extra border never does
        mask[: size[0] + 2 * top, : size[1] + 2 * left] = 1
    else:
        mask[top : top + size[0], left : left + size[1]] = 1
    oh, ow = (
        _out_size(h, kernel[0], stride[0], 1, 0, 0),
        _out_size(w, kernel[1], stride[1], 1, 0, 0),
    )
    s0, s1 = mask.strides
    view = as_strided(mask, (oh, ow, *kernel), (s0 * stride[0], s1 * stride[1], s0, s1))
    return view.sum((2, 3))


def _adaptive_bins(size: int, out: int) -> list[tuple[int, int]]:
    """PyTorch's bins: output i averages input[floor(i size / out) : ceil((i + 1) size / out)]."""
    return [(i * size // out, -(-(i + 1) * size // out)) for i in range(out)]


@_batched
def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling to a fixed output size, whatever the input size."""
    h, w = input.shape[2:]
    oh, ow = _pair(output_size) if output_size is not None else (h, w)
    oh, ow = (h if oh is None else oh), (w if ow is None else ow)
    if h % oh == 0 and w % ow == 0:  # equal bins: one ordinary average pool
        return avg_pool2d(input, (h // oh, w // ow))
    cells = [
        stack([input[:, :, r0:r1, c0:c1].mean((2, 3)) for c0, c1 in _adaptive_bins(w, ow)], -1)
        for r0, r1 in _adaptive_bins(h, oh)
    ]
    return stack(cells, -2)


@_batched
def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Tensor:
    """Max pooling to a fixed output size."""
    if return_indices:
        raise NotImplementedError("adaptive_max_pool2d with return_indices=True")
    h, w = input.shape[2:]
    oh, ow = _pair(output_size)
    oh, ow = (h if oh is None else oh), (w if ow is None else ow)
    if h % oh == 0 and w % ow == 0:
        return max_pool2d(input, (h // oh, w // ow))
    cells = [
        stack(
            [input[:, :, r0:r1, c0:c1].flatten(2).max(-1)[0] for c0, c1 in _adaptive_bins(w, ow)],
            -1,
        )
        for r0, r1 in _adaptive_bins(h, oh)
    ]
    return stack(cells, -2)


def _one_d(pool_2d, input: Tensor, kernel_size, stride, padding, *rest) -> Tensor:
    """A 1-D pool of (N, C, L) is the 2-D pool of (N, C, 1, L) with a 1-tall kernel."""
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"Expected 2D or 3D (batch mode) tensor for input, but got: {list(input.shape)}"
        )
    stride = kernel_size if stride is None else stride
    k, s, p = _pair(kernel_size, 1)[0], _pair(stride, 1)[0], _pair(padding, 1)[0]
    out = pool_2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), *rest)
    if isinstance(out, tuple):
        return tuple(o.squeeze(-2) for o in out)
    return out.squeeze(-2)


def max_pool1d(
    input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
    ceil_mode: bool = False, return_indices: bool = False,
) -> Any:  # fmt: skip
    """The largest value of each window of (N, C, L) sequences."""
    dil = (1, _pair(dilation, 1)[0])
    return _one_d(max_pool2d, input, kernel_size, stride, padding, dil, ceil_mode, return_indices)


def avg_pool1d(
    input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0,
    ceil_mode: bool = False, count_include_pad: bool = True,
) -> Tensor:  # fmt: skip
    """The mean of each window of (N, C, L) sequences."""
    return _one_d(avg_pool2d, input, kernel_size, stride, padding, ceil_mode, count_include_pad)


def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """Average pooling of (N, C, L) sequences to a fixed length."""
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, _pair(output_size, 1)[0])).squeeze(-2)


# ----- modules ----------------------------------------------------------------------------------


class _MaxPoolNd(Module):
    def __init__(
        self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
        return_indices: bool = False, ceil_mode: bool = False,
    ) -> None:  # fmt: skip
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.dilation = padding, dilation
        self.return_indices, self.ceil_mode = return_indices, ceil_mode

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class MaxPool2d(_MaxPoolNd):
    """The largest value of each kh x kw window of (N, C, H, W) images."""

    def forward(self, input: Tensor) -> Any:
        return max_pool2d(
            input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
            self.return_indices,
        )  # fmt: skip


class MaxPool1d(_MaxPoolNd):
    """The largest value of each window of (N, C, L) sequences."""

    def forward(self, input: Tensor) -> Any:
        return max_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
            self.return_indices,
        )  # fmt: skip


class _AvgPoolNd(Module):
    def __init__(
        self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
        count_include_pad: bool = True, divisor_override: int | None = None,
    ) -> None:  # fmt: skip
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding, self.ceil_mode = padding, ceil_mode
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AvgPool2d(_AvgPoolNd):
    """The mean of each kh x kw window of (N, C, H, W) images."""

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool2d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad, self.divisor_override,
        )  # fmt: skip


class AvgPool1d(_AvgPoolNd):
    """The mean of each window of (N, C, L) sequences."""

    def forward(self, input: Tensor) -> Tensor:
        return avg_pool1d(
            input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
            self.count_include_pad,
        )  # fmt: skip


class _AdaptiveNd(Module):
    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool2d(_AdaptiveNd):
    """Average pooling to a fixed (oh, ow), whatever the input size (e.g. (1, 1) before a head)."""

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool2d(input, self.output_size)


class AdaptiveAvgPool1d(_AdaptiveNd):
    """Average pooling of sequences to a fixed length."""

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_avg_pool1d(input, self.output_size)


class AdaptiveMaxPool2d(_AdaptiveNd):
    """Max pooling to a fixed (oh, ow)."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__(output_size)
        self.return_indices = return_indices

    def forward(self, input: Tensor) -> Tensor:
        return adaptive_max_pool2d(input, self.output_size, self.return_indices)
