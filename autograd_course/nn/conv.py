"""Convolutions by im2col: ``conv1d``/``conv2d``, ``unfold``/``fold``, ``pad``, ``Conv1d``/``Conv2d``.

A convolution slides a small kernel over the image. im2col ("image to columns") copies
every window the kernel visits into one row of a matrix; the convolution is then a single
matrix product of those rows with the flattened kernels, which NumPy does at BLAS speed.
NumPy's ``as_strided`` gives all the windows as a view without a Python loop (a window
shifted one step is the same memory, read from one element further on).

``Im2Col`` and ``Col2Im`` are the two primitives, each the other's derivative: im2col
copies pixels into windows, so its backward adds each window's gradient back onto the
pixels it came from (col2im); col2im adds, so its backward copies (im2col). The rest
(``conv2d``, pooling in pooling.py) is composed from them and existing operations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..creation import zeros
from ..ops.arithmetic import Op
from ..ops.indexing import cat
from ..tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter

# Axes of the 6-D window view (N, C, kh, kw, oh, ow) in the order a caller wants them copied:
# convolution rows are (N, oh, ow | C, kh, kw), pooling windows (N, C, oh, ow | kh, kw).
CONV_ORDER = (0, 4, 5, 1, 2, 3)
POOL_ORDER = (0, 1, 4, 5, 2, 3)


def _pair(value: Any, n: int = 2) -> tuple[int, ...]:
    """An int or a sequence as an n-tuple of ints: 3 -> (3, 3)."""
    if isinstance(value, Sequence):
        return tuple(None if v is None else int(v) for v in value)
    return (int(value),) * n


def _out_size(size: int, k: int, stride: int, dilation: int, before: int, after: int) -> int:
    """How many windows fit: floor((size + padding - dilation (k - 1) - 1) / stride) + 1."""
    return (size + before + after - dilation * (k - 1) - 1) // stride + 1


class Im2Col(Op):
    """Every kernel window of x (N, C, H, W), copied out: a (N, C, kh, kw, oh, ow) array with
    its axes in ``order``. ``padding`` is (top, bottom, left, right), filled with ``fill``."""

    node_name = "Im2ColBackward0"

    @staticmethod
    def forward(ctx, x, kernel, dilation, padding, stride, order, fill=0.0):
        top, bottom, left, right = padding
        if any(padding):
            x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)), constant_values=fill)
        n, c, h, w = x.shape
        (kh, kw), (dh, dw), (sh, sw) = kernel, dilation, stride
        oh, ow = _out_size(h, kh, sh, dh, 0, 0), _out_size(w, kw, sw, dw, 0, 0)
        s0, s1, s2, s3 = x.strides
        windows = as_strided(
            x, (n, c, kh, kw, oh, ow), (s0, s1, s2 * dh, s3 * dw, s2 * sh, s3 * sw), writeable=False
        )
        ctx.args = (x.shape, kernel, dilation, padding, stride, order)
        return np.ascontiguousarray(windows.transpose(order))

    @staticmethod
    def backward(ctx, grad):
        return (Col2Im.apply(grad, *ctx.args),) + (None,) * 6


class Col2Im(Op):
    """The adjoint of Im2Col: add every window back onto the pixels it covers, then crop the
    padding. The loop runs over the kh * kw kernel offsets only; each step adds one strided
    slice of the image at once."""

    node_name = "Col2ImBackward0"

    @staticmethod
    def forward(ctx, cols, padded_shape, kernel, dilation, padding, stride, order):
        n, c, h, w = padded_shape
        (kh, kw), (dh, dw), (sh, sw) = kernel, dilation, stride
        windows = cols.transpose(np.argsort(order))  # back to (N, C, kh, kw, oh, ow)
        oh, ow = windows.shape[4], windows.shape[5]
        image = np.zeros(padded_shape, dtype=cols.dtype)
        for i in range(kh):
            for j in range(kw):
                rows = slice(i * dh, i * dh + sh * (oh - 1) + 1, sh)
                columns = slice(j * dw, j * dw + sw * (ow - 1) + 1, sw)
                image[:, :, rows, columns] += windows[:, :, i, j]
        top, bottom, left, right = padding
        ctx.args = (kernel, dilation, padding, stride, order)
        return image[:, :, top : h - bottom, left : w - right]

    @staticmethod
    def backward(ctx, grad):
        return (Im2Col.apply(grad, *ctx.args),) + (None,) * 6


class Pad(Op):
    """Constant padding of the last dimensions; the gradient is the unpadded middle."""

    node_name = "ConstantPadNdBackward0"

    @staticmethod
    def forward(ctx, x, widths, value):
        ctx.keep = tuple(slice(before, x.shape[d] + before) for d, (before, _) in enumerate(widths))
        return np.pad(x, widths, constant_values=value)

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.keep], None, None


def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None):
    """Pad the last dims: ``pad`` is (left, right) of the last dim, then of the one before..."""
    if mode != "constant":
        raise NotImplementedError(f"pad with mode={mode!r}: only mode='constant' is available")
    if len(pad) % 2 or len(pad) // 2 > input.dim():
        raise RuntimeError("Padding length must be divisible by 2")
    if any(p < 0 for p in pad):
        raise NotImplementedError("negative padding (cropping) is not supported; slice instead")
    widths = [(0, 0)] * input.dim()
    for i in range(len(pad) // 2):
        widths[input.dim() - 1 - i] = (int(pad[2 * i]), int(pad[2 * i + 1]))
    return Pad.apply(input, tuple(widths), 0.0 if value is None else value)


def _windows(x: Tensor, kernel, dilation, padding, stride, order, fill=0.0) -> Tensor:
    """Im2Col with PyTorch's size check (every dimension must fit at least one window)."""
    top, bottom, left, right = padding
    h, w = x.shape[2] + top + bottom, x.shape[3] + left + right
    effective = tuple(d * (k - 1) + 1 for k, d in zip(kernel, dilation, strict=True))
    if effective[0] > h or effective[1] > w:
        raise RuntimeError(
            f"Calculated padded input size per channel: ({h} x {w}). Kernel size: "
            f"({effective[0]} x {effective[1]}). Kernel size can't be greater than actual "
            "input size"
        )
    return Im2Col.apply(x, kernel, dilation, padding, stride, order, fill)


