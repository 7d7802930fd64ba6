"""Instructor demos, driven headless: set widget values, press buttons, check state and drawing.

Expected values come from closed forms or NumPy written here (never from the demo's own
functions): the x <- x(1 - 2 lr) recursion on x², hand-derived gradients of the MSE and of a
ReLU network with BCE-with-logits, roots of f'(x), shifted price series. One test runs a demo
in a real kernel (nbclient) to show that the drawn figure reaches the widget state a browser
renders.
"""

from __future__ import annotations

import base64
import io
import math
import os

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

import autograd_course as ac
from autograd_course import datasets, demos
from autograd_course.demos import ExpressionError, parse_expression

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _step(demo: demos.Demo, times: int = 1) -> None:
    for _ in range(times):
        demo.controls["step"].click()


def _play(demo: demos.Demo, frames: int) -> None:
    """What the browser's Play widget does: raise the value one tick at a time."""
    play = demo.controls["play"]
    for _ in range(frames):
        play.value += 1


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    return Image.open(io.BytesIO(data)).size


# ----------------------------------------------------------------------------------------------
# Gradient descent


def test_descent_steps_follow_the_closed_form_and_draw_the_tangent():
    demo = demos.gradient_descent("one minimum", lr=0.1, start=2.5)
    _step(demo, 3)
    x = 2.5 * (1 - 2 * 0.1) ** 3  # x <- x - lr * 2x
    assert demo.run.steps == 3
    assert demo.run.x == pytest.approx(x, rel=1e-12)
    px, py = demo.lines["point"].get_data()
    assert (px[0], py[0]) == pytest.approx((x, x**2))
    path_x, path_y = demo.lines["path"].get_data()
    assert len(path_x) == 4
    assert np.allclose(path_x, [2.5 * 0.8**k for k in range(4)])
    assert np.allclose(path_y, np.asarray(path_x) ** 2)
    (t0, t1), (y0, y1) = demo.lines["tangent"].get_data()
    assert (y1 - y0) / (t1 - t0) == pytest.approx(2 * x)  # slope of x² is 2x
    assert y0 == pytest.approx(x**2 + 2 * x * (t0 - x))  # the tangent passes through (x, x²)
    title = demo.figure.axes[0].get_title()
    assert "step 3" in title and f"x = {x:.4g}" in title and "lr = 0.1" in title
    assert demo.status.kind is None


def test_descent_slope_matches_a_finite_difference_on_the_wavy_curve():
    demo = demos.gradient_descent("wavy", lr=0.05, start=3.5)
    _step(demo, 2)

    def f(x):
        return x**2 / 4 + np.sin(3 * x)

    x, h = demo.run.x, 1e-6
    numeric = (f(x + h) - f(x - h)) / (2 * h)
    assert demo.run.slope == pytest.approx(numeric, rel=1e-6)
    xs, ys = demo.lines["curve"].get_data()
    assert np.allclose(ys, f(np.asarray(xs)))


def test_descent_start_point_decides_which_minimum_is_reached():
    roots = np.roots([4.0, 0.0, -6.0, 1.0])  # f'(x) = 4x³ - 6x + 1 for x⁴ - 3x² + x
    left, right = min(roots.real), max(roots.real)
    demo = demos.gradient_descent("two minima", lr=0.05)
    demo.controls["start"].value = 2.0
    _play(demo, 25)
    assert demo.run.x == pytest.approx(right, abs=1e-5)
    demo.controls["start"].value = -2.0  # moving the start point starts again from there
    assert demo.run.steps == 0 and demo.run.x == -2.0
    _play(demo, 25)
    assert demo.run.x == pytest.approx(left, abs=1e-5)
    assert len(demo.lines["path"].get_data()[0]) == 26


