"""What every task is made of, on the grader's side: inputs drawn for each run, and a verify
step that scores what the probe sent back.

A task's ``inputs(rng)`` draws fresh inputs (plain JSON values) from a generator the
submission never sees; its probe (grading/probes/, run in the student's kernel) calls the answer
on them and sends raw values back; ``evaluate`` turns those into a score and one line of
feedback with the task's ``verify(raw, inputs)``, which compares them with references it
computes here. The references exist only in this process: the student's kernel never sees this
folder, so nothing the kernel sends can earn points its answers did not.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..probes.runtime import MAX_VALUES
from ..probes.runtime import short as _short

#: Message of the stub that ``build-exercises`` writes in place of a solution.
STUB_MESSAGE = "replace this line with your solution"


@dataclass(frozen=True)
class Task:
    """One graded task: its id, points, the answer's name in the notebook, the inputs it draws
    for each run and the step that verifies the probe's raw values."""

    id: str
    points: float
    answer: str
    description: str
    inputs: Callable[[random.Random], Any]
    verify: Callable[[Any, Any], str]


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


# --------------------------------------------------------------------------------------------
# Drawing inputs


def pick(
    rng: random.Random, low: float, high: float, step: float = 0.01, avoid: Sequence[float] = ()
) -> float:
    """A number on the grid ``low, low + step, …, high``, at least ``step`` away from each
    value in ``avoid`` (grid numbers read well in feedback and are the same every time)."""
    first, last = round(low / step), round(high / step)
    while True:
        value = float(round(rng.randint(first, last) * step, 10))
        if all(abs(value - other) >= step * 0.999 for other in avoid):
            return value


def picks(
    rng: random.Random, count: int, low: float, high: float, step: float = 0.01, avoid=()
) -> list[float]:
    """``count`` distinct grid numbers (see ``pick``)."""
    values: list[float] = []
    while len(values) < count:
        values.append(pick(rng, low, high, step, [*avoid, *values]))
    return values


# --------------------------------------------------------------------------------------------
# Verify side


def evaluate(task: Task, envelope: Any, inputs: Any, limit: float | None = None) -> Result:
    """Score one task from its probe envelope (anything the kernel sent, trusted in no way)
    against the inputs drawn for it, with the task's verify step; never raises."""
    points = float(task.points)
    try:
        return _evaluate(task, envelope, inputs, limit)
    except Exception as exc:  # a malformed envelope or answer the verify step did not foresee
        return Result(
            0.0,
            points,
            f"the answer could not be checked ({type(exc).__name__}: {_short(exc)}): "
            "make sure it returns what the task asks for",
            "failed",
        )


def _evaluate(task: Task, envelope: Any, inputs: Any, limit: float | None) -> Result:
    """``evaluate`` without the safety net."""
    points = float(task.points)
    no_result = Result(0.0, points, "no check ran: the grader got no result for it", "no_result")
    if not isinstance(envelope, dict):
        return no_result
    status = envelope.get("status")
    if status == "missing":
        name = task.answer
        return Result(
            0.0, points, f"{name} is not defined (was the answer cell deleted or renamed?)", status
        )
    if status in ("not_implemented", "error", "timeout"):
        feedback = _describe_failure(task, status, envelope.get("error"), limit)
        return Result(0.0, points, feedback, status)
    if status != "ok":
        return no_result
    try:
        feedback = task.verify(envelope.get("raw"), inputs)
    except Fail as fail:
        score = min(max(float(fail.score), 0.0), points)
        return Result(score, points, str(fail.feedback), "failed")
    return Result(points, points, str(feedback), "passed")


def _describe_failure(task: Task, status: str, error: Any, limit: float | None) -> str:
    """One line for a probe that did not return: stub, exception or time limit."""
    error = error if isinstance(error, dict) else {}
    during_text = _short(error.get("during") or f"checking {task.answer}")
    message = _short(error.get("message") or "")
    if status == "not_implemented":
        extra = "" if message in ("", STUB_MESSAGE) else f" (NotImplementedError: {message})"
        return f"not implemented yet{extra}: replace the raise NotImplementedError line in {task.answer}"
    if status == "timeout":
        seconds = f" within {_num(limit)} s" if limit else ""
        return f"did not finish{seconds} while {during_text}: is there an endless loop?"
    kind = _short(error.get("type") or "an error")
    detail = f"{kind}: {message}" if message else kind
    return f"raised {detail} while {during_text}{raw_error_hint(kind, message)}"


def raw_error_hint(kind: str, message: str) -> str:
    """A short hint for the raw Python errors students meet most (empty when none applies)."""
    if "NoneType" in message:
        return (
            ". A None where a tensor was expected is usually a .grad: it stays None until a "
            "backward() reaches the tensor, and for good when the tensor does not require grad "
            "(create it with requires_grad=True)"
        )
    if "gradients can be either Tensors or None" in message and "tensor(" not in message:
        return ". Pass the weights v as a tensor of the output's shape: backward(ac.tensor(v))"
    if "must match the size of tensor" in message:
        return (
            ". The two shapes do not broadcast: print both; a common cause is a vector of "
            "shape (n,) beside a column of shape (n, 1), fixed with .reshape(-1, 1) or "
            ".reshape(-1)"
        )
    return ""


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
