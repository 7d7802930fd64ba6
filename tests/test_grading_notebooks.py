"""Solutions and exercises as files: build-exercises (markers, stubs, --check) and grading the
real notebooks end to end (every solution full marks, every untouched exercise zero without an
error), with the JSON and Gradescope reports and the command's exit status."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from grading_support import EXERCISES, ROOT, SOLUTIONS, grade_args
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograd_course.grading import commands, notebooks, registry
from autograd_course.grading.tasks.base import STUB_MESSAGE

STUB = f'raise NotImplementedError("{STUB_MESSAGE}")'


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_args(solutions: Path, exercises: Path, check: bool = False) -> argparse.Namespace:
    return argparse.Namespace(
        command="build-exercises", check=check, solutions=str(solutions), exercises=str(exercises)
    )


# -- markers and stubs ------------------------------------------------------------------------


def test_solution_block_becomes_a_stub_at_its_indentation():
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\n\ncheck('t', f)"
    assert notebooks.replace_solutions(source) == (
        f"def f(x):\n    y = 1\n    # YOUR CODE HERE\n    {STUB}\n\ncheck('t', f)"
    )


def test_several_blocks_and_nbgrader_single_hash_markers():
    source = "class A:\n    def f(self):\n        # BEGIN SOLUTION\n        return 1\n        # END SOLUTION\n\n    def g(self):\n        ### BEGIN SOLUTION\n        return 2\n        ### END SOLUTION"
    out = notebooks.replace_solutions(source)
    assert out.count(STUB) == 2 and "return 1" not in out and "return 2" not in out
    assert f"\n        {STUB}" in out


@pytest.mark.parametrize(
    "source, problem",
    [
        ("### BEGIN SOLUTION\nx = 1", "without an END"),
        ("x = 1\n### END SOLUTION", "without a BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "nested"),
    ],
)
def test_unbalanced_markers_are_reported(source, problem):
    with pytest.raises(ValueError, match=problem):
        notebooks.replace_solutions(source, "sol.ipynb, cell 3")


def demo_solution() -> nbformat.NotebookNode:
    code = new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    code.execution_count = 3
    secret = new_code_cell("print('instructor only')", metadata={"tags": ["instructor"]})
    answer = new_markdown_cell("Why?\n\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION")
    nb = new_notebook(cells=[code, secret, answer])
    nb.metadata["autograd_course"] = {"exercise": "demo"}
    nb.metadata["widgets"] = {"state": {}}
    return nb


def test_to_exercise_clears_outputs_drops_instructor_cells_and_keeps_the_solution_intact():
    solution = demo_solution()
    before = nbformat.writes(solution)
    exercise = notebooks.to_exercise(solution)
    assert nbformat.writes(solution) == before  # the solution is never modified
    assert len(exercise.cells) == 2
    code, answer = exercise.cells
    assert code.outputs == [] and code.execution_count is None and STUB in code.source
    assert "Because" not in answer.source and "Write your answer here" in answer.source
    assert notebooks.exercise_id(exercise) == "demo" and "widgets" not in exercise.metadata
    nbformat.validate(exercise)


def test_build_then_check_then_stale_then_orphan(tmp_path, capsys):
    solutions, exercises = tmp_path / "solutions", tmp_path / "exercises"
    solutions.mkdir()
    nbformat.write(demo_solution(), solutions / "demo.ipynb")
    assert commands.run(build_args(solutions, exercises, check=True)) == 1  # nothing built yet
    assert commands.run(build_args(solutions, exercises)) == 0
    written = (exercises / "demo.ipynb").read_text()
    assert commands.run(build_args(solutions, exercises)) == 0
    assert (exercises / "demo.ipynb").read_text() == written  # deterministic
    assert commands.run(build_args(solutions, exercises, check=True)) == 0
    (exercises / "demo.ipynb").write_text(written.replace("YOUR CODE HERE", "edited"))
    capsys.readouterr()
    assert commands.run(build_args(solutions, exercises, check=True)) == 1
    assert "demo.ipynb is out of date" in capsys.readouterr().out
    commands.run(build_args(solutions, exercises))
    (exercises / "stray.ipynb").write_text(written)
    assert commands.run(build_args(solutions, exercises, check=True)) == 1
    assert "stray.ipynb" in capsys.readouterr().out


def test_solution_whose_metadata_disagrees_with_its_name_is_refused(tmp_path, capsys):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    nbformat.write(demo_solution(), solutions / "other.ipynb")
    assert commands.run(build_args(solutions, tmp_path / "exercises")) == 2
    assert "must match the file name" in capsys.readouterr().err


def test_committed_exercises_are_up_to_date():
    assert commands.run(build_args(ROOT / "solutions", ROOT / "exercises", check=True)) == 0


# -- the course's notebooks -------------------------------------------------------------------


def test_there_is_one_solution_and_one_exercise_per_registered_exercise():
    assert [p.stem for p in SOLUTIONS] == list(registry.EXERCISES)
    assert [p.name for p in EXERCISES] == [p.name for p in SOLUTIONS]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_each_task_is_checked_right_after_its_answer(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert notebooks.exercise_id(nb) == path.stem
    assert nb.cells[0].cell_type == "markdown" and "How to work" in nb.cells[0].source
    for task in registry.get(path.stem).tasks:
        cells = [c for c in nb.cells if c.cell_type == "code" and f'check("{task.id}"' in c.source]
        assert len(cells) == 1, f"{path.name}: one cell should call check({task.id!r})"
        source = cells[0].source
        assert "### BEGIN SOLUTION" in source
        assert re.search(rf"^(def|class) {task.answer}\b", source, re.MULTILINE)
        assert source.rstrip().endswith(f'check("{task.id}", {task.answer})')


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_exercises_hold_stubs_and_no_solutions_or_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    text = path.read_text()
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert text.count("raise NotImplementedError") >= len(registry.get(path.stem).tasks)
    for cell in nb.cells:
        assert "instructor" not in cell.metadata.get("tags", [])
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


# -- grading the real notebooks ---------------------------------------------------------------


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every solution and every exercise in one run; keep the JSON and the printout."""
    out = tmp_path_factory.mktemp("grades")
    paths = SOLUTIONS + EXERCISES
    hashes = {p: sha256(p) for p in paths}
    json_path = out / "grades.json"
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = commands.run(grade_args(*paths, json_path=json_path))
    records = json.loads(json_path.read_text())["submissions"]
    return {
        "status": status,
        "records": {Path(r["submission"]): r for r in records},
        "printed": printed.getvalue(),
        "hashes": hashes,
    }


