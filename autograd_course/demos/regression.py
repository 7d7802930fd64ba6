"""Live linear regression on chapter 2's data, the plain logic behind ``demos.linear_regression``.

The model, loss and optimiser are chapter 2's: ``nn.Linear(1, 1)``, ``nn.MSELoss()`` and
``optim.SGD``, trained full-batch on scikit-learn's ``make_regression`` data (bias 2).
"""

from __future__ import annotations

import math

import numpy as np

from .. import datasets, nn, optim
from ..autograd import no_grad
from ..creation import tensor
from ..tensor import Tensor
from .common import DemoError, TrainingRun, check_learning_rate, check_number, keep_global_rng

__all__ = ["RegressionRun"]

TRUE_BIAS = 2.0  # make_regression's bias in chapter 2
MAX_SAMPLES = 5000
# The run counts as diverged once the loss is this many times its value at the start.
DIVERGED_FACTOR = 1e6


class RegressionRun(TrainingRun):
    """Chapter 2's linear model being fitted, one full-batch SGD step at a time."""

    def __init__(
        self,
        n_samples: int = 1500,
        noise: float = 10.0,
        lr: float = 0.1,
        seed: int = 0,
        data_seed: int = 42,
    ) -> None:
        self.lr = check_learning_rate(lr)
        self.seed = seed
        self.data_seed = data_seed
        with keep_global_rng():
            self.model = nn.Linear(1, 1)
        self.loss_fn = nn.MSELoss()
        self.optimizer = optim.SGD(self.model.parameters(), lr=self.lr)
        self.set_data(n_samples, noise)

    # -- data and state -------------------------------------------------------------------------
    def set_data(self, n_samples: int, noise: float) -> None:
        """Draw a new data set (seeded, so the same settings give the same points) and reset."""
        n = check_number(n_samples, "The number of samples")
        if n != int(n) or not 2 <= n <= MAX_SAMPLES:
            raise DemoError(
                f"The number of samples must be a whole number from 2 to {MAX_SAMPLES}, got {n_samples!r}"
            )
        noise = check_number(noise, "The noise")
        if noise < 0:
            raise DemoError(f"The noise must be 0 or more, got {noise:g}")
        self.n_samples, self.noise = int(n), noise
        self.X, self.y, self.true_w = datasets.make_regression(
            n_samples=self.n_samples, noise=noise, random_state=self.data_seed
        )
        self.reset()

    @property
    def steps(self) -> int:
        """Steps taken since the last reset."""
        return len(self.losses)

    @property
    def w(self) -> float:
        """The learned slope."""
        return float(self.model.weight.detach().numpy().reshape(-1)[0])

    @property
    def b(self) -> float:
        """The learned intercept."""
        return float(self.model.bias.detach().numpy().reshape(-1)[0])

    # -- training -------------------------------------------------------------------------------
    # (``train(steps)`` comes from TrainingRun.)
    def _loss(self) -> Tensor:
        """MSE of the line on all the samples."""
        return self.loss_fn(self.model(self.X), self.y)

    def _divergence(self, loss: float) -> str | None:
        if not math.isfinite(loss) or not math.isfinite(self.w) or not math.isfinite(self.b):
            return self._diverged_because("the loss is no longer a finite number")
        if loss > DIVERGED_FACTOR * self.losses[0]:
            return self._diverged_because(f"the loss grew to {loss:.3g}")
        return None

    def _diverged_because(self, what: str) -> str:
        return (
            f"Diverged at step {self.steps}: {what}. lr = {self.lr:g} is too large for this "
            "data; lower it and press Reset."
        )

    def note(self) -> str | None:
        """A hint about the last step: divergence, or the loss going up (overshooting)."""
        if self.diverged:
            return self.diverged
        if self._loss_went_up():
            return (
                f"The loss went up at step {self.steps}: each step overshoots the best line. "
                f"lr = {self.lr:g} is too large."
            )
        return None

    # -- what the plot shows --------------------------------------------------------------------
    def x_values(self) -> np.ndarray:
        """The feature of each sample, flat."""
        return self.X.numpy().reshape(-1)

    def y_values(self) -> np.ndarray:
        """The target of each sample, flat."""
        return self.y.numpy().reshape(-1)

    def fitted_line(self) -> tuple[np.ndarray, np.ndarray]:
        """The learned line's ends over the data's x-range, computed by the model itself."""
        xs = self.x_values()
        ends = np.array([[xs.min()], [xs.max()]], dtype=np.float32)
        with no_grad():
            ys = self.model(tensor(ends)).numpy().reshape(-1)
        return ends.reshape(-1).astype(np.float64), ys.astype(np.float64)

    def true_line(self) -> tuple[np.ndarray, np.ndarray]:
        """The line the data was generated from: y = true_w x + 2."""
        xs = self.x_values()
        ends = np.array([xs.min(), xs.max()], dtype=np.float64)
        return ends, self.true_w * ends + TRUE_BIAS

    def title(self) -> str:
        """The figure's title: step, loss, learned and true coefficients."""
        loss = f"loss {self.losses[-1]:.4g}" if self.losses else "no step yet"
        return (
            f"step {self.steps}: {loss}, w = {self.w:.3g} (true {self.true_w:.3g}), "
            f"b = {self.b:.3g} (true {TRUE_BIAS:g})"
        )
