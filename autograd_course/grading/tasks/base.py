"""What every task is made of: a probe (student's kernel) and a verify step (trusted grader).

A task's ``probe(answer)`` calls the student's answer on inputs the task chose and returns plain
raw values (numbers, lists, shapes, strings). ``run_probe`` wraps it: student prints are
swallowed, a time limit applies, and any exception becomes a description instead of a traceback.
The raw values travel to the grader as JSON written by ``encode`` (which trusts no module the
notebook could have patched), and the grader's ``evaluate`` turns them into a score and one line
of feedback with the task's ``verify(raw)``, which compares them with references it computes.

This file is loaded fresh inside the student's kernel, so it imports the standard library only
(numpy lazily, to read arrays).
"""

from __future__ import annotations

import contextlib
import io
import math
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

#: Message of the stub that ``build-exercises`` writes in place of a solution.
STUB_MESSAGE = "replace this line with your solution"
#: Largest number of array values a probe sends back.
MAX_VALUES = 10_000
#: Longest string a probe sends back (error messages, type names).
MAX_TEXT = 300


@dataclass(frozen=True)
class Task:
    """One graded task: its id, points, the answer's name in the notebook, probe and verify."""

    id: str
    points: float
    answer: str
    description: str
    probe: Callable[[Any], Any]
    verify: Callable[[Any], str]


@dataclass(frozen=True)
class Result:
    """The outcome of one task: score, one line of feedback, and a status word."""

    score: float
    max_score: float
    feedback: str
    status: str  # passed, failed, not_implemented, missing, error, timeout, no_result

    @property
    def passed(self) -> bool:
        """True when the task earned all its points."""
        return self.status == "passed"

    def line(self, task_id: str) -> str:
        """The one-line form printed by ``check`` and the grade table."""
        mark = "✓" if self.passed else "✗"
        return f"{mark} {task_id} [{_num(self.score)}/{_num(self.max_score)}]: {self.feedback}"


class Fail(Exception):
    """Raised by a verify step: the answer is wrong; ``score`` is any partial credit."""

    def __init__(self, feedback: str, score: float = 0.0) -> None:
        super().__init__(feedback)
        self.feedback = feedback
        self.score = score


class ProbeTimeout(BaseException):
    """The student's code ran past the task's time limit (a BaseException, so ``except
    Exception`` in student code cannot swallow it)."""


# --------------------------------------------------------------------------------------------
# Probe side (runs in the student's kernel)


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


def _short(text: object) -> str:
    """One line of at most MAX_TEXT characters."""
    try:
        line = " ".join(str(text).split())
    except Exception:
        line = "<unprintable>"
    return line if len(line) <= MAX_TEXT else line[: MAX_TEXT - 1] + "…"


def run_probe(probe: Callable[[Any], Any], answer: Any, limit: float | None) -> dict[str, Any]:
    """Run ``probe(answer)`` quietly under a time limit; return an envelope with raw values or
    a description of what went wrong (never raises, never a traceback)."""
    try:
        with (
            contextlib.redirect_stdout(_Sink()),
            contextlib.redirect_stderr(_Sink()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            with time_limit(limit):
                raw = probe(answer)
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
            "type": _short(type(exc).__name__),
            "message": _short(exc) if str(exc) else "",
            "during": _short(getattr(exc, "_autograd_course_during", None) or ""),
            "limit": limit,
        },
    }


def attempt(activity: str, function: Callable[..., Any], *args: Any) -> dict[str, Any]:
    """Run one step of a probe so that later steps still run: ``{"value": result}`` or
    ``{"error": one line, "during": activity}`` (time limits still stop the whole probe)."""
    try:
        with during(activity):
            return {"value": function(*args)}
    except NotImplementedError:
        return {"error": "not implemented yet", "during": activity}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {_short(exc)}", "during": activity}


def step_failed(step: Any) -> str | None:
    """The one-line error of an ``attempt`` step (None when it worked)."""
    if isinstance(step, dict) and "error" in step:
        return f"{step['error']} while {step.get('during', 'checking')}"
    return None


