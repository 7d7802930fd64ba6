"""Grade one submitted notebook: read it (never write it), run it in a sandbox, score each task.

A submission's bytes are read once, before anything runs; a copy is executed in a fresh
sandboxed kernel (see runner and sandbox); the task checks run here, in the grader's process,
on raw values the probes sent out of the kernel for inputs drawn for this run. A file that
cannot be read as one of the course's notebooks is a usage error: it gets a record with
``error`` set and no score, and the command exits non-zero after grading the others.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import notebooks, registry, runner
from .sandbox import Limits, SandboxError, resolve
from .tasks.base import Result, Task, evaluate
from .text import clean, file_name

#: Default seconds allowed per cell (also per task check).
DEFAULT_TIMEOUT = 60.0
#: Largest notebook graded, in bytes (a course notebook is well under 1 MB).
MAX_NOTEBOOK_BYTES = 20_000_000
#: Shown instead of the details of a failure of the grader itself (those go to its log).
INTERNAL_ERROR = "the grader could not run this notebook (the instructor's log says why)"


@dataclass(frozen=True)
class Options:
    """How to grade: time limits, the exercise of the assignment, the sandbox (a mode from
    sandbox.MODES) and its resource limits."""

    timeout: float = DEFAULT_TIMEOUT
    total_limit: float | None = None
    exercise: str | None = None
    sandbox: str = "auto"
    limits: Limits = Limits()

    @property
    def total(self) -> float:
        """Seconds one submission may take in all (default: 5 cell time limits, ≥ 60 s)."""
        return self.total_limit if self.total_limit is not None else max(60.0, 5 * self.timeout)


@dataclass
class Submission:
    """A submission as read at the start of a run: its name, bytes and their SHA-256."""

    name: str
    path: str
    data: bytes | None = None
    error: str | None = None

    @property
    def sha256(self) -> str | None:
        """Hex digest of the bytes read (None when the file could not be read)."""
        return None if self.data is None else hashlib.sha256(self.data).hexdigest()


@dataclass
class TaskOutcome:
    """One task's line in the report."""

    id: str
    description: str
    score: float
    max_score: float
    status: str
    feedback: str


