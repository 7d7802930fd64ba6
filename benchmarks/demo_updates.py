"""Time one update of each instructor demo (a training step batch plus a redraw), headless.

Usage: python -m benchmarks.demo_updates [--updates N]

An update is what one press of Step (or one tick of Play) does: the demo's training steps
for one update at its default settings, then the figure drawn and encoded as the PNG the
browser shows. For the computational graph it is one slider move (forward, backward and the
SVG). Prints the median and the 90th percentile over N updates after two warm-up updates,
and how much of the median was drawing. The target is well under 200 ms per update.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("MPLBACKEND", "Agg")

from autograd_course import demos  # noqa: E402
from autograd_course.demos import _ui  # noqa: E402

TARGET_MS = 200.0


def _timed_render() -> list[float]:
    """Record how long each Canvas.render takes (drawing plus PNG encoding)."""
    spent: list[float] = []
    original = _ui.Canvas.render

    def render(self, *args, **kwargs) -> None:
        start = time.perf_counter()
        original(self, *args, **kwargs)
        spent.append(time.perf_counter() - start)

    _ui.Canvas.render = render  # type: ignore[method-assign]
    return spent


def _cases() -> dict[str, tuple[Callable[[], demos.Demo], Callable[[demos.Demo, int], None], str]]:
    """Each demo: how to build it, how to run one update, and what one update is."""

    def click(demo: demos.Demo, _: int) -> None:
        demo.controls["step"].click()

    def move(demo: demos.Demo, i: int) -> None:
        demo.controls["inputs"]["a"].value = 1.0 + 0.1 * (i % 40)

    return {
        "gradient_descent": (demos.gradient_descent, click, "1 step"),
        "linear_regression": (demos.linear_regression, click, "1 SGD step, 1500 points"),
        "classifier": (demos.classifier, click, "20 epochs, 400 points, 60x60 grid"),
        "computational_graph": (
            lambda: demos.computational_graph("a**3 - b**2 + sin(a*b)", {"a": 1.0, "b": 2.0}),
            move,
            "slider move",
        ),
        "stock_window": (demos.stock_window, click, "50 SGD epochs, ~600 windows"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=20, help="updates timed per demo")
    args = parser.parse_args()
    spent = _timed_render()
    print(f"{'demo':<22}{'one update':<36}{'median ms':>10}{'p90 ms':>9}{'drawing ms':>12}")
    worst = 0.0
    for name, (build, update, what) in _cases().items():
        demo = build()
        for i in range(2):  # warm-up: first draws load fonts and caches
            update(demo, i)
        spent.clear()
        times = []
        for i in range(args.updates):
            start = time.perf_counter()
            update(demo, i + 2)
            times.append((time.perf_counter() - start) * 1000)
        if demo.status.kind == "error":
            raise SystemExit(f"{name}: the demo reported an error: {demo.status.text}")
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1] if len(times) >= 2 else times[0]
        drawing = statistics.median(spent) * 1000 if spent else 0.0
        worst = max(worst, median)
        print(f"{name:<22}{what:<36}{median:>10.1f}{p90:>9.1f}{drawing:>12.1f}")
    verdict = "under" if worst < TARGET_MS else "OVER"
    print(f"slowest median {worst:.1f} ms: {verdict} the {TARGET_MS:.0f} ms target")


if __name__ == "__main__":
    main()
