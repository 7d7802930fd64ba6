"""Run a submission's code cells in a fresh sandboxed kernel, then one probe cell per task.

Measured behaviour this module relies on (nbclient 0.11, ipykernel 7): with ``allow_errors``
an exception (including ``SystemExit``) is recorded and the next cell runs; an interrupt past a
cell's time limit raises KeyboardInterrupt and the kernel lives on; ``os._exit`` kills the
kernel (nbclient raises DeadKernelError). A cell that ignores the interrupt is killed with the
kernel after a grace period. Whenever the kernel dies, the cell (or the task check) that killed
it is skipped and the notebook re-run in a new kernel, so one bad cell costs only what depends
on it. One hard deadline covers every kernel, cell and check of a submission.

Each probe cell carries the source of the task's probe and inputs drawn for this run only; it
sends its result back as a display message. Nothing the kernel sends is trusted: a result only
earns points when it matches what the grader computes for those inputs. Outputs are never kept
beyond a small cap per cell: grading needs only each cell's status.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import random
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_notebook

from .probes.runtime import MIME
from .probes.runtime import short as _short
from .registry import Exercise, draw_inputs
from .sandbox import Limits, Sandbox

KERNEL_NAME = "python3"
#: Characters of output kept per cell (the rest is counted, then dropped).
OUTPUT_CAP = 20_000
#: Seconds a cell may ignore the interrupt before its kernel is killed.
KILL_GRACE = 5.0
#: Seconds a task check may run past its own time limit before it is interrupted.
PROBE_GRACE = 2.0
#: Kernels started for one submission at most (each death skips one cell or task).
MAX_KERNELS = 4
#: Largest probe result read back, in characters; largest message the grader accepts, in bytes.
MAX_RESULT_CHARS = 2_000_000
MAX_MESSAGE_BYTES = 32 << 20
#: The kernel's temporary file name in SyntaxError messages, e.g. "(3628496344.py, line 1)".
_TEMP_FILE = re.compile(r"\(\d+\.py, line (\d+)\)")


@dataclass
class CellRun:
    """What happened to one code cell (``index`` counts all cells, from 0)."""

    index: int
    first_line: str
    status: str = "not_run"  # ok, error, timeout, killed, dead, not_run
    ename: str = ""
    evalue: str = ""
    output_chars: int = 0


@dataclass
class Execution:
    """Everything the grader learns from running a submission."""

    cells: dict[int, CellRun]
    envelopes: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    out_of_time: bool = False
    kernels_started: int = 0
    elapsed: float = 0.0


@dataclass(frozen=True)
class Plan:
    """How to run one submission: time limits, the sandbox and its resource limits."""

    timeout: float
    total_limit: float
    sandbox: str
    limits: Limits = Limits()


class _SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel starts inside a Sandbox (and whose client refuses
    messages larger than MAX_MESSAGE_BYTES, so a kernel cannot flood the grader's memory)."""

    def __init__(self, sandbox: Sandbox, argv: list[str], **kw: Any) -> None:
        spec = KernelSpec(argv=argv, display_name="sandbox", language="python")
        spec.interrupt_mode = "message"  # signals cannot cross into the sandbox

        class _Spec(KernelSpecManager):
            def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
                return spec

        super().__init__(kernel_name=KERNEL_NAME, kernel_spec_manager=_Spec(), **kw)
        self.sandbox = sandbox
        self.transport = sandbox.transport
        self.ip = sandbox.kernel_ip
        self.connection_file = sandbox.connection_file
        self.client_context = zmq.asyncio.Context()
        self.client_context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        result = await super()._async_pre_start_kernel(**kw)
        self.sandbox.prepare_connection_file()
        return result

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        await super()._async_launch_kernel(kernel_cmd, **kw)
        outside = await self.sandbox.launched(self.provisioner.process.pid)  # type: ignore[union-attr]
        if outside is not None:
            self.ip = outside

    def client(self, **kwargs: Any) -> Any:
        kwargs.setdefault("context", self.client_context)
        return super().client(**kwargs)

    def cleanup_ipc_files(self) -> None:
        """The sockets live in the sandbox's tmpfs, which is gone with it."""


class _CappedClient(NotebookClient):
    """nbclient that keeps at most OUTPUT_CAP characters of output per cell, and sets probe
    results aside."""

    def __init__(self, nb: NotebookNode, **kw: Any) -> None:
        super().__init__(nb, **kw)
        self.output_chars: dict[int, int] = {}
        self.replies: dict[int, dict[str, Any]] = {}
        self.probe_results: dict[int, str] = {}
        self.on_cell_executed = self._remember_reply

    def _remember_reply(self, cell: Any, cell_index: int, execute_reply: Any) -> None:
        """Keep each cell's execute reply (status, ename, evalue)."""
        if execute_reply is not None:
            self.replies[cell_index] = execute_reply.get("content", {})

    def output(self, outs: list, msg: dict, display_id: str | None, cell_index: int) -> Any:
        """Keep a cell's first probe result; count every output, store it only under the cap."""
        data = msg.get("content", {}).get("data")
        if isinstance(data, dict) and MIME in data:
            if cell_index not in self.probe_results and isinstance(data[MIME], str):
                self.probe_results[cell_index] = data[MIME][:MAX_RESULT_CHARS]
            return None
        used = self.output_chars.get(cell_index, 0) + _message_size(msg)
        self.output_chars[cell_index] = used
        if used > OUTPUT_CAP:
            return None
        return super().output(outs, msg, display_id, cell_index)


