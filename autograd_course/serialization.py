"""``save`` and ``load``: tensors, state dicts and nested containers of them, in a file that
cannot run code when it is loaded.

PyTorch's files are pickles, and unpickling can call any function (hence PyTorch's
``weights_only=True``). Ours hold only data: a zip archive with one ``.npy`` file per tensor
(read back with ``allow_pickle=False``) and a JSON description of the containers around them.
So ``load`` accepts exactly what ``save`` can write: tensors, NumPy arrays, numbers, strings,
None, dtypes, devices, and lists, tuples and dicts of those. A tensor saved twice (tied
weights) is stored once and loaded as one tensor again.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections import OrderedDict
from typing import Any

import numpy as np

from . import _messages as msg
from . import devices as _device
from . import dtypes as _dt
from .nn.parameter import Parameter
from .tensor import Size, Tensor, _make

FORMAT = "autograd_course-save-1"


class _Writer:
    """Turns an object into JSON-ready values, collecting the arrays it holds."""

    def __init__(self) -> None:
        self.arrays: list[np.ndarray] = []
        self.seen: dict[int, int] = {}  # id(tensor) -> its array's number

    def encode(self, obj: Any, where: str) -> Any:
        if obj is None or isinstance(obj, bool | str):
            return obj
        if isinstance(obj, int | float):
            return {"float": repr(obj)} if isinstance(obj, float) and not np.isfinite(obj) else obj
        if isinstance(obj, Tensor):
            return self._tensor(obj)
        if isinstance(obj, np.ndarray):
            return {"ndarray": self._array(obj)}
        if isinstance(obj, np.generic):
            return self.encode(obj.item(), where)
        if isinstance(obj, _dt.dtype):
            return {"dtype": obj.name}
        if isinstance(obj, _device.device):
            return {"device": str(obj)}
        if isinstance(obj, Size):
            return {"size": list(obj)}
        if isinstance(obj, dict):
            items = [
                [self.encode(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in obj.items()
            ]
            return {"ordered_dict" if isinstance(obj, OrderedDict) else "dict": items}
        if isinstance(obj, list | tuple):
            kind = "list" if isinstance(obj, list) else "tuple"
            return {kind: [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)]}
        raise TypeError(msg.cannot_save(type(obj).__name__, where or "the top level"))

    def _array(self, array: np.ndarray) -> int:
        if array.dtype.kind not in "biuf":
            raise TypeError(msg.cannot_save(f"array of dtype {array.dtype}", "an array"))
        self.arrays.append(array if array.flags.c_contiguous else array.copy(order="C"))
        return len(self.arrays) - 1

    def _tensor(self, t: Tensor) -> dict:
        if id(t) not in self.seen:
            self.seen[id(t)] = self._array(t._array)
        return {
            "tensor": self.seen[id(t)],
            "requires_grad": bool(t.requires_grad),
            "parameter": isinstance(t, Parameter),
        }


class _Reader:
    """Rebuilds the object from the JSON description and the archive's arrays."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.tensors: dict[int, Tensor] = {}

    def array(self, number: Any) -> np.ndarray:
        try:
            with self.archive.open(f"archive/tensors/{int(number)}.npy") as f:
                return np.load(io.BytesIO(f.read()), allow_pickle=False)
        except (KeyError, ValueError) as err:
            raise RuntimeError(
                msg.not_a_save_file(f"tensor {number} is missing or damaged")
            ) from err

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, bool | int | float | str):
            return node
        if not isinstance(node, dict) or len(node) not in (1, 3):
            raise RuntimeError(
                msg.not_a_save_file("its description is not one autograd_course writes")
            )
        kind, value = next(iter(node.items()))
        if kind == "tensor":
            return self._tensor(node)
        decoders = {
            "float": float,
            "ndarray": self.array,
            "dtype": lambda v: _dt.from_numpy_dtype(_dt.to_numpy_dtype(v)),
            "device": _device.device,
            "size": lambda v: Size(int(s) for s in v),
            "list": lambda v: [self.decode(x) for x in v],
            "tuple": lambda v: tuple(self.decode(x) for x in v),
            "dict": lambda v: {self.decode(k): self.decode(x) for k, x in v},
            "ordered_dict": lambda v: OrderedDict((self.decode(k), self.decode(x)) for k, x in v),
        }
        if kind not in decoders:
            raise RuntimeError(msg.not_a_save_file(f"it holds an unknown kind of value ({kind!r})"))
        return decoders[kind](value)

    def _tensor(self, node: dict) -> Tensor:
        number = int(node["tensor"])
        if number not in self.tensors:
            array = self.array(number)
            if node.get("parameter"):
                t = Parameter(_make(array), requires_grad=bool(node.get("requires_grad")))
            else:
                t = _make(array)
                t.requires_grad = bool(node.get("requires_grad"))
            self.tensors[number] = t
        return self.tensors[number]


def save(obj: Any, f: Any, pickle_module: Any = None, pickle_protocol: int = 2, **kw: Any) -> None:
    """Write ``obj`` (tensors, numbers, strings and containers of them) to a path or file."""
    writer = _Writer()
    description = json.dumps({"format": FORMAT, "object": writer.encode(obj, "")})
    target = open(f, "wb") if isinstance(f, str | os.PathLike) else f  # noqa: SIM115
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr("archive/data.json", description)
            for i, array in enumerate(writer.arrays):
                buffer = io.BytesIO()
                np.save(buffer, array, allow_pickle=False)
                archive.writestr(f"archive/tensors/{i}.npy", buffer.getvalue())
    finally:
        if target is not f:
            target.close()


def load(
    f: Any,
    map_location: Any = None,
    pickle_module: Any = None,
    *,
    weights_only: bool | None = None,
    mmap: bool | None = None,
    **kw: Any,
) -> Any:
    """Read what ``save`` wrote. Nothing in the file can run code: it is only data."""
    if weights_only is False:
        raise RuntimeError(msg.weights_only_false())
    if isinstance(map_location, str | _device.device):
        _device.check(map_location)
    source = open(f, "rb") if isinstance(f, str | os.PathLike) else f  # noqa: SIM115
    try:
        try:
            archive = zipfile.ZipFile(source)
        except zipfile.BadZipFile:
            raise RuntimeError(msg.not_a_save_file("it is not a zip archive")) from None
        with archive:
            names = archive.namelist()
            if "archive/data.json" not in names:
                pickled = any(n.endswith("data.pkl") for n in names)
                detail = (
                    "it was written by PyTorch's torch.save (a pickle, which could run code)"
                    if pickled
                    else "it has no archive/data.json"
                )
                raise RuntimeError(msg.not_a_save_file(detail))
            try:
                description = json.loads(archive.read("archive/data.json"))
            except ValueError:
                raise RuntimeError(msg.not_a_save_file("its description is not JSON")) from None
            if not isinstance(description, dict) or description.get("format") != FORMAT:
                raise RuntimeError(msg.not_a_save_file("its format is unknown"))
            return _Reader(archive).decode(description.get("object"))
    finally:
        if source is not f:
            source.close()
