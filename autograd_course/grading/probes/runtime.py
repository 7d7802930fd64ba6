"""What every probe is made of, on the kernel side: quiet, time-limited calls of the answer,
plain descriptions of what it returned, and the JSON sent back to the grader.

``run_probe`` wraps a task's probe: student prints are swallowed, a time limit applies, and any
exception becomes a description instead of a traceback. The grader trusts none of it: it only
compares the raw values with references it computes itself for the inputs it drew.
"""

from __future__ import annotations

import contextlib
import io
import math
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

#: Largest number of array values a probe sends back.
MAX_VALUES = 10_000
#: Longest string a probe sends back (error messages, type names).
MAX_TEXT = 300
#: Mime type of the display message that carries a probe's result out of the kernel.
MIME = "application/vnd.autograd-course.probe+json"


class ProbeTimeout(BaseException):
    """The student's code ran past the task's time limit (a BaseException, so ``except
    Exception`` in student code cannot swallow it)."""


@contextlib.contextmanager
def during(activity: str) -> Iterator[None]:
    """Label what the probe is doing, so an exception raised inside says where it happened."""
    try:
        yield
    except BaseException as exc:
        if getattr(exc, "_autograd_course_during", None) is None:
            with contextlib.suppress(Exception):
                exc._autograd_course_during = activity  # type: ignore[attr-defined]
        raise


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise ProbeTimeout inside the block after ``seconds`` (main thread on Unix only)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise ProbeTimeout()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Sink(io.TextIOBase):
    """A text stream that drops everything (student prints during a probe)."""

    def write(self, text: str) -> int:
        return len(text)

    def writable(self) -> bool:
        return True


def short(text: object) -> str:
    """One line of at most MAX_TEXT characters."""
    try:
        line = " ".join(str(text).split())
    except Exception:
        line = "<unprintable>"
    return line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1] + "…"


