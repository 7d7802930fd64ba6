"""The course commands: `list`, `lab` and `copy` (autograd_course.course_files), via the CLI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograd_course import cli, course_files

ROOT = Path(__file__).resolve().parent.parent


def _notebook(path: Path, heading: str, description: str | None = None) -> None:
    """Write a minimal notebook whose first markdown cell starts with ``heading``."""
    metadata = {"autograd_course": {"description": description}} if description else {}
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "source": "# not a heading", "outputs": [],
             "execution_count": None},
            {"cell_type": "markdown", "metadata": {}, "source": [f"{heading}\n", "Some text."]},
        ],
        "metadata": metadata,
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture
def fake_course(tmp_path, monkeypatch) -> Path:
    """A small course folder that course_files uses instead of the real one."""
    root = tmp_path / "course"
    _notebook(root / "chapters" / "01_first.ipynb", "# Chapter 1 — First steps")
    _notebook(root / "chapters" / "02_second.ipynb", "## Second", description="The second one")
    _notebook(root / "exercises" / "01_first.ipynb", "# Exercises 1")
    (root / "chapters" / ".ipynb_checkpoints").mkdir()
    (root / "chapters" / ".ipynb_checkpoints" / "01_first-checkpoint.ipynb").write_text("{}")
    monkeypatch.setattr(course_files, "course_root", lambda: root)
    return root


def test_help_from_python_dash_m():
    result = subprocess.run(
        [sys.executable, "-m", "autograd_course", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in ("list", "lab", "copy"):
        assert command in result.stdout


def test_checkout_is_found_as_the_course():
    assert course_files.course_root() == ROOT


def test_list_shows_each_real_notebook_with_its_description(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    chapters = sorted((ROOT / "chapters").glob("*.ipynb"))
    assert chapters, "no chapters to list"
    for path in chapters + sorted((ROOT / "exercises").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        expected = nb["metadata"].get("autograd_course", {}).get("description")
        if not expected:  # no description in the metadata: the first heading
            first_md = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
            source = "".join(first_md["source"])
            heading = next(line for line in source.splitlines() if line.startswith("#"))
            expected = heading.lstrip("#").strip()
        section = out.split(f"\n{path.parent.name}/\n", 1)[1].split("\n\n", 1)[0]
        line = next(line for line in section.splitlines() if path.name in line)
        assert line.split(path.name, 1)[1].strip() == expected


def test_list_uses_metadata_then_first_heading(fake_course, capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert f"Course folder: {fake_course}" in out
    assert re.search(r"^  01_first\.ipynb +Chapter 1 — First steps$", out, re.MULTILINE)
    assert re.search(r"^  02_second\.ipynb +The second one$", out, re.MULTILINE)  # metadata first
    assert "Exercises 1" in out
    assert "checkpoint" not in out


def test_copy_copies_chapters_and_exercises(fake_course, tmp_path, capsys):
    dest = tmp_path / "mine"
    assert cli.main(["copy", str(dest)]) == 0
    copied = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert copied == [
        "chapters/01_first.ipynb",
        "chapters/02_second.ipynb",
        "exercises/01_first.ipynb",
    ]
    for name in copied:
        assert (dest / name).read_bytes() == (fake_course / name).read_bytes()
    assert "Copied 3 file(s)" in capsys.readouterr().out


def test_copy_never_overwrites_a_users_file(fake_course, tmp_path, capsys):
    dest = tmp_path / "mine"
    mine = dest / "chapters" / "01_first.ipynb"
    mine.parent.mkdir(parents=True)
    mine.write_text("my own work", encoding="utf-8")
    assert cli.main(["copy", str(dest)]) == 0
    out = capsys.readouterr().out
    assert mine.read_text(encoding="utf-8") == "my own work"
    assert f"skipped (already exists, left untouched): {mine}" in out
    assert (dest / "chapters" / "02_second.ipynb").exists()
    assert "Copied 2 file(s)" in out and "skipped 1 existing" in out
    # A second copy changes nothing at all.
    before = {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()}
    assert cli.main(["copy", str(dest)]) == 0
    assert "Copied 0 file(s)" in capsys.readouterr().out
    assert {p: p.read_bytes() for p in dest.rglob("*") if p.is_file()} == before


class _FakeServer:
    """Stands for the JupyterLab process: records its command line, exits at once."""

    def __init__(self, command, calls):
        calls.append(command)
        self.pid = 12345

    def poll(self):
        return 0

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def started(monkeypatch):
    """The command lines `lab` would start (nothing is started)."""
    calls = []
    monkeypatch.setattr(course_files.subprocess, "Popen", lambda cmd: _FakeServer(cmd, calls))
    monkeypatch.setattr(course_files, "is_root", lambda: False)
    monkeypatch.setenv("DISPLAY", ":0")
    return calls


def test_lab_opens_jupyterlab_on_the_course(fake_course, started):
    assert cli.main(["lab"]) == 0
    assert started == [
        [
            sys.executable,
            "-m",
            "jupyterlab",
            f"--ServerApp.root_dir={fake_course}",
            "--LabApp.default_url=/lab/tree/chapters",
        ]
    ]


def test_lab_as_root_allows_root_and_only_then(fake_course, started, monkeypatch):
    assert cli.main(["lab"]) == 0
    monkeypatch.setattr(course_files, "is_root", lambda: True)
    assert cli.main(["lab", "--port", "9999", "--ip", "0.0.0.0"]) == 0
    assert "--allow-root" not in started[0]
    assert started[1][-3:] == ["--ServerApp.port=9999", "--ServerApp.ip=0.0.0.0", "--allow-root"]


def test_is_root_follows_the_effective_user(monkeypatch):
    monkeypatch.setattr(course_files.os, "geteuid", lambda: 0, raising=False)
    assert course_files.is_root()
    monkeypatch.setattr(course_files.os, "geteuid", lambda: 1000, raising=False)
    assert not course_files.is_root()


def test_lab_without_a_display_opens_no_browser_and_prints_the_url(
    fake_course, started, monkeypatch, tmp_path, capsys
):
    monkeypatch.delenv("DISPLAY")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("BROWSER", raising=False)
    monkeypatch.setattr(course_files.sys, "platform", "linux")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    info = {"url": "http://localhost:8890/", "token": "abc123"}
    (tmp_path / "jpserver-12345.json").write_text(json.dumps(info), encoding="utf-8")
    monkeypatch.setattr(_FakeServer, "poll", lambda self: None)
    assert cli.main(["lab"]) == 0
    assert started[0][-1] == "--no-browser"
    assert "http://localhost:8890/lab/tree/chapters?token=abc123" in capsys.readouterr().out


def test_a_display_or_a_browser_setting_means_not_headless(monkeypatch):
    monkeypatch.setattr(course_files.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
        monkeypatch.delenv(name, raising=False)
    assert course_files.is_headless()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert not course_files.is_headless()
    monkeypatch.delenv("WAYLAND_DISPLAY")
    monkeypatch.setenv("BROWSER", "firefox")
    assert not course_files.is_headless()


def test_lab_on_a_missing_folder_is_a_clear_error(fake_course, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(course_files.subprocess, "Popen", lambda cmd: pytest.fail("lab started"))
    assert cli.main(["lab", str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err