def test_descent_shows_overshooting_then_divergence_and_recovers():
    demo = demos.gradient_descent("one minimum", lr=0.9, start=2.5)
    _step(demo)
    assert demo.run.x == pytest.approx(2.5 * (1 - 1.8))  # jumped to the other side
    assert demo.status.kind == "warning" and "overshoot" in demo.status.text
    demo.controls["lr"].value = 1.5
    demo.controls["reset"].click()
    play = demo.controls["play"]
    play.playing = True
    _play(demo, 12)  # x doubles and flips sign at each step: past 1000 after 9 steps
    assert demo.status.kind == "error" and "Diverged" in demo.status.text
    assert play.playing is False  # the run stopped itself
    steps = demo.run.steps
    _step(demo)
    assert demo.run.steps == steps  # nothing more happens until Reset
    assert max(abs(v) for v in demo.lines["path"].get_data()[0]) > 1000
    demo.controls["lr"].value = 0.1
    demo.controls["reset"].click()
    assert demo.status.kind is None and demo.run.steps == 0 and play.value == 0
    _step(demo)
    assert demo.run.x == pytest.approx(2.5 * 0.8)


@pytest.mark.parametrize("bad", [0.0, -0.5, float("nan"), float("inf")])
def test_descent_bad_learning_rate_is_a_message_and_the_demo_keeps_working(bad):
    demo = demos.gradient_descent("one minimum", lr=0.1, start=2.5)
    demo.controls["lr"].value = bad
    assert demo.status.kind == "error" and "learning rate" in demo.status.text
    _step(demo)
    _play(demo, 2)
    assert demo.run.steps == 0  # no step runs with a rejected (or stale) rate
    demo.controls["lr"].value = 0.25
    assert demo.status.kind is None
    _step(demo)
    assert demo.run.x == pytest.approx(2.5 * 0.5)


def test_descent_built_with_a_bad_rate_shows_why():
    demo = demos.gradient_descent("one minimum", lr=0)
    assert demo.status.kind == "error" and "learning rate" in demo.status.text
    _step(demo)
    assert demo.run.steps == 0
    demo.controls["lr"].value = 0.1
    _step(demo)
    assert demo.run.steps == 1
    demo = demos.gradient_descent("one minimum", lr="fast")
    assert demo.status.kind == "warning" and "using 0.1" in demo.status.text
    assert demo.controls["lr"].value == 0.1
    _step(demo)
    assert demo.run.x == pytest.approx(2.5 * 0.8)


def test_descent_function_menu_switches_curve_and_start():
    demo = demos.gradient_descent("one minimum", lr=0.1)
    _step(demo, 2)
    demo.controls["function"].value = "wavy"
    assert demo.run.curve_name == "wavy" and demo.run.steps == 0
    assert demo.controls["start"].value == demo.run.x
    xs, ys = demo.lines["curve"].get_data()
    assert np.allclose(ys, np.asarray(xs) ** 2 / 4 + np.sin(3 * np.asarray(xs)))
    assert "sin(3x)" in demo.figure.axes[0].get_title()


def test_play_going_back_does_not_step():
    demo = demos.gradient_descent("one minimum", lr=0.1, start=2.5)
    _play(demo, 3)
    demo.controls["play"].value = 0  # the Stop button
    assert demo.run.steps == 3


# ----------------------------------------------------------------------------------------------
# Linear regression


