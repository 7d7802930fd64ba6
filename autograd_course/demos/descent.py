"""Gradient descent on a 1-D curve, the plain logic behind ``demos.gradient_descent``.

The slope at each point comes from autograd (``y.backward()`` then ``x.grad``), exactly as a
student would compute it; the update ``x <- x - lr * f'(x)`` happens outside the graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import functions as F
from ..autograd import no_grad
from ..creation import tensor
from ..tensor import Tensor
from .common import DemoError, check_learning_rate, check_number

__all__ = ["CURVES", "Curve", "DescentRun", "curve_points", "value_and_slope"]

# Beyond this distance from 0 the run counts as diverged (the curves live within |x| < 5).
DIVERGED_AT = 1e3


@dataclass(frozen=True)
class Curve:
    """A 1-D function to descend: its formula, where to look at it and where to start."""

    label: str
    fn: Callable[[Tensor], Tensor]
    x_range: tuple[float, float]
    start: float
    lr: float


CURVES: dict[str, Curve] = {
    "one minimum": Curve("f(x) = x²", lambda x: x**2, (-3.0, 3.0), 2.5, 0.1),
    "two minima": Curve(
        "f(x) = x⁴ − 3x² + x", lambda x: x**4 - 3 * x**2 + x, (-2.2, 2.2), 2.0, 0.02
    ),
    "wavy": Curve(
        "f(x) = x²/4 + sin(3x)", lambda x: x**2 / 4 + F.sin(3 * x), (-4.0, 4.0), 3.5, 0.05
    ),
}


def _curve(name: str) -> Curve:
    """The curve called ``name``, or a DemoError listing the names there are."""
    if name not in CURVES:
        raise DemoError(f"Unknown function {name!r}; choose one of {list(CURVES)}")
    return CURVES[name]


def value_and_slope(curve: Curve, x: float) -> tuple[float, float]:
    """f(x) and f'(x), the slope found by autograd: a leaf x, y = f(x), y.backward(), x.grad."""
    xt = tensor(np.asarray(x, dtype=np.float64), requires_grad=True)  # exact float64
    with np.errstate(all="ignore"):
        y = curve.fn(xt)
        y.backward()
    return float(y.item()), float(xt.grad.item())


def curve_points(curve: Curve, lo: float, hi: float, n: int = 300) -> tuple[np.ndarray, np.ndarray]:
    """n points (x, f(x)) between lo and hi, evaluated in one call under no_grad."""
    xs = np.linspace(lo, hi, n)
    with no_grad(), np.errstate(all="ignore"):
        ys = curve.fn(tensor(xs)).numpy()
    return xs, np.asarray(ys, dtype=np.float64)


class DescentRun:
    """One run of gradient descent: the path of points visited, their values and slopes."""

    def __init__(
        self, curve: str = "two minima", lr: float | None = None, start: float | None = None
    ):
        self.curve_name = curve
        self.curve = _curve(curve)
        self.lr = check_learning_rate(self.curve.lr if lr is None else lr)
        self.reset(start)

    # -- state ----------------------------------------------------------------------------------
    def reset(self, start: float | None = None) -> None:
        """Go back to step 0 at ``start`` (the curve's usual start when None)."""
        x0 = self.curve.start if start is None else check_number(start, "The start point")
        fx, slope = value_and_slope(self.curve, x0)
        self.path: list[float] = [x0]
        self.values: list[float] = [fx]
        self.slopes: list[float] = [slope]
        self.diverged: str | None = None

    def set_curve(self, name: str) -> None:
        """Switch to another curve and start again from its usual start point."""
        self.curve = _curve(name)
        self.curve_name = name
        self.reset()

    def set_lr(self, value: float) -> None:
        """Use a new learning rate from the next step on (a DemoError if it is not positive)."""
        self.lr = check_learning_rate(value)

    @property
    def steps(self) -> int:
        """How many steps have been taken."""
        return len(self.path) - 1

    @property
    def x(self) -> float:
        """Where the run is now."""
        return self.path[-1]

    @property
    def fx(self) -> float:
        """f at the current x."""
        return self.values[-1]

    @property
    def slope(self) -> float:
        """f'(x) at the current x, from autograd."""
        return self.slopes[-1]

    # -- the algorithm --------------------------------------------------------------------------
    def step(self) -> None:
        """One update x <- x - lr * f'(x); a DemoError once the run has diverged."""
        if self.diverged:
            raise DemoError(self.diverged)
        with np.errstate(all="ignore"):
            x_new = self.x - self.lr * self.slope
        fx, slope = value_and_slope(self.curve, x_new) if math.isfinite(x_new) else (x_new, x_new)
        if not (math.isfinite(x_new) and math.isfinite(fx) and math.isfinite(slope)):
            self.diverged = (
                f"Diverged at step {self.steps + 1}: x is no longer a finite number. "
                f"lr = {self.lr:g} is too large here; lower it and press Reset."
            )
            raise DemoError(self.diverged)
        self.path.append(x_new)
        self.values.append(fx)
        self.slopes.append(slope)
        if abs(x_new) > DIVERGED_AT:
            self.diverged = (
                f"Diverged: after {self.steps} steps x = {x_new:.3g}, far from any minimum. "
                f"lr = {self.lr:g} is too large here; lower it and press Reset."
            )

    def note(self) -> str | None:
        """A hint about the last step: divergence, going uphill, or jumping over the minimum."""
        if self.diverged:
            return self.diverged
        if self.steps == 0:
            return None
        if self.values[-1] > self.values[-2]:
            return (
                f"f went up at step {self.steps}: the step overshot the valley. "
                f"lr = {self.lr:g} is too large for this curvature."
            )
        if self.slopes[-1] * self.slopes[-2] < 0:
            return (
                f"Step {self.steps} jumped over the minimum (the slope changed sign): overshooting."
            )
        return None

    # -- what the plot shows --------------------------------------------------------------------
    def view(self) -> tuple[float, float]:
        """The x-limits of the plot: the curve's range, widened to show every point visited."""
        lo, hi = self.curve.x_range
        visited = np.clip(self.path, -DIVERGED_AT * 1.5, DIVERGED_AT * 1.5)
        lo, hi = min(lo, float(visited.min())), max(hi, float(visited.max()))
        margin = 0.05 * (hi - lo)
        return lo - margin, hi + margin

    def tangent(self) -> tuple[np.ndarray, np.ndarray]:
        """Two points of the tangent at the current x: y = f(x) + f'(x) (t - x)."""
        lo, hi = self.view()
        half = 0.2 * (hi - lo)
        ts = np.array([self.x - half, self.x + half])
        return ts, self.fx + self.slope * (ts - self.x)

    def title(self) -> str:
        """The plot's title: the step, where we are, the value and the slope there."""
        return (
            f"step {self.steps}: x = {self.x:.4g}, f(x) = {self.fx:.4g}, "
            f"f'(x) = {self.slope:.4g}, lr = {self.lr:g}"
        )
