"""``return_types``: the named pairs some operations return (``max(dim)``, ``min(dim)``,
``sort``, ``topk`` ...), each under its own name and printed as PyTorch prints them:
``autograd_course.return_types.max(values=..., indices=...)`` on three lines."""

from __future__ import annotations

from collections import namedtuple


def _pair(name: str, fields: tuple[str, ...] = ("values", "indices")) -> type:
    """A named tuple called ``name`` (fields: values, indices), with PyTorch's repr."""
    base = namedtuple(name, fields)

    def __repr__(self: tuple) -> str:
        items = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"autograd_course.return_types.{name}(\n{items})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__})


max = _pair("max")  # noqa: A001 - PyTorch's names: torch.return_types.max, .min
min = _pair("min")  # noqa: A001
sort = _pair("sort")
topk = _pair("topk")
kthvalue = _pair("kthvalue")
svd = _pair("svd", ("U", "S", "V"))
linalg_svd = _pair("linalg_svd", ("U", "S", "Vh"))