def run_probe(
    probe: Callable[[Any, Any], Any], answer: Any, inputs: Any, limit: float | None
) -> dict[str, Any]:
    """Run ``probe(answer, inputs)`` quietly under a time limit; return an envelope with raw
    values or a description of what went wrong (never raises, never a traceback)."""
    try:
        with (
            contextlib.redirect_stdout(_Sink()),
            contextlib.redirect_stderr(_Sink()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            with time_limit(limit):
                raw = probe(answer, inputs)
        return {"status": "ok", "raw": raw}
    except ProbeTimeout as exc:
        return _error_envelope("timeout", exc, limit)
    except KeyboardInterrupt as exc:
        return _error_envelope("timeout", exc, limit)
    except NotImplementedError as exc:
        return _error_envelope("not_implemented", exc, limit)
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything (SystemExit too)
        return _error_envelope("error", exc, limit)


def _error_envelope(status: str, exc: BaseException, limit: float | None) -> dict[str, Any]:
    """Describe an exception without its traceback."""
    return {
        "status": status,
        "error": {
            "type": short(type(exc).__name__),
            "message": short(exc) if str(exc) else "",
            "during": short(getattr(exc, "_autograd_course_during", None) or ""),
            "limit": limit,
        },
    }


def probe_answer(
    namespace: dict, task_id: str, answer_name: str, probe: Callable, inputs: Any, limit: float
) -> None:
    """The grader's check of one task: probe the answer (looked up by name) and send the
    envelope out of the kernel as a display message."""
    if answer_name not in namespace:
        envelope: dict[str, Any] = {"status": "missing", "name": answer_name}
    else:
        envelope = run_probe(probe, namespace[answer_name], inputs, limit)
    from IPython.display import display

    display({MIME: encode({"task": task_id, "envelope": envelope})}, raw=True)


def attempt(activity: str, function: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Run one step of a probe so that later steps still run: ``{"value": result}`` or
    ``{"error": one line, "during": activity}`` (time limits still stop the whole probe)."""
    try:
        with during(activity):
            return {"value": function(*args)}
    except NotImplementedError:
        return {"error": "not implemented yet", "during": activity}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {short(exc)}", "during": activity}


def step_failed(step: Any) -> str | None:
    """The one-line error of an ``attempt`` step (None when it worked)."""
    if isinstance(step, dict) and "error" in step:
        return f"{step['error']} while {step.get('during', 'checking')}"
    return None


def describe(value: Any) -> dict[str, Any]:
    """Plain JSON-able description of any value: kind, shape, dtype, values, graph facts."""
    if value is None:
        return {"kind": "none"}
    if isinstance(value, bool):
        return {"kind": "bool", "value": value}
    if isinstance(value, (int, float)):
        return {"kind": "number", "value": float(value)}
    if hasattr(value, "grad_fn") and hasattr(value, "detach"):
        array = value.detach().numpy()
        grad_fn = value.grad_fn
        return {
            "kind": "tensor",
            "shape": [int(n) for n in array.shape],
            "dtype": short(value.dtype),
            "requires_grad": bool(value.requires_grad),
            "is_leaf": bool(value.is_leaf),
            "grad_fn": None if grad_fn is None else _node_name(grad_fn),
            "values": _values(array),
        }
    import numpy as np

    if isinstance(value, np.ndarray):
        return {
            "kind": "ndarray",
            "shape": [int(n) for n in value.shape],
            "dtype": short(value.dtype),
            "values": _values(value),
        }
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return {"kind": "number", "value": float(value)}
    if isinstance(value, (list, tuple)):
        return {
            "kind": "sequence",
            "type": type(value).__name__,
            "length": len(value),
            "items": [describe(item) for item in list(value)[:100]],
        }
    if isinstance(value, dict):
        items = list(value.items())[:100]
        return {"kind": "mapping", "items": {short(k): describe(v) for k, v in items}}
    return {"kind": "other", "type": short(type(value).__name__)}


def node_names(value: Any, limit: int = 10_000) -> list[str]:
    """The names of the graph nodes behind a tensor (its grad_fn and everything reachable
    through next_functions), sorted, at most ``limit`` nodes visited."""
    start = getattr(value, "grad_fn", None)
    seen, stack, names = set(), [start] if start is not None else [], set()
    while stack and len(seen) < limit:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        names.add(_node_name(node))
        for pair in getattr(node, "next_functions", ()) or ():
            if pair and pair[0] is not None:
                stack.append(pair[0])
    return sorted(names)


def _node_name(node: Any) -> str:
    """A graph node's PyTorch name, e.g. MulBackward0."""
    name = getattr(node, "name", None)
    return short(name() if callable(name) else type(node).__name__)


def _values(array: Any) -> list[float] | None:
    """Flat float values of an array, or None when too large or not numeric."""
    if array.size > MAX_VALUES or array.dtype.kind not in "biuf":
        return None
    return array.astype("float64").ravel().tolist()


def encode(value: Any, depth: int = 0) -> str:
    """JSON text for plain values, written without the json module (which a notebook could
    patch); NaN and infinities use Python's json spellings."""
    if depth > 30:
        return '"<too deep>"'
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(int(value))
    if isinstance(value, float):
        number = float(value)
        if math.isnan(number):
            return "NaN"
        if math.isinf(number):
            return "Infinity" if number > 0 else "-Infinity"
        return float.__repr__(number)
    if isinstance(value, str):
        return _encode_str(str.__str__(value)[:10_000])
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (
            _encode_str(str(key)) + ":" + encode(item, depth + 1) for key, item in value.items()
        )
        return "{" + ",".join(pairs) + "}"
    return _encode_str(f"<unencodable {type(value).__name__}>")


def _encode_str(text: str) -> str:
    """A JSON string literal, escaping everything outside printable ASCII."""
    parts = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            parts.append('\\"')
        elif char == "\\":
            parts.append("\\\\")
        elif 0x20 <= code < 0x7F:
            parts.append(char)
        elif code > 0xFFFF:
            code -= 0x10000
            parts.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            parts.append(f"\\u{code:04x}")
    parts.append('"')
    return "".join(parts)
