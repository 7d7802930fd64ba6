"""The five demos as widget layouts: controls wired to the plain logic, and what gets drawn.

Each builder returns a ``Demo`` (an ipywidgets VBox: the last expression of a cell shows it).
The logic lives in descent.py, regression.py, classify.py, expression.py and stocks.py; this
module only reads controls, calls the logic, and moves the lines of one figure.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from html import escape
from typing import Any

import ipywidgets as widgets
import matplotlib.dates as mdates
import numpy as np
from matplotlib.ticker import NullFormatter

from ..datasets import TICKERS
from ..plots import CLASS_COLORS, DATA_COLOR, FIT_COLOR, OTHER_COLOR, TRUE_COLOR
from ._ui import Canvas, Demo, Inputs, Status, Transport, guarded, themed
from .classify import DATASETS, ClassifierRun
from .common import DemoError, TrainingRun, check_learning_rate
from .descent import CURVES, DescentRun, curve_points
from .expression import Evaluation, Parsed, evaluate, parse_expression
from .regression import RegressionRun
from .stocks import MODELS, StockRun

__all__ = [
    "classifier",
    "computational_graph",
    "gradient_descent",
    "linear_regression",
    "stock_window",
]

_WIDE = {"description_width": "initial"}


def _lr_box(value: Any, default: float) -> widgets.FloatText:
    """The learning rate, typed (so any value can be tried, and a bad one explained).

    A value the box cannot hold (not a number) leaves it at ``default``; the demo then
    shows why, as it does for a rate of 0 or below.
    """
    box = widgets.FloatText(
        value=float(value) if _is_number(value) else default, description="learning rate", step=0.01,
        style=_WIDE, layout=widgets.Layout(width="190px"),
    )  # fmt: skip
    box.add_class("autograd-demo-lr")
    return box


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool)


def _default_lr(value: Any, default: float) -> Any:
    """What the logic starts with: the given rate if valid, else the default (the demo explains)."""
    try:
        return check_learning_rate(value)
    except DemoError:
        return default


def _start_lr(inputs: Inputs, setter: Any, value: Any, default: float) -> None:
    """Apply the rate a demo was built with; a bad one is explained in the status line.

    A number the box can hold (0, -1, nan) stays in the box with an error until fixed, as
    if typed; anything else (a string) is replaced by ``default`` with a warning.
    """
    if _is_number(value):
        guarded(inputs.status)(inputs.apply)("lr", setter, value)
    else:
        setter(default)
        inputs.status.show(
            f"The learning rate must be a number, got {value!r}; using {default:g}.", "warning"
        )


def _show_note(status: Status, note: str | None, diverged: bool) -> None:
    """The logic's hint about the last step, as a warning (or an error once diverged)."""
    status.show(note, "error" if diverged else "warning")


def _training_transport(
    run: TrainingRun,
    inputs: Inputs,
    lr_box: widgets.FloatText,
    redraw: Callable[[], None],
    *,
    interval: int,
    per_update: tuple[str, int, int],
) -> Transport:
    """Step, Play and Reset for a training demo, and its learning-rate box wired to ``run``.

    An update trains ``transport.steps`` steps, redraws (also when a step fails) and shows
    the run's note; a diverged run says so again, without redrawing, until Reset.
    """
    status = inputs.status

    def advance() -> bool:
        inputs.check()
        if run.diverged:  # nothing to redraw: say so again (Reset starts over)
            raise DemoError(run.diverged)
        try:
            run.train(transport.steps)
        finally:
            redraw()
        _show_note(status, run.note(), bool(run.diverged))
        return not run.diverged

    def reset() -> None:
        inputs.check()
        run.reset()
        status.clear()
        redraw()

    def on_lr(change: Mapping[str, Any]) -> None:
        inputs.apply("lr", run.set_lr, change["new"])

    transport = Transport(advance, reset, status, interval=interval, per_update=per_update)
    lr_box.observe(guarded(status)(on_lr), names="value")
    return transport


