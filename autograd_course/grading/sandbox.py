"""Where a submission's kernel runs: one sandbox per kernel, in one of three modes.

``bwrap`` (Linux, the package ``bubblewrap``): the kernel gets its own PID, network, IPC and UTS
namespaces (every process it starts dies with it; no network), a read-only view of the Python
environment with the task references (grading/tasks/) hidden, a private size-capped tmpfs as
its only writable folder (holding its copy of the submission), and nothing else of the
filesystem: no home, no solutions, no other submissions, no report paths. As root the kernel
also drops to an unused unprivileged uid; as a normal user it runs in a user namespace that may
not create further ones. It talks to the grader over Unix sockets inside its tmpfs, reached
from outside through /proc/PID/root.

``user`` (root without a working bwrap): the kernel runs as an unused unprivileged uid, in a
fresh session, with its own folder; afterwards every process of that uid is killed and its
files in the shared temporary folders are deleted. It cannot write the grader's or other
students' files, signal the grader or outlive its grading, but it can read every file that
other users may read, and it has the network.

``session`` (a normal user without a working bwrap): the kernel runs as the grader's own user
in a fresh session; afterwards that session is killed. This only protects against accidents
(loops, floods, memory): hostile code can read and write everything the grader's user can,
and a process that starts its own session survives. Good for a student checking their own
notebook; not for real grades.

Every mode applies the same resource limits (address space, processes, file size, open files,
CPU time) before the kernel starts; the runner adds the wall-clock limits.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MODES = ("auto", "bwrap", "user", "session")
#: Environment variable that chooses the mode when the command line does not.
MODE_ENV = "AUTOGRAD_COURSE_SANDBOX"
#: Where the sandboxed kernel's private tmpfs is mounted (bwrap).
BOX = "/sandbox"
#: First uid tried for kernels run as an unprivileged user (a random one above it is used).
UID_BASE = 2_100_000_000
#: Environment of every kernel: the one the course's notebooks are checked in, and no more.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "MPLBACKEND": "Agg",
    "AUTOGRAD_COURSE_HEADLESS": "1",
    "AUTOGRAD_COURSE_GRADING": "1",
    "PYTHONWARNINGS": "ignore",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "LANG": "C.UTF-8",
    "USER": "student",
    "LOGNAME": "student",
}
#: Files of /etc a Python kernel may need (dynamic linker, time zone, fonts); nothing else.
_ETC = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/localtime",
    "/etc/alternatives",
    "/etc/fonts",
    "/etc/mime.types",
)
_SYSTEM = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")

#: Run first in the kernel's process: limits, then (as root) the unprivileged uid, then exec.
#: Written for ``python -c``: it imports nothing of the course, so it works wherever Python does.
LAUNCHER = """\
import ctypes, json, os, resource, signal, sys
spec = json.loads(sys.argv[1])
for name, value in spec["limits"].items():
    resource.setrlimit(getattr(resource, name), (value, value))
if spec["uid"] is not None:
    os.setgroups([])
    os.setgid(spec["uid"])
    os.setuid(spec["uid"])
if spec["parent"]:
    ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    if os.getppid() != spec["parent"]:
        os._exit(1)
os.umask(0o077)
for folder in spec["dirs"]:
    os.makedirs(folder, exist_ok=True)
os.chdir(spec["cwd"])
for name in spec["unset"]:
    os.environ.pop(name, None)
os.execv(sys.argv[2], sys.argv[2:])
"""


class SandboxError(RuntimeError):
    """The sandbox asked for cannot run here (the message says why and what to do)."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one kernel and everything it starts."""

    memory: int = 4 << 30  #: bytes of address space per process
    processes: int = 128  #: processes and threads
    file_size: int = 64 << 20  #: bytes per file written
    disk: int = 256 << 20  #: bytes of its private folder (bwrap)
    open_files: int = 512