def test_grading_completed_with_exit_status_zero_and_files_untouched(graded):
    assert graded["status"] == 0
    for path, digest in graded["hashes"].items():
        assert sha256(path) == digest, f"{path} changed while it was graded"
        assert graded["records"][path]["unchanged"]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.stem)
def test_every_solution_scores_full_marks(graded, path):
    record = graded["records"][path]
    assert record["status"] == "graded" and record["exercise"] == path.stem
    assert record["max_score"] == registry.get(path.stem).max_score
    assert record["score"] == record["max_score"], record["tasks"]
    assert all(task["status"] == "passed" for task in record["tasks"])
    assert record["notes"] == []


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_every_untouched_exercise_scores_zero_with_not_implemented_and_no_error(graded, path):
    record = graded["records"][path]
    assert record["status"] == "graded" and record["error"] is None
    assert record["score"] == 0 and record["max_score"] > 0
    for task in record["tasks"]:
        assert task["status"] == "not_implemented", task
        assert task["feedback"].startswith("not implemented yet")
    assert record["notes"] == [], "an untouched exercise must run without any cell error"


def test_printed_table_shows_each_task_and_the_total(graded):
    printed = graded["printed"]
    assert "solutions/01_scalar_gradients.ipynb  (exercise 01_scalar_gradients)" in printed
    assert re.search(r"hand-derivative\s+2/2\s+✓", printed)
    assert re.search(r"total\s+10/10", printed) and re.search(r"total\s+0/10", printed)
    count = len(SOLUTIONS) + len(EXERCISES)
    assert f"graded {count} of {count} submissions" in printed


