"""Every stored output of chapters/ and solutions/ is the same under another OpenBLAS kernel.

The main run's nbval checks them under this CPU's own kernel; tests/portability.py checks them
again under two others (with and without FMA), started early by conftest.py so that they
overlap the rest of the suite.
"""

from __future__ import annotations

import portability
import pytest


def test_kernels_are_chosen_from_cpu_flags():
    avx512 = {"sse3", "ssse3", "sse4_2", "avx", "avx2", "fma", "avx512f"}
    assert portability.other_kernels("SkylakeX", avx512) == ["Haswell", "Prescott"]
    assert portability.other_kernels("Haswell", avx512) == ["Prescott", "Sandybridge"]
    assert portability.other_kernels("Katmai", avx512) == ["Haswell", "Sandybridge"]
    assert portability.other_kernels("Prescott", {"sse3", "avx"}) == ["Sandybridge"]
    assert portability.other_kernels("Prescott", {"sse3"}) == []  # nothing else it can run
    assert portability.other_kernels("Haswell", set()) == []


def test_a_forced_kernel_is_the_one_openblas_runs():
    kernels, why = portability.plan()
    if not kernels:
        pytest.skip(why)
    for kernel in kernels:
        assert portability.openblas_kernel(kernel) == kernel


def test_notebook_outputs_are_the_same_under_other_blas_kernels():
    run = portability.start()
    if not run.kernels:
        pytest.skip(run.why)
    results = run.result()
    assert [kernel for kernel, _, _ in results] == run.kernels, "a run did not finish"
    for kernel, status, output in results:
        tail = "\n".join(output.strip().splitlines()[-25:])
        assert status == 0, f"nbval over chapters/ and solutions/ failed under {kernel}:\n{tail}"
