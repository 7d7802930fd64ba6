"""Helpers shared by the grading tests: command arguments, crafted notebooks, and running the
grader as another user."""

from __future__ import annotations

import argparse
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


def grade_args(*paths, **options) -> argparse.Namespace:
    """The parsed arguments of ``autograd-course grade`` (defaults as on the command line,
    with a 30 s cell limit)."""
    return argparse.Namespace(
        command="grade",
        submissions=[str(p) for p in paths],
        json_path=options.get("json_path"),
        csv_path=options.get("csv_path"),
        gradescope=options.get("gradescope"),
        exercise=options.get("exercise"),
        jobs=options.get("jobs", 2),
        timeout=options.get("timeout", 30.0),
        total_timeout=options.get("total_timeout"),
        sandbox=options.get("sandbox"),
        memory=options.get("memory"),
    )


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def setup_index(nb) -> int:
    """Index of the first code cell (imports and check)."""
    return next(i for i, cell in enumerate(nb.cells) if cell.cell_type == "code")


def task_cell(nb, task_id: str):
    return next(c for c in nb.cells if c.cell_type == "code" and f'check("{task_id}"' in c.source)


def with_cell(path: Path, source: str, after_setup: bool = True) -> nbformat.NotebookNode:
    """The notebook at ``path`` with one more code cell (after the imports, or at the end)."""
    nb = load(path)
    position = setup_index(nb) + 1 if after_setup else len(nb.cells)
    nb.cells.insert(position, new_code_cell(source))
    return nb


def write_cases(folder: Path, cases: dict) -> dict[str, Path]:
    """Write each case (a notebook, or raw text) as folder/NAME.ipynb; their paths by name."""
    paths = {}
    for name, content in cases.items():
        path = folder / f"{name}.ipynb"
        if isinstance(content, str):
            path.write_text(content)
        else:
            nbformat.write(content, path)
        paths[name] = path
    return paths


def shared_folder() -> Path:
    """A temporary folder every user may read and write (for runs as another user)."""
    folder = Path(tempfile.mkdtemp(prefix="autograd-course-test-"))
    folder.chmod(0o777)
    return folder


def readable_by_all(path: Path) -> None:
    """Let every user read ``path`` (a file written by a test)."""
    path.chmod(path.stat().st_mode | stat.S_IROTH | stat.S_IRGRP)


def _hidden_folder(path: Path) -> Path | None:
    """The outermost folder above ``path`` that other users cannot enter, if any."""
    return next(
        (p for p in reversed(path.parents) if p != Path("/") and not p.stat().st_mode & 0o001),
        None,
    )


def as_other_user(
    argv: list[str], uid: int | None, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run ``argv`` (as root) with the Python installation and this checkout reachable by every
    user; as ``uid`` when given, else as root. Either may sit under a folder other users cannot
    enter (/root/.pyenv, or a checkout in a `mktemp -d` folder, mode 0700): an outer bwrap then
    shows it through a world-readable folder, and hides the rest of that folder."""
    python = Path(sys.executable).resolve()
    needed = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), ROOT}
    # A folder inside another needed one is shown with it.
    needed = {p for p in needed if not any(q in p.parents for q in needed)}
    outer: list[str] = []
    for hidden in sorted({h for p in needed if (h := _hidden_folder(p)) is not None}):
        outer += ["--perms", "0755", "--tmpfs", str(hidden)]
        for path in sorted(p for p in needed if hidden in p.parents):
            for parent in reversed(path.parents):
                if hidden in parent.parents:
                    outer += ["--perms", "0755", "--dir", str(parent)]
            outer += ["--ro-bind", str(path), str(path)]
    if outer:
        outer = ["bwrap", "--dev-bind", "/", "/", *outer, "--"]
    drop = []
    if uid is not None:
        drop = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRAD_COURSE_SANDBOX"}
    env["HOME"] = "/tmp"
    assert python.exists()
    return subprocess.run(
        outer + drop + argv, capture_output=True, text=True, timeout=timeout, env=env, cwd="/"
    )