def _log_limits(values: list[float]) -> tuple[float, float]:
    """y-limits for a loss curve on a log axis: whole decades around the finite values.

    Whole decades change rarely, so most updates reuse the saved background (see Canvas).
    """
    finite = np.asarray([v for v in values if np.isfinite(v) and v > 0], dtype=np.float64)
    if finite.size == 0:
        return 0.1, 10.0
    low = np.floor(np.log10(finite.min()))
    high = max(np.ceil(np.log10(finite.max())), low + 1)
    return float(10.0**low), float(10.0**high)


def _page(n: int, first: int) -> int:
    """The x-extent of a loss curve with n points: first, then doubled as often as needed."""
    size = first
    while size < n:
        size *= 2
    return size


def _loss_axes(ax: Any, title: str) -> Any:
    """An empty loss curve on a log axis (the line is updated in place)."""
    (line,) = ax.plot([], [], color=DATA_COLOR)
    ax.set_yscale("log")
    # Labels on whole decades only: the axes were placed for labels of that width.
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel("step")
    ax.set_ylabel("loss (log scale)")
    ax.set_title(title)
    return line


def _draw_losses(ax: Any, line: Any, losses: list[float], xlabel: str, min_steps: int) -> None:
    steps = np.arange(1, len(losses) + 1)
    line.set_data(steps, np.asarray(losses, dtype=np.float64))
    ax.set_xlim(0.5, _page(len(losses), min_steps) + 0.5)
    ax.set_ylim(*_log_limits(losses))
    ax.set_xlabel(xlabel)


# ----------------------------------------------------------------------------------------------
# 1. Gradient descent on a curve


