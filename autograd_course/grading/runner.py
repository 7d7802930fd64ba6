"""Run a submission's code cells in a fresh kernel, then the grader's probe cell.

Measured behaviour this module relies on (nbclient 0.11, ipykernel 7): with ``allow_errors``
an exception (including ``SystemExit``) is recorded and the next cell runs; with
``interrupt_on_timeout`` a cell past its time limit gets a KeyboardInterrupt and the kernel
lives on; ``os._exit`` kills the kernel (nbclient raises DeadKernelError). A cell that ignores
the interrupt is killed with the kernel after a grace period. Whenever the kernel dies, the
cell that killed it is skipped and the notebook re-run in a new kernel, so one bad cell costs
only what depends on it. Outputs are never kept beyond a small cap per cell: grading needs
only each cell's status, and a million printed lines must not fill the grader's memory.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import secrets
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from .tasks import base as task_base

KERNEL_NAME = "python3"
#: Characters of output kept per cell (the rest is counted, then dropped).
OUTPUT_CAP = 20_000
#: Seconds a cell may ignore the interrupt before its kernel is killed.
KILL_GRACE = 5.0
#: Kernels started for one submission at most (each death skips one cell or task).
MAX_KERNELS = 4
#: Largest probe result file read back, in bytes.
MAX_RESULT_BYTES = 20_000_000
#: The kernel's temporary file name in SyntaxError messages, e.g. "(3628496344.py, line 1)".
_TEMP_FILE = re.compile(r"\(\d+\.py, line (\d+)\)")
#: Environment of the student's kernel: the same as the course's notebooks are checked in.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "AUTOGRAD_COURSE_HEADLESS": "1",
    "PYTHONWARNINGS": "ignore",
}


@dataclass
class CellRun:
    """What happened to one code cell (``index`` counts all cells, from 0)."""

    index: int
    first_line: str
    status: str = "not_run"  # ok, error, timeout, killed, dead, skipped, not_run
    ename: str = ""
    evalue: str = ""
    output_chars: int = 0


@dataclass
class Execution:
    """Everything the grader learns from running a submission."""

    cells: dict[int, CellRun]
    envelopes: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    kernels_started: int = 0
    elapsed: float = 0.0


def _kernel_manager() -> Any:
    """A kernel manager for a "python3" kernel running this very Python (where the grader and
    the course are installed), whatever "python3" means in the user's Jupyter setup."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    class _ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> Any:
            return self.kernel_spec_class(resource_dir=RESOURCES, **get_kernel_dict())

    return AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=_ThisPython())


class _CappedClient(NotebookClient):
    """nbclient that keeps at most OUTPUT_CAP characters of output per cell."""

    def __init__(self, nb: NotebookNode, **kw: Any) -> None:
        super().__init__(nb, **kw)
        self.output_chars: dict[int, int] = {}
        self.replies: dict[int, dict[str, Any]] = {}
        self.on_cell_executed = self._remember_reply

    def _remember_reply(self, cell: Any, cell_index: int, execute_reply: Any) -> None:
        """Keep each cell's execute reply (status, ename, evalue)."""
        if execute_reply is not None:
            self.replies[cell_index] = execute_reply.get("content", {})

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        """Count every output; store it only while the cell is under the cap."""
        used = self.output_chars.get(cell_index, 0) + _message_size(msg)
        self.output_chars[cell_index] = used
        if used > OUTPUT_CAP:
            return None
        return super().output(outs, msg, display_id, cell_index)


def _message_size(msg: dict[str, Any]) -> int:
    """Characters of text a stream/display/error message carries."""
    content = msg.get("content", {})
    size = len(content.get("text", "") or "")
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    size += sum(len(line) for line in content.get("traceback", []) or [])
    return size