def _message_size(msg: dict[str, Any]) -> int:
    """Characters of text a stream/display/error message carries."""
    content = msg.get("content", {})
    size = len(str(content.get("text", "") or ""))
    for value in (content.get("data") or {}).values():
        size += len(value) if isinstance(value, str) else len(json.dumps(value))
    size += sum(len(str(line)) for line in content.get("traceback", []) or [])
    return size


def probe_source(exercise: Exercise, task_id: str, answer: str, inputs: Any, limit: float) -> str:
    """The grader's probe cell for one task: self-contained (it runs the probe's source in
    fresh private modules, nothing the notebook imported), with this run's inputs."""
    runtime_source, probes_source = exercise.probe_sources()
    package = f"_autograd_course_probe_{secrets.token_hex(8)}"
    return f"""\
def _autograd_course_probe():
    import sys
    import types

    package = {package!r}
    sys.modules[package] = types.ModuleType(package)
    sys.modules[package].__path__ = []
    try:
        for name, source in (("runtime", {runtime_source!r}), ("exercise", {probes_source!r})):
            module = types.ModuleType(package + "." + name)
            module.__package__ = package
            sys.modules[module.__name__] = module
            exec(compile(source, "<grader's " + name + ">", "exec"), module.__dict__)
        runtime = sys.modules[package + ".runtime"]
        probe = sys.modules[package + ".exercise"].PROBES[{task_id!r}]
        namespace = sys._getframe(1).f_globals
        runtime.probe_answer(namespace, {task_id!r}, {answer!r}, probe, {inputs!r}, {limit!r})
    finally:
        for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
            del sys.modules[name]


_autograd_course_probe()
del _autograd_course_probe
"""


def execute(nb: NotebookNode, data: bytes, exercise: Exercise, plan: Plan) -> Execution:
    """Run the notebook's code cells then the task checks; never raises for anything the
    notebook does (a kernel that cannot start at all raises RuntimeError: that is the
    grader's setup)."""
    work = _execute(nb, data, exercise, plan)
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # the usual case: no event loop here yet
        return asyncio.run(work)
    # Called from a running loop (e.g. inside Jupyter): run in a thread with its own loop.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


async def _execute(nb: NotebookNode, data: bytes, exercise: Exercise, plan: Plan) -> Execution:
    """Attempt loop: each kernel death skips the culprit (a cell or a task) and starts over."""
    start = time.monotonic()
    deadline = start + plan.total_limit
    code_cells = [
        (index, cell)
        for index, cell in enumerate(nb.cells)
        if cell.get("cell_type") == "code" and str(cell.get("source", "")).strip()
    ]
    execution = Execution(cells={i: CellRun(i, _first_line(c.source)) for i, c in code_cells})
    skipped: set[int] = set()
    rng = random.Random(secrets.randbits(128))
    while execution.kernels_started < MAX_KERNELS:
        if not [task for task in exercise.tasks if task.id not in execution.envelopes]:
            break
        if time.monotonic() >= deadline:
            execution.out_of_time = True
            break
        attempt = _attempt(code_cells, skipped, data, exercise, plan, deadline, rng, execution)
        try:
            lost = await asyncio.wait_for(attempt, deadline - time.monotonic() + 30)
        except asyncio.TimeoutError:
            execution.out_of_time = True
            break
        if isinstance(lost, int):
            skipped.add(lost)
        elif lost != "task":
            break
    else:
        execution.notes.append(
            f"the kernel died {MAX_KERNELS} times; grading stopped with what was checked"
        )
    if execution.out_of_time:
        execution.notes.append(
            f"the notebook used up its total time limit of {plan.total_limit:g} s; "
            "what was not run by then was not checked"
        )
    execution.elapsed = time.monotonic() - start
    return execution


