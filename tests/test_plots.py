"""Tests of autograd_course.plots: what is drawn (data, labels, titles) with the Agg backend."""

from __future__ import annotations

import io
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

import autograd_course as ac  # noqa: E402
from autograd_course import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _scatter_offsets(ax: Axes) -> np.ndarray:
    collections = [c for c in ax.collections if isinstance(c, PathCollection)]
    return np.concatenate([c.get_offsets() for c in collections])


def test_use_theme_sets_the_course_style():
    matplotlib.rcdefaults()
    plots.use_theme()
    assert plt.rcParams["axes.titleweight"] == "bold"
    assert plt.rcParams["axes.spines.top"] is False
    assert tuple(plt.rcParams["figure.figsize"]) == (7.0, 4.2)
    # seaborn's whitegrid style: grid on, white background.
    assert plt.rcParams["axes.grid"] is True
    assert plt.rcParams["axes.facecolor"] == "white"


def test_function_and_derivative_draws_both_curves():
    x = ac.linspace(-2.0, 2.0, 9)
    y = x**2
    dy = 2 * x
    ax = plots.function_and_derivative(x, y, dy, labels=("x²", "2x"))
    assert isinstance(ax, Axes)
    curves = {
        line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")
    }
    assert set(curves) == {"x²", "2x"}
    xs = np.linspace(-2.0, 2.0, 9)
    np.testing.assert_allclose(curves["x²"].get_xdata(), xs, rtol=1e-6)
    np.testing.assert_allclose(curves["x²"].get_ydata(), xs**2, rtol=1e-5)
    np.testing.assert_allclose(curves["2x"].get_ydata(), 2 * xs, rtol=1e-5)
    assert ax.get_xlabel() == "x" and ax.get_ylabel()
    assert ax.get_title() == "x² and its derivative 2x"
    ax2 = plots.function_and_derivative(xs, xs**3, 3 * xs**2, title="Cubic")
    assert ax2.get_title() == "Cubic"


def test_function_and_derivative_accepts_tensors_that_require_grad():
    x = ac.tensor([0.0, 0.25, 0.5, 0.75, 1.0], requires_grad=True)
    y = x * 3
    ax = plots.function_and_derivative(x, y, y, ax=plt.subplots()[1])
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [0, 0.75, 1.5, 2.25, 3.0])


def test_regression_data_scatter_points_and_labels():
    X = np.array([[0.0], [1.0], [2.0]])
    y = ac.tensor([[1.0], [3.0], [5.0]])
    ax = plots.regression_data(X, y)
    np.testing.assert_allclose(_scatter_offsets(ax), [[0, 1], [1, 3], [2, 5]])
    assert ax.get_xlabel() == "x (feature)" and ax.get_ylabel() == "y (target)"
    assert ax.get_title() == "Regression data"
    assert plots.regression_data(X, y, title="Data").get_title() == "Data"


def test_regression_fit_draws_learned_and_true_lines():
    X = np.array([[-1.0], [0.0], [3.0]])
    y = np.array([1.0, 2.0, 3.0])
    w = ac.tensor([[2.0]], requires_grad=True)
    b = ac.tensor([0.5], requires_grad=True)
    ax = plots.regression_fit(X, y, w, b, true_w=3.0, true_b=np.float64(-1.0), title="Fit")
    lines = {line.get_label(): line for line in ax.get_lines()}
    learned = lines["learned: y = 2.00x + 0.50"]
    np.testing.assert_allclose(learned.get_xdata(), [-1.0, 3.0])
    np.testing.assert_allclose(learned.get_ydata(), [-1.5, 6.5])
    true = lines["true: y = 3.00x - 1.00"]
    np.testing.assert_allclose(true.get_ydata(), [-4.0, 8.0])
    assert ax.get_title() == "Fit"
    assert ax.get_legend() is not None
    np.testing.assert_allclose(_scatter_offsets(ax), [[-1, 1], [0, 2], [3, 3]])


def test_regression_fit_without_truth_has_one_line():
    ax = plots.regression_fit([[0.0], [1.0]], [0.0, 1.0], 1.0, 0.0)
    assert len(ax.get_lines()) == 1
    assert ax.get_title() == "Learned fit"


def test_regression_fit_rejects_non_scalar_weight():
    with pytest.raises(ValueError, match="single number"):
        plots.regression_fit([[0.0], [1.0]], [0.0, 1.0], [1.0, 2.0], 0.0)


