"""``repr(tensor)`` exactly as PyTorch prints it: ``tensor([89.], grad_fn=<SubBackward0>)``.

PyTorch's rules: every element in one width; floats with 4 decimals, or as ``2.`` when all
values are whole numbers, or in scientific notation when they span too many magnitudes;
more than 1,000 elements are summarised with ``...``; lines wrap at 80 characters.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

PRECISION = 4
LINEWIDTH = 80
THRESHOLD = 1000
EDGEITEMS = 3
SCI_MODE = None  # None: PyTorch's automatic choice; True/False force scientific notation
_QUIET_DTYPES = ("float32", "int64", "bool")  # dtypes PyTorch does not mention


def _summarised(a: np.ndarray) -> np.ndarray:
    """The values that will be shown (only the edges of a long tensor)."""
    if a.ndim == 0:
        return a.reshape(1)
    if a.shape[0] > 2 * EDGEITEMS:
        a = np.concatenate([a[:EDGEITEMS], a[-EDGEITEMS:]])
    return np.concatenate([_summarised(row).ravel() for row in a]) if a.ndim > 1 else a


class _Formatter:
    """Chooses one format and width for all elements, following PyTorch's _Formatter."""

    def __init__(self, values: np.ndarray) -> None:
        self.kind = values.dtype.kind
        self.sci = False
        self.whole = False
        if self.kind == "f":
            finite = values[np.isfinite(values)].astype(np.float64)
            nonzero = np.abs(finite[finite != 0])
            self.whole = bool(np.all(finite == np.ceil(finite)))
            if nonzero.size:
                big, small = nonzero.max(), nonzero.min()
                self.sci = big / small > 1000.0 or big > 1.0e8
                if not self.whole:
                    self.sci = self.sci or small < 1.0e-4
        if SCI_MODE is not None:
            self.sci = bool(SCI_MODE) and self.kind == "f"
        shown = values.ravel()
        if self.kind == "f":  # PyTorch sizes the columns by the nonzero finite values only
            shown = shown[np.isfinite(shown) & (shown != 0)]
        self.width = max((len(self._plain(v)) for v in shown), default=1)

    def _plain(self, value: Any) -> str:
        if self.kind == "b":
            return str(bool(value))
        if self.kind != "f":
            return str(int(value))
        value = float(value)
        if not math.isfinite(value):
            return str(value)
        if self.sci:
            return f"{value:.{PRECISION}e}"
        if self.whole:
            return f"{value:.0f}."
        return f"{value:.{PRECISION}f}"

    def format(self, value: Any) -> str:
        return self._plain(value).rjust(self.width)


def _body(a: np.ndarray, fmt: _Formatter, indent: int, summarise: bool) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        if summarise and a.shape[0] > 2 * EDGEITEMS:
            items = [fmt.format(v) for v in a[:EDGEITEMS]] + [" ..."]
            items += [fmt.format(v) for v in a[-EDGEITEMS:]]
        else:
            items = [fmt.format(v) for v in a]
        per_line = max(1, (LINEWIDTH - indent) // (fmt.width + 2))
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    rows = range(a.shape[0])
    if summarise and a.shape[0] > 2 * EDGEITEMS:
        rows = [*range(EDGEITEMS), None, *range(a.shape[0] - EDGEITEMS, a.shape[0])]
    parts = ["..." if i is None else _body(a[i], fmt, indent + 1, summarise) for i in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def tensor_repr(t: Any, prefix: str = "tensor(") -> str:
    """The string PyTorch would print for this tensor, with grad and dtype suffixes."""
    a = t._array
    indent = len(prefix)
    suffixes = []
    if a.size == 0:
        body = "[]"
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
    else:
        summarise = a.size > THRESHOLD
        fmt = _Formatter(_summarised(a) if summarise else a)
        body = _body(a, fmt, indent, summarise)
    if a.dtype.name not in _QUIET_DTYPES:
        suffixes.append(f"dtype={t.dtype!r}")
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{t.grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    text = prefix + body
    last_line = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line + len(suffix) + 2 > LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            last_line = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line += len(suffix) + 2
    return text + ")"


_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """How tensors print, as ``torch.set_printoptions``: a profile first, then each option."""
    global PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH, SCI_MODE
    if profile is not None:
        PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = _PROFILES[profile]
    PRECISION = PRECISION if precision is None else int(precision)
    THRESHOLD = THRESHOLD if threshold is None else threshold
    EDGEITEMS = EDGEITEMS if edgeitems is None else int(edgeitems)
    LINEWIDTH = LINEWIDTH if linewidth is None else int(linewidth)
    SCI_MODE = sci_mode