def test_regression_step_is_one_sgd_step_on_the_mse():
    demo = demos.linear_regression(n_samples=300, noise=10.0, lr=0.1)
    run = demo.run
    x, y = run.X.numpy().reshape(-1).astype(np.float64), run.y.numpy().reshape(-1)
    w0, b0 = run.w, run.b
    _step(demo)
    residual = w0 * x + b0 - y
    w1 = w0 - 0.1 * 2 * np.mean(residual * x)  # d/dw mean(r²) = 2 mean(r x)
    b1 = b0 - 0.1 * 2 * np.mean(residual)
    assert run.losses[0] == pytest.approx(np.mean(residual**2), rel=1e-5)
    assert (run.w, run.b) == pytest.approx((w1, b1), rel=1e-4, abs=1e-5)
    (x_lo, x_hi), (y_lo, y_hi) = demo.lines["fit"].get_data()
    assert (x_lo, x_hi) == pytest.approx((x.min(), x.max()), rel=1e-6)
    assert (y_lo, y_hi) == pytest.approx((w1 * x.min() + b1, w1 * x.max() + b1), rel=1e-4)
    assert len(demo.lines["points"].get_offsets()) == 300
    assert len(demo.lines["loss"].get_data()[0]) == 1
    assert "step 1" in demo.figure.texts[0].get_text() or "step 1" in demo.run.title()


def test_regression_converges_to_least_squares_and_steps_per_update_counts():
    demo = demos.linear_regression(n_samples=1500, noise=10.0, lr=0.1)
    demo.controls["steps_per_update"].value = 10
    _step(demo, 6)
    assert demo.run.steps == 60
    x, y = demo.run.X.numpy().reshape(-1), demo.run.y.numpy().reshape(-1)
    slope, intercept = np.polyfit(x.astype(np.float64), y.astype(np.float64), 1)
    assert demo.run.w == pytest.approx(slope, rel=1e-3)
    assert demo.run.b == pytest.approx(intercept, abs=0.05)
    assert len(demo.lines["loss"].get_data()[1]) == 60
    losses = demo.lines["loss"].get_data()[1]
    # lr 0.1: the loss never goes up (beyond float32 rounding once converged)
    assert np.all(np.diff(losses) <= 1e-6 * losses[1:])
    assert demo.status.kind is None  # so no "loss went up" warning either


def test_regression_sliders_make_new_data_and_reset():
    demo = demos.linear_regression(n_samples=300, noise=10.0, lr=0.1)
    _step(demo, 3)
    demo.controls["samples"].value = 200
    assert demo.run.steps == 0 and len(demo.lines["points"].get_offsets()) == 200
    demo.controls["noise"].value = 0.0
    x, y = demo.run.X.numpy().reshape(-1), demo.run.y.numpy().reshape(-1)
    assert np.allclose(y, demo.run.true_w * x + 2.0, atol=1e-3)  # no noise: on the true line
    (tx, ty) = demo.lines["true"].get_data()
    assert np.allclose(ty, demo.run.true_w * np.asarray(tx) + 2.0)


def test_regression_large_rate_diverges_with_a_message_then_recovers():
    demo = demos.linear_regression(n_samples=300, noise=10.0, lr=1.5)
    play = demo.controls["play"]
    play.playing = True
    _play(demo, 5)
    assert demo.status.kind == "warning" and "went up" in demo.status.text
    _play(demo, 8)  # the loss grows ~4x per step: a millionfold after 11 steps
    assert demo.status.kind == "error" and "Diverged" in demo.status.text
    assert play.playing is False
    demo.controls["lr"].value = 0.1
    demo.controls["reset"].click()
    _step(demo, 2)
    assert demo.status.kind is None and demo.run.steps == 2


def test_regression_rate_of_zero_is_refused():
    demo = demos.linear_regression(n_samples=100, lr=0.1)
    demo.controls["lr"].value = 0.0
    _step(demo)
    assert demo.run.steps == 0 and "learning rate" in demo.status.text


# ----------------------------------------------------------------------------------------------
# Classifier


def _numpy_epoch(params, X, y, lr):
    """One full-batch SGD step of Linear-ReLU-Linear with BCE-with-logits, derived by hand."""
    W1, b1, W2, b2 = params
    pre = X @ W1.T + b1
    h = np.maximum(pre, 0.0)
    z = h @ W2.T + b2
    loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
    dz = (1.0 / (1.0 + np.exp(-z)) - y) / len(X)
    dW2, db2 = dz.T @ h, dz.sum(axis=0)
    dpre = (dz @ W2) * (pre > 0)
    dW1, db1 = dpre.T @ X, dpre.sum(axis=0)
    new = [W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2]
    return loss, new


