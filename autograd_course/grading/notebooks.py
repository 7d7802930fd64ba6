"""Exercise notebooks: reading them safely, their metadata, and generating them from solutions.

A solution notebook ``solutions/NN_name.ipynb`` carries ``metadata.autograd_course.exercise =
"NN_name"``. Its solution code sits between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
lines (nbgrader's markers, so a migration stays open); ``build_exercises`` replaces each such
block with a stub that raises NotImplementedError, drops cells tagged ``instructor``, and clears
outputs, writing JSON in one fixed format so that ``--check`` can compare files byte for byte.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from .tasks.base import STUB_MESSAGE

METADATA_KEY = "autograd_course"
INSTRUCTOR_TAG = "instructor"
_BEGIN = re.compile(r"^(\s*)#+\s*BEGIN SOLUTION\s*$")
_END = re.compile(r"^\s*#+\s*END SOLUTION\s*$")
_MARKDOWN_STUB = "*Write your answer here.*"


class NotebookError(ValueError):
    """A file that is not a readable notebook of this course (the message says why)."""


def parse(data: bytes, name: str = "notebook") -> NotebookNode:
    """A version-4 notebook from file bytes; NotebookError with a clear reason otherwise
    (also for JSON nested too deep, numbers too long, or cells whose source is not text)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"{name} is not a notebook: not UTF-8 text ({exc.reason})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"{name} is not valid notebook JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); open it in Jupyter and save it again"
        ) from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)[:100]
        raise NotebookError(f"{name} is not valid notebook JSON ({reason})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise NotebookError(f"{name} is JSON but not a notebook (no list of cells)")
    if not isinstance(raw.get("metadata", {}), dict):
        raise NotebookError(f"{name} is not a readable notebook (its metadata is not an object)")
    for number, cell in enumerate(raw["cells"], start=1):
        source = cell.get("source") if isinstance(cell, dict) else None
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            continue
        if not isinstance(source, str) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError(f"{name} is not a readable notebook (cell {number} has no text)")
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:
        raise NotebookError(f"{name} is not a readable notebook ({exc})") from None


def exercise_id(nb: NotebookNode) -> str | None:
    """The exercise a notebook belongs to, from its metadata (None when it is not ours)."""
    info = nb.get("metadata", {}).get(METADATA_KEY)
    if isinstance(info, dict) and isinstance(info.get("exercise"), str):
        return info["exercise"]
    return None


def dumps(nb: NotebookNode) -> str:
    """The notebook's JSON in one fixed format (sorted keys, indent 1, final newline)."""
    return nbformat.writes(nb, version=4).rstrip("\n") + "\n"


def _code_stub(indent: str) -> list[str]:
    """The lines that stand in for a code solution."""
    return [f"{indent}# YOUR CODE HERE", f'{indent}raise NotImplementedError("{STUB_MESSAGE}")']


def _markdown_stub(indent: str) -> list[str]:
    """The line that stands in for a written answer."""
    return [_MARKDOWN_STUB]


def replace_solutions(source: str, where: str = "cell", stub: Callable = _code_stub) -> str:
    """Source with each BEGIN/END SOLUTION block replaced by a stub at the block's indent."""
    lines = source.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        begin = _BEGIN.match(lines[index])
        if _END.match(lines[index]):
            raise ValueError(f"{where}: END SOLUTION without a BEGIN SOLUTION before it")
        if not begin:
            out.append(lines[index])
            index += 1
            continue
        end = next((j for j in range(index + 1, len(lines)) if _END.match(lines[j])), None)
        if end is None:
            raise ValueError(f"{where}: BEGIN SOLUTION without an END SOLUTION after it")
        if any(_BEGIN.match(line) for line in lines[index + 1 : end]):
            raise ValueError(f"{where}: nested BEGIN SOLUTION markers")
        out.extend(stub(begin.group(1)))
        index = end + 1
    return "\n".join(out)


def to_exercise(solution: NotebookNode, name: str = "notebook") -> NotebookNode:
    """The student's version of a solution notebook (the solution is never modified)."""
    nb = copy.deepcopy(solution)
    cells = []
    for number, cell in enumerate(nb.cells, start=1):
        if INSTRUCTOR_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        where = f"{name}, cell {number}"
        cell.get("metadata", {}).pop("execution", None)
        if cell.cell_type == "code":
            cell.source = replace_solutions(cell.source, where)
            cell.outputs = []
            cell.execution_count = None
        elif cell.cell_type == "markdown":
            cell.source = replace_solutions(cell.source, where, _markdown_stub)
        cells.append(cell)
    nb.cells = cells
    for key in ("widgets", "language_info"):  # run-specific: Jupyter adds them back on save
        nb.metadata.pop(key, None)
    return nb


@dataclass(frozen=True)
class BuildReport:
    """What build_exercises found: files written (or stale, with check) and orphans."""

    written: list[Path]
    stale: list[Path]
    orphans: list[Path]


def build_exercises(solutions: Path, exercises: Path, check: bool = False) -> BuildReport:
    """Generate exercises/NN_name.ipynb from each solutions/NN_name.ipynb; with ``check``
    write nothing and report which exercise files differ from what would be generated."""
    if not solutions.is_dir():
        raise NotebookError(f"no solutions folder at {solutions}")
    written: list[Path] = []
    stale: list[Path] = []
    expected_names = set()
    for path in sorted(solutions.glob("*.ipynb")):
        solution = parse(path.read_bytes(), str(path))
        found = exercise_id(solution)
        if found != path.stem:
            raise NotebookError(
                f"{path}: metadata.{METADATA_KEY}.exercise is {found!r}, expected {path.stem!r} "
                "(the exercise id must match the file name)"
            )
        text = dumps(to_exercise(solution, str(path)))
        target = exercises / path.name
        expected_names.add(path.name)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if check:
            stale.append(target)
        else:
            exercises.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    orphans = []
    if exercises.is_dir():
        orphans = [p for p in sorted(exercises.glob("*.ipynb")) if p.name not in expected_names]
    return BuildReport(written, stale, orphans)
