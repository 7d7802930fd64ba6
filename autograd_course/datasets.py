"""The chapters' data: tiny hand-made examples, scikit-learn generators and real stock prices."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

import autograd_course as ac

__all__ = [
    "TICKERS",
    "chronological_split",
    "five_points",
    "load_stock_prices",
    "make_moons",
    "make_regression",
    "seven_prices",
    "sliding_windows",
]

TICKERS: tuple[str, ...] = ("AAPL", "GOOG", "IBM", "MSFT")
_STOCK_FILE = "stock_prices.csv"


def _float_tensor(values: Any) -> ac.Tensor:
    """A float32 tensor (the engine's default float type) from array-like data."""
    return ac.tensor(np.asarray(values, dtype=np.float32))


def five_points() -> tuple[ac.Tensor, ac.Tensor]:
    """Chapter 3's five labelled 2-D points: X of shape (5, 2) and labels y of shape (5, 1)."""
    X = [[2, 4], [5, 7], [6, 5], [3, 1], [7, 7]]
    y = [[0], [1], [1], [0], [1]]
    return _float_tensor(X), _float_tensor(y)


def seven_prices() -> ac.Tensor:
    """Chapter 4's seven daily closing prices, a float32 tensor of shape (7,)."""
    return _float_tensor([154, 156, 159, 155, 162, 165, 168])


def make_regression(
    n_samples: int = 1500, noise: float = 10.0, random_state: int = 42
) -> tuple[ac.Tensor, ac.Tensor, float]:
    """One-feature linear data with bias 2 (scikit-learn), plus the true coefficient to compare."""
    from sklearn.datasets import make_regression as _make_regression

    X, y, coef = _make_regression(
        n_samples=n_samples,
        n_features=1,
        noise=noise,
        bias=2.0,
        coef=True,
        random_state=random_state,
    )
    return _float_tensor(X), _float_tensor(y.reshape(-1, 1)), float(coef)


def make_moons(
    n_samples: int = 400, noise: float = 0.2, random_state: int = 0
) -> tuple[ac.Tensor, ac.Tensor]:
    """Two interleaving half-moons (scikit-learn): X of shape (n, 2), labels y of shape (n, 1)."""
    from sklearn.datasets import make_moons as _make_moons

    X, y = _make_moons(n_samples=n_samples, noise=noise, random_state=random_state)
    return _float_tensor(X), _float_tensor(y.reshape(-1, 1))


def load_stock_prices(tickers: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Daily closing prices 2010-2012 shipped with the package (no download), a column a ticker."""
    if tickers is None:
        selected = list(TICKERS)
    else:
        selected = [tickers] if isinstance(tickers, str) else list(tickers)
        unknown = [t for t in selected if t not in TICKERS]
        if unknown or not selected:
            what = f"unknown ticker(s) {unknown}" if unknown else "no ticker given"
            raise ValueError(f"{what}; available tickers are {list(TICKERS)}")
    source = resources.files("autograd_course").joinpath("data", _STOCK_FILE)
    with source.open("r", encoding="utf-8") as f:
        frame = pd.read_csv(f, parse_dates=["date"], index_col="date")
    return frame[selected].astype(np.float64)


def _as_1d_array(series: Any) -> np.ndarray:
    """A 1-D float array from a list, NumPy array, pandas Series or tensor."""
    if hasattr(series, "detach"):
        series = series.detach().numpy()
    array = np.asarray(series, dtype=np.float64)
    if array.ndim == 2 and 1 in array.shape:
        array = array.reshape(-1)
    if array.ndim != 1:
        raise ValueError(
            f"sliding_windows needs a 1-D series, got shape {array.shape}; "
            "pass one column, e.g. prices['AAPL']"
        )
    return array


def sliding_windows(series: Any, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs of `window` consecutive values and the value that follows each, as float32 arrays."""
    values = _as_1d_array(series)
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")
    if window >= len(values):
        raise ValueError(
            f"window={window} leaves no target in a series of length {len(values)}; "
            "use a window shorter than the series"
        )
    n = len(values) - window
    X = np.lib.stride_tricks.sliding_window_view(values, window)[:n]
    y = values[window:]
    return X.astype(np.float32), y.astype(np.float32)


def _take(array: Any, start: int, stop: int) -> Any:
    """Rows start:stop of an array, tensor, Series or DataFrame (by position)."""
    if isinstance(array, (pd.Series, pd.DataFrame)):
        return array.iloc[start:stop]
    return array[start:stop]


def chronological_split(*arrays: Any, train_fraction: float = 0.8) -> list[Any]:
    """Split each array into its first `train_fraction` (train) and the rest (test), unshuffled.

    Returns [a_train, a_test, b_train, b_test, ...], like scikit-learn's train_test_split,
    but in time order: the test set is always the future of the training set.
    """
    if not arrays:
        raise ValueError("chronological_split needs at least one array")
    if not 0.0 < train_fraction < 1.0:
        raise ValueError(f"train_fraction must be between 0 and 1, got {train_fraction}")
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(
            f"all arrays must have the same length to be split together, got {sorted(lengths)}"
        )
    n = lengths.pop()
    n_train = int(n * train_fraction + 1e-9)  # the tolerance keeps e.g. 0.29 * 100 at 29
    if n_train == 0 or n_train == n:
        raise ValueError(
            f"train_fraction={train_fraction} of {n} rows leaves the train or test set empty"
        )
    pieces: list[Any] = []
    for a in arrays:
        pieces.extend((_take(a, 0, n_train), _take(a, n_train, n)))
    return pieces
