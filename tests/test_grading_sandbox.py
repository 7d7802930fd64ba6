"""Each sandbox mode, as the grader runs it for real: as a normal user (bwrap in a user
namespace; the session fallback) and as root without bwrap (the unprivileged-user fallback).
In every mode the solutions score full marks, the untouched exercises zero, the resource
limits hold, and what a notebook leaves running is gone once it has been graded (the session
fallback promises that only for processes in the kernel's session).
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest
from grading_support import (
    EXERCISES,
    SOLUTIONS,
    as_other_user,
    readable_by_all,
    shared_folder,
    with_cell,
)

from autograd_course.grading import registry, sandbox

ROOT_ONLY = pytest.mark.skipif(not sandbox.is_root(), reason="switching users needs root")
NEEDS_BWRAP = pytest.mark.skipif(
    sandbox.unavailable("bwrap") is not None, reason="bubblewrap cannot run here"
)
pytestmark = pytest.mark.skipif(
    sandbox.is_root() and shutil.which("bwrap") is None,
    reason="as root these runs show the Python installation to other users through bwrap",
)
NORMAL_USER = 4242 if sandbox.is_root() else None  # None: the tests already run as one

LEFTOVERS = """
import os, subprocess
subprocess.Popen(["sleep", "{mark}1"])
subprocess.Popen(["setsid", "sleep", "{mark}2"])
with open("/tmp/autograd-course-leftover-{mark}", "w") as out:
    out.write("left behind")
hog = bytearray(6 << 30)
"""


def processes_with(text: str) -> list[int]:
    found = []
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        with contextlib.suppress(OSError):
            if text.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
    return found


def grade_as(mode: str, uid: int | None, mark: str) -> dict:
    """Grade every solution and exercise plus a notebook that leaves things behind, with
    ``--sandbox mode``, as ``uid`` (None: root); return what happened."""
    folder = shared_folder()
    for path in SOLUTIONS + EXERCISES:
        target = folder / f"{path.parent.name}-{path.name}"
        shutil.copy(path, target)
        readable_by_all(target)
    leftover = folder / "leftovers.ipynb"
    nbformat.write(with_cell(SOLUTIONS[0], LEFTOVERS.format(mark=mark)), leftover)
    readable_by_all(leftover)
    report = folder / "grades.json"
    argv = [
        *("python", "-m", "autograd_course", "grade", str(folder), "--sandbox", mode),
        *("--json", str(report), "--csv", str(folder / "grades.csv"), "--jobs", "1"),
    ]
    import sys

    argv[0] = sys.executable
    try:
        done = as_other_user(argv, uid)
        records = {}
        if report.exists():
            for record in json.loads(report.read_text())["submissions"]:
                records[Path(record["submission"]).stem] = record
        return {
            "done": done,
            "records": records,
            "left": {n: processes_with(f"{mark}{n}") for n in (1, 2)},
            "tmp_file": Path(f"/tmp/autograd-course-leftover-{mark}").exists(),
        }
    finally:
        for pid in processes_with(mark):
            with contextlib.suppress(OSError):
                os.kill(pid, 9)
        Path(f"/tmp/autograd-course-leftover-{mark}").unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


def check_course_notebooks(outcome: dict) -> None:
    done = outcome["done"]
    assert done.returncode == 0, done.stderr[-2000:]
    records = outcome["records"]
    for path in SOLUTIONS:
        record = records[f"solutions-{path.stem}"]
        assert record["score"] == record["max_score"] == registry.get(path.stem).max_score
        assert record["notes"] == [], record["notes"]
    for path in EXERCISES:
        record = records[f"exercises-{path.stem}"]
        assert record["score"] == 0 and record["notes"] == []
        assert all(task["status"] == "not_implemented" for task in record["tasks"])
    leftovers = records["leftovers"]
    assert leftovers["score"] == 10 and "raised MemoryError" in "\n".join(leftovers["notes"])
    assert outcome["left"][1] == []  # a child in the kernel's session never outlives it


@pytest.fixture(scope="module")
def outcomes():
    """The three runs at once (each grades one notebook at a time)."""
    other = None if NORMAL_USER is None else NORMAL_USER + 1  # its own uid: its own count
    runs = {"session": ("session", other, "463.33")}
    if sandbox.unavailable("bwrap") is None:
        runs["bwrap"] = ("bwrap", NORMAL_USER, "461.11")
    if sandbox.is_root():
        runs["user"] = ("user", None, "462.22")
    with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
        futures = {mode: pool.submit(grade_as, *run) for mode, run in runs.items()}
        return {mode: future.result() for mode, future in futures.items()}


@NEEDS_BWRAP
def test_bwrap_as_a_normal_user(outcomes):
    outcome = outcomes["bwrap"]
    check_course_notebooks(outcome)
    assert outcome["left"][2] == [] and not outcome["tmp_file"]
    assert outcome["records"]["leftovers"]["sandbox"] == "bwrap"


@ROOT_ONLY
def test_unprivileged_user_fallback_as_root(outcomes):
    outcome = outcomes["user"]
    check_course_notebooks(outcome)
    assert outcome["left"][2] == []  # everything of the kernel's uid was killed
    assert not outcome["tmp_file"]  # and its files in /tmp deleted
    assert "other users' readable files are visible" in outcome["done"].stderr


def test_session_fallback_as_a_normal_user(outcomes):
    outcome = outcomes["session"]
    check_course_notebooks(outcome)
    assert "not safe against hostile code" in outcome["done"].stderr


def test_an_unknown_or_impossible_sandbox_is_a_clear_usage_error():
    with pytest.raises(sandbox.SandboxError, match="unknown sandbox 'chroot'"):
        sandbox.resolve("chroot")
    if not sandbox.is_root():
        with pytest.raises(sandbox.SandboxError, match="needs root"):
            sandbox.resolve("user")
