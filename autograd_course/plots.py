"""The chapters' figures, drawn with one seaborn/matplotlib theme so the course looks the same."""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from PIL import Image as PILImage

import autograd_course as ac

__all__ = [
    "animate_fit",
    "classes",
    "decision_boundary",
    "function_and_derivative",
    "is_headless",
    "loss_curve",
    "mse_landscape",
    "predictions",
    "prices",
    "regression_data",
    "regression_fit",
    "use_theme",
]

# One palette for the whole course: data points, a learned model, the truth, a second curve.
DATA_COLOR = "#4C72B0"
FIT_COLOR = "#C44E52"
TRUE_COLOR = "#55A868"
OTHER_COLOR = "#DD8452"
CLASS_COLORS = ("#4C72B0", "#C44E52")

_RC = {
    "figure.figsize": (7.0, 4.2),
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": True,
    "legend.fontsize": 10,
    "lines.linewidth": 2.0,
}


def use_theme() -> None:
    """Apply the course's seaborn theme to every later figure (call once at a chapter's top)."""
    sns.set_theme(context="notebook", style="whitegrid", palette="deep", rc=_RC)


def is_headless() -> bool:
    """True when figures must not animate (AUTOGRAD_COURSE_HEADLESS=1, set by `make notebooks`)."""
    return os.environ.get("AUTOGRAD_COURSE_HEADLESS") == "1"


def _to_numpy(values: Any) -> np.ndarray:
    """A NumPy array from a tensor (detached), a list of numbers or tensors, or an array."""
    if hasattr(values, "detach"):
        return np.asarray(values.detach().numpy())
    if isinstance(values, (list, tuple)):
        return np.asarray([_to_float(v) for v in values], dtype=np.float64)
    return np.asarray(values)


def _to_float(value: Any) -> float:
    """A Python float from a number, a NumPy scalar or a one-element tensor/array."""
    if hasattr(value, "detach"):
        value = value.detach().numpy()
    array = np.asarray(value, dtype=np.float64)
    if array.size != 1:
        raise ValueError(f"expected a single number, got an array of shape {array.shape}")
    return float(array.reshape(-1)[0])


def _column(values: Any) -> np.ndarray:
    """A flat 1-D float array from a (n,), (n, 1) tensor or array."""
    return _to_numpy(values).astype(np.float64).reshape(-1)


def _line_label(name: str, w: float, b: float) -> str:
    """A legend entry such as "learned: y = 2.00x - 1.00"."""
    sign = "-" if b < 0 else "+"
    return f"{name}: y = {w:.2f}x {sign} {abs(b):.2f}"


# Dates as the chapters print them (2012-05-24), shortened to the month or year when the ticks
# are that far apart: one format, never "May" on one figure and "2013-Jan" on the next.
_DATE_FORMATS = ["%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d %H:%M", "%H:%M", "%H:%M:%S"]


def _date_axis(ax: Axes) -> None:
    """Short, non-overlapping date tick labels in the chapters' one date format."""
    locator = mdates.AutoDateLocator(maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(
            locator, formats=_DATE_FORMATS, zero_formats=_DATE_FORMATS, show_offset=False
        )
    )