def test_loss_curve_list_of_tensors_and_floats():
    losses = [ac.tensor(4.0), ac.tensor(2.0), 1.0, np.float32(0.5)]
    ax = plots.loss_curve(losses)
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_xdata(), [1, 2, 3, 4])
    np.testing.assert_allclose(line.get_ydata(), [4.0, 2.0, 1.0, 0.5])
    assert ax.get_title() == "Training loss"
    assert ax.get_xlabel() == "step" and ax.get_ylabel() == "loss"
    assert ax.get_yscale() == "linear"


def test_loss_curve_log_scale_and_several_curves():
    ax = plots.loss_curve(
        {"train": [1.0, 0.1], "test": [2.0, 0.2]}, title="Loss", logy=True, xlabel="epoch"
    )
    assert ax.get_yscale() == "log"
    assert ax.get_ylabel() == "loss (log scale)" and ax.get_xlabel() == "epoch"
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["train", "test"]
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [2.0, 0.2])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train", "test"]


def _png_pixels(data: bytes) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def _full_draw_pixels(X, y, history, losses, step: int) -> np.ndarray:
    """The frame drawn the plain way, every artist in one full draw: the reference for blitting
    (which must give the same pixels, since nothing that moves overlaps the background's top
    layer, the spines)."""
    animation = plots._FitAnimation(X, y, history, losses, pyplot=True)
    animation.update(step)
    fig = animation.figure
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    plt.close(fig)
    return pixels


_X = np.linspace(-2.0, 2.0, 40).reshape(-1, 1)
_Y = 3.0 * _X + 1.0 + np.sin(7.0 * _X)
_HISTORY = [(3.0 * (1 - 0.5**k), 1.0 - 0.5**k) for k in range(1, 7)]
_LOSSES = [10.0 * 0.5**k for k in range(6)]


def test_fit_animation_frames_match_a_full_redraw():
    plots.use_theme()  # as every chapter does: 90 dpi
    animation = plots._FitAnimation(_X, _Y, _HISTORY, _LOSSES)
    for step in (1, 4, 2, 6):  # out of order: each frame must erase the previous one
        frame = _png_pixels(animation.frame(step))
        assert frame.shape == (378, 990, 3)  # 11 x 4.2 inches at the theme's 90 dpi
        reference = _full_draw_pixels(_X, _Y, _HISTORY, _LOSSES, step)
        differ = (frame != reference).any(axis=2)
        assert not differ.any(), f"step {step}: {differ.sum()} pixels differ from a full redraw"
        w, b = _HISTORY[step - 1]
        np.testing.assert_allclose(animation.fit_line.get_ydata(), [w * -2.0 + b, w * 2.0 + b])
        assert animation.ax_fit.get_title() == f"Fit after step {step} of 6"
        np.testing.assert_allclose(animation.loss_line.get_ydata(), _LOSSES[:step])
        label = animation.legend.get_texts()[0].get_text()
        assert label == f"learned: y = {w:.2f}x + {b:.2f}"
    # Different steps are different pictures.
    assert not np.array_equal(_png_pixels(animation.frame(1)), _png_pixels(animation.frame(6)))


def test_fit_animation_is_not_a_pyplot_figure():
    plt.close("all")
    plots._FitAnimation(_X, _Y, _HISTORY, _LOSSES).frame(3)
    assert plt.get_fignums() == []  # nothing left for the inline backend to show again


def _capture_display(monkeypatch):
    """Replace IPython's display with a recorder; returns the list of (kind, PNG bytes)."""
    import IPython.display

    shown = []

    class Handle:
        def update(self, obj):
            shown.append(("update", obj.data))

    def display(obj, display_id=None):
        shown.append(("display", obj.data))
        return Handle() if display_id else None

    monkeypatch.setattr(IPython.display, "display", display)
    return shown