def _params(run):
    return [p.detach().numpy().astype(np.float64) for p in run.model.parameters()]


def test_classifier_epoch_matches_hand_derived_gradients():
    demo = demos.classifier("five points", hidden=6, lr=0.1)
    demo.controls["epochs_per_update"].value = 1
    X = demo.run.X.numpy().astype(np.float64)
    y = demo.run.y.numpy().astype(np.float64)
    params = _params(demo.run)
    for _ in range(3):
        loss, params = _numpy_epoch(params, X, y, 0.1)
        _step(demo)
        assert demo.run.losses[-1] == pytest.approx(loss, rel=1e-5)
        for got, want in zip(_params(demo.run), params):
            assert np.allclose(got, want, rtol=1e-4, atol=1e-6)


def test_classifier_draws_its_probabilities_points_and_boundary():
    demo = demos.classifier("moons", hidden=10, lr=1.0)
    _step(demo, 5)  # 20 epochs each
    run = demo.run
    assert run.epochs == 100
    W1, b1, W2, b2 = _params(run)
    xx, yy = np.meshgrid(
        np.linspace(run.extent[0], run.extent[1], 60), np.linspace(run.extent[2], run.extent[3], 60)
    )
    grid = np.column_stack([xx.ravel(), yy.ravel()])
    proba = 1 / (1 + np.exp(-(np.maximum(grid @ W1.T + b1, 0) @ W2.T + b2)))
    drawn = np.asarray(demo.lines["shade"].get_array())
    assert drawn.shape == (60, 60)
    assert np.allclose(drawn, proba.reshape(60, 60), atol=1e-5)
    counts = [len(s.get_offsets()) for s in demo.lines["scatters"]]
    labels = run.y.numpy().reshape(-1)
    assert counts == [int((labels == 0).sum()), int((labels == 1).sum())] == [200, 200]
    assert len(demo.lines["boundary"]) == 1  # one P = 0.5 contour, replaced at each redraw
    X = run.X.numpy().astype(np.float64)
    p = 1 / (1 + np.exp(-(np.maximum(X @ W1.T + b1, 0) @ W2.T + b2)))
    accuracy = np.mean((p.reshape(-1) > 0.5) == (labels > 0.5))
    assert f"accuracy {accuracy:.0%}" in demo.figure.axes[0].get_title()
    assert len(demo.lines["loss"].get_data()[0]) == 100


def test_classifier_controls_rebuild_the_network_and_data():
    demo = demos.classifier("moons", hidden=10, lr=1.0)
    _step(demo)
    demo.controls["hidden"].value = 3
    assert demo.run.epochs == 0
    assert [tuple(p.shape) for p in demo.run.model.parameters()] == [(3, 2), (3,), (1, 3), (1,)]
    demo.controls["dataset"].value = "five points"
    assert [len(s.get_offsets()) for s in demo.lines["scatters"]] == [2, 3]
    demo.controls["hidden"].value = 10
    demo.controls["lr"].value = 0.1
    demo.controls["epochs_per_update"].value = 50
    _step(demo, 2)
    assert demo.run.epochs == 100
    assert "accuracy 100%" in demo.figure.axes[0].get_title()  # chapter 3's result


def test_classifier_bad_rate_and_recovery():
    demo = demos.classifier("five points", hidden=4, lr=-1)
    assert demo.status.kind == "error"
    _step(demo)
    assert demo.run.epochs == 0
    demo.controls["lr"].value = 0.1
    _step(demo)
    assert demo.run.epochs == 20 and demo.status.kind is None


# ----------------------------------------------------------------------------------------------
# Computational graph


