"""Next-day price prediction from a sliding window, the plain logic behind ``demos.stock_window``.

Chapter 4's method on the daily prices shipped with the package: a chronological split
(the test days are the last ``1 - train_fraction`` of the series, never seen in training),
normalisation fitted on the training days only, windows of ``window`` consecutive prices as
inputs and the next price as target, a linear model or a small MLP trained full-batch with
SGD and momentum 0.9 (chapter 4's optimiser), and the naive "tomorrow = today" baseline every
model must beat.
"""

from __future__ import annotations

import math

import numpy as np

from .. import datasets, nn, optim
from ..autograd import no_grad
from ..creation import tensor
from ..tensor import Tensor
from .common import DemoError, TrainingRun, check_learning_rate, keep_global_rng

__all__ = ["MODELS", "StockRun", "rmse"]

MODELS = ("linear", "MLP")
MLP_HIDDEN = 32
MAX_WINDOW = 60
MOMENTUM = 0.9


def rmse(predicted: np.ndarray, actual: np.ndarray) -> float:
    """Root mean squared error, in the units of the data (here: US dollars)."""
    return float(np.sqrt(np.mean((np.asarray(predicted) - np.asarray(actual)) ** 2)))


class StockRun(TrainingRun):
    """One ticker, one window size, one model; trains a number of full-batch epochs at a time."""

    def __init__(
        self,
        ticker: str = "AAPL",
        window: int = 10,
        model: str = "linear",
        lr: float = 0.1,
        train_fraction: float = 0.8,
        seed: int = 0,
    ) -> None:
        self.lr = check_learning_rate(lr)
        self.seed = seed
        self.train_fraction = train_fraction
        self.model_name = self._check_model(model)
        self.window = self._check_window(window)
        self.loss_fn = nn.MSELoss()
        self.set_ticker(ticker)

    @staticmethod
    def _check_model(model: str) -> str:
        if model not in MODELS:
            raise DemoError(f"Unknown model {model!r}; choose one of {list(MODELS)}")
        return model

    @staticmethod
    def _check_window(window: int) -> int:
        if isinstance(window, bool) or not isinstance(window, (int, np.integer)):
            raise DemoError(f"The window must be a whole number of days, got {window!r}")
        if not 1 <= window <= MAX_WINDOW:
            raise DemoError(f"The window must be from 1 to {MAX_WINDOW} days, got {window}")
        return int(window)

    # -- data -----------------------------------------------------------------------------------
    def set_ticker(self, ticker: str) -> None:
        """Load one ticker's closing prices and fit the normalisation on its training days."""
        if ticker not in datasets.TICKERS:
            raise DemoError(f"Unknown ticker {ticker!r}; choose one of {list(datasets.TICKERS)}")
        self.ticker = ticker
        series = datasets.load_stock_prices(ticker)[ticker]
        self.dates = series.index.to_numpy()
        self.prices = series.to_numpy(dtype=np.float64)
        self.n_train_days = int(len(self.prices) * self.train_fraction)
        train = self.prices[: self.n_train_days]
        self.mean, self.std = float(train.mean()), float(train.std())
        self._make_windows()

    def set_window(self, window: int) -> None:
        """Use windows of ``window`` days (new inputs, so a new model)."""
        self.window = self._check_window(window)
        self._make_windows()

    def set_model(self, model: str) -> None:
        """Switch between the linear model and the MLP (a new model, no epochs trained)."""
        self.model_name = self._check_model(model)
        self._new_model()

    def _make_windows(self) -> None:
        """Windows of normalised prices; a window is a test sample when its target is a test day."""
        z = (self.prices - self.mean) / self.std
        X, y = datasets.sliding_windows(z, self.window)
        target_day = np.arange(self.window, len(self.prices))
        train = target_day < self.n_train_days
        self.X_train, self.y_train = tensor(X[train]), tensor(y[train].reshape(-1, 1))
        self.X_test = tensor(X[~train])
        self.test_days = target_day[~train]
        self._new_model()

    def _new_model(self) -> None:
        with keep_global_rng():
            if self.model_name == "linear":
                self.model = nn.Linear(self.window, 1)
            else:
                self.model = nn.Sequential(
                    nn.Linear(self.window, MLP_HIDDEN), nn.ReLU(), nn.Linear(MLP_HIDDEN, 1)
                )
        self.optimizer = optim.SGD(self.model.parameters(), lr=self.lr, momentum=MOMENTUM)
        self.reset()

    @property
    def epochs(self) -> int:
        """Epochs trained since the last reset."""
        return len(self.losses)

    # -- training -------------------------------------------------------------------------------
    def train(self, epochs: int = 1) -> None:
        """``epochs`` full-batch SGD steps on the training windows (MSE on normalised prices)."""
        super().train(epochs)

    def _loss(self) -> Tensor:
        """MSE of the next-day predictions on the training windows (normalised prices)."""
        return self.loss_fn(self.model(self.X_train), self.y_train)

    def _divergence(self, loss: float) -> str | None:
        if math.isfinite(loss):
            return None
        # Neighbouring prices are nearly equal, so the loss curves about `window` times
        # more steeply than for one input: the stable rate shrinks with it.
        return (
            f"Diverged at epoch {self.epochs}: the loss is no longer a finite number. "
            f"lr = {self.lr:g} is too large for a {self.window}-day window (wider "
            f"windows need smaller rates): try {0.9 / self.window:.1g} and press Reset."
        )

    # -- what the plot shows (test days only, in dollars) ---------------------------------------
    def test_dates(self) -> np.ndarray:
        """The dates of the test days."""
        return self.dates[self.test_days]

    def actual(self) -> np.ndarray:
        """The closing prices of the test days."""
        return self.prices[self.test_days]

    def naive(self) -> np.ndarray:
        """Tomorrow = today: each test day's prediction is the previous day's closing price."""
        return self.prices[self.test_days - 1]

    def predicted(self) -> np.ndarray:
        """The model's predictions for the test days, turned back into prices."""
        with no_grad(), np.errstate(all="ignore"):
            z = self.model(self.X_test).numpy().reshape(-1).astype(np.float64)
        return z * self.std + self.mean

    def metrics(self) -> dict[str, float]:
        """Test-set RMSE of the model and of the naive baseline, in dollars."""
        actual = self.actual()
        return {"model": rmse(self.predicted(), actual), "naive": rmse(self.naive(), actual)}

    def title(self) -> str:
        """The figure's title: settings, epoch, and test RMSE of model and naive baseline."""
        m = self.metrics()
        if abs(m["model"] - m["naive"]) <= 0.01 * m["naive"]:
            verdict = "about the same as naive"
        else:
            verdict = "beats naive" if m["model"] < m["naive"] else "worse than naive"
        return (
            f"{self.ticker}, {self.window}-day window, {self.model_name}, epoch {self.epochs}: "
            f"test RMSE ${m['model']:.2f} vs naive ${m['naive']:.2f} ({verdict})"
        )

    def note(self) -> str | None:
        """The divergence message, if the run diverged."""
        return self.diverged
