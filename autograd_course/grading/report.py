"""Reports of a grading run: the printed table, the JSON records, Gradescope's results.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .grader import Graded


def table(graded: Graded) -> str:
    """The per-submission table: task, points, feedback, then the total and any notes."""
    title = graded.submission
    if graded.exercise:
        title += f"  (exercise {graded.exercise})"
    lines = [title]
    if graded.error:
        lines.append(f"  not graded: {graded.error}")
        return "\n".join(lines)
    width = max([len("task"), len("total")] + [len(task.id) for task in graded.tasks])
    lines.append(f"  {'task':<{width}}  {'points':>7}  feedback")
    for task in graded.tasks:
        mark = "✓" if task.status == "passed" else "✗"
        points = f"{_num(task.score)}/{_num(task.max_score)}"
        lines.append(f"  {task.id:<{width}}  {points:>7}  {mark} {task.feedback}")
    total = f"{_num(graded.score)}/{_num(graded.max_score)}"
    lines.append(f"  {'total':<{width}}  {total:>7}")
    for note in graded.notes:
        lines.append(f"  note: {note}")
    return "\n".join(lines)


def json_report(results: list[Graded]) -> dict[str, Any]:
    """All submissions as JSON: one record each with per-task score, max score and feedback."""
    return {"submissions": [graded.to_json() for graded in results]}


def gradescope(graded: Graded) -> dict[str, Any]:
    """Gradescope's autograder results.json for one submission."""
    output = graded.error or "\n".join(graded.notes)
    return {
        "score": graded.score,
        "execution_time": graded.execution_time,
        "output": output,
        "tests": [
            {
                "name": f"{task.id}: {task.description}",
                "score": task.score,
                "max_score": task.max_score,
                "status": "passed" if task.status == "passed" else "failed",
                "output": task.feedback,
                "visibility": "visible",
            }
            for task in graded.tasks
        ],
    }


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    """Write JSON (UTF-8, indented), creating the folder when needed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _num(value: float) -> str:
    """Points without a needless .0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