def test_graph_of_chapter_one_example_and_sliders_redraw_it():
    demo = demos.computational_graph("a**3 - b**2", {"a": 5, "b": 6})
    evaluation = demo.run["evaluation"]
    assert evaluation.value == 89.0
    assert evaluation.grads == {"a": 75.0, "b": -12.0}  # 3a², -2b
    svg = demo.controls["graph"].value
    assert svg.startswith("<svg") and "grad 75" in svg and "grad -12" in svg and "data 89" in svg
    assert "SubBackward0" in svg and "PowBackward0" in svg
    assert "f = 89" in demo.controls["result"].value
    demo.controls["inputs"]["a"].value = 2.0
    evaluation = demo.run["evaluation"]
    assert evaluation.value == pytest.approx(8 - 36)
    assert evaluation.grads["a"] == pytest.approx(12.0)
    assert "grad 12" in demo.controls["graph"].value and "data -28" in demo.controls["graph"].value


def test_graph_bad_expression_keeps_the_last_graph_then_a_new_one_works():
    demo = demos.computational_graph("a**3 - b**2", {"a": 5, "b": 6})
    before = demo.controls["graph"].value
    demo.controls["expression"].value = "a +* b"
    assert demo.status.kind == "error" and "Cannot parse" in demo.status.text
    assert demo.controls["graph"].value == before
    demo.controls["inputs"]["a"].value = 1.0  # the previous expression still responds
    assert demo.run["evaluation"].value == pytest.approx(1 - 36)
    demo.controls["expression"].value = "x*y + sin(x)"
    assert demo.status.kind is None
    assert sorted(demo.controls["inputs"]) == ["x", "y"]
    demo.controls["inputs"]["x"].value = 0.5
    demo.controls["inputs"]["y"].value = 2.0
    grads = demo.run["evaluation"].grads
    assert grads["x"] == pytest.approx(2.0 + math.cos(0.5))
    assert grads["y"] == pytest.approx(0.5)
    assert "SinBackward0" in demo.controls["graph"].value


def test_graph_nan_is_a_warning_and_clears():
    demo = demos.computational_graph("log(a) + sqrt(a)", {"a": -1.0})
    assert demo.status.kind == "warning" and "nan" in demo.status.text
    demo.controls["inputs"]["a"].value = 4.0
    assert demo.status.kind is None
    assert demo.run["evaluation"].grads["a"] == pytest.approx(1 / 4 + 1 / (2 * 2))


def test_graph_built_from_unparsable_text_explains():
    demo = demos.computational_graph("2x + 1")
    assert demo.status.kind == "error" and "2*x" in demo.status.text
    demo.controls["expression"].value = "2*x + 1"
    assert demo.run["evaluation"].grads == {"x": 2.0}


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "a.real",
        "lambda: 1",
        "[a, b]",
        "a if b else c",
        "open('x')",
        "a and b",
        "a < b",
        "a[0]",
        "exp(a, b)",
        "exp(x=a)",
        "tan(a)",
        "a ^ 2",
        "exp",
        "1 + 2",
        "'a' * 3",
        "a @ b",
        "",
    ],
)
def test_parser_rejects_everything_outside_the_grammar(text):
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_parser_accepts_the_grammar():
    parsed = parse_expression(
        "-x**2 / (1 + exp(-y)) * relu(z) + sigmoid(tanh(x)) - log(sqrt(cos(y)))"
    )
    assert parsed.inputs == ("x", "y", "z")


# ----------------------------------------------------------------------------------------------
# Stock window