def _axes(ax: Axes | None) -> Axes:
    """The given Axes, or a new figure's Axes."""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def function_and_derivative(
    x: Any,
    y: Any,
    dy: Any,
    *,
    labels: tuple[str, str] = ("f(x)", "f'(x)"),
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw a function and its derivative on shared axes, to compare slope and value."""
    ax = _axes(ax)
    xs = _column(x)
    ax.plot(xs, _column(y), color=DATA_COLOR, label=labels[0])
    ax.plot(xs, _column(dy), color=FIT_COLOR, linestyle="--", label=labels[1])
    ax.axhline(0.0, color="0.4", linewidth=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("value")
    ax.set_title(title if title is not None else f"{labels[0]} and its derivative {labels[1]}")
    ax.legend()
    return ax


def regression_data(X: Any, y: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Scatter one-feature regression data (x on the horizontal axis, target vertically)."""
    ax = _axes(ax)
    sns.scatterplot(x=_column(X), y=_column(y), ax=ax, color=DATA_COLOR, s=14, alpha=0.6)
    ax.set_xlabel("x (feature)")
    ax.set_ylabel("y (target)")
    ax.set_title(title if title is not None else "Regression data")
    return ax


def regression_fit(
    X: Any,
    y: Any,
    w: Any,
    b: Any,
    *,
    true_w: Any = None,
    true_b: Any = None,
    title: str | None = None,
    ax: Axes | None = None,
    label: str = "learned",
) -> Axes:
    """Scatter the data with the line y = w x + b (and the true line when given).

    ``label`` names the line in the legend, e.g. "untrained" before any training.
    """
    ax = regression_data(X, y, title=title if title is not None else "Learned fit", ax=ax)
    xs = _column(X)
    grid = np.array([xs.min(), xs.max()])
    w_, b_ = _to_float(w), _to_float(b)
    ax.plot(grid, w_ * grid + b_, color=FIT_COLOR, label=_line_label(label, w_, b_))
    if true_w is not None:
        tw = _to_float(true_w)
        tb = _to_float(true_b) if true_b is not None else 0.0
        ax.plot(
            grid,
            tw * grid + tb,
            color=TRUE_COLOR,
            linestyle="--",
            label=_line_label("true", tw, tb),
        )
    ax.legend(loc="upper left")
    return ax


def loss_curve(
    losses: Any,
    *,
    title: str = "Training loss",
    logy: bool = False,
    xlabel: str = "step",
    ax: Axes | None = None,
) -> Axes:
    """Plot loss against step; a dict {"train": [...], "test": [...]} draws one curve per entry."""
    ax = _axes(ax)
    curves = dict(losses) if isinstance(losses, Mapping) else {"loss": losses}
    colors = (DATA_COLOR, FIT_COLOR, TRUE_COLOR, OTHER_COLOR)
    for i, (name, values) in enumerate(curves.items()):
        ys = _column(values)
        ax.plot(np.arange(1, len(ys) + 1), ys, color=colors[i % len(colors)], label=name)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss (log scale)" if logy else "loss")
    ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return ax


def mse_landscape(
    X: Any,
    y: Any,
    paths: Mapping[str, Sequence[Any]] | None = None,
    *,
    colors: Sequence[str] | None = None,
    extent: tuple[float, float, float, float] | None = None,
    levels: int = 10,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Contour the MSE of the line y = w x + b over (w, b), with gradient-descent paths on it.

    The loss is computed in closed form (float64) from the data's moments, so the picture is
    exact. ``paths`` maps a name to the (w, b) pairs a run went through, start first; each is
    drawn with a dot at every step, in ``colors`` (default: the course's colours in order, as
    ``loss_curve`` uses them). The contours are spaced so that a round bowl gives evenly
    spaced circles: where rings crowd, the bowl is steep. ``extent`` = (w_min, w_max, b_min,
    b_max); by default it frames the minimum and every point of every path (pass only the
    first steps of a diverging run). Both axes have the same scale: the bowl's true shape.
    """
    ax = _axes(ax)
    xs, ys = _column(X), _column(y)
    if len(xs) != len(ys):
        raise ValueError(f"{len(xs)} inputs but {len(ys)} targets: X must have one feature")
    # L(w, b) = mean((w x + b - y)^2) = a w^2 + 2 c w b + b^2 - 2 d w - 2 e b + f.
    a, c, d, e, f = (float(np.mean(v)) for v in (xs * xs, xs, xs * ys, ys, ys * ys))

    def mse(w: Any, b: Any) -> Any:
        return a * w**2 + 2 * c * w * b + b**2 - 2 * d * w - 2 * e * b + f

    w_min, b_min = np.linalg.solve([[a, c], [c, 1.0]], [d, e])  # where the gradient is 0
    curves = {
        name: np.array([(_to_float(w), _to_float(b)) for w, b in path]).reshape(-1, 2)
        for name, path in (paths or {}).items()
    }
    if extent is None:
        points = np.array([[w_min, b_min], *(p for pts in curves.values() for p in pts)])
        lo, hi = points.min(axis=0), points.max(axis=0)
        margin = 0.08 * (hi - lo).max() + 0.5
        extent = (lo[0] - margin, hi[0] + margin, lo[1] - margin, hi[1] + margin)
    w0, w1, b0, b1 = (float(v) for v in extent)
    if not (w0 < w1 and b0 < b1):
        raise ValueError(
            f"extent must be (w_min, w_max, b_min, b_max) with min < max, got {extent}"
        )
    ww, bb = np.meshgrid(np.linspace(w0, w1, 241), np.linspace(b0, b1, 241))
    loss = mse(ww, bb)
    lowest = mse(w_min, b_min)
    rings = lowest + (loss.max() - lowest) * np.linspace(0.0, 1.0, levels + 1)[1:] ** 2
    ax.contour(ww, bb, loss, levels=rings, colors="0.6", linewidths=0.8, zorder=1)
    ax.grid(False)  # grid lines would read as contours
    palette = (
        list(colors) if colors is not None else [DATA_COLOR, FIT_COLOR, TRUE_COLOR, OTHER_COLOR]
    )
    for i, (name, pts) in enumerate(curves.items()):
        ax.plot(
            pts[:, 0], pts[:, 1], marker=".", markersize=7, linewidth=1.3,
            color=palette[i % len(palette)], label=name, zorder=2,
        )  # fmt: skip
    starts = [pts[0] for pts in curves.values() if len(pts)]
    if starts:
        ax.plot(
            *starts[0], "o", markersize=8, markerfacecolor="white", markeredgecolor="0.2",
            label="start", zorder=3,
        )  # fmt: skip
    ax.plot(
        w_min, b_min, marker="*", markersize=15, color="0.1", linestyle="none",
        label="minimum (least squares)", zorder=3,
    )  # fmt: skip
    ax.set_xlim(w0, w1)
    ax.set_ylim(b0, b1)
    ax.set_aspect("equal")
    ax.set_xlabel("w (weight)")
    ax.set_ylabel("b (bias)")
    ax.set_title(title if title is not None else "The loss over (w, b)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0)
    return ax


def _frame_steps(n_steps: int, max_frames: int) -> list[int]:
    """The steps an animation shows: all of them when few, else at most ``max_frames`` spaced
    geometrically, so that the first steps, where gradient descent changes most, get more frames
    (30 steps in 12 frames: 1, 2, 3, 4, 5, 7, 9, 11, 14, 18, 24, 30). The last step is shown."""
    if n_steps <= max_frames:
        return list(range(1, n_steps + 1))
    best = [n_steps]
    for count in range(2, n_steps + 1):
        steps = sorted({int(round(s)) for s in np.geomspace(1, n_steps, count)})
        if len(steps) > max_frames:
            break
        best = steps
    return best


class _FitAnimation:
    """The fitting animation's figure: drawn once, then each frame redraws only what moves.

    The data points, axes, ticks and labels go into a background drawn once; a frame pastes
    it back and draws the fitted line, its legend, the title and the loss curve on top
    (blitting), then encodes the picture as a PNG. That is some 20 times faster than drawing a
    new figure per frame. With ``pyplot=True`` the figure is a pyplot one, drawn whole by
    whatever shows it (outside a notebook).
    """

    def __init__(
        self, X: Any, y: Any, history: Sequence[Any], losses: Any, *, pyplot: bool = False
    ) -> None:
        self.history = [(_to_float(w), _to_float(b)) for w, b in history]
        self.losses = _column(losses)
        self.n_steps = len(self.history)
        if pyplot:
            self.figure = plt.figure(figsize=(11.0, 4.2), layout="constrained")
        else:
            self.figure = Figure(figsize=(11.0, 4.2), layout="constrained")
            FigureCanvasAgg(self.figure)
        ax_fit, ax_loss = self.figure.subplots(1, 2)
        regression_data(X, y, ax=ax_fit)
        xs = _column(X)
        self._grid = np.array([xs.min(), xs.max()])
        # The points set the limits: a poor early line may leave the picture, not rescale it.
        (self.fit_line,) = ax_fit.plot(
            self._grid,
            self._grid * 0.0,
            color=FIT_COLOR,
            label="learned",
            scalex=False,
            scaley=False,
        )
        self.legend = ax_fit.legend(loc="upper left")
        steps = np.arange(1, self.n_steps + 1)
        (self.loss_line,) = ax_loss.plot(steps, self.losses, color=DATA_COLOR, label="loss")
        (self.loss_now,) = ax_loss.plot(steps[-1:], self.losses[-1:], "o", color=DATA_COLOR)
        ax_loss.set_xlim(0.5, max(self.n_steps, 2) + 0.5)
        ax_loss.set(xlabel="step", ylabel="loss", title="Training loss")
        self.ax_fit = ax_fit
        self.moving = [self.fit_line, self.legend, ax_fit.title, self.loss_line, self.loss_now]
        for artist in self.moving:
            artist.set_animated(not pyplot)
        self.update(self.n_steps)  # the longest title, for the layout
        self._background: Any = None

    def update(self, step: int) -> None:
        """Move the artists to the state after ``step`` steps (1-based)."""
        w, b = self.history[step - 1]
        self.fit_line.set_ydata(w * self._grid + b)
        self.legend.get_texts()[0].set_text(_line_label("learned", w, b))
        self.ax_fit.set_title(f"Fit after step {step} of {self.n_steps}")
        steps = np.arange(1, step + 1)
        self.loss_line.set_data(steps, self.losses[:step])
        self.loss_now.set_data(steps[-1:], self.losses[step - 1 : step])

    def frame(self, step: int) -> bytes:
        """The figure after ``step`` steps as PNG bytes (only the moving artists are redrawn)."""
        self.update(step)
        fig = self.figure
        canvas = fig.canvas
        if self._background is None:
            canvas.draw()  # constrained layout places the axes, then they stay put
            fig.set_layout_engine("none")
            self._background = canvas.copy_from_bbox(fig.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            fig.draw_artist(artist)
        width, height = canvas.get_width_height()
        rgba = PILImage.frombuffer(
            "RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1
        )
        buffer = io.BytesIO()
        rgba.convert("RGB").save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def animate_fit(
    X: Any,
    y: Any,
    history: Sequence[Any],
    losses: Any,
    *,
    interval: float = 0.25,
    max_frames: int = 12,
) -> None:
    """Show a line being fitted step by step (live); headless, show only the final frame.

    `history` holds (w, b) after each step and `losses` the loss at each step. In a live
    notebook one picture is updated in place, `max_frames` times at most (early steps, where
    the line moves most, get more frames), one frame every `interval` seconds. When the
    environment sets AUTOGRAD_COURSE_HEADLESS=1 (stored outputs must be reproducible) only the
    final frame is shown: the same picture the animation ends on.
    """
    n_steps = len(history)
    if n_steps == 0:
        raise ValueError("history is empty: record (w, b) after each training step")
    if len(_column(losses)) != n_steps:
        raise ValueError(
            f"history has {n_steps} steps but losses has {len(_column(losses))} values; "
            "record one loss per step"
        )
    if not _in_notebook():
        _FitAnimation(X, y, history, losses, pyplot=True)
        plt.show()
        return
    from IPython.display import Image, display

    animation = _FitAnimation(X, y, history, losses)
    if is_headless():
        display(Image(data=animation.frame(n_steps), format="png"))
        return
    steps = _frame_steps(n_steps, max(max_frames, 1))
    handle = display(Image(data=animation.frame(steps[0]), format="png"), display_id=True)
    due = time.perf_counter()
    for step in steps[1:]:
        due += interval
        time.sleep(max(0.0, due - time.perf_counter()))
        handle.update(Image(data=animation.frame(step), format="png"))


def _in_notebook() -> bool:
    """True inside a running IPython kernel (where clear_output can redraw a figure)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with jupyter
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def decision_boundary(
    predict_proba: Callable[[Any], Any],
    X: Any,
    y: Any,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    resolution: int = 200,
    extent: tuple[float, float, float, float] | None = None,
) -> Axes:
    """Shade a 2-D classifier's probability of class 1, draw its 0.5 contour and the points.

    `extent` = (x1_min, x1_max, x2_min, x2_max) fixes the shaded region (e.g. the same for a
    training and a test plot); by default it is the points' range plus a margin.
    """
    ax = _axes(ax)
    points = _to_numpy(X).astype(np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"decision_boundary needs 2-D points of shape (n, 2), got {points.shape}")
    labels = _column(y)
    if extent is None:
        lo, hi = points.min(axis=0), points.max(axis=0)
        margin = 0.1 * (hi - lo) + 0.25
        extent = (lo[0] - margin[0], hi[0] + margin[0], lo[1] - margin[1], hi[1] + margin[1])
    x1_min, x1_max, x2_min, x2_max = (float(v) for v in extent)
    if not (x1_min < x1_max and x2_min < x2_max):
        raise ValueError(
            f"extent must be (x1_min, x1_max, x2_min, x2_max) with min < max, got {extent}"
        )
    gx = np.linspace(x1_min, x1_max, resolution)
    gy = np.linspace(x2_min, x2_max, resolution)
    xx, yy = np.meshgrid(gx, gy)
    grid = ac.tensor(np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32))
    with ac.no_grad():
        proba = predict_proba(grid)
    zz = _column(proba)
    if zz.size != xx.size:
        raise ValueError(
            f"predict_proba returned {zz.size} values for {xx.size} points; "
            "it should map an (n, 2) tensor to probabilities of shape (n, 1)"
        )
    zz = zz.reshape(xx.shape)
    shade = ax.contourf(xx, yy, zz, levels=np.linspace(0.0, 1.0, 11), cmap="RdBu_r", alpha=0.45)
    ax.contour(xx, yy, zz, levels=[0.5], colors="k", linewidths=2.0)
    ax.grid(False)  # grid lines would cut through the shaded probabilities
    classes(points, labels, ax=ax, edgecolor="0.1")
    handles, _ = ax.get_legend_handles_labels()
    boundary = Line2D([], [], color="k", linewidth=2.0, label="boundary: P = 0.5")
    ax.legend(handles=[*handles, boundary], loc="best")
    ax.set_xlim(x1_min, x1_max)
    ax.set_ylim(x2_min, x2_max)
    ax.figure.colorbar(shade, ax=ax, label="predicted P(class 1)")
    ax.set_title(title if title is not None else "Decision boundary (black line: P = 0.5)")
    return ax


def classes(
    X: Any,
    y: Any,
    *,
    title: str | None = None,
    ax: Axes | None = None,
    edgecolor: str = "white",
) -> Axes:
    """Scatter labelled 2-D points, one colour per class (0 and 1)."""
    ax = _axes(ax)
    points = _to_numpy(X).astype(np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"expected 2-D points of shape (n, 2), got {points.shape}")
    labels = _column(y)
    if len(labels) != len(points):
        raise ValueError(f"{len(points)} points but {len(labels)} labels")
    for cls, color in zip((0, 1), CLASS_COLORS, strict=True):
        mask = labels == cls
        ax.scatter(
            points[mask, 0],
            points[mask, 1],
            color=color,
            edgecolor=edgecolor,
            linewidth=0.6,
            s=40 if len(points) < 50 else 24,
            label=f"class {cls}",
            zorder=3,
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title(title if title is not None else "Labelled points")
    ax.legend(loc="best")
    return ax


def prices(frame: Any, *, title: str | None = None, ax: Axes | None = None) -> Axes:
    """Line plot of closing prices over dates, one line per column (or one Series)."""
    ax = _axes(ax)
    columns = frame.to_frame() if hasattr(frame, "to_frame") else frame
    for name in columns.columns:
        ax.plot(columns.index, columns[name].to_numpy(), label=str(name), linewidth=1.4)
    ax.set_xlabel("date")
    ax.set_ylabel("closing price (USD)")
    _date_axis(ax)
    ax.set_title(title if title is not None else "Daily closing prices")
    if len(columns.columns) > 1:  # beside the plot, where it covers no line
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    return ax


def predictions(
    dates: Any,
    actual: Any,
    predicted: Mapping[str, Any],
    *,
    title: str | None = None,
    ylabel: str = "closing price (USD)",
    ax: Axes | None = None,
) -> Axes:
    """Plot actual values over dates with one line per model's predictions."""
    ax = _axes(ax)
    xs = np.asarray(dates)
    actual_values = _column(actual)
    if len(xs) != len(actual_values):
        raise ValueError(f"{len(xs)} dates but {len(actual_values)} actual values")
    ax.plot(xs, actual_values, color="0.15", linewidth=2.0, label="actual")
    colors = (FIT_COLOR, TRUE_COLOR, OTHER_COLOR, DATA_COLOR)
    for i, (name, values) in enumerate(predicted.items()):
        ys = _column(values)
        if len(ys) != len(xs):
            raise ValueError(f"predictions {name!r} have {len(ys)} values for {len(xs)} dates")
        ax.plot(xs, ys, color=colors[i % len(colors)], linewidth=1.3, alpha=0.9, label=name)
    ax.set_xlabel("date")
    ax.set_ylabel(ylabel)
    if np.issubdtype(xs.dtype, np.datetime64):
        _date_axis(ax)
    ax.set_title(title if title is not None else "Actual vs predicted")
    ax.legend()
    return ax
