"""The ``list``, ``lab`` and ``copy`` commands: find the course notebooks and hand them to the user.

The notebooks live in ``chapters/`` and ``exercises/``: at the top of a checkout (editable
install), or inside the package as ``autograd_course/course/`` (installed wheel).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

FOLDERS = ("chapters", "exercises")
_PACKAGE = Path(__file__).resolve().parent


def course_root() -> Path:
    """The folder holding chapters/ and exercises/: the installed copy, else the checkout."""
    for candidate in (_PACKAGE / "course", _PACKAGE.parent):
        if (candidate / "chapters").is_dir():
            return candidate
    raise FileNotFoundError(
        "The course notebooks were not found: expected a chapters/ folder in "
        f"{_PACKAGE / 'course'} (installed package) or {_PACKAGE.parent} (source checkout). "
        "Reinstall the package (pip install autograd-course) or run from a full checkout."
    )


def notebooks(folder: Path) -> list[Path]:
    """The notebooks of one course folder, in name order (chapter order)."""
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file())


def description(path: Path) -> str:
    """A notebook's one-line description: its metadata's, else its first heading."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"(unreadable notebook: {error})"
    text = nb.get("metadata", {}).get("autograd_course", {}).get("description")
    if text:
        return str(text)
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        lines = source.splitlines() if isinstance(source, str) else "".join(source).splitlines()
        for line in lines:
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return ""


def list_course(root: Path) -> int:
    """Print each folder's notebooks with their descriptions."""
    print(f"Course folder: {root}")
    for name in FOLDERS:
        folder = root / name
        items = notebooks(folder) if folder.is_dir() else []
        print(f"\n{name}/")
        if not items:
            print("  (none yet)")
        width = max((len(p.name) for p in items), default=0)
        for path in items:
            print(f"  {path.name:<{width}}  {description(path)}")
    print("\nOpen them with `autograd-course lab`, or copy them with `autograd-course copy DEST`.")
    return 0


def lab_command(root: Path, folder: str | None) -> list[str]:
    """The JupyterLab command line for ``folder`` (default: the course).

    The server's root is the folder holding chapters/ and exercises/, so a chapter's link to
    its exercise notebook (``../exercises/...``) works; the file browser opens in chapters/.
    """
    base = Path(folder).resolve() if folder else root
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={base}"]
    if (base / "chapters").is_dir():
        command.append("--LabApp.default_url=/lab/tree/chapters")
    return command


def open_lab(root: Path, folder: str | None) -> int:
    """Start JupyterLab on ``folder`` (default: the course); return its exit status."""
    if folder is not None and not Path(folder).is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return 2
    if folder is None and root == _PACKAGE / "course":
        print(
            "Note: these are the installed copies; changes you make are lost when the package "
            "is reinstalled. For your own copy: autograd-course copy my-course && "
            "autograd-course lab my-course"
        )
    try:
        return subprocess.call(lab_command(root, folder))
    except KeyboardInterrupt:  # Ctrl-C is how one stops JupyterLab
        return 0


def copy_course(root: Path, dest: Path) -> int:
    """Copy chapters/ and exercises/ into ``dest``; existing files are skipped, never overwritten."""
    copied, skipped = 0, []
    for name in FOLDERS:
        source = root / name
        if not source.is_dir():
            print(f"note: {source} does not exist; nothing to copy from it")
            continue
        for path in sorted(source.rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or any(part.startswith(".") for part in relative.parts):
                continue  # e.g. .ipynb_checkpoints
            if "__pycache__" in relative.parts:
                continue
            target = dest / relative
            if target.exists():
                skipped.append(target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied += 1
    for target in skipped:
        print(f"skipped (already exists, left untouched): {target}")
    print(f"Copied {copied} file(s) into {dest}; skipped {len(skipped)} existing file(s).")
    if copied:
        print(f"Start with: autograd-course lab {dest}")
    return 0


def run(args: argparse.Namespace) -> int:
    """Dispatch ``autograd-course list | lab [FOLDER] | copy DEST``; return the exit status."""
    try:
        root = course_root()
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.command == "list":
        return list_course(root)
    if args.command == "lab":
        return open_lab(root, args.folder)
    if args.command == "copy":
        return copy_course(root, Path(args.dest))
    raise ValueError(f"course_files cannot run the command {args.command!r}")
