"""The ``list``, ``lab`` and ``copy`` commands: find the course notebooks and hand them to the user.

The notebooks live in ``chapters/`` and ``exercises/``: at the top of a checkout (editable
install), or inside the package as ``autograd_course/course/`` (installed wheel).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
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


def is_root() -> bool:
    """Whether this process runs as root (a container, a root shell): Jupyter then wants --allow-root."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def is_headless() -> bool:
    """Whether no browser can open here: Linux or BSD without an X11 or Wayland display.

    A ``BROWSER`` variable says which browser to start, so a machine with it set is not headless.
    """
    if sys.platform in ("darwin", "win32") or os.environ.get("BROWSER"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _start_page(base: Path) -> str:
    """The page JupyterLab opens first: the chapters' folder when there is one."""
    return "/lab/tree/chapters" if (base / "chapters").is_dir() else "/lab"


def lab_command(
    root: Path,
    folder: str | None,
    *,
    port: int | None = None,
    ip: str | None = None,
    open_browser: bool = True,
) -> list[str]:
    """The JupyterLab command line for ``folder`` (default: the course).

    The server's root is the folder holding chapters/ and exercises/, so a chapter's link to
    its exercise notebook (``../exercises/...``) works; the file browser opens in chapters/.
    """
    base = Path(folder).resolve() if folder else root
    command = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={base}"]
    if _start_page(base) != "/lab":
        command.append(f"--LabApp.default_url={_start_page(base)}")
    if port is not None:
        command.append(f"--ServerApp.port={port}")
    if ip is not None:
        command.append(f"--ServerApp.ip={ip}")
    if not open_browser:
        command.append("--no-browser")
    if is_root():  # Jupyter refuses to start as root without it (Docker, a course server)
        command.append("--allow-root")
    return command


def _server_url(pid: int, runtime_dir: Path, default_url: str) -> str | None:
    """The URL (with its token) of the Jupyter server ``pid``, read from its runtime file."""
    try:
        info = json.loads((runtime_dir / f"jpserver-{pid}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url = info.get("url", "").rstrip("/") + default_url
    return f"{url}?token={info['token']}" if info.get("token") else url


def _announce_url(server: subprocess.Popen, default_url: str, timeout: float = 120.0) -> None:
    """Print the address to open once the server is up (no browser opens on a headless machine)."""
    from jupyter_core.paths import jupyter_runtime_dir

    runtime_dir = Path(jupyter_runtime_dir())
    deadline = time.monotonic() + timeout
    while server.poll() is None and time.monotonic() < deadline:
        url = _server_url(server.pid, runtime_dir, default_url)
        if url:
            print(f"\nThe course is running. Open this address in a browser:\n\n    {url}\n")
            print("(Press Ctrl-C to stop the server.)", flush=True)
            return
        time.sleep(0.2)


def open_lab(
    root: Path,
    folder: str | None,
    *,
    port: int | None = None,
    ip: str | None = None,
    no_browser: bool = False,
) -> int:
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
    open_browser = not (no_browser or is_headless())
    command = lab_command(root, folder, port=port, ip=ip, open_browser=open_browser)
    server = subprocess.Popen(command)
    # Stopping this command (SIGTERM: a service manager, a test) stops the server it started.
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        if not open_browser:
            _announce_url(server, _start_page(Path(folder).resolve() if folder else root))
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C is how one stops JupyterLab: shut it down cleanly
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


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
        return open_lab(root, args.folder, port=args.port, ip=args.ip, no_browser=args.no_browser)
    if args.command == "copy":
        return copy_course(root, Path(args.dest))
    raise ValueError(f"course_files cannot run the command {args.command!r}")
