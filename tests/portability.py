"""Check the stored notebook outputs under other OpenBLAS kernels, alongside the main run.

The main pytest run checks chapters/ and solutions/ with the kernel OpenBLAS picks for this CPU.
This module runs nbval over them twice more, with ``OPENBLAS_CORETYPE`` set to Haswell (AVX2 and
FMA) and to Prescott (SSE only), or neighbours of these when one of them is the CPU's own, so an
output that hinges on the last bits of a matrix product fails. Kernels are chosen from the CPU's
flags in /proc/cpuinfo, never one the CPU cannot run; a test checks that OpenBLAS really runs
the kernel it was given. conftest.py starts it as soon as collection ends, so
it runs on the second core while the rest of the suite runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("chapters", "solutions")
# OpenBLAS kernel -> the CPU flags it needs; SSE kernels first, then the FMA families.
NEEDS = {
    "Prescott": {"pni"},  # SSE3 is "pni" in /proc/cpuinfo
    "Nehalem": {"pni", "ssse3", "sse4_2"},
    "Sandybridge": {"avx"},
    "Haswell": {"avx2", "fma"},
    "SkylakeX": {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"},
}
SSE_KERNELS = {"Prescott", "Katmai", "Core2", "Penryn", "Nehalem", "Dunnington", "Atom"}
REPORT = "import numpy, threadpoolctl; print([i.get('architecture') for i in threadpoolctl.threadpool_info() if i.get('internal_api') == 'openblas'])"


def cpu_flags() -> set[str]:
    """The CPU's feature flags from /proc/cpuinfo (empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return set()
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return set()


def openblas_kernel(coretype: str | None = None) -> str | None:
    """The kernel OpenBLAS runs in a fresh Python (with OPENBLAS_CORETYPE=coretype); None: no
    OpenBLAS (another BLAS, or threadpoolctl missing)."""
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    proc = subprocess.run(
        [sys.executable, "-c", REPORT], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        return None
    names = proc.stdout.strip().strip("[]").replace("'", "").split(",")
    return names[0].strip() or None


def other_kernels(current: str, flags: set[str]) -> list[str]:
    """Up to two kernels other than ``current`` that these CPU flags can run: Haswell (FMA, what
    most current x86 machines get) and Prescott (SSE only, no FMA), else their neighbours."""
    chosen: list[str] = []
    for name in ("Haswell", "Prescott", "Sandybridge", "Nehalem"):
        if len(chosen) < 2 and NEEDS[name] <= flags and name != current:
            if not (name == "Prescott" and current in SSE_KERNELS):
                chosen.append(name)
    return chosen


def plan() -> tuple[list[str], str]:
    """The kernels for the extra runs and a sentence saying why (or why there are none)."""
    current = openblas_kernel(os.environ.get("OPENBLAS_CORETYPE"))
    if current is None:
        return [], "numpy does not use OpenBLAS here: OPENBLAS_CORETYPE has no effect"
    flags = cpu_flags()
    if not flags:
        return [], "no /proc/cpuinfo flags: cannot tell which kernels this CPU runs"
    kernels = other_kernels(current, flags)
    if not kernels:
        return [], f"this CPU runs no OpenBLAS kernel other than {current}"
    return kernels, f"main run under {current}, then under " + " and ".join(kernels)


class SecondRun:
    """nbval over chapters/ and solutions/ under other kernels, one after the other, in a
    background thread (each run a subprocess)."""

    def __init__(self) -> None:
        self.kernels, self.why = plan()
        self.results: list[tuple[str, int, str]] = []
        self.proc: subprocess.Popen | None = None
        self.stopped = False
        self.thread = threading.Thread(target=self._run_all, daemon=True)
        if self.kernels:
            self.thread.start()

    def _run_all(self) -> None:
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FOLDERS]
        for kernel in self.kernels:
            if self.stopped:
                return
            env = {**os.environ, "OPENBLAS_CORETYPE": kernel}
            self.proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            out, _ = self.proc.communicate()
            self.results.append((kernel, self.proc.returncode, out))

    def result(self, timeout: float = 1800) -> list[tuple[str, int, str]]:
        """Wait for the runs; (kernel, exit status, output) of each."""
        self.thread.join(timeout)
        return self.results

    def stop(self) -> None:
        """End the runs if nobody waited for them (a test selection without this test)."""
        self.stopped = True
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()


_RUN: SecondRun | None = None


def start() -> SecondRun:
    """Start the second run once per session (conftest.py calls this early); return it."""
    global _RUN
    if _RUN is None:
        _RUN = SecondRun()
    return _RUN


def stop() -> None:
    """End a second run still going at the end of the session."""
    if _RUN is not None:
        _RUN.stop()