def is_root() -> bool:
    """True when the grader runs as root."""
    return hasattr(os, "geteuid") and os.geteuid() == 0


def resolve(mode: str) -> str:
    """The mode to use for ``mode`` ("auto" picks the strongest that works here); raises
    SandboxError when the mode asked for cannot run."""
    if mode not in MODES:
        raise SandboxError(f"unknown sandbox {mode!r} (choose from {', '.join(MODES)})")
    if mode == "session":
        return mode
    if mode in ("auto", "bwrap"):
        problem = unavailable("bwrap")
        if problem is None:
            return "bwrap"
        if mode == "bwrap":
            raise SandboxError(f"--sandbox bwrap cannot run: {problem}")
    if mode in ("auto", "user"):
        if not is_root():
            if mode == "user":
                raise SandboxError("--sandbox user needs root (to switch to another user)")
            return "session"
        problem = unavailable("user")
        if problem is None:
            return "user"
        if mode == "user":
            raise SandboxError(f"--sandbox user cannot run: {problem}")
    raise SandboxError(
        f"no sandbox for running submissions as root: bubblewrap does not work here "
        f"({unavailable('bwrap')}) and {unavailable('user')}. Install bubblewrap "
        "(apt-get install bubblewrap), or make the Python environment readable by other "
        "users, or pass --sandbox session to run kernels as root without a sandbox"
    )


def fallback() -> str:
    """The mode used here when bwrap is missing: ``user`` as root (when it works), else
    ``session``."""
    return "user" if is_root() and unavailable("user") is None else "session"


