"""A small classifier learning a 2-D data set, the plain logic behind ``demos.classifier``.

Chapter 3's network: ``Linear(2, hidden) -> ReLU -> Linear(hidden, 1)``, trained full-batch
with ``optim.SGD``. The loss is ``nn.BCEWithLogitsLoss`` (the numerically safe form of a
sigmoid followed by ``BCELoss``); probabilities are ``sigmoid(model(x))``.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import datasets, nn, optim
from ..autograd import no_grad
from ..creation import tensor
from ..functions import sigmoid
from ..tensor import Tensor
from .common import DemoError, TrainingRun, check_learning_rate, keep_global_rng

__all__ = ["DATASETS", "ClassifierRun"]

DATASETS: dict[str, Callable[[], tuple[Tensor, Tensor]]] = {
    "moons": lambda: datasets.make_moons(n_samples=400, noise=0.2, random_state=0),
    "five points": datasets.five_points,
}
MAX_HIDDEN = 256
GRID = 60  # the decision boundary is evaluated on a GRID x GRID mesh


class ClassifierRun(TrainingRun):
    """A 2-hidden-1 ReLU network and its data; trains a number of full-batch epochs at a time."""

    def __init__(
        self, dataset: str = "moons", hidden: int = 10, lr: float = 0.5, seed: int = 0
    ) -> None:
        self.lr = check_learning_rate(lr)
        self.seed = seed
        self.hidden = self._check_hidden(hidden)
        self.loss_fn = nn.BCEWithLogitsLoss()
        self.set_dataset(dataset)

    @staticmethod
    def _check_hidden(hidden: int) -> int:
        if isinstance(hidden, bool) or not isinstance(hidden, (int, np.integer)):
            raise DemoError(f"The number of hidden units must be a whole number, got {hidden!r}")
        if not 1 <= hidden <= MAX_HIDDEN:
            raise DemoError(
                f"The number of hidden units must be from 1 to {MAX_HIDDEN}, got {hidden}"
            )
        return int(hidden)

    # -- data, model and state ------------------------------------------------------------------
    def set_dataset(self, name: str) -> None:
        """Load a data set (``DATASETS``), lay the probability grid over it, and reset."""
        if name not in DATASETS:
            raise DemoError(f"Unknown data set {name!r}; choose one of {list(DATASETS)}")
        self.dataset = name
        self.X, self.y = DATASETS[name]()
        points = self.X.numpy().astype(np.float64)
        lo, hi = points.min(axis=0), points.max(axis=0)
        margin = 0.1 * (hi - lo) + 0.25
        self.extent = (lo[0] - margin[0], hi[0] + margin[0], lo[1] - margin[1], hi[1] + margin[1])
        gx = np.linspace(self.extent[0], self.extent[1], GRID)
        gy = np.linspace(self.extent[2], self.extent[3], GRID)
        xx, yy = np.meshgrid(gx, gy)
        self.grid_x, self.grid_y = xx, yy
        self._grid = tensor(np.column_stack([xx.ravel(), yy.ravel()]).astype(np.float32))
        self.set_hidden(self.hidden)

    def set_hidden(self, hidden: int) -> None:
        """A new network with ``hidden`` units (fresh seeded weights), and no epochs trained."""
        self.hidden = self._check_hidden(hidden)
        with keep_global_rng():
            self.model = nn.Sequential(
                nn.Linear(2, self.hidden), nn.ReLU(), nn.Linear(self.hidden, 1)
            )
        self.optimizer = optim.SGD(self.model.parameters(), lr=self.lr)
        self.reset()

    @property
    def epochs(self) -> int:
        """Epochs trained since the last reset."""
        return len(self.losses)

    # -- training -------------------------------------------------------------------------------
    def train(self, epochs: int = 1) -> None:
        """``epochs`` full-batch steps: forward, BCE-with-logits loss, backward, SGD update."""
        super().train(epochs)

    def _loss(self) -> Tensor:
        """BCE-with-logits loss of the network on all the points."""
        return self.loss_fn(self.model(self.X), self.y)

    def _divergence(self, loss: float) -> str | None:
        if math.isfinite(loss):
            return None
        return (
            f"Diverged at epoch {self.epochs}: the loss is no longer a finite number. "
            f"lr = {self.lr:g} is too large; lower it and press Reset."
        )

    def predict_proba(self, X: Tensor) -> np.ndarray:
        """P(class 1) for each row of X, as a flat float64 array."""
        with no_grad(), np.errstate(all="ignore"):
            return sigmoid(self.model(X)).numpy().reshape(-1).astype(np.float64)

    def accuracy(self) -> float:
        """The fraction of training points on the right side of P = 0.5."""
        predicted = self.predict_proba(self.X) > 0.5
        return float(np.mean(predicted == (self.y.numpy().reshape(-1) > 0.5)))

    def note(self) -> str | None:
        """A hint about the last update: divergence, or the loss going up."""
        if self.diverged:
            return self.diverged
        if self._loss_went_up():
            return f"The loss went up at epoch {self.epochs}: lr = {self.lr:g} may be too large."
        return None

    # -- what the plot shows --------------------------------------------------------------------
    def probability_grid(self) -> np.ndarray:
        """P(class 1) over the GRID x GRID mesh (rows follow y, columns follow x)."""
        return self.predict_proba(self._grid).reshape(self.grid_x.shape)

    def title(self) -> str:
        """The plot's title: network size, epoch, loss and training accuracy."""
        if not self.losses:
            return f"{self.hidden} hidden units, epoch 0: accuracy {self.accuracy():.0%}"
        return (
            f"{self.hidden} hidden units, epoch {self.epochs}: loss {self.losses[-1]:.3f}, "
            f"accuracy {self.accuracy():.0%}"
        )