def gradient_descent(
    function: str = "two minima", lr: float | None = None, start: float | None = None
) -> Demo:
    """Gradient descent on a 1-D curve: the tangent from autograd, learning rate, Step/Play/Reset.

    ``function`` is one of ``"one minimum"`` (x²), ``"two minima"`` (x⁴ − 3x² + x) or
    ``"wavy"`` (x²/4 + sin 3x); ``lr`` and ``start`` default to values that converge. Raise
    the learning rate to show overshooting (the path zig-zags) and divergence (it flies off).
    """
    run = DescentRun(function, start=start)
    run.set_lr(_default_lr(run.curve.lr if lr is None else lr, run.curve.lr))
    status = Status()
    inputs = Inputs(status)
    canvas = Canvas((7.5, 4.3))
    ax = canvas.axes[0]
    with themed():
        (curve_line,) = ax.plot([], [], color=DATA_COLOR, label="f(x)")
        (path_line,) = ax.plot(
            [], [], "o-", color=OTHER_COLOR, markersize=4, linewidth=1, alpha=0.7, label="steps"
        )
        (tangent_line,) = ax.plot([], [], "--", color=FIT_COLOR, linewidth=1.6, label="tangent")
        (point,) = ax.plot([], [], "o", color=FIT_COLOR, markersize=9, zorder=4, label="x")
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
        ax.legend(loc="upper center", ncols=4, fontsize=9)
    canvas.animate(path_line, tangent_line, point, ax.get_legend(), ax.title)
    lines = {"curve": curve_line, "path": path_line, "tangent": tangent_line, "point": point}
    syncing = [False]  # True while on_function moves the start slider itself

    function_box = widgets.Dropdown(
        options=list(CURVES), value=run.curve_name, description="function"
    )
    lr_box = _lr_box(run.curve.lr if lr is None else lr, run.curve.lr)
    lo, hi = run.curve.x_range
    start_slider = widgets.FloatSlider(
        value=run.x, min=min(lo, run.x), max=max(hi, run.x), step=0.05, description="start x",
        continuous_update=False,
    )  # fmt: skip

    def redraw(full: bool = False, relayout: bool = False) -> None:
        lo, hi = run.view()
        xs, ys = curve_points(run.curve, lo, hi)
        curve_line.set_data(xs, ys)
        path_line.set_data(run.path, run.values)
        tangent_line.set_data(*run.tangent())
        point.set_data([run.x], [run.fx])
        ax.set_xlim(lo, hi)
        visible = np.concatenate([ys[np.isfinite(ys)], np.asarray(run.values)])
        bottom, top = float(visible.min()), float(visible.max())
        pad = 0.08 * (top - bottom) + 1e-9
        ax.set_ylim(bottom - pad, top + 3 * pad)  # room for the legend
        with themed():
            ax.set_title(f"{run.curve.label}\n{run.title()}", fontsize=11, fontweight="normal")
        canvas.render(full, relayout)

    def advance() -> bool:
        inputs.check()
        run.step()
        redraw()
        _show_note(status, run.note(), bool(run.diverged))
        return not run.diverged

    def reset() -> None:
        inputs.check()
        run.reset(start_slider.value)
        status.clear()
        redraw()

    def on_function(change: Mapping[str, Any]) -> None:
        run.set_curve(change["new"])
        lo, hi = run.curve.x_range
        syncing[0] = True
        try:  # widen, move, then narrow: the slider never has to clamp its value
            start_slider.min, start_slider.max = (
                min(lo, start_slider.min),
                max(hi, start_slider.max),
            )
            start_slider.value = run.curve.start
            start_slider.min, start_slider.max = lo, hi
        finally:
            syncing[0] = False
        run.reset(start_slider.value)
        inputs.check()
        status.clear()
        redraw(full=True, relayout=True)

    def on_lr(change: Mapping[str, Any]) -> None:
        inputs.apply("lr", run.set_lr, change["new"])
        redraw()

    transport = Transport(advance, reset, status, interval=400)
    guard = guarded(status)
    function_box.observe(guard(on_function), names="value")
    lr_box.observe(guard(on_lr), names="value")
    start_slider.observe(guard(lambda _: None if syncing[0] else reset()), names="value")
    redraw()
    _start_lr(inputs, run.set_lr, run.curve.lr if lr is None else lr, run.curve.lr)

    controls = {
        "function": function_box,
        "lr": lr_box,
        "start": start_slider,
        "step": transport.step,
        "play": transport.play,
        "reset": transport.reset,
    }
    rows = [
        widgets.HBox([function_box, lr_box, start_slider]),
        transport.box(),
        canvas.image,
        status.widget,
    ]
    return Demo("Gradient descent", run, controls, status, rows, redraw, canvas, lines)


# ----------------------------------------------------------------------------------------------
# 2. Linear regression


