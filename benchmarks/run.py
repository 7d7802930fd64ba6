"""Time the workloads on the engine, in hand-written NumPy and (if installed) PyTorch; one table.

    python -m benchmarks.run                  # every workload, 5 repeats (make bench)
    python -m benchmarks.run --quick          # fewer steps and 3 repeats: a look in ~1 minute
    python -m benchmarks.run --only classifier --only scalar --repeats 7
    python -m benchmarks.run --profile classifier   # where the engine spends its time

Each measurement runs in a fresh process with BLAS and OpenMP held to one thread. In that
process the workload first runs once at tiny size (imports, lazy initialisation, first-call
costs), then the full run is timed once. Repeats are interleaved (every workload and column
once, then again) so that a slow moment of the machine hits all columns alike. The table
shows medians, the ratios engine / NumPy and engine / PyTorch, and whether the columns'
results (final loss, parameters, gradients) agree.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.workloads import COLUMNS, WORKLOADS, Workload, prepare, torch_available

ROOT = Path(__file__).resolve().parents[1]
SINGLE_THREAD = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VECLIB_MAXIMUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
    "PYTHONHASHSEED": "0",
}


# ----------------------------------------------------------------------------- one measurement


def measure(name: str, column: str, scale: str) -> dict[str, Any]:
    """Warm up at tiny size, then time one run of ``name`` on ``column``; None when no column."""
    workload = WORKLOADS[name]
    warm = prepare(workload, column, workload.data("tiny"))
    if warm is None:
        return {"seconds": None, "summary": None}
    warm()
    data = workload.data(scale)
    run = prepare(workload, column, data)
    assert run is not None
    del warm
    gc.collect()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "summary": workload.summarise(result, data)}


def worker(name: str, column: str, scale: str) -> None:
    """Entry point of the fresh process: print the measurement as one JSON line."""
    print(json.dumps(measure(name, column, scale)))


def spawn(name: str, column: str, scale: str) -> dict[str, Any]:
    """Run ``measure`` in a fresh single-threaded Python process and return what it printed."""
    env = {**os.environ, **SINGLE_THREAD}
    cmd = [sys.executable, "-m", "benchmarks.run", "--worker", name, column, "--scale", scale]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-8:]
        return {"error": "\n".join(tail) or f"exit code {proc.returncode}"}
    return json.loads(lines[-1])


# ----------------------------------------------------------------------------- the table


def agree(workload: Workload, a: list[float] | None, b: list[float] | None) -> bool:
    """Whether two result summaries match within the workload's tolerance."""
    if a is None or b is None:
        return True
    return bool(np.allclose(a, b, rtol=workload.rtol, atol=workload.rtol * 1e-3))


def _fmt_time(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds:.4f}" if seconds < 10 else f"{seconds:.1f}"


