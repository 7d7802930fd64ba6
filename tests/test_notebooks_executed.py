"""Every validated notebook is saved executed, with outputs: otherwise nbval would check nothing.

nbval runs a cell whose stored ``execution_count`` is null but never compares its output, so a
notebook saved without outputs would "pass". These tests catch that (fix: `make notebooks`).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
VALIDATED = [
    p for folder in ("chapters", "solutions") for p in sorted((ROOT / folder).glob("*.ipynb"))
]


def _code_cells(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_there_are_chapters_to_validate():
    assert any(p.parent.name == "chapters" for p in VALIDATED), "no notebooks in chapters/"


@pytest.mark.parametrize("path", VALIDATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_code_cell_was_executed_in_order(path: Path):
    cells = [cell for cell in _code_cells(path) if cell.source.strip()]
    assert cells, f"{path.name} has no code cells"
    counts = [cell.execution_count for cell in cells]
    missing = [i for i, count in enumerate(counts) if count is None]
    assert not missing, (
        f"{path.name}: code cells {missing} (0-based, non-empty cells) were never executed; "
        "run `make notebooks` and commit the result"
    )
    assert counts == list(range(1, len(cells) + 1)), (
        f"{path.name}: execution counts {counts} show the notebook was not run top to bottom "
        "in one fresh kernel; run `make notebooks`"
    )


@pytest.mark.parametrize("path", VALIDATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_has_outputs_and_no_unexpected_errors(path: Path):
    cells = _code_cells(path)
    assert any(cell.outputs for cell in cells), f"{path.name} has no outputs at all"
    for i, cell in enumerate(cells):
        errors = [out for out in cell.outputs if out.output_type == "error"]
        if errors and "raises-exception" not in cell.metadata.get("tags", []):
            raise AssertionError(
                f"{path.name}: code cell {i} saved an error ({errors[0].ename}); fix the cell, "
                "or tag it raises-exception if the error is the lesson"
            )


@pytest.mark.parametrize("path", VALIDATED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_kernelspec_is_plain_python3(path: Path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