@dataclass
class Graded:
    """The grading of one submission (``error`` set when it could not be graded at all;
    ``log`` holds details for the instructor only, never shown to the student)."""

    submission: str
    exercise: str | None = None
    tasks: list[TaskOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    log: str | None = None
    sha256: str | None = None
    unchanged: bool = True
    execution_time: float = 0.0
    sandbox: str | None = None
    time_limited: bool = False  #: a time limit was reached (the grade may depend on load)

    @property
    def score(self) -> float:
        """Points earned."""
        return float(sum(task.score for task in self.tasks))

    @property
    def max_score(self) -> float:
        """Points available."""
        return float(sum(task.max_score for task in self.tasks))

    def to_json(self) -> dict[str, Any]:
        """One JSON record: per-task score, max score and feedback, plus notes."""
        record = asdict(self)
        record["status"] = "error" if self.error else "graded"
        record["score"] = self.score
        record["max_score"] = self.max_score
        return record


def read_submission(path: str | Path) -> Submission:
    """Read a submission's bytes once (at most MAX_NOTEBOOK_BYTES)."""
    name = file_name(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    except OSError as exc:
        return Submission(name, str(path), error=f"cannot read {name}: {exc.strerror or exc}")
    if len(data) > MAX_NOTEBOOK_BYTES:
        message = f"{name} is larger than {MAX_NOTEBOOK_BYTES // 1_000_000} MB: not a notebook"
        return Submission(name, str(path), error=message)
    return Submission(name, str(path), data)


def grade_file(path: str | Path, options: Options | None = None, **settings: Any) -> Graded:
    """Grade one notebook file (``settings``: Options fields); never raises for anything
    inside the file."""
    return grade_submission(read_submission(path), options or Options(**settings))


def grade_submission(submission: Submission, options: Options) -> Graded:
    """Grade a submission read earlier; never raises (a failure of the grader itself is an
    error record with the details in ``log``)."""
    start = time.monotonic()
    graded = Graded(submission=submission.name, sha256=submission.sha256)
    try:
        graded.sandbox = resolve(options.sandbox)
        if submission.error or submission.data is None:
            graded.error = clean(submission.error or "not read")
        else:
            _grade_bytes(submission.data, submission.name, graded, options, graded.sandbox)
    except SandboxError as exc:
        graded.error = INTERNAL_ERROR
        graded.log = clean(str(exc), 2000)
    except Exception as exc:  # the grader's own failure: the class goes on
        graded.tasks = []
        graded.error = INTERNAL_ERROR
        graded.log = clean(f"{type(exc).__name__}: {exc}", 2000)
    finally:
        graded.execution_time = round(time.monotonic() - start, 2)
    return graded


def _grade_bytes(data: bytes, name: str, graded: Graded, options: Options, mode: str) -> None:
    """Parse, identify, run and score (fills ``graded``)."""
    try:
        nb = notebooks.parse(data, name)
    except notebooks.NotebookError as exc:
        graded.error = clean(str(exc))
        return
    own = notebooks.exercise_id(nb)
    exercise_id = options.exercise or own
    if exercise_id is None:
        graded.error = clean(
            f"{name} is not one of the course's exercise notebooks (its metadata has no "
            f"{notebooks.METADATA_KEY}.exercise); submit the notebook made from "
            "exercises/NN_name.ipynb"
        )
        return
    try:
        exercise = registry.get(exercise_id)
    except KeyError as exc:
        graded.error = clean(f"{name}: {exc.args[0]}")
        return
    graded.exercise = exercise_id
    if own is not None and own != exercise_id:
        graded.notes.append(
            clean(
                f"the notebook says it is exercise {own}; it was graded as {exercise_id}, "
                "the exercise of this assignment"
            )
        )
    plan = runner.Plan(options.timeout, options.total, mode, options.limits)
    try:
        execution = runner.execute(nb, data, exercise, plan)
    except RuntimeError as exc:
        graded.error = INTERNAL_ERROR
        graded.log = clean(str(exc), 2000)
        return
    graded.time_limited = execution.out_of_time or any(
        run.status in ("timeout", "killed") for run in execution.cells.values()
    )
    graded.notes.extend(clean(note) for note in _cell_notes(execution, options.timeout))
    graded.notes.extend(clean(note) for note in dict.fromkeys(execution.notes))
    for task in exercise.tasks:
        envelope = execution.envelopes.get(task.id)
        result = evaluate(task, envelope, execution.inputs.get(task.id), options.timeout)
        if envelope is None and execution.out_of_time:
            result = Result(
                0.0,
                result.max_score,
                "not checked: the notebook used up its total time limit first",
                "timeout",
            )
        result = _explain_missing(task, result, nb, execution)
        graded.time_limited |= result.status == "timeout"
        graded.tasks.append(
            TaskOutcome(
                task.id,
                task.description,
                result.score,
                result.max_score,
                result.status,
                clean(result.feedback),
            )
        )


def _cell_notes(execution: runner.Execution, timeout: float) -> list[str]:
    """One note per cell that did not simply run."""
    notes = []
    seconds = f"{timeout:g} s"
    for run in execution.cells.values():
        name = f"cell {run.index + 1} ({run.first_line})"
        if run.status == "error":
            detail = f"{run.ename}: {run.evalue}" if run.evalue else run.ename
            notes.append(f"{name} raised {detail}")
        elif run.status == "timeout":
            notes.append(f"{name} was interrupted after {seconds}, the time limit per cell")
        elif run.status == "killed":
            notes.append(
                f"{name} ignored the interrupt after {seconds}, so its kernel was stopped; "
                "the notebook was re-run without it"
            )
        elif run.status == "dead":
            notes.append(
                f"{name} ended the kernel (os._exit, a crash or a shutdown); the notebook was "
                "re-run without it"
            )
        if run.output_chars > runner.OUTPUT_CAP:
            notes.append(
                f"{name} printed {run.output_chars:,} characters; output beyond "
                f"{runner.OUTPUT_CAP:,} was discarded"
            )
    not_run = [run.index + 1 for run in execution.cells.values() if run.status == "not_run"]
    if not_run:
        notes.append(f"cells {', '.join(map(str, not_run))} were not run")
    return notes


def _explain_missing(task: Task, result: Result, nb: Any, execution: runner.Execution) -> Result:
    """For an undefined answer, say which cell should have defined it and what happened."""
    if result.status != "missing":
        return result
    pattern = re.compile(
        rf"^\s*(?:def|class)\s+{re.escape(task.answer)}\b|^\s*{re.escape(task.answer)}\s*(?::[^=]*)?=(?!=)",
        re.MULTILINE,
    )
    for run in execution.cells.values():
        if not pattern.search(str(nb.cells[run.index].source)):
            continue
        reason = {
            "error": f"raised {run.ename}",
            "timeout": "was interrupted at the time limit",
            "killed": "was stopped at the time limit",
            "dead": "ended the kernel",
            "not_run": "was not run",
        }.get(run.status)
        if reason:
            feedback = (
                f"{task.answer} is not defined: cell {run.index + 1}, which defines it, {reason}"
            )
            return Result(0.0, result.max_score, feedback, "missing")
    return result
