"""Reports of a grading run: the printed table, the JSON records, the class CSV and
Gradescope's results.json, each written atomically (a temporary file, then a rename)."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .grader import Graded
from .text import clean


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
    """Gradescope's autograder results.json for one submission (what the student sees: no
    grader log, no environment)."""
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


def class_csv(results: list[Graded]) -> str:
    """The class summary: one row per submission (file, exercise, total, max, status, then
    the points of each task)."""
    task_ids = list(dict.fromkeys(task.id for graded in results for task in graded.tasks))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", "exercise", "total", "max_score", "status", *task_ids])
    for graded in results:
        points = {task.id: _num(task.score) for task in graded.tasks}
        writer.writerow(
            [
                _cell(graded.submission),
                graded.exercise or "",
                _num(graded.score) if not graded.error else "",
                _num(graded.max_score) if not graded.error else "",
                "error" if graded.error else "graded",
                *(points.get(task_id, "") for task_id in task_ids),
            ]
        )
    return out.getvalue()


def write_json(path: str | Path, data: dict[str, Any]) -> None:
    """Write JSON (UTF-8, indented) atomically, creating the folder when needed."""
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def write_text(path: str | Path, text: str) -> None:
    """Write a file atomically: readers see the old file or the whole new one, never a part."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text.encode("utf-8", "replace").decode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _cell(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = clean(text, 300)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _num(value: float) -> str:
    """Points without a needless .0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