def probe_source(
    exercise_path: Path, task_ids: list[str], out_path: str, nonce: str, limit: float
) -> str:
    """The grader's probe cell: self-contained, it loads fresh private copies of the task
    modules by file path (nothing the notebook imported or patched) and writes raw values
    for each task to ``out_path``, marked with ``nonce``."""
    base_path = str(Path(task_base.__file__).resolve())
    package = f"_autograd_course_probe_{nonce}"
    return f"""\
def _autograd_course_probe():
    import importlib.util
    import sys
    import types

    package = {package!r}
    sys.modules[package] = types.ModuleType(package)
    sys.modules[package].__path__ = []

    def load(name, path):
        spec = importlib.util.spec_from_file_location(package + "." + name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module

    try:
        base = load("base", {base_path!r})
        exercise = load("exercise", {str(exercise_path)!r})
        tasks = [task for task in exercise.TASKS if task.id in {task_ids!r}]
        namespace = sys._getframe(1).f_globals
        base.run_probes(namespace, tasks, {out_path!r}, {nonce!r}, {limit!r})
    finally:
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


_autograd_course_probe()
del _autograd_course_probe
"""


def execute(
    nb: NotebookNode,
    exercise_path: Path,
    task_ids: list[str],
    timeout: float,
    total_limit: float,
) -> Execution:
    """Run the notebook's code cells then the probe; never raises for anything the notebook
    does (a kernel that cannot start at all raises RuntimeError: that is the grader's setup)."""
    work = _execute(nb, exercise_path, task_ids, timeout, total_limit)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop here yet
        return asyncio.run(work)
    # Called from a running loop (e.g. inside Jupyter): run in a thread with its own loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _execute(
    nb: NotebookNode, exercise_path: Path, task_ids: list[str], timeout: float, total_limit: float
) -> Execution:
    """Attempt loop: each kernel death skips the culprit (a cell or a task) and starts over."""
    start = time.monotonic()
    code_cells = [
        (index, cell)
        for index, cell in enumerate(nb.cells)
        if cell.get("cell_type") == "code" and str(cell.get("source", "")).strip()
    ]
    runs = {index: CellRun(index, _first_line(cell.source)) for index, cell in code_cells}
    execution = Execution(cells=runs)
    skipped: set[int] = set()
    with tempfile.TemporaryDirectory(prefix="autograd-course-grade-") as work:
        while execution.kernels_started < MAX_KERNELS:
            cwd = Path(work, f"cwd-{execution.kernels_started}")  # a clean folder per kernel
            cwd.mkdir()
            remaining = [task for task in task_ids if task not in execution.envelopes]
            if not remaining:
                break
            nonce = secrets.token_hex(16)
            out_path = str(Path(work, f"probe-{nonce}.jsonl"))
            source = probe_source(exercise_path, remaining, out_path, nonce, timeout)
            probe_timeout = timeout * len(remaining) + 30
            lost = await _attempt(
                code_cells,
                skipped,
                runs,
                source,
                probe_timeout,
                timeout,
                start + total_limit,
                cwd,
                execution,
            )
            found = _read_results(out_path, nonce, remaining)
            execution.envelopes.update(found)
            if lost == "probe":
                culprit = next((task for task in remaining if task not in found), None)
                if culprit is not None:
                    execution.envelopes[culprit] = _kernel_died_envelope()
            elif isinstance(lost, int):
                skipped.add(lost)
            else:
                break
        else:
            execution.notes.append(
                f"the kernel died {MAX_KERNELS} times; grading stopped with what was checked"
            )
    execution.elapsed = time.monotonic() - start
    return execution