def linear_regression(n_samples: int = 1500, noise: float = 10.0, lr: float = 0.1) -> Demo:
    """Chapter 2's model fitting its data live: the line and the loss curve after each update.

    Sliders change the number of samples and the noise (a new data set, same seed); the
    learning rate is typed. Around lr = 1 and above, each step overshoots and the loss grows.
    """
    run = RegressionRun(n_samples=n_samples, noise=noise, lr=_default_lr(lr, 0.1))
    status = Status()
    inputs = Inputs(status)
    canvas = Canvas((9.0, 3.8), ncols=2)
    ax_fit, ax_loss = canvas.axes
    with themed():
        points = ax_fit.scatter([], [], s=10, color=DATA_COLOR, alpha=0.5, label="data")
        (true_line,) = ax_fit.plot([], [], "--", color=TRUE_COLOR, label="true line")
        (fit_line,) = ax_fit.plot([], [], color=FIT_COLOR, label="learned line")
        ax_fit.set_xlabel("x (feature)")
        ax_fit.set_ylabel("y (target)")
        ax_fit.set_title("Data and fitted line")
        ax_fit.legend(loc="upper left", fontsize=9)
        loss_line = _loss_axes(ax_loss, "Training loss (MSE)")
        title = canvas.figure.suptitle("", fontsize=12)
    canvas.animate(fit_line, ax_fit.get_legend(), loss_line, title)
    lines = {"points": points, "fit": fit_line, "true": true_line, "loss": loss_line}

    lr_box = _lr_box(lr, 0.1)
    samples = widgets.IntSlider(
        value=run.n_samples, min=min(20, run.n_samples), max=max(3000, run.n_samples), step=20,
        description="samples", continuous_update=False,
    )  # fmt: skip
    noise_slider = widgets.FloatSlider(
        value=run.noise, min=0.0, max=max(60.0, run.noise), step=1.0, description="noise",
        continuous_update=False,
    )  # fmt: skip

    def place_data() -> None:
        xs, ys = run.x_values(), run.y_values()
        points.set_offsets(np.column_stack([xs, ys]))
        for values, setter in ((xs, ax_fit.set_xlim), (ys, ax_fit.set_ylim)):
            pad = 0.05 * float(np.ptp(values)) + 1e-9
            setter(float(values.min()) - pad, float(values.max()) + pad)
        true_line.set_data(*run.true_line())

    def redraw(full: bool = False, relayout: bool = False) -> None:
        fit_line.set_data(*run.fitted_line())
        _draw_losses(ax_loss, loss_line, run.losses, "step", 30)
        title.set_text(run.title())
        canvas.render(full, relayout)

    def on_data(_: Any) -> None:
        run.set_data(samples.value, noise_slider.value)
        status.clear()
        place_data()
        redraw(full=True)

    transport = _training_transport(
        run, inputs, lr_box, redraw, interval=200, per_update=("steps per update", 1, 50)
    )
    guard = guarded(status)
    samples.observe(guard(on_data), names="value")
    noise_slider.observe(guard(on_data), names="value")
    place_data()
    redraw()
    _start_lr(inputs, run.set_lr, lr, run.lr)

    controls = {
        "lr": lr_box,
        "samples": samples,
        "noise": noise_slider,
        "steps_per_update": transport.per_update,
        "step": transport.step,
        "play": transport.play,
        "reset": transport.reset,
    }
    rows = [
        widgets.HBox([lr_box, samples, noise_slider]),
        transport.box(),
        canvas.image,
        status.widget,
    ]
    return Demo("Linear regression", run, controls, status, rows, redraw, canvas, lines)


# ----------------------------------------------------------------------------------------------
# 3. Classifier and its decision boundary


