"""``return_types``: the named pairs some operations return (``max(dim)``, ``min(dim)``,
``sort``, ``topk`` ...), each under its own name and printed as PyTorch prints them:
``autograd_course.return_types.max(values=..., indices=...)`` on three lines."""

from __future__ import annotations

from collections import namedtuple


def _pair(name: str) -> type:
    """A (values, indices) named tuple called ``name``, with PyTorch's repr."""
    base = namedtuple(name, ["values", "indices"])

    def __repr__(self: tuple) -> str:
        return f"autograd_course.return_types.{name}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__})


max = _pair("max")  # noqa: A001 - PyTorch's names: torch.return_types.max, .min
min = _pair("min")  # noqa: A001
sort = _pair("sort")
topk = _pair("topk")
kthvalue = _pair("kthvalue")