def test_stock_window_draws_actual_naive_and_model_with_honest_metrics():
    demo = demos.stock_window("AAPL", window=5, model="linear", lr=0.1)
    prices = datasets.load_stock_prices("AAPL")["AAPL"]
    previous = prices.shift(1)
    dates, actual = demo.lines["actual"].get_data()
    _, naive = demo.lines["naive"].get_data()
    n_test = len(prices) - int(len(prices) * 0.8)
    assert len(dates) == n_test  # the last 20% of the days
    assert np.allclose(actual, prices.loc[dates].to_numpy())
    assert np.allclose(naive, previous.loc[dates].to_numpy())  # tomorrow = today
    _step(demo, 3)
    assert demo.run.epochs == 150
    _, model = demo.lines["model"].get_data()
    assert len(model) == n_test
    rmse_model = np.sqrt(np.mean((np.asarray(model) - actual) ** 2))
    rmse_naive = np.sqrt(np.mean((np.asarray(naive) - actual) ** 2))
    title = demo.figure.texts[0].get_text()
    assert f"{rmse_model:.2f}" in title and f"{rmse_naive:.2f}" in title and "epoch 150" in title


def test_stock_window_controls_change_inputs_and_model():
    demo = demos.stock_window("AAPL", window=5, model="linear", lr=0.1)
    demo.controls["window"].value = 12
    n_train_days = int(len(demo.run.prices) * 0.8)
    assert tuple(demo.run.X_train.shape) == (n_train_days - 12, 12)
    demo.controls["model"].value = "MLP"
    shapes = [tuple(p.shape) for p in demo.run.model.parameters()]
    assert shapes == [(32, 12), (32,), (1, 32), (1,)]
    labels = [t.get_text() for t in demo.figure.axes[0].get_legend().get_texts()]
    assert "MLP model" in labels
    losses_before = None
    _step(demo)
    losses_before = list(demo.run.losses)
    _step(demo)
    assert demo.run.losses[-1] < losses_before[0]
    demo.controls["ticker"].value = "MSFT"
    _, actual = demo.lines["actual"].get_data()
    assert actual[-1] == datasets.load_stock_prices("MSFT")["MSFT"].iloc[-1]
    demo.controls["lr"].value = float("nan")
    assert demo.status.kind == "error"
    epochs = demo.run.epochs
    _step(demo)
    assert demo.run.epochs == epochs


def test_stock_window_divergence_names_a_rate_that_suits_the_window():
    demo = demos.stock_window("AAPL", window=30, model="linear", lr=0.1)
    _step(demo)  # 50 epochs: with 30 nearly equal inputs, lr 0.1 is past the stable limit
    assert demo.status.kind == "error" and "30-day window" in demo.status.text
    assert "try 0.03" in demo.status.text
    demo.controls["lr"].value = 0.03
    demo.controls["reset"].click()
    _step(demo, 2)
    assert demo.status.kind is None and demo.run.epochs == 100
    assert np.isfinite(demo.lines["model"].get_data()[1]).all()


# ----------------------------------------------------------------------------------------------
# All demos


BUILDERS = {
    "gradient_descent": lambda: demos.gradient_descent(),
    "linear_regression": lambda: demos.linear_regression(n_samples=200),
    "classifier": lambda: demos.classifier(),
    "computational_graph": lambda: demos.computational_graph(),
    "stock_window": lambda: demos.stock_window(),
}


def test_demos_leave_pyplot_rcparams_and_the_global_rng_alone():
    plt.close("all")
    rc_before = dict(mpl.rcParams)
    ac.manual_seed(123)
    state = ac.random.generator().bit_generator.state
    built = [build() for build in BUILDERS.values()]
    for demo in built:
        if "step" in demo.controls:
            _step(demo, 3)
            demo.controls["reset"].click()
    assert plt.get_fignums() == []  # figures are not pyplot's: no leak, no duplicate plot
    assert dict(mpl.rcParams) == rc_before
    assert ac.random.generator().bit_generator.state == state


@pytest.mark.parametrize("name", [n for n in BUILDERS if n != "computational_graph"])
def test_each_update_sends_a_new_png(name):
    demo = BUILDERS[name]()
    first = demo.canvas.image.value
    width, height = _png_size(first)
    fig = demo.figure
    assert (width, height) == (
        round(fig.get_figwidth() * fig.dpi),
        round(fig.get_figheight() * fig.dpi),
    )
    _step(demo)
    assert demo.canvas.image.value != first
    assert _png_size(demo.canvas.image.value) == (width, height)
    assert repr(demo).startswith("<") and len(repr(demo)) < 110  # the cell's stable text/plain