def test_gradescope_results_json(tmp_path, capsys):
    target = tmp_path / "results" / "results.json"
    assignment = EXERCISES[0].stem
    assert commands.run(grade_args(EXERCISES[0], gradescope=target, exercise=assignment)) == 0
    results = json.loads(target.read_text())
    assert set(results) == {"score", "execution_time", "output", "tests"}
    assert results["score"] == 0 and isinstance(results["execution_time"], float)
    tasks = registry.get(EXERCISES[0].stem).tasks
    assert [t["name"].split(":")[0] for t in results["tests"]] == [t.id for t in tasks]
    for test, task in zip(results["tests"], tasks, strict=True):
        assert test["max_score"] == task.points and test["score"] == 0
        assert test["status"] == "failed" and test["visibility"] == "visible"
        assert test["output"].startswith("not implemented yet")


def test_gradescope_takes_exactly_one_submission_and_says_so_in_results(tmp_path, capsys):
    target = tmp_path / "results.json"
    args = grade_args(*SOLUTIONS[:2], gradescope=target, exercise=SOLUTIONS[0].stem)
    assert commands.run(args) == 2
    assert "exactly one submission" in capsys.readouterr().err
    results = json.loads(target.read_text())
    assert results["score"] == 0 and results["tests"] == []
    assert "exactly one submission, got 2" in results["output"]


def test_gradescope_needs_the_assignments_exercise(tmp_path, capsys):
    target = tmp_path / "results.json"
    assert commands.run(grade_args(SOLUTIONS[0], gradescope=target)) == 2
    assert "--gradescope needs --exercise" in capsys.readouterr().err
    results = json.loads(target.read_text())
    assert results["score"] == 0 and "--exercise" in results["output"]


def test_a_folder_argument_grades_every_notebook_in_it(tmp_path, capsys):
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "alice.ipynb").write_bytes(EXERCISES[-1].read_bytes())
    (folder / "notes.txt").write_text("not a notebook")
    json_path, csv_path = tmp_path / "grades.json", tmp_path / "class" / "grades.csv"
    assert commands.run(grade_args(folder, json_path=json_path, csv_path=csv_path)) == 0
    records = json.loads(json_path.read_text())["submissions"]
    assert [Path(r["submission"]).name for r in records] == ["alice.ipynb"]
    header, row = csv_path.read_text().splitlines()
    task_ids = [task.id for task in registry.get(EXERCISES[-1].stem).tasks]
    assert header.split(",") == ["file", "exercise", "total", "max_score", "status", *task_ids]
    max_score = sum(task.points for task in registry.get(EXERCISES[-1].stem).tasks)
    assert row.split(",")[1:5] == [EXERCISES[-1].stem, "0", f"{max_score:g}", "graded"]


def test_command_line_exit_status_two_for_a_missing_file_but_grades_the_rest(tmp_path):
    missing = tmp_path / "missing.ipynb"
    done = subprocess.run(
        [sys.executable, "-m", "autograd_course", "grade", str(missing), str(EXERCISES[-1])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "cannot read" in done.stderr and str(missing) in done.stderr
    assert "total" in done.stdout and EXERCISES[-1].name in done.stdout


def test_grading_works_from_inside_a_running_event_loop():
    """As when an instructor calls the grader from a Jupyter notebook."""
    import asyncio

    from autograd_course.grading import grader

    async def inside_a_loop():
        return grader.grade_file(SOLUTIONS[-1], timeout=30)

    graded = asyncio.run(inside_a_loop())
    assert graded.score == graded.max_score > 0
