"""``return_types``: the named pairs some operations return (``sort``, ``topk`` ...), printed
as PyTorch prints them: ``return_types.sort(values=..., indices=...)`` on three lines."""

from __future__ import annotations

from collections import namedtuple


def _pair(name: str) -> type:
    """A (values, indices) named tuple called ``name``, with PyTorch's repr."""
    base = namedtuple(name, ["values", "indices"])

    def __repr__(self: tuple) -> str:
        return f"autograd_course.return_types.{name}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__})


sort = _pair("sort")
topk = _pair("topk")
kthvalue = _pair("kthvalue")