def run_probes(namespace: dict, tasks: list[Task], out_path: str, nonce: str, limit: float) -> None:
    """Probe every task's answer (looked up by name) and write one marked JSON line per task."""
    with open(out_path, "w", encoding="utf-8") as out:
        for task in tasks:
            if task.answer not in namespace:
                envelope: dict[str, Any] = {"status": "missing", "name": task.answer}
            else:
                envelope = run_probe(task.probe, namespace[task.answer], limit)
            out.write(f"{nonce} {task.id} {encode(envelope)}\n")
            out.flush()
        out.write(f"{nonce} --end--\n")


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
            "dtype": _short(value.dtype),
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
            "dtype": _short(value.dtype),
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
        return {"kind": "mapping", "items": {_short(k): describe(v) for k, v in items}}
    return {"kind": "other", "type": _short(type(value).__name__)}


def _node_name(node: Any) -> str:
    """A graph node's PyTorch name, e.g. MulBackward0."""
    name = getattr(node, "name", None)
    return _short(name() if callable(name) else type(node).__name__)


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


# --------------------------------------------------------------------------------------------
# Verify side (runs in the grader)


def evaluate(task: Task, envelope: Any) -> Result:
    """Score one task from its probe envelope with the task's verify step (never raises)."""
    points = float(task.points)
    if not isinstance(envelope, dict):
        return Result(0.0, points, "no check ran: the grader got no result for it", "no_result")
    status = envelope.get("status")
    if status == "missing":
        name = task.answer
        return Result(
            0.0, points, f"{name} is not defined (was the answer cell deleted or renamed?)", status
        )
    if status in ("not_implemented", "error", "timeout"):
        return Result(0.0, points, _describe_failure(task, status, envelope.get("error")), status)
    if status != "ok":
        return Result(0.0, points, "no check ran: the grader got no result for it", "no_result")
    try:
        feedback = task.verify(envelope.get("raw"))
    except Fail as fail:
        score = min(max(float(fail.score), 0.0), points)
        return Result(score, points, fail.feedback, "failed")
    except Exception as exc:  # a malformed answer the verify step did not foresee
        return Result(
            0.0,
            points,
            f"the answer could not be checked ({type(exc).__name__}: {_short(exc)}): "
            "make sure it returns what the task asks for",
            "failed",
        )
    return Result(points, points, feedback, "passed")


def _describe_failure(task: Task, status: str, error: Any) -> str:
    """One line for a probe that did not return: stub, exception or time limit."""
    error = error if isinstance(error, dict) else {}
    during_text = error.get("during") or f"checking {task.answer}"
    message = error.get("message") or ""
    if status == "not_implemented":
        extra = "" if message in ("", STUB_MESSAGE) else f" (NotImplementedError: {message})"
        return f"not implemented yet{extra}: replace the raise NotImplementedError line in {task.answer}"
    if status == "timeout":
        limit = error.get("limit")
        seconds = f" within {_num(limit)} s" if limit else ""
        return f"did not finish{seconds} while {during_text}: is there an endless loop?"
    kind = error.get("type") or "an error"
    detail = f"{kind}: {message}" if message else kind
    return f"raised {detail} while {during_text}"


def as_array(info: Any, what: str, shape: tuple[int, ...] | None = None) -> Any:
    """Numeric numpy array from a ``describe`` result, or Fail saying what was returned."""
    import numpy as np

    if not isinstance(info, dict):
        raise Fail(f"{what} could not be read")
    kind = info.get("kind")
    if kind == "number":
        array = np.array(info["value"], dtype=float)
    elif kind in ("tensor", "ndarray"):
        if info.get("values") is None:
            raise Fail(f"{what} is not a numeric array of at most {MAX_VALUES} values")
        array = np.array(info["values"], dtype=float).reshape(info["shape"])
    elif kind == "sequence" and _nested_numbers(info) is not None:
        try:
            array = np.array(_nested_numbers(info), dtype=float)
        except ValueError:  # ragged lists
            raise Fail(f"{what} is a list of lists of different lengths") from None
    else:
        raise Fail(f"{what} should be a number or a tensor, but it is {kind_name(info)}")
    if shape is not None and tuple(array.shape) != tuple(shape):
        raise Fail(f"{what} has shape {shape_text(array.shape)}, expected {shape_text(shape)}")
    return array


