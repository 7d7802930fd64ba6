"""``check(task_id, answer)``: immediate feedback in the student's notebook (never the grade)."""

from __future__ import annotations

from typing import Any

from . import registry
from .tasks.base import evaluate, run_probe

#: Seconds a single check may spend running the student's code.
CHECK_TIME_LIMIT = 60.0


def check(task_id: str, answer: Any) -> None:
    """Print one line saying whether ``answer`` does what task ``task_id`` asks, with a hint.

    The same probe and verify steps as the grader run here, so a ✓ here means the grader agrees
    (the grader runs them again on a fresh run of the whole notebook). Never raises.
    """
    try:
        print(_feedback_line(task_id, answer))
    except Exception as exc:  # never let feedback break the student's notebook
        print(f"✗ {task_id}: the check itself failed ({type(exc).__name__}: {exc})")


def _feedback_line(task_id: str, answer: Any) -> str:
    """The line ``check`` prints."""
    try:
        task = registry.find_task(task_id)
    except KeyError:
        return f"✗ {task_id}: unknown task id; copy the id from the check(...) line of the task"
    envelope = run_probe(task.probe, answer, CHECK_TIME_LIMIT)
    return evaluate(task, envelope).line(task.id)
