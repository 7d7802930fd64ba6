"""Tests of autograd_course.plots: what is drawn (data, labels, titles) with the Agg backend."""

from __future__ import annotations

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


def test_animate_fit_headless_draws_final_frame_and_loss(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_COURSE_HEADLESS", "1")
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(plt.gcf()))
    X = np.array([[0.0], [1.0], [2.0]])
    y = np.array([[1.0], [3.0], [5.0]])
    history = [(ac.tensor([[0.5]]), ac.tensor([0.0])), (1.0, 0.5), (2.0, 1.0)]
    losses = [ac.tensor(9.0), 3.0, 0.0]
    assert plots.animate_fit(X, y, history, losses) is None
    assert len(shown) == 1
    fig = shown[0]
    ax_fit, ax_loss = [a for a in fig.axes]
    assert ax_fit.get_title() == "Fit after step 3 of 3"
    (fit_line,) = ax_fit.get_lines()
    np.testing.assert_allclose(fit_line.get_ydata(), [1.0, 5.0])  # y = 2x + 1 at x = 0, 2
    (loss_line,) = ax_loss.get_lines()
    np.testing.assert_allclose(loss_line.get_ydata(), [9.0, 3.0, 0.0])
    assert ax_loss.get_title() == "Training loss"
    assert plt.get_fignums() == [fig.number]  # a single figure, no animation frames


def test_animate_fit_live_redraws_with_clear_output(monkeypatch):
    monkeypatch.delenv("AUTOGRAD_COURSE_HEADLESS", raising=False)
    monkeypatch.setattr(plots, "_in_notebook", lambda: True)
    import IPython.display

    events = []
    monkeypatch.setattr(IPython.display, "clear_output", lambda wait=False: events.append("clear"))
    monkeypatch.setattr(
        IPython.display, "display", lambda fig: events.append(fig.axes[0].get_title())
    )
    history = [(float(k), 0.0) for k in range(1, 6)]
    plots.animate_fit([[0.0], [1.0]], [0.0, 1.0], history, [5, 4, 3, 2, 1], interval=0.0)
    titles = [e for e in events if e != "clear"]
    assert titles == [f"Fit after step {k} of 5" for k in range(1, 6)]
    assert events.count("clear") == 5
    assert plt.get_fignums() == []  # every frame closed after display

    events.clear()
    many = [(0.1 * k, 0.0) for k in range(1, 101)]
    plots.animate_fit(
        [[0.0], [1.0]], [0.0, 1.0], many, list(range(100)), interval=0.0, max_frames=5
    )
    titles = [e for e in events if e != "clear"]
    assert titles[0] == "Fit after step 1 of 100" and titles[-1] == "Fit after step 100 of 100"
    assert len(titles) == 5


def test_animate_fit_checks_its_inputs(monkeypatch):
    monkeypatch.setenv("AUTOGRAD_COURSE_HEADLESS", "1")
    with pytest.raises(ValueError, match="history is empty"):
        plots.animate_fit([[0.0]], [0.0], [], [])
    with pytest.raises(ValueError, match="one loss per step"):
        plots.animate_fit([[0.0]], [0.0], [(1.0, 0.0)], [1.0, 2.0])


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
