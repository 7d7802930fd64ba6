"""Tests of autograd_course.datasets: shapes, dtypes and values checked independently."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import autograd_course as ac
from autograd_course import datasets

CSV_PATH = Path(datasets.__file__).parent / "data" / "stock_prices.csv"


# ---- tiny hand-made examples -------------------------------------------------------------


def test_five_points_values_shapes_and_dtype():
    X, y = datasets.five_points()
    assert isinstance(X, ac.Tensor) and isinstance(y, ac.Tensor)
    assert X.shape == (5, 2) and y.shape == (5, 1)
    assert X.dtype == ac.float32 and y.dtype == ac.float32
    assert X.tolist() == [[2, 4], [5, 7], [6, 5], [3, 1], [7, 7]]
    assert y.tolist() == [[0], [1], [1], [0], [1]]
    assert not X.requires_grad and not y.requires_grad


def test_seven_prices():
    p = datasets.seven_prices()
    assert p.shape == (7,) and p.dtype == ac.float32
    assert p.tolist() == [154, 156, 159, 155, 162, 165, 168]


# ---- scikit-learn generators --------------------------------------------------------------


def test_make_regression_is_linear_with_bias_two():
    X, y, coef = datasets.make_regression()
    assert X.shape == (1500, 1) and y.shape == (1500, 1)
    assert X.dtype == ac.float32 and y.dtype == ac.float32
    assert isinstance(coef, float)
    x, t = X.numpy()[:, 0].astype(np.float64), y.numpy()[:, 0].astype(np.float64)
    # Least squares on the data must recover the returned coefficient and bias 2 (noise 10).
    slope, intercept = np.polyfit(x, t, 1)
    assert slope == pytest.approx(coef, abs=1.0)
    assert intercept == pytest.approx(2.0, abs=1.0)
    residual_std = np.std(t - (coef * x + 2.0))
    assert residual_std == pytest.approx(10.0, rel=0.1)


def test_make_regression_respects_arguments_and_is_seeded():
    X1, y1, c1 = datasets.make_regression(n_samples=50, noise=0.0, random_state=3)
    X2, y2, c2 = datasets.make_regression(n_samples=50, noise=0.0, random_state=3)
    assert X1.shape == (50, 1)
    np.testing.assert_array_equal(X1.numpy(), X2.numpy())
    assert c1 == c2
    # Without noise every point lies exactly on y = coef * x + 2.
    np.testing.assert_allclose(y1.numpy()[:, 0], c1 * X1.numpy()[:, 0] + 2.0, rtol=1e-5, atol=1e-3)


def test_make_moons_shapes_labels_and_balance():
    X, y = datasets.make_moons()
    assert X.shape == (400, 2) and y.shape == (400, 1)
    assert X.dtype == ac.float32 and y.dtype == ac.float32
    labels = y.numpy()[:, 0]
    assert set(np.unique(labels).tolist()) == {0.0, 1.0}
    assert labels.sum() == 200  # make_moons splits the samples evenly between the moons
    X2, _ = datasets.make_moons(n_samples=10, noise=0.0, random_state=1)
    # Noise-free moons: class-0 points on the unit circle around (0, 0).
    X3, y3 = datasets.make_moons(n_samples=20, noise=0.0, random_state=1)
    upper = X3.numpy()[y3.numpy()[:, 0] == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0, atol=1e-6)
    assert X2.shape == (10, 2)


# ---- stock prices ---------------------------------------------------------------------------


def _read_csv_by_hand() -> list[list[str]]:
    with CSV_PATH.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_stock_csv_file_is_shipped_with_known_contents():
    rows = _read_csv_by_hand()
    assert rows[0] == ["date", "AAPL", "GOOG", "IBM", "MSFT"]
    assert len(rows) - 1 == 754
    assert rows[1] == ["2010-01-04", "214.01", "626.75", "132.45", "30.95"]
    assert rows[-1] == ["2012-12-31", "532.17", "707.38", "191.55", "26.71"]
    assert (CSV_PATH.parent / "README.md").exists()


def test_load_stock_prices_all_tickers():
    df = datasets.load_stock_prices()
    assert list(df.columns) == ["AAPL", "GOOG", "IBM", "MSFT"]
    assert df.shape == (754, 4)
    assert isinstance(df.index, pd.DatetimeIndex)
    assert df.index[0] == pd.Timestamp("2010-01-04")
    assert df.index[-1] == pd.Timestamp("2012-12-31")
    assert df.index.is_monotonic_increasing and df.index.is_unique
    assert all(dtype == np.float64 for dtype in df.dtypes)
    assert not df.isna().any().any()
    assert df.loc["2010-01-04", "AAPL"] == pytest.approx(214.01)
    assert df.loc["2012-12-31", "MSFT"] == pytest.approx(26.71)
    # Every value equals the CSV text read without pandas.
    rows = _read_csv_by_hand()[1:]
    expected = np.array([[float(v) for v in r[1:]] for r in rows])
    np.testing.assert_array_equal(df.to_numpy(), expected)


def test_load_stock_prices_selects_tickers():
    one = datasets.load_stock_prices("IBM")
    assert isinstance(one, pd.DataFrame) and list(one.columns) == ["IBM"]
    assert one["IBM"].iloc[0] == pytest.approx(132.45)
    two = datasets.load_stock_prices(["MSFT", "AAPL"])
    assert list(two.columns) == ["MSFT", "AAPL"]
    assert two.shape == (754, 2)


def test_load_stock_prices_unknown_ticker_names_the_available_ones():
    with pytest.raises(ValueError, match="TSLA") as info:
        datasets.load_stock_prices(["AAPL", "TSLA"])
    for ticker in ("AAPL", "GOOG", "IBM", "MSFT"):
        assert ticker in str(info.value)
    with pytest.raises(ValueError, match="available"):
        datasets.load_stock_prices([])


def test_load_stock_prices_returns_a_fresh_copy():
    df = datasets.load_stock_prices()
    df.iloc[0, 0] = -1.0
    assert datasets.load_stock_prices().iloc[0, 0] == pytest.approx(214.01)


# ---- sliding windows ------------------------------------------------------------------------


def test_sliding_windows_against_hand_built_example():
    X, y = datasets.sliding_windows([10.0, 11.0, 12.0, 13.0, 14.0, 15.0], 3)
    expected_X = np.array(
        [[10.0, 11.0, 12.0], [11.0, 12.0, 13.0], [12.0, 13.0, 14.0]], dtype=np.float32
    )
    np.testing.assert_array_equal(X, expected_X)
    np.testing.assert_array_equal(y, np.array([13.0, 14.0, 15.0], dtype=np.float32))
    assert X.dtype == np.float32 and y.dtype == np.float32


def test_sliding_windows_shapes_and_inputs():
    series = pd.Series(np.arange(20, dtype=np.float64))
    X, y = datasets.sliding_windows(series, 5)
    assert X.shape == (15, 5) and y.shape == (15,)
    # Each target is the value right after its window.
    for row, target in zip(X, y, strict=True):
        assert target == row[-1] + 1
    X1, y1 = datasets.sliding_windows(np.arange(4.0), 1)
    np.testing.assert_array_equal(X1[:, 0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(y1, [1.0, 2.0, 3.0])
    Xt, yt = datasets.sliding_windows(ac.tensor([1.0, 2.0, 3.0]), 2)
    np.testing.assert_array_equal(Xt, [[1.0, 2.0]])
    np.testing.assert_array_equal(yt, [3.0])
    # A writable array that does not alias the input.
    X[0, 0] = -5.0
    assert series.iloc[0] == 0.0


@pytest.mark.parametrize("window", [0, -1, 4, 10, 2.5])
def test_sliding_windows_rejects_bad_windows(window):
    with pytest.raises(ValueError, match="window"):
        datasets.sliding_windows([1.0, 2.0, 3.0, 4.0], window)


def test_sliding_windows_rejects_2d_input():
    with pytest.raises(ValueError, match="1-D"):
        datasets.sliding_windows(np.zeros((5, 3)), 2)


# ---- chronological split --------------------------------------------------------------------


def test_chronological_split_keeps_order_and_sizes():
    a = np.arange(10)
    b = np.arange(10) * 10.0
    a_train, a_test, b_train, b_test = datasets.chronological_split(a, b)
    np.testing.assert_array_equal(a_train, np.arange(8))
    np.testing.assert_array_equal(a_test, [8, 9])
    np.testing.assert_array_equal(b_train, np.arange(8) * 10.0)
    np.testing.assert_array_equal(b_test, [80.0, 90.0])


def test_chronological_split_fraction_and_types():
    train, test = datasets.chronological_split(np.arange(100), train_fraction=0.29)
    assert len(train) == 29 and len(test) == 71
    assert train[-1] + 1 == test[0]
    df = datasets.load_stock_prices("AAPL")
    df_train, df_test = datasets.chronological_split(df, train_fraction=0.75)
    assert len(df_train) == 565 and len(df_test) == 189
    assert df_train.index.max() < df_test.index.min()
    t_train, t_test = datasets.chronological_split(ac.arange(5), train_fraction=0.6)
    assert t_train.tolist() == [0, 1, 2] and t_test.tolist() == [3, 4]


def test_chronological_split_errors():
    with pytest.raises(ValueError, match="same length"):
        datasets.chronological_split(np.arange(5), np.arange(6))
    with pytest.raises(ValueError, match="between 0 and 1"):
        datasets.chronological_split(np.arange(5), train_fraction=1.0)
    with pytest.raises(ValueError, match="empty"):
        datasets.chronological_split(np.arange(3), train_fraction=0.1)
    with pytest.raises(ValueError, match="at least one"):
        datasets.chronological_split()