def _nested_numbers(info: Any) -> Any:
    """Nested lists of floats from a described list of numbers (or of such lists), else None."""
    if not isinstance(info, dict):
        return None
    if info.get("kind") in ("number", "bool"):
        return float(info["value"])
    if info.get("kind") == "sequence" and info.get("length") == len(info.get("items", [])):
        values = [_nested_numbers(item) for item in info["items"]]
        return None if any(value is None for value in values) else values
    return None


def as_number(info: Any, what: str) -> float:
    """A single float from a ``describe`` result (a number or a one-element tensor)."""
    array = as_array(info, what)
    if array.size != 1:
        raise Fail(f"{what} should be a single number, but it has shape {shape_text(array.shape)}")
    return float(array.reshape(()))


def as_numbers(info: Any, what: str, count: int) -> Any:
    """``count`` floats from a tuple/list of numbers (or one-element tensors) or a tensor."""
    import numpy as np

    if isinstance(info, dict) and info.get("kind") == "sequence":
        if info.get("length") != count:
            raise Fail(f"{what} should hold {count} values, but it is {kind_name(info)}")
        items = info["items"]
        return np.array([as_number(item, f"item {i} of {what}") for i, item in enumerate(items)])
    array = as_array(info, what)
    if array.size != count:
        raise Fail(f"{what} should hold {count} values, but it has shape {shape_text(array.shape)}")
    return array.reshape(count)


def items(info: Any, what: str, count: int) -> list[Any]:
    """The ``count`` described items of a returned tuple or list (Fail otherwise)."""
    if not isinstance(info, dict) or info.get("kind") != "sequence":
        raise Fail(f"{what} should be a tuple of {count} values, but it is {kind_name(info)}")
    if info.get("length") != count:
        raise Fail(f"{what} should be a tuple of {count} values, but it has {info.get('length')}")
    return list(info["items"])


def kind_name(info: Any) -> str:
    """How to name a described value in feedback (e.g. 'None', 'a list of 3 items')."""
    if not isinstance(info, dict):
        return "unreadable"
    kind = info.get("kind")
    if kind == "none":
        return "None (did you forget a return statement?)"
    if kind == "sequence":
        return f"a {info.get('type', 'sequence')} of {info.get('length')} items"
    if kind == "tensor":
        return f"a tensor of shape {shape_text(info.get('shape', []))}"
    if kind == "ndarray":
        return f"a numpy array of shape {shape_text(info.get('shape', []))}"
    if kind == "other":
        return f"a {info.get('type')} object"
    return f"a {kind}"


def close(actual: Any, expected: Any, rtol: float = 1e-4, atol: float = 1e-5) -> bool:
    """True when the arrays have the same shape and agree within tolerance (NaN never agrees)."""
    import numpy as np

    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        return False
    return bool(np.all(np.isfinite(actual)) and np.allclose(actual, expected, rtol, atol))


def shape_text(shape: Any) -> str:
    """A shape as PyTorch prints it: (3, 2)."""
    dims = [int(n) for n in shape]
    return "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"


def fmt(value: Any, digits: int = 4) -> str:
    """Compact text for a number or a short array, for feedback lines."""
    import numpy as np

    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.{digits}g}"
    flat = [f"{float(v):.{digits}g}" for v in array.ravel()[:6]]
    more = ", …" if array.size > 6 else ""
    return "[" + ", ".join(flat) + more + "]"


def _num(value: Any) -> str:
    """Points without a needless .0."""
    number = float(value)
    return str(int(number)) if number.is_integer() else f"{number:g}"
