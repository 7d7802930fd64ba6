"""Every stored output of chapters/ and solutions/ is the same under another OpenBLAS kernel.

The main run's nbval checks them under this CPU's own kernel; tests/portability.py checks them
again under two others (with and without FMA), started early by conftest.py so that they
overlap the rest of the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys

import portability
import pytest


def test_kernels_are_chosen_from_cpu_flags():
    avx512 = {"pni", "ssse3", "sse4_2", "avx", "avx2", "fma", "avx512f"}
    assert portability.other_kernels("SkylakeX", avx512) == ["Haswell", "Prescott"]
    assert portability.other_kernels("Haswell", avx512) == ["Prescott", "Sandybridge"]
    assert portability.other_kernels("Katmai", avx512) == ["Haswell", "Sandybridge"]
    assert portability.other_kernels("Prescott", {"pni", "avx"}) == ["Sandybridge"]
    assert portability.other_kernels("Prescott", {"pni"}) == []  # nothing else it can run
    assert portability.other_kernels("Haswell", set()) == []


def test_a_forced_kernel_is_the_one_openblas_runs():
    kernels, why = portability.plan()
    if not kernels:
        pytest.skip(why)
    own = portability.openblas_kernel()
    for kernel in kernels:  # OpenBLAS names its Prescott kernel "Katmai"
        reported = portability.openblas_kernel(kernel)
        assert reported != own and reported is not None, f"{kernel} ran as {reported}"
        assert (reported in portability.SSE_KERNELS) == (kernel in portability.SSE_KERNELS)


def test_notebook_outputs_are_the_same_under_other_blas_kernels():
    run = portability.start()
    if not run.kernels:
        pytest.skip(run.why)
    results = run.result()
    assert [kernel for kernel, _, _ in results] == run.kernels, "a run did not finish"
    for kernel, status, output in results:
        tail = "\n".join(output.strip().splitlines()[-25:])
        assert status == 0, f"nbval over chapters/ and solutions/ failed under {kernel}:\n{tail}"


ROW_SUM = """
import hashlib, numpy as np, autograd_course as ac
x = ac.tensor(np.random.default_rng(0).standard_normal((1000, 16)).astype(np.float32))
b = ac.zeros(16, requires_grad=True)
(x + b).sum().backward()  # b's gradient sums the 1000 rows (its broadcast dimension)
print(hashlib.sha256(x.sum(0).numpy().tobytes() + b.grad.numpy().tobytes()).hexdigest())
"""


def test_row_sums_are_the_same_bits_under_every_kernel():
    kernels, why = portability.plan()
    if not kernels:
        pytest.skip(why)
    digests = set()
    for kernel in [None, *kernels]:
        env = {**os.environ, "OPENBLAS_CORETYPE": kernel or os.environ.get("OPENBLAS_CORETYPE", "")}
        proc = subprocess.run(
            [sys.executable, "-c", ROW_SUM], env=env, capture_output=True, text=True, check=True
        )
        digests.add(proc.stdout.strip())
    assert len(digests) == 1, f"row sums differ between kernels {kernels} and the CPU's own"