def unfold(
    input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """Sliding windows as columns: (N, C, H, W) -> (N, C * kh * kw, L), L windows."""
    kernel, pads = _pair(kernel_size), _pair(padding)
    windows = _windows(
        input, kernel, _pair(dilation), (pads[0], pads[0], pads[1], pads[1]), _pair(stride),
        CONV_ORDER,
    )  # fmt: skip
    n, oh, ow = windows.shape[:3]
    return windows.reshape(n, oh * ow, -1).transpose(1, 2)


def fold(
    input: Tensor,
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
) -> Tensor:
    """The adjoint of unfold: (N, C * kh * kw, L) columns summed back into (N, C, H, W)."""
    (h, w), kernel, pads = _pair(output_size), _pair(kernel_size), _pair(padding)
    dil, st = _pair(dilation), _pair(stride)
    oh = _out_size(h, kernel[0], st[0], dil[0], pads[0], pads[0])
    ow = _out_size(w, kernel[1], st[1], dil[1], pads[1], pads[1])
    n, k, blocks = input.shape
    if blocks != oh * ow:
        raise RuntimeError(
            f"Given output_size={(h, w)}, kernel_size={kernel}, dilation={dil}, padding={pads}, "
            f"stride={st}, expected size of input's dimension 2 to match the calculated number "
            f"of sliding blocks {oh} * {ow} = {oh * ow}, but got input.size(2)={blocks}."
        )
    c = k // (kernel[0] * kernel[1])
    rows = input.transpose(1, 2).reshape(n, oh, ow, c, kernel[0], kernel[1])
    shape = (n, c, h + 2 * pads[0], w + 2 * pads[1])
    return Col2Im.apply(
        rows, shape, kernel, dil, (pads[0], pads[0], pads[1], pads[1]), st, CONV_ORDER
    )


def _padding(padding: Any, kernel: tuple, dilation: tuple, stride: tuple) -> tuple[int, ...]:
    """(top, bottom, left, right) from an int, a pair, 'valid' or 'same'."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        if any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        total = [d * (k - 1) for k, d in zip(kernel, dilation, strict=True)]
        return (total[0] // 2, total[0] - total[0] // 2, total[1] // 2, total[1] - total[1] // 2)
    ph, pw = _pair(padding)
    return (ph, ph, pw, pw)


def _check_conv_input(input: Tensor, weight: Tensor, groups: int, name: str, dims: int) -> None:
    if input.dim() != dims + 2:
        raise RuntimeError(
            f"Expected {dims + 1}D (unbatched) or {dims + 2}D (batched) input to {name}, but got "
            f"input of size: {list(input.shape)}"
        )
    if input.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(input.shape)} to have {weight.shape[1] * groups} channels, but got "
            f"{input.shape[1]} channels instead"
        )


def conv2d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """2-D cross-correlation (what deep learning calls convolution) of (N, C, H, W) images with
    (out_channels, C / groups, kh, kw) kernels: one im2col and one matrix product per group."""
    # functional imports this module, so its linear (the Addmm node) is looked up here.
    from .functional import linear

    if input.dim() == 3:  # one unbatched image
        return conv2d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups)[0]
    _check_conv_input(input, weight, groups, "conv2d", 2)
    stride, dilation, kernel = _pair(stride), _pair(dilation), tuple(weight.shape[2:])
    rows = _windows(input, kernel, dilation, _padding(padding, kernel, dilation, stride), stride,
                    CONV_ORDER)  # fmt: skip
    n, oh, ow = rows.shape[:3]
    out_channels = weight.shape[0]
    if groups == 1:
        out = linear(rows.reshape(n * oh * ow, -1), weight.reshape(out_channels, -1), bias)
    else:
        per_in, per_out = input.shape[1] // groups, out_channels // groups
        parts = []
        for g in range(groups):
            group_rows = rows[:, :, :, g * per_in : (g + 1) * per_in].reshape(n * oh * ow, -1)
            kernels = weight[g * per_out : (g + 1) * per_out].reshape(per_out, -1)
            b = None if bias is None else bias[g * per_out : (g + 1) * per_out]
            parts.append(linear(group_rows, kernels, b))
        out = cat(parts, 1)
    return out.reshape(n, oh, ow, out_channels).permute(0, 3, 1, 2)


def conv1d(
    input: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-D convolution of (N, C, L) sequences: a 2-D convolution of images one pixel tall."""
    if input.dim() == 2:
        return conv1d(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups)[0]
    if input.dim() != 3:
        raise RuntimeError(
            "Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: "
            f"{list(input.shape)}"
        )
    if isinstance(padding, str):
        pad2: Any = padding
    else:
        pad2 = (0, _pair(padding, 1)[0])
    out = conv2d(
        input.unsqueeze(2), weight.unsqueeze(2), bias, (1, _pair(stride, 1)[0]), pad2,
        (1, _pair(dilation, 1)[0]), groups,
    )  # fmt: skip
    return out.squeeze(2)


class _ConvNd(Module):
    """What Conv1d and Conv2d share: the settings, the weights, their initialisation, the repr."""

    dims = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if padding_mode != "zeros":
            raise NotImplementedError(
                f"padding_mode={padding_mode!r}: only padding_mode='zeros' is available"
            )
        n = self.dims
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = _pair(kernel_size, n), _pair(stride, n)
        self.dilation, self.groups, self.padding_mode = _pair(dilation, n), groups, padding_mode
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise ValueError(
                    f"Invalid padding string {padding!r}, should be one of {{'valid', 'same'}}"
                )
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError("padding='same' is not supported for strided convolutions")
            self.padding: Any = padding
        else:
            self.padding = _pair(padding, n)
        self.output_padding = (0,) * n
        shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = Parameter(zeros(*shape, dtype=dtype))
        if bias:
            self.bias = Parameter(zeros(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """PyTorch's default: kaiming_uniform_(a=sqrt(5)), bias U(-1/sqrt(fan_in), +)."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.weight.shape[1] * math.prod(self.kernel_size)
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def extra_repr(self) -> str:
        n = self.dims
        s = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s


class Conv2d(_ConvNd):
    """2-D convolution over (N, C, H, W) images (or one (C, H, W) image)."""

    def forward(self, input: Tensor) -> Tensor:
        return conv2d(
            input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )


class Conv1d(_ConvNd):
    """1-D convolution over (N, C, L) sequences (or one (C, L) sequence)."""

    dims = 1

    def forward(self, input: Tensor) -> Tensor:
        return conv1d(
            input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )


class Unfold(Module):
    """``F.unfold`` as a module: sliding windows as columns."""

    def __init__(
        self, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
            f"stride={self.stride}"
        )


class Fold(Module):
    """``F.fold`` as a module: columns summed back into images."""

    def __init__(
        self, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
        stride: Any = 1,
    ) -> None:  # fmt: skip
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, input: Tensor) -> Tensor:
        return fold(
            input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride
        )

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, "
            f"dilation={self.dilation}, padding={self.padding}, stride={self.stride}"
        )
