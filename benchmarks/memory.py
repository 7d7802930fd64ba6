"""Memory checks: training keeps memory flat, and the big MLP's peak compared with NumPy's.

    python -m benchmarks.memory            # 10,000 steps (make bench)
    python -m benchmarks.memory --steps 2000

1. Flat memory. The minibatch MLP (Linear(20, 32), ReLU, Linear(32, 1), MSE, Adam, batches
   of 64) trains for 10,000 steps. Every 1,000 steps a full ``gc.collect()`` runs (it also
   empties the interpreter's free lists, which otherwise fill up slowly and look like
   growth), then three things are sampled: the number of memory blocks Python has
   allocated (``sys.getallocatedblocks``: every object, so a leak of even one float per
   step shows), the process's resident memory (which holds NumPy's buffers) and the number
   of objects the garbage collector tracks. After the first sample (Adam's state exists by
   then) none of them may grow beyond a small allowance. The run is done twice: with the
   garbage collector on, as students run, and with it off. With it off, anything only the
   cycle collector could free would pile up until the next sample, where ``gc.collect()``
   reports it as unreachable: that count must be 0, which shows that every step's graph is
   freed by reference counting alone.
2. Peak memory of one step of the 512-1024-1024-1 MLP (batch 1,024), traced with
   ``tracemalloc`` (which counts NumPy's buffers): the highest allocation during the step
   above what was allocated before it, engine / NumPy.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tracemalloc
from typing import Any

from benchmarks.workloads import WORKLOADS, _mlp, engine_module, minibatch_data, prepare

BLOCK_ALLOWANCE = 100  # allocated blocks: one object leaked per step would add thousands
OBJECT_ALLOWANCE = 50  # gc-tracked objects: a graph kept alive per step would add thousands
RSS_ALLOWANCE = 1024 * 1024  # bytes: page-sized noise is fine, a leaked array per step is not
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
    if not gc_enabled:
        gc.disable()
    blocks, rss, objects, unreachable = [], [], [], 0
    try:
        for step in range(1, steps + 1):
            idx = batches[step % len(batches)]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
            last_loss = loss.item()
            if step % every == 0:
                unreachable += gc.collect()
                blocks.append(sys.getallocatedblocks())
                rss.append(resident_bytes())
                objects.append(len(gc.get_objects()))
    finally:
        gc.enable()
    growth = {
        "blocks": max(blocks) - blocks[0],
        "rss": max(rss) - rss[0],
        "objects": max(objects) - objects[0],
    }
    flat = (
        growth["blocks"] <= BLOCK_ALLOWANCE
        and growth["rss"] <= RSS_ALLOWANCE
        and growth["objects"] <= OBJECT_ALLOWANCE
    )
    return {
        "steps": steps,
        "gc_enabled": gc_enabled,
        "blocks": blocks,
        "rss": rss,
        "objects": objects,
        "growth": growth,
        "unreachable": unreachable,
        # With the collector off, nothing may be left for it: graphs must die by refcounting.
        "flat": flat and (gc_enabled or unreachable == 0),
        "last_loss": last_loss,
    }


def resident_bytes() -> int:
    """The process's resident memory now (Linux), or its peak so far elsewhere."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024


def step_peak(column: str, data: dict) -> dict[str, int]:
    """Bytes held between two big-MLP steps on ``column``, and the peak during a step.

    Tracing starts before the model is built, so both numbers include the parameters and
    whatever is kept from one step to the next (the engine keeps ``.grad`` until the next
    ``zero_grad``); the input data was made before and is not counted.
    """
    gc.collect()
    tracemalloc.start()
    try:
        run = prepare(WORKLOADS["big_mlp"], column, data)
        assert run is not None
        run()  # a first step, so that anything kept between steps already exists
        gc.collect()
        held = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        run()
        return {"held": held, "peak": tracemalloc.get_traced_memory()[1]}
    finally:
        tracemalloc.stop()


def big_mlp_peaks(scale: str = "full") -> dict[str, Any]:
    """Memory of big-MLP steps on the engine and in NumPy, and the ratio of their peaks."""
    size = {**WORKLOADS["big_mlp"].sizes[scale], "steps": 1}
    data = WORKLOADS["big_mlp"].make_data(size)
    numpy, engine = step_peak("numpy", data), step_peak("engine", data)
    return {"numpy": numpy, "engine": engine, "ratio": engine["peak"] / numpy["peak"]}


def _flat_row(res: dict) -> str:
    label = "gc on" if res["gc_enabled"] else "gc off"
    g = res["growth"]
    return (
        f"| {res['steps']:,} training steps, {label} | blocks {res['blocks'][0]:,} → "
        f"{res['blocks'][-1]:,} (max +{g['blocks']}), resident {res['rss'][0] / MIB:.1f} → "
        f"{res['rss'][-1] / MIB:.1f} MiB (max +{g['rss'] / KIB:.0f} KiB), gc objects "
        f"{res['objects'][0]:,} → {res['objects'][-1]:,} (max +{g['objects']}); unreachable "
        f"found by gc: {res['unreachable']} | {'flat' if res['flat'] else 'GROWING'} |"
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
        f"\nMemory, sampled every {every:,} steps (allowed growth: {BLOCK_ALLOWANCE} blocks, "
        f"{OBJECT_ALLOWANCE} gc objects, {RSS_ALLOWANCE // KIB} KiB resident)\n"
    )
    print("| check | measured | result |\n|---|---|---|")
    for res in runs:
        print(_flat_row(res))
    eng, npy = peaks["engine"], peaks["numpy"]
    print(
        f"| one step of the MLP 512-1024-1024-1, batch 1,024 (tracemalloc) | peak engine "
        f"{eng['peak'] / MIB:.1f} MiB, NumPy {npy['peak'] / MIB:.1f} MiB (held between steps: "
        f"engine {eng['held'] / MIB:.1f} MiB, NumPy {npy['held'] / MIB:.1f} MiB) | peak engine / "
        f"NumPy = {peaks['ratio']:.2f} |"
    )
    return 0 if all(r["flat"] for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