def test_animate_fit_headless_shows_only_the_final_frame(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_COURSE_HEADLESS", "1")
    monkeypatch.setattr(plots, "_in_notebook", lambda: True)
    shown = _capture_display(monkeypatch)
    assert plots.animate_fit(_X, _Y, _HISTORY, _LOSSES) is None
    assert [kind for kind, _ in shown] == ["display"]
    reference = _full_draw_pixels(_X, _Y, _HISTORY, _LOSSES, 6)
    np.testing.assert_array_equal(_png_pixels(shown[0][1]), reference)


def test_animate_fit_live_updates_one_picture(monkeypatch):
    monkeypatch.delenv("AUTOGRAD_COURSE_HEADLESS", raising=False)
    monkeypatch.setattr(plots, "_in_notebook", lambda: True)
    shown = _capture_display(monkeypatch)
    drawn = []
    frame = plots._FitAnimation.frame
    monkeypatch.setattr(
        plots._FitAnimation, "frame", lambda self, s: drawn.append(s) or frame(self, s)
    )
    start = time.perf_counter()
    plots.animate_fit(_X, _Y, _HISTORY, _LOSSES, interval=0.05)
    elapsed = time.perf_counter() - start
    assert drawn == [1, 2, 3, 4, 5, 6]  # few steps: every one is a frame
    assert [kind for kind, _ in shown] == ["display"] + ["update"] * 5  # one picture, updated
    assert elapsed >= 5 * 0.05  # frames are paced by the interval
    final = _png_pixels(shown[-1][1])
    reference = _full_draw_pixels(_X, _Y, _HISTORY, _LOSSES, 6)
    np.testing.assert_array_equal(final, reference)

    shown.clear()
    drawn.clear()
    many = [(0.1 * k, 0.0) for k in range(1, 31)]
    plots.animate_fit(_X[:2], _Y[:2], many, list(range(30)), interval=0.0)
    assert drawn == [1, 2, 3, 4, 5, 7, 9, 11, 14, 18, 24, 30]  # 12 frames, more of them early
    assert len(shown) == 12
    drawn.clear()
    plots.animate_fit(_X[:2], _Y[:2], many, list(range(30)), interval=0.0, max_frames=4)
    assert drawn[0] == 1 and drawn[-1] == 30 and len(drawn) <= 4


def test_animate_fit_outside_a_notebook_shows_a_pyplot_figure(monkeypatch):
    monkeypatch.setattr(plots, "_in_notebook", lambda: False)
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(plt.gcf()))
    X = np.array([[0.0], [1.0], [2.0]])
    y = np.array([[1.0], [3.0], [5.0]])
    history = [(ac.tensor([[0.5]]), ac.tensor([0.0])), (1.0, 0.5), (2.0, 1.0)]
    losses = [ac.tensor(9.0), 3.0, 0.0]
    plots.animate_fit(X, y, history, losses)
    (fig,) = shown
    ax_fit, ax_loss = fig.axes
    assert ax_fit.get_title() == "Fit after step 3 of 3"
    fit_line = ax_fit.get_lines()[0]
    np.testing.assert_allclose(fit_line.get_ydata(), [1.0, 5.0])  # y = 2x + 1 at x = 0, 2
    np.testing.assert_allclose(ax_loss.get_lines()[0].get_ydata(), [9.0, 3.0, 0.0])
    assert ax_loss.get_title() == "Training loss"
    assert plt.get_fignums() == [fig.number]


@pytest.mark.parametrize("n_steps", [1, 2, 7, 12, 13, 30, 100, 1000])
@pytest.mark.parametrize("max_frames", [1, 2, 5, 12])
def test_frame_steps_keep_the_first_and_last_and_crowd_early(n_steps, max_frames):
    steps = plots._frame_steps(n_steps, max_frames)
    assert steps[-1] == n_steps and len(steps) <= max_frames
    assert steps == sorted(set(steps)) and all(1 <= s <= n_steps for s in steps)
    if n_steps <= max_frames:
        assert steps == list(range(1, n_steps + 1))
    elif max_frames >= 2:
        assert steps[0] == 1 and len(steps) >= max_frames - 3
        gaps = np.diff(steps)
        assert gaps[0] <= gaps[-1]  # denser at the start