def classifier(dataset: str = "moons", hidden: int = 10, lr: float = 1.0) -> Demo:
    """Chapter 3's network learning a 2-D data set: the decision boundary and loss as it trains.

    ``dataset`` is ``"moons"`` (chapter 3's 400 points) or ``"five points"``. The
    shading is P(class 1), the black line P = 0.5. Try 1 or 2 hidden units against 20.
    """
    run = ClassifierRun(dataset=dataset, hidden=hidden, lr=_default_lr(lr, 1.0))
    status = Status()
    inputs = Inputs(status)
    canvas = Canvas((9.0, 3.8), ncols=2, width_ratios=[1.2, 1.0])
    ax, ax_loss = canvas.axes
    with themed():
        shade = ax.imshow(
            run.probability_grid(), extent=run.extent, origin="lower", cmap="RdBu_r",
            vmin=0.0, vmax=1.0, alpha=0.55, aspect="auto", interpolation="bilinear",
        )  # fmt: skip
        scatters = [
            ax.scatter([], [], color=color, edgecolor="white", s=30, zorder=3, label=f"class {cls}")
            for cls, color in enumerate(CLASS_COLORS)
        ]
        ax.grid(False)  # the shading is the background here
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.legend(loc="upper right", fontsize=9)
        loss_line = _loss_axes(ax_loss, "Training loss (BCE)")
    # The shading covers the points unless they are drawn after it: both are animated.
    canvas.animate(shade, *scatters, ax.get_legend(), ax.title, loss_line)
    boundary: list[Any] = []  # the current P = 0.5 contour (replaced at each redraw)

    dataset_box = widgets.Dropdown(options=list(DATASETS), value=run.dataset, description="data")
    hidden_slider = widgets.IntSlider(
        value=run.hidden, min=1, max=max(64, run.hidden), description="hidden units",
        continuous_update=False, style=_WIDE,
    )  # fmt: skip
    lr_box = _lr_box(lr, 1.0)

    def place_data() -> None:
        points = run.X.numpy()
        labels = run.y.numpy().reshape(-1)
        for cls, scatter in enumerate(scatters):
            scatter.set_offsets(points[labels == cls])
        shade.set_extent(run.extent)
        ax.set_xlim(run.extent[0], run.extent[1])
        ax.set_ylim(run.extent[2], run.extent[3])

    def redraw(full: bool = False, relayout: bool = False) -> None:
        grid = run.probability_grid()
        shade.set_data(grid)
        for contour in boundary:
            canvas.forget(contour)
        boundary.clear()
        if grid.min() < 0.5 < grid.max():
            with themed(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                contour = ax.contour(
                    run.grid_x, run.grid_y, grid, levels=[0.5], colors="k", linewidths=2, zorder=2
                )
            canvas.animate(contour)
            boundary.append(contour)
        with themed():
            ax.set_title(run.title(), fontsize=11, fontweight="normal")
        _draw_losses(ax_loss, loss_line, run.losses, "epoch", 100)
        canvas.render(full, relayout)

    def on_dataset(change: Mapping[str, Any]) -> None:
        run.set_dataset(change["new"])
        status.clear()
        place_data()
        redraw(full=True, relayout=True)

    def on_hidden(change: Mapping[str, Any]) -> None:
        run.set_hidden(change["new"])
        status.clear()
        redraw()

    transport = _training_transport(
        run, inputs, lr_box, redraw, interval=200, per_update=("epochs per update", 20, 100)
    )
    guard = guarded(status)
    dataset_box.observe(guard(on_dataset), names="value")
    hidden_slider.observe(guard(on_hidden), names="value")
    place_data()
    redraw()
    _start_lr(inputs, run.set_lr, lr, run.lr)

    controls = {
        "dataset": dataset_box,
        "hidden": hidden_slider,
        "lr": lr_box,
        "epochs_per_update": transport.per_update,
        "step": transport.step,
        "play": transport.play,
        "reset": transport.reset,
    }
    rows = [
        widgets.HBox([dataset_box, hidden_slider, lr_box]),
        transport.box(),
        canvas.image,
        status.widget,
    ]
    lines = {"shade": shade, "scatters": scatters, "boundary": boundary, "loss": loss_line}
    return Demo("Classifier", run, controls, status, rows, redraw, canvas, lines)


# ----------------------------------------------------------------------------------------------
# 4. Computational graph of an expression


def _format(x: float) -> str:
    """4 significant digits, as the graph's labels show numbers."""
    return f"{x + 0.0:.4g}"


def computational_graph(
    expression: str = "a**3 - b**2", values: Mapping[str, float] | None = None
) -> Demo:
    """The graph autograd records for ``expression``, with a slider per input.

    Allowed: numbers, input names, ``+ - * / **``, unary minus, and exp, log, sin, cos, tanh,
    sigmoid, relu, sqrt. Inputs start at ``values[name]`` (1.0 when not given). Every move of
    a slider runs the forward pass and ``backward()`` again and redraws values and gradients.
    """
    status = Status()
    given = dict(values or {})
    expression_box = widgets.Text(
        value=str(expression), description="f =", continuous_update=False,
        layout=widgets.Layout(width="420px"),
    )  # fmt: skip
    sliders_box = widgets.VBox()
    result = widgets.HTML()
    graph_view = widgets.HTML()
    sliders: dict[str, widgets.FloatSlider] = {}
    state: dict[str, Any] = {"parsed": None, "evaluation": None}

    def current_values() -> dict[str, float]:
        return {name: slider.value for name, slider in sliders.items()}

    def redraw(relayout: bool = False) -> None:
        parsed: Parsed | None = state["parsed"]
        if parsed is None:
            return
        evaluation: Evaluation = evaluate(parsed, current_values())
        state["evaluation"] = evaluation
        graph_view.value = evaluation.graph.svg
        grads = ", ".join(f"∂f/∂{n} = {_format(g)}" for n, g in evaluation.grads.items())
        result.value = (
            f"<b>f = {_format(evaluation.value)}</b> &nbsp; {escape(grads)}"
            f" &nbsp; <span style='color:#6b7280'>(blue: inputs, orange: operations,"
            f" green: results; grad = ∂f/∂ that tensor)</span>"
        )
        numbers = [evaluation.value, *evaluation.grads.values()]
        if not all(np.isfinite(numbers)):
            status.show(
                "Some values are nan or inf here (log or sqrt of a negative number, "
                "division by zero, or an overflow): move the sliders.",
                "warning",
            )
        else:
            status.clear()

    def make_slider(name: str, value: float) -> widgets.FloatSlider:
        slider = widgets.FloatSlider(
            value=value, min=min(-10.0, np.floor(value) - 1), max=max(10.0, np.ceil(value) + 1),
            step=0.1, description=name, continuous_update=True,
        )  # fmt: skip
        slider.observe(guard(lambda _: redraw()), names="value")
        return slider

    def set_expression(text: str) -> None:
        try:
            parsed = parse_expression(text)
        except DemoError as error:
            keep = " (still showing the previous expression)" if state["parsed"] else ""
            raise DemoError(f"{error}{keep}") from None
        known = current_values()
        for name in parsed.inputs:
            if name not in sliders:
                start = float(given.get(name, known.get(name, 1.0)))
                sliders[name] = make_slider(name, start)
        for name in [n for n in sliders if n not in parsed.inputs]:
            sliders.pop(name).close()
        sliders_box.children = [sliders[n] for n in parsed.inputs]
        state["parsed"] = parsed
        redraw()

    guard = guarded(status)
    guard(set_expression)(expression_box.value)
    expression_box.observe(guard(lambda change: set_expression(change["new"])), names="value")

    # controls["inputs"] is live: one slider per input of the current expression.
    controls = {
        "expression": expression_box,
        "inputs": sliders,
        "graph": graph_view,
        "result": result,
    }
    rows = [expression_box, sliders_box, result, status.widget, graph_view]
    return Demo("Computational graph", state, controls, status, rows, redraw)


# ----------------------------------------------------------------------------------------------
# 5. Stock prices: a window of days, a model, and the naive baseline


# Chapter 4's colours (plots.predictions' order): naive red, linear green, MLP orange.
MODEL_COLORS = (TRUE_COLOR, OTHER_COLOR)


def stock_window(
    ticker: str = "AAPL", window: int = 10, model: str = "linear", lr: float = 0.1
) -> Demo:
    """Chapter 4's next-day prediction: window size and model against "tomorrow = today".

    Trains on the first 80% of the days (full-batch SGD with momentum 0.9 on standardised
    prices, as chapter 4 does) and plots the last 20%, never seen in training, in dollars,
    with the test RMSE of the model and of the naive baseline.
    """
    run = StockRun(ticker=ticker, window=window, model=model, lr=_default_lr(lr, 0.1))
    status = Status()
    inputs = Inputs(status)
    canvas = Canvas((9.0, 3.8), ncols=2, width_ratios=[2.0, 1.0])
    ax, ax_loss = canvas.axes
    with themed():
        (actual_line,) = ax.plot([], [], color="0.15", linewidth=2.0, label="actual")
        (naive_line,) = ax.plot(
            [], [], color=FIT_COLOR, linewidth=1.3, label="naive (tomorrow = today)"
        )
        (model_line,) = ax.plot([], [], color=MODEL_COLORS[0], linewidth=1.3, label="model")
        ax.set_xlabel("date (test days)")
        ax.set_ylabel("closing price (USD)")
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.legend(loc="upper left", fontsize=9)
        loss_line = _loss_axes(ax_loss, "Training loss (MSE)")
        title = canvas.figure.suptitle("", fontsize=11)
    legend = ax.get_legend()
    canvas.animate(model_line, legend, title, loss_line)

    ticker_box = widgets.Dropdown(options=list(TICKERS), value=run.ticker, description="ticker")
    window_slider = widgets.IntSlider(
        value=run.window, min=1, max=max(30, run.window), description="window (days)",
        continuous_update=False, style=_WIDE,
    )  # fmt: skip
    model_box = widgets.Dropdown(options=list(MODELS), value=run.model_name, description="model")
    lr_box = _lr_box(lr, 0.1)
    caption = widgets.HTML(
        "<span style='color:#6b7280'>Predictions for the last 20% of the days, which the model "
        "never saw while training. Not investment advice.</span>"
    )

    def place_data() -> None:
        dates, actual = run.test_dates(), run.actual()
        actual_line.set_data(dates, actual)
        naive_line.set_data(dates, run.naive())
        ax.set_xlim(dates[0], dates[-1])
        # Fixed limits around the actual prices: a model far off is visibly off the chart.
        low, high = float(actual.min()), float(actual.max())
        ax.set_ylim(low - 0.25 * (high - low), high + 0.25 * (high - low))

    def label_model() -> None:
        color = MODEL_COLORS[MODELS.index(run.model_name)]
        model_line.set_color(color)
        model_line.set_label(f"{run.model_name} model")
        legend.get_lines()[2].set_color(color)
        legend.get_texts()[2].set_text(f"{run.model_name} model")

    def redraw(full: bool = False, relayout: bool = False) -> None:
        model_line.set_data(run.test_dates(), run.predicted())
        title.set_text(run.title().replace("$", r"\$"))  # a literal $, not mathtext
        _draw_losses(ax_loss, loss_line, run.losses, "epoch", 100)
        canvas.render(full, relayout)

    def on_ticker(change: Mapping[str, Any]) -> None:
        run.set_ticker(change["new"])
        status.clear()
        place_data()
        redraw(full=True, relayout=True)

    def on_window(change: Mapping[str, Any]) -> None:
        run.set_window(change["new"])
        status.clear()
        redraw()

    def on_model(change: Mapping[str, Any]) -> None:
        run.set_model(change["new"])
        status.clear()
        label_model()
        redraw()

    transport = _training_transport(
        run, inputs, lr_box, redraw, interval=250, per_update=("epochs per update", 50, 500)
    )
    guard = guarded(status)
    label_model()
    ticker_box.observe(guard(on_ticker), names="value")
    window_slider.observe(guard(on_window), names="value")
    model_box.observe(guard(on_model), names="value")
    place_data()
    redraw()
    _start_lr(inputs, run.set_lr, lr, run.lr)

    controls = {
        "ticker": ticker_box,
        "window": window_slider,
        "model": model_box,
        "lr": lr_box,
        "epochs_per_update": transport.per_update,
        "step": transport.step,
        "play": transport.play,
        "reset": transport.reset,
    }
    rows = [
        widgets.HBox([ticker_box, window_slider, model_box, lr_box]),
        transport.box(),
        canvas.image,
        caption,
        status.widget,
    ]
    lines = {"actual": actual_line, "naive": naive_line, "model": model_line, "loss": loss_line}
    return Demo("Stock window", run, controls, status, rows, redraw, canvas, lines)
