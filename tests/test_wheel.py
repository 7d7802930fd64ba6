"""The wheel carries the course: chapters, exercises and the data file, but not the solutions."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _build_wheel(out: Path) -> Path:
    """Build the wheel with hatchling's API, offline (no isolated build environment)."""
    code = "import sys; from hatchling.build import build_wheel; print(build_wheel(sys.argv[1]))"
    result = subprocess.run(
        [sys.executable, "-c", code, str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "No module named 'hatchling'" not in result.stderr, (
        "hatchling is needed to build the wheel offline: pip install hatchling"
    )
    assert result.returncode == 0, result.stderr
    return out / result.stdout.strip().splitlines()[-1]


def test_wheel_contains_notebooks_and_data_and_finds_them(tmp_path):
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"autograd_course/data/stock_prices.csv"}
    for folder in ("chapters", "exercises"):
        for path in sorted((ROOT / folder).glob("*.ipynb")):
            expected.add(f"autograd_course/course/{folder}/{path.name}")
    assert any("/course/chapters/" in name for name in expected)
    assert expected <= names, sorted(expected - names)
    assert not [n for n in names if "solutions" in n or ".ipynb_checkpoints" in n]

    # Installed from the wheel (unpacked first on sys.path), the CLI finds the packaged course.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-m", "autograd_course", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"Course folder: {site / 'autograd_course' / 'course'}" in result.stdout
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        assert path.name in result.stdout
