"""Grade one submitted notebook: read it (never write it), run it, score each task.

The submission's bytes are read once; a copy is executed in a fresh kernel (see runner); the
task checks run here, in the grader's process, on raw values the probe sent out of the kernel.
A file that cannot be read as one of the course's notebooks is a usage error: it gets a record
with ``error`` set and no score, and the command exits non-zero after grading the others.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import notebooks, registry, runner
from .tasks.base import Result, Task, evaluate

#: Default seconds allowed per cell (also per task check).
DEFAULT_TIMEOUT = 60.0


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
    """The grading of one submission (``error`` set when it could not be graded at all)."""

    submission: str
    exercise: str | None = None
    tasks: list[TaskOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    sha256: str | None = None
    unchanged: bool = True
    execution_time: float = 0.0

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


def grade_file(
    path: str | Path, timeout: float = DEFAULT_TIMEOUT, total_limit: float | None = None
) -> Graded:
    """Grade one notebook file; never raises for anything inside the file."""
    start = time.monotonic()
    graded = Graded(submission=str(path))
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        graded.error = f"cannot read {path}: {exc.strerror or exc}"
        return graded
    graded.sha256 = hashlib.sha256(data).hexdigest()
    try:
        _grade_bytes(data, str(path), graded, timeout, total_limit)
    finally:
        graded.execution_time = round(time.monotonic() - start, 2)
        graded.unchanged = _sha256_of(path) == graded.sha256
        if not graded.unchanged:
            graded.notes.append(
                "the submission file changed while it was graded; the grade is for the "
                "version read at the start"
            )
    return graded


def _grade_bytes(
    data: bytes, name: str, graded: Graded, timeout: float, total_limit: float | None
) -> None:
    """Parse, identify, run and score (fills ``graded``)."""
    try:
        nb = notebooks.parse(data, name)
    except notebooks.NotebookError as exc:
        graded.error = str(exc)
        return
    exercise_id = notebooks.exercise_id(nb)
    if exercise_id is None:
        graded.error = (
            f"{name} is not one of the course's exercise notebooks (its metadata has no "
            f"{notebooks.METADATA_KEY}.exercise); submit the notebook made from "
            "exercises/NN_name.ipynb"
        )
        return
    try:
        exercise = registry.get(exercise_id)
    except KeyError as exc:
        graded.error = f"{name}: {exc.args[0]}"
        return
    graded.exercise = exercise_id
    limit = total_limit if total_limit is not None else max(300.0, 10 * timeout)
    task_ids = [task.id for task in exercise.tasks]
    try:
        execution = runner.execute(nb, exercise.path, task_ids, timeout, limit)
    except RuntimeError as exc:
        graded.error = str(exc)
        return
    graded.notes.extend(_cell_notes(execution, timeout))
    graded.notes.extend(dict.fromkeys(execution.notes))
    for task in exercise.tasks:
        result = evaluate(task, execution.envelopes.get(task.id))
        result = _explain_missing(task, result, nb, execution)
        graded.tasks.append(
            TaskOutcome(
                task.id,
                task.description,
                result.score,
                result.max_score,
                result.status,
                result.feedback,
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


def _sha256_of(path: str | Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read any more."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None
