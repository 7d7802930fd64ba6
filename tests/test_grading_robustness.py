"""Broken and hostile submissions, made from the real exercise 01 notebooks: each gets a fair
score and a reason, within the time limit, the grader keeps going, and no file is modified.

All submissions are graded in one run of the grade command (in this process), with a short
per-cell time limit so the endless loops cost seconds.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import time
from pathlib import Path

import pytest
from grading_support import (
    ROOT,
    grade_args,
    load,
    setup_index,
    task_cell,
    with_cell,
    write_cases,
)
from nbformat.v4 import new_code_cell, new_notebook

from autograd_course.grading import commands

SOLUTION = ROOT / "solutions" / "01_scalar_gradients.ipynb"
EXERCISE = ROOT / "exercises" / "01_scalar_gradients.ipynb"
TIMEOUT = 5.0
FULL = 10.0

PATCH_EVERYTHING = """
import sys
import types

import numpy as np

import autograd_course.grading as grading
import autograd_course.grading.tasks.base as base


def always_right(*args, **kwargs):
    print("✓ everything is right")
    return True


check = always_right
grading.check = always_right
np.allclose = np.isclose = np.array_equal = always_right
base.evaluate = always_right
base.run_probe = always_right
fake = types.ModuleType("autograd_course.grading")
fake.check = always_right
sys.modules["autograd_course.grading"] = fake
sys.modules["autograd_course.grading.tasks"] = fake
sys.modules["autograd_course.grading.tasks.base"] = fake
check("hand-derivative", None)
"""


def early_raise():
    nb = load(SOLUTION)
    setup = nb.cells[setup_index(nb)]
    setup.source = 'raise RuntimeError("broken setup")\n' + setup.source
    return nb


def deleted_and_renamed():
    nb = load(SOLUTION)
    nb.cells.remove(task_cell(nb, "accumulation"))
    cell = task_cell(nb, "hand-derivative")
    cell.source = cell.source.replace("df_by_hand", "df_hand")
    broken = task_cell(nb, "second-derivative")
    broken.source = broken.source.replace(
        "def second_derivative(f, x):", "def second_derivative(f, x)"
    )
    return nb


def wrong_answer_and_patches():
    nb = load(EXERCISE)
    cell = task_cell(nb, "hand-derivative")
    cell.source = cell.source.replace(
        '    # YOUR CODE HERE\n    raise NotImplementedError("replace this line with your solution")',
        "    return 0.0, 0.0",
    )
    nb.cells.append(new_code_cell(PATCH_EVERYTHING))
    return nb


CASES = {
    # (h) first: an unreadable file must not stop the others from being graded
    "h_not_json": "{ this is not notebook JSON",
    "h_not_ours": new_notebook(cells=[new_code_cell("x = 1")]),
    "a_endless_loop": with_cell(SOLUTION, "while True:\n    pass"),
    "a_loop_ignoring_interrupts": with_cell(
        SOLUTION,
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass",
    ),
    "b_sys_exit": with_cell(SOLUTION, "import sys\nsys.exit()"),
    "c_os_exit": with_cell(SOLUTION, "import os\nos._exit(1)"),
    "d_early_raise": early_raise(),
    "e_deleted_renamed": deleted_and_renamed(),
    "f_patched_right_answers": with_cell(SOLUTION, PATCH_EVERYTHING, after_setup=False),
    "f_patched_wrong_answers": wrong_answer_and_patches(),
    "f_sabotaged_imports": with_cell(
        SOLUTION, "import sys\nsys.modules['types'] = None", after_setup=False
    ),
    "g_million_lines": with_cell(SOLUTION, 'print("\\n".join(map(str, range(1_000_000))))'),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Write every case, hash it, grade them all in one command, hash again."""
    folder = tmp_path_factory.mktemp("submissions")
    paths = write_cases(folder, CASES)
    before = {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in paths.items()}
    json_path = folder / "grades.json"
    args = grade_args(*paths.values(), json_path=json_path, timeout=TIMEOUT)
    printed = io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        status = commands.run(args)
    elapsed = time.monotonic() - start
    after = {name: hashlib.sha256(p.read_bytes()).hexdigest() for name, p in paths.items()}
    records = {
        Path(r["submission"]).stem: r for r in json.loads(json_path.read_text())["submissions"]
    }
    return {
        "status": status,
        "records": records,
        "before": before,
        "after": after,
        "elapsed": elapsed,
        "printed": printed.getvalue(),
    }


def tasks(record) -> dict:
    return {task["id"]: task for task in record["tasks"]}


def notes(record) -> str:
    return "\n".join(record["notes"])


