"""Chapter 4's live demo draws each forecast in the colour the chapter's figures give it."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import to_hex

from autograd_course import demos, plots

matplotlib.use("Agg")


def _chapter_colours() -> dict[str, str]:
    """The colours plots.predictions gives chapter 4's three forecasts, in the chapter's order."""
    dates = np.arange("2012-01-02", "2012-01-05", dtype="datetime64[D]")
    values = np.arange(3.0)
    ax = plots.predictions(dates, values, {"naive": values, "linear": values, "MLP": values})
    return {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines()}


def test_stock_demo_uses_the_chapters_colour_for_naive_linear_and_mlp():
    chapter = _chapter_colours()
    demo = demos.stock_window("AAPL", window=5, model="linear", lr=0.1)
    legend_lines = demo.figure.axes[0].get_legend().get_lines()
    assert to_hex(demo.lines["naive"].get_color()) == chapter["naive"]
    assert to_hex(demo.lines["model"].get_color()) == chapter["linear"]
    demo.controls["model"].value = "MLP"
    assert to_hex(demo.lines["model"].get_color()) == chapter["MLP"]
    assert to_hex(legend_lines[2].get_color()) == chapter["MLP"]  # the legend follows
    assert len({chapter[name] for name in ("naive", "linear", "MLP")}) == 3