@pytest.mark.parametrize("name", [n for n in BUILDERS if n != "computational_graph"])
def test_fast_updates_draw_the_same_picture_as_plain_matplotlib(name):
    demo = BUILDERS[name]()
    _step(demo, 4)
    assert demo.canvas.full_draws < demo.canvas.renders  # most updates reused the background
    fast = np.asarray(Image.open(io.BytesIO(demo.canvas.image.value)))
    # The same figure drawn the ordinary way: every artist in one pass, in z-order.
    for artist in demo.canvas.animated:
        artist.set_animated(False)
    with mpl.rc_context(demos._ui._theme()):
        demo.figure.canvas.draw()
    plain = np.asarray(demo.figure.canvas.buffer_rgba())[..., :3]
    assert fast.shape == plain.shape
    assert np.array_equal(fast, plain)


def test_saved_headless_the_demo_is_stable_text_not_a_widget_view(monkeypatch):
    demo = demos.computational_graph()
    monkeypatch.setenv("AUTOGRAD_COURSE_HEADLESS", "1")  # as `make notebooks` and nbval run
    assert demo._repr_mimebundle_() == {"text/plain": repr(demo)}
    monkeypatch.delenv("AUTOGRAD_COURSE_HEADLESS")  # in class
    bundle = demo._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == demo.model_id


# ----------------------------------------------------------------------------------------------
# In a real kernel


def test_in_a_kernel_the_figure_reaches_the_widget_state(tmp_path):
    """Run a demo in ipykernel (nbclient) and read the saved widget state a browser would render."""
    import nbformat
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    class ThisPython(KernelSpecManager):
        def get_kernel_spec(self, kernel_name):
            return self.kernel_spec_class(resource_dir=RESOURCES, **get_kernel_dict())

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from autograd_course import demos\n"
            "demo = demos.gradient_descent('one minimum', lr=0.1, start=2.5)\n"
            "demo.controls['step'].click()\n"
            "demo.controls['lr'].value = 0\n"
            "demo"
        )
    ]
    km = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())
    # A live session: without AUTOGRAD_COURSE_HEADLESS (which the test environment sets).
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRAD_COURSE_HEADLESS"}
    NotebookClient(nb, km=km, timeout=120).execute(env=env)
    outputs = nb.cells[0].outputs
    assert [o.output_type for o in outputs] == ["execute_result"]  # no traceback, no extra plot
    data = outputs[0].data
    assert data["text/plain"].startswith("<Gradient descent demo")
    root = data["application/vnd.jupyter.widget-view+json"]["model_id"]
    state = nb.metadata.widgets["application/vnd.jupyter.widget-state+json"]["state"]
    assert state[root]["model_name"] == "VBoxModel"
    # Walk the layout from the displayed box down to the Image and the status line.
    seen, stack = set(), [root]
    while stack:
        model_id = stack.pop()
        if model_id in seen:
            continue
        seen.add(model_id)
        children = state[model_id]["state"].get("children", [])
        stack.extend(child.removeprefix("IPY_MODEL_") for child in children)
    images = [state[m] for m in seen if state[m]["model_name"] == "ImageModel"]
    assert len(images) == 1
    (buffer,) = images[0]["buffers"]
    assert buffer["path"] == ["value"]
    png = base64.b64decode(buffer["data"])
    assert _png_size(png) == (675, 387)  # 7.5 x 4.3 inches at the theme's 90 dpi
    statuses = [
        state[m]["state"].get("value", "") for m in seen if state[m]["model_name"] == "HTMLModel"
    ]
    assert any("learning rate must be positive" in s for s in statuses)