def _fmt_ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None else f"{a / b:.2f}"


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """The results as a Markdown table (medians in seconds, ratios, target, agreement)."""
    head = ["workload", *(f"{c} (s)" for c in columns)]
    head += [f"engine / {c}" for c in columns if c != "engine"] + ["target", "results agree"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for row in rows:
        med = row["median"]
        cells = [row["title"], *(_fmt_time(med.get(c)) for c in columns)]
        cells += [_fmt_ratio(med.get("engine"), med.get(c)) for c in columns if c != "engine"]
        cells += [row["target"], row["agree"]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def target_status(workload: Workload, medians: dict[str, float | None]) -> str:
    """'engine / X ≤ r: met' (or 'MISSED'); for the chain, whether it completed."""
    if workload.target is None:
        return "completes: yes" if medians.get("engine") is not None else "completes: no"
    column, limit = workload.target
    engine, other = medians.get("engine"), medians.get(column)
    if engine is None or other is None:
        return f"engine / {column} ≤ {limit:.2f}: not measured"
    return f"engine / {column} ≤ {limit:.2f}: {'met' if engine / other <= limit else 'MISSED'}"


def benchmark(names: list[str], columns: list[str], scale: str, repeats: int) -> list[dict]:
    """Measure every (workload, column) ``repeats`` times, interleaved; medians and checks."""
    times: dict[tuple[str, str], list[float]] = {}
    summaries: dict[tuple[str, str], list[float] | None] = {}
    errors: dict[tuple[str, str], str] = {}
    for rep in range(repeats):
        for name in names:
            order = columns[rep % len(columns) :] + columns[: rep % len(columns)]
            for column in order:
                key = (name, column)
                if key in errors:
                    continue
                out = spawn(name, column, scale)
                if "error" in out:
                    errors[key] = out["error"]
                    continue
                if out["seconds"] is not None:
                    times.setdefault(key, []).append(out["seconds"])
                summaries.setdefault(key, out["summary"])
            print(".", end="", file=sys.stderr, flush=True)
        print(f" repeat {rep + 1}/{repeats}", file=sys.stderr, flush=True)

    rows = []
    for name in names:
        workload = WORKLOADS[name]
        median = {
            c: statistics.median(times[(name, c)]) if (name, c) in times else None for c in columns
        }
        reference = summaries.get((name, "engine"))
        checks = [summaries.get((name, c)) for c in columns if c != "engine"]
        if workload.expected is not None:
            checks.append(workload.expected(workload.data(scale)))
        ok = reference is not None and all(agree(workload, reference, s) for s in checks)
        failed = [f"{c}: {errors[(name, c)]}" for c in columns if (name, c) in errors]
        rows.append(
            {
                "name": name,
                "title": workload.title,
                "median": median,
                "times": {c: times.get((name, c), []) for c in columns},
                "summaries": {c: summaries.get((name, c)) for c in columns},
                "target": target_status(workload, median),
                "agree": "yes" if ok else "NO" if reference is not None else "error",
                "errors": failed,
            }
        )
    return rows


def profile(name: str, scale: str, top: int) -> None:
    """Profile the engine column of one workload in this process, sorted by own time."""
    import cProfile
    import pstats

    workload = WORKLOADS[name]
    warm = prepare(workload, "engine", workload.data("tiny"))
    assert warm is not None
    warm()
    run = prepare(workload, "engine", workload.data(scale))
    assert run is not None
    profiler = cProfile.Profile()
    profiler.runcall(run)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)


def _load() -> str:
    """The 1-minute load average, or '?' where the system does not report it."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "?"


def environment(columns: list[str]) -> str:
    """One line saying what was measured on: Python, NumPy, PyTorch, CPU."""
    parts = [f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    if "torch" in columns:
        import importlib.metadata

        parts.append(f"PyTorch {importlib.metadata.version('torch')}")
    parts.append(
        platform.machine() + (f" ({platform.processor()})" if platform.processor() else "")
    )
    return ", ".join(parts) + "; one thread"


def main(argv: list[str] | None = None) -> int:
    """Command line: print the table; exit 1 if a column failed or the columns disagreed."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=list(WORKLOADS),
        metavar="NAME",
        help=f"run only this workload (repeatable): {', '.join(WORKLOADS)}",
    )
    parser.add_argument("--repeats", type=int, default=None, help="repeats per cell (default 5)")
    parser.add_argument("--quick", action="store_true", help="fewer steps, 3 repeats")
    parser.add_argument("--tiny", action="store_true", help="tiny sizes, to check the runner")
    parser.add_argument("--no-torch", action="store_true", help="leave out the PyTorch column")
    parser.add_argument("--json", type=Path, help="also write every timing to this JSON file")
    parser.add_argument(
        "--profile",
        choices=list(WORKLOADS),
        metavar="NAME",
        help="cProfile the engine on one workload instead of timing",
    )
    parser.add_argument("--top", type=int, default=30, help="rows of profile output")
    parser.add_argument("--worker", nargs=2, metavar=("NAME", "COLUMN"), help=argparse.SUPPRESS)
    parser.add_argument(
        "--scale", default="full", choices=["full", "quick", "tiny"], help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)

    scale = "tiny" if args.tiny else "quick" if args.quick else args.scale
    if args.worker:
        worker(args.worker[0], args.worker[1], scale)
        return 0
    if args.profile:
        profile(args.profile, scale, args.top)
        return 0

    names = args.only or list(WORKLOADS)
    columns = [c for c in COLUMNS if c != "torch" or (torch_available() and not args.no_torch)]
    repeats = args.repeats if args.repeats is not None else 3 if args.quick or args.tiny else 5
    if repeats < 1:
        parser.error("--repeats must be at least 1")
    start, load_before = time.perf_counter(), _load()
    rows = benchmark(names, columns, scale, repeats)
    elapsed, load_after = time.perf_counter() - start, _load()

    print(
        f"\nMedian of {repeats} runs, each in a fresh process ({scale} sizes;"
        f" {environment(columns)})"
    )
    if "torch" not in columns:
        print("PyTorch is not installed (or --no-torch): its column is left out.")
    print()
    print(table(rows, columns))
    failed = False
    for row in rows:
        for err in row["errors"]:
            failed = True
            print(f"\n{row['name']} failed on {err}")
        if row["agree"] == "NO":
            failed = True
            print(f"\n{row['name']}: results differ between columns: {row['summaries']}")
    print(
        f"\n(benchmark took {elapsed:.0f} s; load average {load_before} before, {load_after} after,"
        f" on {os.cpu_count()} cores: other work on the machine slows every column)"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"scale": scale, "repeats": repeats, "rows": rows}, indent=1)
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