@functools.cache
def unavailable(mode: str) -> str | None:
    """Why ``mode`` cannot start a Python here (None when it can); tried once per process."""
    if mode == "bwrap" and not sys.platform.startswith("linux"):
        return "bubblewrap needs Linux"
    if mode == "bwrap" and shutil.which("bwrap") is None:
        return "the bwrap command is not installed"
    box = Sandbox(mode, Limits(), cpu_seconds=30, notebook=b"{}")
    try:
        argv = box.command([sys.executable, "-c", "import ipykernel"], connection=None)
        done = subprocess.run(
            argv, env=box.env(), capture_output=True, text=True, timeout=60, cwd="/"
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{type(exc).__name__}: {exc}"
    finally:
        box.finish_sync()
    if done.returncode != 0:
        lines = (done.stderr or "").strip().splitlines() or [f"exit status {done.returncode}"]
        who = "the sandbox" if mode == "bwrap" else f"uid {box.uid}"
        return f"{who} cannot run {sys.executable}: {lines[-1][:200]}"
    return None


class Sandbox:
    """The sandbox of one kernel: the command that starts it, its environment, and cleanup."""

    def __init__(self, mode: str, limits: Limits, cpu_seconds: float, notebook: bytes) -> None:
        self.mode = mode
        self.limits = limits
        self.cpu_seconds = max(1, int(cpu_seconds))
        self.uid = _free_uid() if (mode == "user" or (mode == "bwrap" and is_root())) else None
        self.host = Path(tempfile.mkdtemp(prefix="autograd-course-box-"))
        self.pid: int | None = None  # the process started (bwrap, or the kernel itself)
        self.inner: tuple[int, str] | None = None  # bwrap's PID 1 in the sandbox: pid, start
        if mode == "bwrap":
            self.root = Path(BOX)
            (self.host / "submission.ipynb").write_bytes(notebook)
            self._write_passwd()
        else:
            self.root = self.host
            (self.host / "work").mkdir()
            (self.host / "work" / "submission.ipynb").write_bytes(notebook)
            if self.uid is not None:
                for path in (self.host, self.host / "work"):
                    os.chown(path, self.uid, self.uid)

    # -- what jupyter_client needs ----------------------------------------------------------

    @property
    def transport(self) -> str:
        """ZeroMQ transport: Unix sockets into the sandbox for bwrap (it has no network)."""
        return "ipc" if self.mode == "bwrap" else "tcp"

    @property
    def kernel_ip(self) -> str:
        """The address the kernel binds (a socket path prefix inside the sandbox for bwrap)."""
        return f"{BOX}/ipc/kernel" if self.mode == "bwrap" else "127.0.0.1"

    @property
    def connection_file(self) -> str:
        """Where the grader writes the kernel's connection file (outside the sandbox)."""
        return str(self.host / "kernel.json")

    @property
    def kernel_connection_file(self) -> str:
        """Where the kernel reads it."""
        return f"{BOX}/kernel.json" if self.mode == "bwrap" else self.connection_file

    def env(self) -> dict[str, str]:
        """The kernel's whole environment (nothing of the grader's)."""
        home = self.root / "home"
        env = {
            **KERNEL_ENV,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
            "HOME": str(home),
            "TMPDIR": str(self.root / "tmp"),
            "IPYTHONDIR": str(home / ".ipython"),
            "MPLCONFIGDIR": str(home / ".config" / "matplotlib"),
        }
        return env

    def command(self, kernel: list[str], connection: str | None) -> list[str]:
        """The argv that starts ``kernel`` in this sandbox (``connection``: the connection
        file the kernel's argv names, bound into the sandbox for bwrap)."""
        spec = {
            "limits": self._rlimits(),
            "uid": self.uid,
            "parent": os.getpid() if self.mode != "bwrap" else 0,
            "dirs": [str(self.root / name) for name in ("home", "tmp", "ipc", "work")],
            "cwd": str(self.root / "work"),
            "unset": ["JPY_PARENT_PID"] if self.mode == "bwrap" else [],
        }
        launch = [sys.executable, "-c", LAUNCHER, json.dumps(spec), *kernel]
        if self.mode != "bwrap":
            return launch
        return self._bwrap_args(connection) + ["--", *launch]

    def prepare_connection_file(self) -> None:
        """Let the kernel's user read the connection file (it stays in a private folder)."""
        path = Path(self.connection_file)
        if self.mode == "bwrap":
            path.chmod(0o644)
        elif self.uid is not None:
            os.chown(path, self.uid, self.uid)

    async def launched(self, pid: int) -> str | None:
        """Note the started process; for bwrap, wait for the sandbox and return the socket
        prefix the grader connects to (through /proc/PID/root)."""
        self.pid = pid
        if self.mode != "bwrap":
            return None
        for _ in range(500):
            children = _children(pid)
            if children:
                self.inner = (children[0], _start_time(children[0]))
                return f"/proc/{children[0]}/root{self.kernel_ip}"
            await asyncio.sleep(0.01)
        return None

    # -- cleanup ----------------------------------------------------------------------------

    async def finish(self) -> None:
        """Make sure nothing of the sandbox runs any more, then delete its folder."""
        await asyncio.get_running_loop().run_in_executor(None, self.finish_sync)

    def finish_sync(self) -> None:
        """``finish`` for code without an event loop."""
        try:
            self.stop()
            if self.uid is not None and self.mode == "user":
                _remove_files_of(self.uid)
        finally:
            shutil.rmtree(self.host, ignore_errors=True)

    def stop(self) -> None:
        """Kill every process of the sandbox (its folder stays)."""
        if self.mode == "bwrap":
            self._end_namespace()
        elif self.uid is not None:
            kill_uid(self.uid)
        else:
            self._end_session()

    def _end_namespace(self) -> None:
        """Kill the sandbox's PID 1 (bwrap) if it still runs: that ends every process in it."""
        if self.inner is None:
            _kill_quietly(self.pid)
            return
        pid, start = self.inner
        deadline = time.monotonic() + 10
        while _start_time(pid) == start and time.monotonic() < deadline:
            _kill_quietly(pid)
            time.sleep(0.02)

    def _end_session(self) -> None:
        """Kill every process left in the kernel's session (and process group)."""
        if self.pid is None:
            return
        for _ in range(20):
            left = [pid for pid, sid in _sessions().items() if sid == self.pid]
            if not left:
                return
            for pid in left:
                _kill_quietly(pid)
            time.sleep(0.02)

    # -- building blocks --------------------------------------------------------------------

    def _rlimits(self) -> dict[str, int]:
        """setrlimit arguments by resource name."""
        processes = self.limits.processes
        if self.mode == "session" and not is_root():  # counted over all the user's processes
            processes += _task_count(os.getuid())
        return {
            "RLIMIT_AS": self.limits.memory,
            "RLIMIT_NPROC": processes,
            "RLIMIT_FSIZE": self.limits.file_size,
            "RLIMIT_NOFILE": self.limits.open_files,
            "RLIMIT_CPU": self.cpu_seconds,
            "RLIMIT_CORE": 0,
        }

    def _write_passwd(self) -> None:
        """/etc/passwd and /etc/group naming only the kernel's user."""
        uid = self.uid if self.uid is not None else os.getuid()
        gid = self.uid if self.uid is not None else os.getgid()
        (self.host / "passwd").write_text(f"student:x:{uid}:{gid}::{BOX}/home:/bin/sh\n")
        (self.host / "group").write_text(f"student:x:{gid}:\n")

    def _bwrap_args(self, connection: str | None) -> list[str]:
        """bwrap's options: namespaces, then the filesystem the kernel may see."""
        args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid"]
        args += ["--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
        if is_root():
            args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
        else:
            args += ["--unshare-user", "--disable-userns"]
        for top in _SYSTEM:
            if os.path.islink(top):
                args += ["--symlink", os.readlink(top), top]
            elif os.path.isdir(top):
                args += ["--ro-bind", top, top]
        for path in _ETC:
            args += ["--ro-bind-try", path, path]
        args += ["--ro-bind", str(self.host / "passwd"), "/etc/passwd"]
        args += ["--ro-bind", str(self.host / "group"), "/etc/group"]
        args += ["--proc", "/proc", "--dev", "/dev"]
        made: set[str] = {"/", "/etc", "/proc", "/dev", *_SYSTEM}
        environment = _environment_paths()
        tmp_is_used = any(path.startswith("/tmp/") for path in environment)
        if tmp_is_used:  # the environment lives in /tmp: /tmp is a second capped tmpfs
            args += ["--perms", "1777", "--size", str(self.limits.disk), "--tmpfs", "/tmp"]
            made.add("/tmp")
        for path in environment:
            args += _parents(path, made) + ["--ro-bind", path, path]
            made.add(path)
        for hidden in reference_paths():
            args += ["--tmpfs", hidden]
        args += ["--perms", "1777", "--size", str(self.limits.disk), "--tmpfs", BOX]
        args += ["--perms", "0777", "--dir", f"{BOX}/work"]
        args += ["--ro-bind", str(self.host / "submission.ipynb"), f"{BOX}/work/submission.ipynb"]
        if connection is not None:
            args += ["--ro-bind", connection, f"{BOX}/kernel.json"]
        if not tmp_is_used:
            args += ["--symlink", f"{BOX}/tmp", "/tmp"]
        args += ["--chdir", "/"]
        return args


def _environment_paths() -> list[str]:
    """What the kernel must read: the Python installation, the environment's packages and the
    course's package (only that folder of a source checkout, never the checkout itself)."""
    import autograd_course

    candidates = {sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix}
    candidates.add(str(Path(sys.executable).resolve().parent.parent))
    candidates.update(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))
    candidates.add(str(Path(autograd_course.__file__).parent))
    paths: set[str] = set()
    for path in candidates:
        for form in (os.path.abspath(path), os.path.realpath(path)):
            if os.path.isdir(form) and not any(form.startswith(s + "/") for s in _SYSTEM):
                paths.add(form)
    # a folder inside another one is bound with it
    return sorted(p for p in paths if not any(p.startswith(q + "/") for q in paths))


def reference_paths() -> list[str]:
    """Folders the kernel must not read although they sit inside what it can: the tasks'
    references (in the package as installed and as found through any symlink)."""
    from . import tasks

    folder = Path(tasks.__file__).parent
    return sorted({os.path.abspath(folder), os.path.realpath(folder)})


def _parents(path: str, made: set[str]) -> list[str]:
    """bwrap options creating each missing parent of ``path`` as a world-readable folder (bwrap
    would make it 0700, which an unprivileged kernel could not enter)."""
    args: list[str] = []
    parts = Path(path).parts
    for depth in range(2, len(parts)):
        parent = str(Path(*parts[:depth]))
        if parent not in made:
            args += ["--perms", "0755", "--dir", parent]
            made.add(parent)
    return args


def _free_uid() -> int:
    """A uid no account has and no process uses (random, so parallel runs do not meet)."""
    import pwd
    import secrets

    while True:
        uid = UID_BASE + secrets.randbelow(100_000_000)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if not _processes_of(uid):
                return uid


def kill_uid(uid: int) -> None:
    """Kill every process of ``uid``: ``kill(-1, SIGKILL)`` sent as that user reaches all of
    them at once, so even a process that keeps forking cannot escape."""
    code = f"import os; os.setgid({uid}); os.setuid({uid}); os.kill(-1, 9)"
    for _ in range(10):
        if not _processes_of(uid):
            return
        subprocess.run([sys.executable, "-S", "-c", code], check=False, timeout=30)
        time.sleep(0.02)


def _remove_files_of(uid: int) -> None:
    """Delete what ``uid`` left in the folders every user may write to."""
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


def _proc_stat(pid: int | str) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (None when gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except OSError:
        return None
    return text.rsplit(")", 1)[-1].split()


def _pids() -> list[str]:
    """Every process id in /proc."""
    try:
        return [name for name in os.listdir("/proc") if name.isdigit()]
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for name in _pids():
        fields = _proc_stat(name)
        if fields and fields[1] == str(pid):
            found.append(int(name))
    return found


def _start_time(pid: int) -> str:
    """When the process started (to tell it from a later one with the same pid), "" if gone."""
    fields = _proc_stat(pid)
    return fields[19] if fields and len(fields) > 19 and fields[0] != "Z" else ""


def _sessions() -> dict[int, int]:
    """Session id of every live process."""
    found = {}
    for name in _pids():
        fields = _proc_stat(name)
        if fields and fields[0] != "Z":
            found[int(name)] = int(fields[3])
    return found


def _processes_of(uid: int) -> list[int]:
    """Live processes whose real uid is ``uid``."""
    found = []
    for name in _pids():
        try:
            with open(f"/proc/{name}/status", "rb") as handle:
                uids = next(line for line in handle if line.startswith(b"Uid:")).split()
        except (OSError, StopIteration):
            continue
        if int(uids[1]) == uid and _start_time(int(name)):
            found.append(int(name))
    return found


def _task_count(uid: int) -> int:
    """Processes and threads of ``uid`` now (what RLIMIT_NPROC counts)."""
    total = 0
    for pid in _processes_of(uid):
        try:
            total += len(os.listdir(f"/proc/{pid}/task"))
        except OSError:
            pass
    return total


def _kill_quietly(pid: int | None) -> None:
    """SIGKILL ``pid`` if it still exists."""
    if pid is None:
        return
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def describe_mode(mode: str) -> str:
    """One line naming the mode and what it protects, for reports."""
    return {
        "bwrap": "bwrap sandbox (own namespaces, read-only environment, private folder)",
        "user": "unprivileged user (no bwrap): other users' readable files are visible",
        "session": "same user, own session (no bwrap): not safe against hostile code",
    }.get(mode, mode)