async def _attempt(
    code_cells: list[tuple[int, NotebookNode]],
    skipped: set[int],
    runs: dict[int, CellRun],
    probe: str,
    probe_timeout: float,
    timeout: float,
    deadline: float,
    cwd: Path,
    execution: Execution,
) -> int | str | None:
    """One kernel: run the cells not skipped, then the probe. Returns the index of a cell
    that killed the kernel, "probe" when the probe did, or None."""
    cells = [new_code_cell(source=cell.source) for _, cell in code_cells]
    cells.append(new_code_cell(source=probe))
    copy = new_notebook(cells=cells)
    client = _CappedClient(
        copy,
        km=_kernel_manager(),
        timeout=max(1, int(round(timeout))),
        kernel_name=KERNEL_NAME,
        allow_errors=True,
        interrupt_on_timeout=True,
        record_timing=False,
        shutdown_kernel="immediate",
        startup_timeout=120,
        iopub_timeout=10,
    )
    env = {**os.environ, **KERNEL_ENV}
    execution.kernels_started += 1
    started = False
    try:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        async with client.async_setup_kernel(env=env, cwd=str(cwd), cleanup_kc=True, **quiet):
            started = True
            for position, (index, _) in enumerate(code_cells):
                run = runs[index]
                if index in skipped:  # it killed an earlier kernel: keep that status
                    continue
                if time.monotonic() > deadline:
                    execution.notes.append(
                        "the notebook ran past its overall time limit: later cells were not run"
                    )
                    break
                outcome = await _run_cell(client, copy.cells[position], position, timeout)
                _record(run, client, position, outcome)
                if outcome in ("dead", "killed"):
                    return index
            client.timeout = max(1, int(round(probe_timeout)))
            position = len(copy.cells) - 1
            outcome = await _run_cell(client, copy.cells[-1], position, probe_timeout)
            if outcome in ("dead", "killed"):
                return "probe"
            reply = client.replies.get(position, {})
            if reply.get("status") == "error":
                name = task_base._short(reply.get("ename", ""))
                value = task_base._short(reply.get("evalue", ""))
                execution.notes.append(
                    f"the grader's checks could not run ({name}: {value}); did the notebook "
                    "replace or delete a standard module?"
                )
    except DeadKernelError:
        return "probe"
    except Exception as exc:
        if not started and execution.kernels_started == 1:
            raise RuntimeError(f"could not start a {KERNEL_NAME} kernel: {exc}") from exc
        execution.notes.append(f"the kernel failed ({type(exc).__name__}: {exc})")
    return None


async def _run_cell(
    client: _CappedClient, cell: NotebookNode, position: int, timeout: float
) -> str:
    """Execute one cell: "ok", "timeout" (interrupted), "killed" (ignored the interrupt, so
    its kernel was killed) or "dead" (the kernel died)."""
    task = asyncio.ensure_future(client.async_execute_cell(cell, position))
    done, _ = await asyncio.wait({task}, timeout=timeout + KILL_GRACE)
    killed = False
    if not done:
        killed = True
        await _kill(client)
        done, _ = await asyncio.wait({task}, timeout=15)
        if not done:
            task.cancel()
            return "killed"
    try:
        task.result()
    except (DeadKernelError, asyncio.CancelledError):
        return "killed" if killed else "dead"
    except CellTimeoutError:
        return "timeout"
    if killed:
        return "killed"
    reply = client.replies.get(position, {})
    if reply.get("status") == "error" and reply.get("ename") == "KeyboardInterrupt":
        return "timeout"
    return "ok"


async def _kill(client: _CappedClient) -> None:
    """Kill the kernel process outright (it ignored the interrupt)."""
    try:
        if hasattr(signal, "SIGKILL"):
            await client.km.signal_kernel(signal.SIGKILL)
        else:  # pragma: no cover - Windows
            await client.km.shutdown_kernel(now=True)
    except Exception:
        pass


def _record(run: CellRun, client: _CappedClient, position: int, outcome: str) -> None:
    """Fill a CellRun from the cell's reply and the outcome of running it."""
    reply = client.replies.get(position, {})
    run.output_chars = client.output_chars.get(position, 0)
    if outcome in ("dead", "killed"):
        run.status = outcome
    elif outcome == "timeout":
        run.status = "timeout"
    elif reply.get("status") == "error":
        run.status = "error"
        run.ename = task_base._short(reply.get("ename", ""))
        # a SyntaxError names the kernel's temporary file: keep only the line number
        run.evalue = _TEMP_FILE.sub(r"(line \1)", task_base._short(reply.get("evalue", "")))
    else:
        run.status = "ok"


def _read_results(path: str, nonce: str, task_ids: list[str]) -> dict[str, Any]:
    """Envelopes from the probe's result file; lines without the nonce are ignored."""
    found: dict[str, Any] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read(MAX_RESULT_BYTES)
    except OSError:
        return found
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) != 3 or parts[0] != nonce or parts[1] not in task_ids:
            continue
        try:
            found[parts[1]] = json.loads(parts[2])
        except ValueError:
            found[parts[1]] = None
    return found


def _kernel_died_envelope() -> dict[str, Any]:
    """The result of a task whose check killed the kernel."""
    return {
        "status": "error",
        "error": {"type": "the kernel died", "message": "", "during": "checking this answer"},
    }


def _first_line(source: str) -> str:
    """The first non-empty line of a cell, shortened, to name the cell in notes."""
    for line in str(source).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 40 else line[:39] + "…"
    return ""