def test_animate_fit_checks_its_inputs(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_COURSE_HEADLESS", "1")
    with pytest.raises(ValueError, match="history is empty"):
        plots.animate_fit([[0.0]], [0.0], [], [])
    with pytest.raises(ValueError, match="one loss per step"):
        plots.animate_fit([[0.0]], [0.0], [(1.0, 0.0)], [1.0, 2.0])


def test_mse_landscape_contours_are_levels_of_the_mse():
    X = ac.tensor([[0.0], [1.0], [2.0], [4.0]])
    y = np.array([1.0, 2.0, 7.0, 8.0])
    paths = {"run": [(0.0, 0.0), (1.0, 0.5), (1.5, 0.8)], "other": [(ac.tensor(3.0), 2.0)]}
    ax = plots.mse_landscape(X, y, paths, colors=["#111111", "#222222"], levels=6)
    (contours,) = [c for c in ax.collections if hasattr(c, "levels")]
    assert len(contours.levels) == 6
    xs, ys = np.array([0.0, 1.0, 2.0, 4.0]), y
    checked = 0
    for level, path in zip(contours.levels, contours.get_paths(), strict=True):
        for w, b in path.vertices[:: max(1, len(path.vertices) // 20)]:
            assert np.mean((w * xs + b - ys) ** 2) == pytest.approx(level, rel=2e-3)
            checked += 1
    assert checked > 20
    # The star sits at the least-squares line (NumPy's lstsq, independently).
    (w_ls, b_ls), *_ = np.linalg.lstsq(np.column_stack([xs, np.ones(4)]), ys, rcond=None)
    lines = {line.get_label(): line for line in ax.get_lines()}
    star = lines["minimum (least squares)"]
    np.testing.assert_allclose([star.get_xdata()[0], star.get_ydata()[0]], [w_ls, b_ls])
    np.testing.assert_allclose(lines["run"].get_xdata(), [0.0, 1.0, 1.5])
    np.testing.assert_allclose(lines["run"].get_ydata(), [0.0, 0.5, 0.8])
    assert lines["run"].get_color() == "#111111" and lines["other"].get_color() == "#222222"
    np.testing.assert_allclose(
        [lines["start"].get_xdata()[0], lines["start"].get_ydata()[0]], [0, 0]
    )
    # The default extent frames the minimum and every path point; equal scales on both axes.
    (w0, w1), (b0, b1) = ax.get_xlim(), ax.get_ylim()
    for w, b in [(0.0, 0.0), (1.5, 0.8), (3.0, 2.0), (w_ls, b_ls)]:
        assert w0 < w < w1 and b0 < b < b1
    assert ax.get_aspect() == 1.0
    assert ax.get_xlabel() == "w (weight)" and ax.get_ylabel() == "b (bias)"
    assert ax.get_title() == "The loss over (w, b)"


def test_mse_landscape_extent_and_errors():
    ax = plots.mse_landscape([[1.0], [2.0]], [1.0, 2.0], extent=(-1, 3, -2, 2), title="Map")
    assert ax.get_xlim() == (-1.0, 3.0) and ax.get_ylim() == (-2.0, 2.0)
    assert ax.get_title() == "Map"
    default = [line.get_color() for line in plots.mse_landscape(
        [[1.0], [2.0]], [1.0, 2.0], {"a": [(0, 0)], "b": [(1, 1)]}, ax=plt.subplots()[1]
    ).get_lines()][:2]  # fmt: skip
    assert default == [plots.DATA_COLOR, plots.FIT_COLOR]
    with pytest.raises(ValueError, match="3 inputs but 2 targets"):
        plots.mse_landscape([[1.0], [2.0], [3.0]], [1.0, 2.0])
    with pytest.raises(ValueError, match="min < max"):
        plots.mse_landscape([[1.0], [2.0]], [1.0, 2.0], extent=(1, 0, 0, 1))


def test_decision_boundary_contour_shading_and_points():
    X = ac.tensor([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [2.0, 0.5]])
    y = ac.tensor([[0.0], [1.0], [0.0], [1.0]])
    calls = []

    def predict_proba(points):
        calls.append((points.dtype, points.shape, ac.is_grad_enabled()))
        # A known boundary: P(class 1) > 0.5 exactly where x1 > 0.75.
        return ac.sigmoid((points[:, 0:1] - 0.75) * 10.0)

    ax = plots.decision_boundary(predict_proba, X, y, resolution=50)
    assert calls == [(ac.float32, (2500, 2), False)]
    assert ax.get_xlabel() == "$x_1$" and ax.get_ylabel() == "$x_2$"
    assert "Decision boundary" in ax.get_title()
    # The 0.5 contour is the vertical line x1 = 0.75.
    contour_sets = [c for c in ax.collections if hasattr(c, "levels")]
    boundary = [c for c in contour_sets if list(c.levels) == [0.5]]
    assert len(boundary) == 1
    vertices = np.concatenate([p.vertices for p in boundary[0].get_paths() if len(p.vertices)])
    np.testing.assert_allclose(vertices[:, 0], 0.75, atol=0.02)
    shading = [c for c in contour_sets if len(c.levels) > 1]
    assert len(shading) == 1 and shading[0].levels[0] == 0.0 and shading[0].levels[-1] == 1.0
    # The points: class 0 and class 1 as two labelled scatters.
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    by_label = {s.get_label(): np.asarray(s.get_offsets()) for s in scatters}
    np.testing.assert_allclose(by_label["class 0"], [[0, 0], [0, 1]])
    np.testing.assert_allclose(by_label["class 1"], [[1, 1], [2, 0.5]])
    # A colour bar explains the shading.
    assert len(ax.figure.axes) == 2
    assert ax.figure.axes[1].get_ylabel() == "predicted P(class 1)"


def test_decision_boundary_extent_sets_the_grid_and_limits():
    seen = []

    def predict_proba(points):
        seen.append(points.numpy())
        return ac.full((points.shape[0], 1), 0.25)

    X = np.array([[0.0, 0.0], [1.0, 1.0]])
    ax = plots.decision_boundary(predict_proba, X, [0, 1], resolution=11, extent=(-2, 3, -1, 4))
    grid = seen[0]
    assert grid.shape == (121, 2)
    assert (grid[:, 0].min(), grid[:, 0].max()) == (-2.0, 3.0)
    assert (grid[:, 1].min(), grid[:, 1].max()) == (-1.0, 4.0)
    assert ax.get_xlim() == (-2.0, 3.0) and ax.get_ylim() == (-1.0, 4.0)
    # A constant probability below 0.5 has no 0.5 contour line.
    boundary = [c for c in ax.collections if hasattr(c, "levels") and list(c.levels) == [0.5]]
    assert all(len(p.vertices) == 0 for c in boundary for p in c.get_paths())
    with pytest.raises(ValueError, match="min < max"):
        plots.decision_boundary(predict_proba, X, [0, 1], extent=(1, 0, 0, 1))


def test_decision_boundary_wrong_output_size_is_explained():
    X = np.zeros((3, 2), dtype=np.float32)
    with pytest.raises(ValueError, match=r"shape \(n, 1\)"):
        plots.decision_boundary(lambda p: ac.zeros(5, 1), X, [0, 1, 0], resolution=10)
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        plots.decision_boundary(lambda p: p, np.zeros((3, 3)), [0, 1, 0])


def test_classes_scatter_per_class():
    X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
    ax = plots.classes(X, ac.tensor([[1.0], [0.0], [1.0]]), title="Points")
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    by_label = {s.get_label(): np.asarray(s.get_offsets()) for s in scatters}
    np.testing.assert_allclose(by_label["class 0"], [[2, 3]])
    np.testing.assert_allclose(by_label["class 1"], [[0, 1], [4, 5]])
    assert ax.get_title() == "Points" and ax.get_xlabel() == "$x_1$"
    with pytest.raises(ValueError, match="3 points but 2 labels"):
        plots.classes(X, [0, 1])


def test_prices_one_line_per_ticker():
    idx = pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03"])
    df = pd.DataFrame({"AAA": [1.0, 2.0, 3.0], "BBB": [3.0, 2.0, 1.0]}, index=idx)
    ax = plots.prices(df, title="Two stocks")
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"AAA", "BBB"}
    np.testing.assert_allclose(lines["BBB"].get_ydata(), [3.0, 2.0, 1.0])
    assert list(pd.to_datetime(lines["AAA"].get_xdata())) == list(idx)
    assert ax.get_title() == "Two stocks"
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "closing price (USD)"
    series_ax = plots.prices(df["AAA"])
    assert [line.get_label() for line in series_ax.get_lines()] == ["AAA"]
    assert series_ax.get_title() == "Daily closing prices"


def test_predictions_actual_and_each_model():
    dates = pd.date_range("2021-03-01", periods=4, freq="D")
    actual = np.array([10.0, 11.0, 12.0, 11.0])
    ax = plots.predictions(
        dates,
        actual,
        {"naive": [9.0, 10.0, 11.0, 12.0], "linear": ac.tensor([10.0, 10.5, 11.5, 11.8])},
        title="Test period",
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines) == ["actual", "naive", "linear"]
    np.testing.assert_allclose(lines["actual"].get_ydata(), actual)
    np.testing.assert_allclose(lines["linear"].get_ydata(), [10.0, 10.5, 11.5, 11.8], rtol=1e-6)
    assert ax.get_title() == "Test period"
    assert ax.get_xlabel() == "date" and ax.get_ylabel() == "closing price (USD)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["actual", "naive", "linear"]


def test_predictions_length_mismatch_is_explained():
    with pytest.raises(ValueError, match="'bad' have 2 values for 3 dates"):
        plots.predictions([1, 2, 3], [1.0, 2.0, 3.0], {"bad": [1.0, 2.0]})


def test_functions_draw_on_a_given_axes():
    fig, axes = plt.subplots(1, 2)
    ax = plots.loss_curve([1.0, 0.5], ax=axes[1])
    assert ax is axes[1]
    assert plt.get_fignums() == [fig.number]