def test_every_case_was_graded_and_left_unchanged(run):
    assert set(run["records"]) == set(CASES)
    for name in CASES:
        assert run["after"][name] == run["before"][name], f"{name} was modified"
        assert run["records"][name]["unchanged"]
    assert f"graded {len(CASES) - 2} of {len(CASES)} submissions" in run["printed"]


def test_exit_status_two_because_of_the_unreadable_files(run):
    assert run["status"] == 2


def test_each_submission_finishes_within_its_time_limits(run):
    for name, record in run["records"].items():
        # a stubborn loop costs one time limit, the kill grace, and a second kernel
        assert record["execution_time"] < 6 * TIMEOUT + 20, name
    assert run["elapsed"] < 180


def test_h_invalid_json_is_a_clear_usage_error_with_no_score(run):
    record = run["records"]["h_not_json"]
    assert record["status"] == "error" and record["score"] == 0 and record["tasks"] == []
    assert "not valid notebook JSON" in record["error"]
    assert "h_not_json.ipynb" in run["printed"] and "not graded" in run["printed"]


def test_h_a_notebook_that_is_not_ours_says_so(run):
    record = run["records"]["h_not_ours"]
    assert (
        record["status"] == "error"
        and "not one of the course's exercise notebooks" in record["error"]
    )


def test_a_endless_loop_is_interrupted_and_the_rest_is_graded(run):
    record = run["records"]["a_endless_loop"]
    assert record["score"] == FULL
    assert f"was interrupted after {TIMEOUT:g} s" in notes(record)


def test_a_loop_that_ignores_the_interrupt_is_killed_and_skipped(run):
    record = run["records"]["a_loop_ignoring_interrupts"]
    assert record["score"] == FULL
    assert "ignored the interrupt" in notes(record) and "re-run without it" in notes(record)


def test_b_sys_exit_is_recorded_and_the_kernel_survives(run):
    record = run["records"]["b_sys_exit"]
    assert record["score"] == FULL and "raised SystemExit" in notes(record)


def test_c_os_exit_kills_the_kernel_the_cell_is_skipped(run):
    record = run["records"]["c_os_exit"]
    assert record["score"] == FULL and "ended the kernel" in notes(record)


def test_d_early_exception_costs_only_what_depends_on_it(run):
    record = run["records"]["d_early_raise"]
    by_id = tasks(record)
    assert "raised RuntimeError: broken setup" in notes(record)
    # df_by_hand needs nothing from the broken cell; the others use `ac`, which it never defined
    assert by_id["hand-derivative"]["status"] == "passed"
    assert record["score"] == 2
    for task_id in ("autograd-gradient", "accumulation", "vector-jacobian", "second-derivative"):
        assert "NameError: name 'ac' is not defined" in by_id[task_id]["feedback"]


def test_e_deleted_and_renamed_answers_are_named(run):
    record = run["records"]["e_deleted_renamed"]
    by_id = tasks(record)
    assert record["score"] == 4
    for task_id, name in (("hand-derivative", "df_by_hand"), ("accumulation", "slopes")):
        assert by_id[task_id]["score"] == 0
        assert by_id[task_id]["feedback"] == (
            f"{name} is not defined (was the answer cell deleted or renamed?)"
        )
    feedback = by_id["second-derivative"]["feedback"]
    assert (
        feedback.startswith("second_derivative is not defined: cell") and "SyntaxError" in feedback
    )
    assert "raised SyntaxError: expected ':' (line 1)" in notes(record)  # no temp file name


def test_f_patching_check_numpy_and_the_grading_module_changes_nothing(run):
    right = run["records"]["f_patched_right_answers"]
    assert right["score"] == FULL
    wrong = run["records"]["f_patched_wrong_answers"]
    assert wrong["score"] == 0
    by_id = tasks(wrong)
    assert "not right" in by_id["hand-derivative"]["feedback"]
    assert all(t["status"] == "not_implemented" for k, t in by_id.items() if k != "hand-derivative")


def test_f_no_check_ran_is_a_failure_never_full_marks(run):
    record = run["records"]["f_sabotaged_imports"]
    assert record["score"] == 0
    assert all(t["status"] == "no_result" for t in record["tasks"])
    assert all(t["feedback"].startswith("no check ran") for t in record["tasks"])
    assert "the grader's check of hand-derivative could not run" in notes(record)


def test_g_a_million_lines_are_counted_not_kept(run):
    record = run["records"]["g_million_lines"]
    assert record["score"] == FULL
    assert "printed 6,888,890 characters; output beyond 20,000 was discarded" in notes(record)
    assert len(json.dumps(record)) < 10_000