async def _attempt(
    code_cells: list[tuple[int, NotebookNode]],
    skipped: set[int],
    data: bytes,
    exercise: Exercise,
    plan: Plan,
    deadline: float,
    rng: random.Random,
    execution: Execution,
) -> int | str | None:
    """One kernel in a fresh sandbox: run the cells not skipped, then each task's check still
    to do. Returns the index of a cell that killed the kernel, "task" when a check did (its
    envelope is recorded), or None."""
    pending = [task for task in exercise.tasks if task.id not in execution.envelopes]
    cells = [new_code_cell(source=cell.source) for _, cell in code_cells]
    cells += [new_code_cell(source="") for _ in pending]
    copy = new_notebook(cells=cells)
    box = Sandbox(plan.sandbox, plan.limits, deadline - time.monotonic() + 10, data)
    kernel = [sys.executable, "-m", "ipykernel_launcher", "-f", box.kernel_connection_file]
    argv = box.command(kernel, box.connection_file)
    km = _SandboxedKernelManager(box, argv)
    client = _CappedClient(
        copy,
        km=km,
        timeout=max(1, int(round(plan.timeout))),
        kernel_name=KERNEL_NAME,
        allow_errors=True,
        interrupt_on_timeout=True,
        record_timing=False,
        shutdown_kernel="immediate",
        startup_timeout=max(10, min(120, int(deadline - time.monotonic()))),
        iopub_timeout=10,
    )
    execution.kernels_started += 1
    started = False
    try:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        setup = client.async_setup_kernel(
            env=box.env(), cwd=str(box.host), cleanup_kc=True, **quiet
        )
        async with setup:
            started = True
            for position, (index, _) in enumerate(code_cells):
                if index in skipped:  # it killed an earlier kernel: keep that status
                    continue
                left = deadline - time.monotonic()
                if left <= 0:
                    execution.out_of_time = True
                    return None
                run = execution.cells[index]
                outcome = await _run_cell(client, position, min(plan.timeout, left), deadline)
                _record(run, client, position, outcome)
                if outcome == "killed" and time.monotonic() >= deadline:
                    execution.out_of_time = True
                    return None
                if outcome in ("dead", "killed"):
                    return index
            for offset, task in enumerate(pending):
                position = len(code_cells) + offset
                left = deadline - time.monotonic()
                if left <= 0:
                    execution.out_of_time = True
                    return None
                limit = min(plan.timeout, left)
                inputs = draw_inputs(task, rng)
                execution.inputs[task.id] = inputs
                copy.cells[position].source = probe_source(
                    exercise, task.id, task.answer, inputs, round(limit, 3)
                )
                outcome = await _run_cell(client, position, limit + PROBE_GRACE, deadline)
                envelope = _probe_result(client.probe_results.get(position), task.id)
                if outcome in ("dead", "killed"):
                    execution.envelopes[task.id] = envelope or _lost_envelope(outcome)
                    return "task"
                execution.envelopes[task.id] = envelope
                reply = client.replies.get(position, {})
                if envelope is None and reply.get("status") == "error":
                    name, value = _short(reply.get("ename", "")), _short(reply.get("evalue", ""))
                    execution.notes.append(
                        f"the grader's check of {task.id} could not run ({name}: {value}); "
                        "did the notebook replace or delete a standard module?"
                    )
    except DeadKernelError:
        return None
    except Exception as exc:
        if not started and execution.kernels_started == 1:
            raise RuntimeError(f"could not start a {KERNEL_NAME} kernel: {exc}") from exc
        execution.notes.append(f"the kernel failed ({type(exc).__name__})")
    finally:
        await box.finish()
        km.client_context.destroy(linger=0)
    return None


async def _run_cell(client: _CappedClient, position: int, timeout: float, deadline: float) -> str:
    """Execute one cell: "ok", "timeout" (interrupted), "killed" (ignored the interrupt, or
    still ran at the deadline, so its kernel was killed) or "dead" (the kernel died)."""
    client.timeout = max(1, int(round(timeout)))
    cell = client.nb.cells[position]
    task = asyncio.ensure_future(client.async_execute_cell(cell, position))
    wait = min(client.timeout + KILL_GRACE, max(0.0, deadline - time.monotonic()))
    done, _ = await asyncio.wait({task}, timeout=wait)
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
    """Kill the kernel's sandbox outright (it ignored the interrupt)."""
    try:
        await client.km.signal_kernel(signal.SIGKILL)  # type: ignore[union-attr]
    except Exception:
        pass
    await asyncio.get_running_loop().run_in_executor(None, client.km.sandbox.stop)  # type: ignore[union-attr]


def _record(run: CellRun, client: _CappedClient, position: int, outcome: str) -> None:
    """Fill a CellRun from the cell's reply and the outcome of running it."""
    reply = client.replies.get(position, {})
    run.output_chars = client.output_chars.get(position, 0)
    if outcome in ("dead", "killed", "timeout"):
        run.status = outcome
    elif reply.get("status") == "error":
        run.status = "error"
        run.ename = _short(reply.get("ename", ""))
        # a SyntaxError names the kernel's temporary file: keep only the line number
        run.evalue = _TEMP_FILE.sub(r"(line \1)", _short(reply.get("evalue", "")))
    else:
        run.status = "ok"


def _probe_result(text: str | None, task_id: str) -> Any:
    """The envelope in a probe's result message (None when there is none for this task)."""
    if text is None:
        return None
    try:
        message = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(message, dict) or message.get("task") != task_id:
        return None
    return message.get("envelope")


def _lost_envelope(outcome: str) -> dict[str, Any]:
    """The result of a task whose check killed the kernel or was killed with it."""
    if outcome == "killed":
        return {"status": "timeout", "error": {"during": "", "message": ""}}
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
