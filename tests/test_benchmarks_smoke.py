"""Smoke test of benchmarks/: every workload once at tiny size, engine against hand-written NumPy.

The benchmarks themselves are not part of the test run (``make bench`` runs them); this
checks that each workload still runs on the engine, that the engine's results match the
NumPy version with its hand-derived gradients (or the closed form), that the runner prints
its table and that training keeps memory flat.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not installed

from benchmarks import memory, run  # noqa: E402
from benchmarks.workloads import WORKLOADS, prepare  # noqa: E402


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_workload_agrees_with_numpy_or_closed_form(name: str) -> None:
    """The engine's final loss and parameters (or gradients) match the independent version."""
    workload = WORKLOADS[name]
    data = workload.data("tiny")
    engine_run = prepare(workload, "engine", data)
    assert engine_run is not None
    engine = workload.summarise(engine_run(), data)
    references = []
    numpy_run = prepare(workload, "numpy", data)
    if numpy_run is not None:
        references.append(workload.summarise(numpy_run(), data))
    if workload.expected is not None:
        references.append(workload.expected(data))
    assert references, f"{name} has nothing independent to compare with"
    for ref in references:
        np.testing.assert_allclose(engine, ref, rtol=workload.rtol)
        assert run.agree(workload, engine, ref)


def test_runs_do_not_change_the_shared_data() -> None:
    """A column never trains the initial weights in place, so every column starts alike."""
    workload = WORKLOADS["classifier"]
    data = workload.data("tiny")
    before = [w.copy() for pair in data["weights"] for w in pair]
    for column in ("numpy", "engine"):
        runner = prepare(workload, column, data)
        assert runner is not None
        runner()
    after = [w for pair in data["weights"] for w in pair]
    assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def test_agreement_check_catches_a_difference() -> None:
    """Results that differ beyond the tolerance are reported as disagreeing."""
    workload = WORKLOADS["classifier"]
    assert run.agree(workload, [0.5, 10.0], [0.5, 10.0 * (1 + workload.rtol / 10)])
    assert not run.agree(workload, [0.5, 10.0], [0.5, 10.0 * (1 + workload.rtol * 10)])


def test_runner_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    """The runner measures in fresh processes and prints medians and ratios."""
    status = run.main(["--tiny", "--only", "linreg", "--repeats", "1", "--no-torch"])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "| workload | engine (s) | numpy (s) | engine / numpy |" in out
    assert "| linear regression" in out and "| yes |" in out


@pytest.mark.parametrize("gc_enabled", [True, False])
def test_training_memory_is_flat(gc_enabled: bool) -> None:
    """A few hundred steps: memory stays flat, and graphs are freed without the cycle collector."""
    result = memory.training_memory(steps=300, every=50, gc_enabled=gc_enabled)
    # At this size resident memory is allocator noise (it moved by 1-1.6 MB once in some
    # runs); a leaked array per step also leaks a Python object, which the block and object
    # counts see exactly. `make bench` checks resident memory over 10,000 steps.
    growth = result["growth"]
    assert growth["blocks"] <= memory.BLOCK_ALLOWANCE, result
    assert growth["objects"] <= memory.OBJECT_ALLOWANCE, result
    assert gc_enabled or result["unreachable"] == 0, result
    assert np.isfinite(result["last_loss"])


def test_big_mlp_peak_is_measured() -> None:
    """A step allocates more than is held between steps, in both versions."""
    peaks = memory.big_mlp_peaks("tiny")
    for column in ("numpy", "engine"):
        assert 0 < peaks[column]["held"] < peaks[column]["peak"], peaks
