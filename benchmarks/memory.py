"""Memory checks: training keeps memory flat, and the big MLP's peak compared with NumPy's.

    python -m benchmarks.memory            # 10,000 steps (make bench)
    python -m benchmarks.memory --steps 2000

1. Flat memory. The minibatch MLP (Linear(20, 32), ReLU, Linear(32, 1), MSE, Adam, batches
   of 64) trains for 10,000 steps under ``tracemalloc`` (which also counts NumPy's array
   buffers). Memory is sampled every 1,000 steps; after the first sample (Adam's state and
   the like exist by then) it must stay within a small allowance. The run is done twice:
   with the garbage collector on, as students run, and with it off. With it off, only
   reference counting frees memory, so memory stays flat only if every step's graph is
   freed without needing the cycle collector; ``gc.collect()`` at the end then reports how
   many unreachable objects were left behind.
2. Peak memory of one step of the 512-1024-1024-1 MLP (batch 1,024): the highest traced
   allocation during the step above what was allocated before it, engine / NumPy.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from typing import Any

from benchmarks.workloads import WORKLOADS, _mlp, engine_module, minibatch_data, prepare

FLAT_ALLOWANCE = 64 * 1024  # bytes: a leak of one small object per step would exceed it
OBJECT_ALLOWANCE = 50  # gc-tracked objects: a graph kept alive per step would add thousands
KIB, MIB = 1024, 1024 * 1024


def training_memory(
    steps: int = 10_000, every: int = 1_000, gc_enabled: bool = True, mod: Any = None
) -> dict:
    """Train ``steps`` minibatch steps (engine unless ``mod`` is given), sampling memory."""
    ac = mod if mod is not None else engine_module()
    data = minibatch_data({"n": 2480, "epochs": 1})
    x, y = ac.from_numpy(data["x"]), ac.from_numpy(data["y"])
    perm = ac.from_numpy(data["perms"][0])
    batches = [perm[start : start + 64] for start in range(0, 2480 - 63, 64)]
    model = _mlp(ac, [20, 32, 1], data["weights"])
    loss_fn = ac.nn.MSELoss()
    optimizer = ac.optim.Adam(model.parameters(), lr=1e-3)

    gc.collect()
    tracemalloc.start()
    if not gc_enabled:
        gc.disable()
    samples, objects = [], []
    try:
        for step in range(1, steps + 1):
            idx = batches[step % len(batches)]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            last_loss = loss.item()
            if step % every == 0:
                samples.append(tracemalloc.get_traced_memory()[0])
                objects.append(len(gc.get_objects()))
        unreachable = gc.collect()
    finally:
        gc.enable()
        tracemalloc.stop()
    growth = max(samples) - samples[0]
    return {
        "steps": steps,
        "gc_enabled": gc_enabled,
        "samples": samples,
        "objects": objects,
        "growth": growth,
        "unreachable": unreachable,
        "flat": growth <= FLAT_ALLOWANCE and objects[-1] - objects[0] <= OBJECT_ALLOWANCE,
        "last_loss": last_loss,
    }


def step_peak(column: str, data: dict) -> int:
    """Peak traced bytes allocated by one training step of the big MLP on ``column``."""
    gc.collect()
    tracemalloc.start()
    try:
        run = prepare(WORKLOADS["big_mlp"], column, data)
        assert run is not None
        run()  # a first step, so that anything kept between steps already exists
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def big_mlp_peaks(scale: str = "full") -> dict[str, Any]:
    """Peak memory of one big-MLP step on the engine and in NumPy, and their ratio."""
    size = {**WORKLOADS["big_mlp"].sizes[scale], "steps": 1}
    data = WORKLOADS["big_mlp"].make_data(size)
    numpy_peak = step_peak("numpy", data)
    engine_peak = step_peak("engine", data)
    return {"numpy": numpy_peak, "engine": engine_peak, "ratio": engine_peak / numpy_peak}


def _flat_row(res: dict) -> str:
    label = "gc on" if res["gc_enabled"] else "gc off"
    first, last = res["samples"][0], res["samples"][-1]
    return (
        f"| {res['steps']:,} training steps, {label} | {first / KIB:,.1f} KiB → {last / KIB:,.1f}"
        f" KiB (max growth {res['growth'] / KIB:+,.1f} KiB); gc objects {res['objects'][0]:,} →"
        f" {res['objects'][-1]:,}; unreachable left for gc: {res['unreachable']:,}"
        f" | {'flat' if res['flat'] else 'GROWING'} |"
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: run both checks, print a table, exit 1 if memory was not flat."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.memory",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--steps", type=int, default=10_000, help="training steps (10,000)")
    args = parser.parse_args(argv)
    every = max(args.steps // 10, 1)

    runs = [training_memory(args.steps, every, gc_enabled=on) for on in (True, False)]
    peaks = big_mlp_peaks()
    print(
        f"\nMemory (tracemalloc; sampled every {every:,} steps, allowance "
        f"{FLAT_ALLOWANCE // KIB} KiB)\n"
    )
    print("| check | measured | result |\n|---|---|---|")
    for res in runs:
        print(_flat_row(res))
    print(
        f"| peak of one step, MLP 512-1024-1024-1, batch 1,024 | engine {peaks['engine'] / MIB:.1f}"
        f" MiB, NumPy {peaks['numpy'] / MIB:.1f} MiB | engine / NumPy = {peaks['ratio']:.2f} |"
    )
    return 0 if all(r["flat"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
