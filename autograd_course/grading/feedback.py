"""``check(task_id, answer)``: immediate feedback in the student's notebook (never the grade)."""

from __future__ import annotations

import os
from typing import Any

#: Seconds a single check may spend running the student's code.
CHECK_TIME_LIMIT = 60.0
#: Set in the kernel while the grader runs a submission: the grader checks every task itself,
#: and the references ``check`` would need are not there.
GRADING_ENV = "AUTOGRAD_COURSE_GRADING"


def check(task_id: str, answer: Any) -> None:
    """Print one line saying whether ``answer`` does what task ``task_id`` asks, with a hint.

    The same probe and verify steps as the grader run here, on inputs drawn afresh, so a ✓ here
    means the grader agrees (the grader runs them again on its own inputs after a fresh run of
    the whole notebook). Never raises.
    """
    if os.environ.get(GRADING_ENV):
        print(f"{task_id}: checked by the grader once the notebook has run")
        return
    try:
        print(_feedback_line(task_id, answer))
    except Exception as exc:  # never let feedback break the student's notebook
        print(f"✗ {task_id}: the check itself failed ({type(exc).__name__}: {exc})")


def _feedback_line(task_id: str, answer: Any) -> str:
    """The line ``check`` prints."""
    from . import registry  # here, not at import: the grader's kernel has no task references

    try:
        result = registry.check_here(task_id, answer, CHECK_TIME_LIMIT)
    except KeyError:
        return f"✗ {task_id}: unknown task id; copy the id from the check(...) line of the task"
    return result.line(task_id)
