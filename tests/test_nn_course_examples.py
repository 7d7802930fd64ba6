"""The course's own training examples (chapters 3 and 4), checked against NumPy by hand."""

from __future__ import annotations

import numpy as np

import autograd_course as ac
from autograd_course import nn, optim

# Chapter 3 uses this seed for its 2-10-1 classifier.
CHAPTER_3_SEED = 0
POINTS = [[2.0, 4.0], [5.0, 7.0], [6.0, 5.0], [3.0, 1.0], [7.0, 7.0]]
LABELS = [[0.0], [1.0], [1.0], [0.0], [1.0]]
PRICES = [154.0, 156.0, 159.0, 155.0, 162.0, 165.0, 168.0]


def arr(t: ac.Tensor) -> np.ndarray:
    return np.array(t.detach().numpy(), dtype=np.float64)


def train_classifier(epochs: int = 100):
    """Chapter 3: Linear(2, 10), ReLU, Linear(10, 1), Sigmoid; BCELoss; SGD(lr=0.1)."""
    ac.manual_seed(CHAPTER_3_SEED)
    model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 1), nn.Sigmoid())
    initial = [arr(p) for p in model.parameters()]
    x, y = ac.tensor(POINTS), ac.tensor(LABELS)
    loss_fn = nn.BCELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(epochs):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with ac.no_grad():
        predictions = model(x)
    return initial, losses, predictions


def numpy_classifier_losses(initial: list[np.ndarray], epochs: int = 100) -> list[float]:
    """The same training with the forward and backward pass derived by hand."""
    w1, b1, w2, b2 = (p.copy() for p in initial)
    x, y = np.array(POINTS), np.array(LABELS)
    losses = []
    for _ in range(epochs):
        h_pre = x @ w1.T + b1
        h = np.maximum(h_pre, 0)
        p = 1 / (1 + np.exp(-(h @ w2.T + b2)))
        losses.append(float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()))
        d_logit = (p - y) / len(x)  # BCE after a sigmoid: d loss / d logit = p - y
        d_h_pre = (d_logit @ w2) * (h_pre > 0)
        grads = [d_h_pre.T @ x, d_h_pre.sum(0), d_logit.T @ h, d_logit.sum(0)]
        w1, b1, w2, b2 = (v - 0.1 * g for v, g in zip((w1, b1, w2, b2), grads, strict=True))
    return losses


def test_chapter_3_classifier_reaches_full_accuracy_within_100_epochs():
    _, losses, predictions = train_classifier()
    labels = np.array(LABELS)
    assert ((arr(predictions) > 0.5) == (labels == 1)).all()
    assert losses[-1] < losses[0]


def test_chapter_3_training_matches_a_hand_written_numpy_network():
    initial, losses, _ = train_classifier()
    np.testing.assert_allclose(losses, numpy_classifier_losses(initial), rtol=1e-4)


def test_chapter_4_next_day_price_model_learns():
    """Chapter 4: predict tomorrow's price from today's, prices divided by their maximum."""
    prices = ac.tensor(PRICES)
    normalised = prices / prices.max()
    x, y = normalised[:-1].reshape(-1, 1), normalised[1:].reshape(-1, 1)
    ac.manual_seed(0)
    model = nn.Linear(1, 1)
    w, b = arr(model.weight).item(), arr(model.bias).item()
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    losses = []
    for _ in range(100):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    # Gradient descent with a small step on a convex quadratic: the loss falls every epoch.
    assert all(later < earlier for earlier, later in zip(losses, losses[1:], strict=False))
    # The same 100 steps with the gradient of mean((w x + b - y)^2) written out.
    xs, ys = np.array(PRICES[:-1]) / 168.0, np.array(PRICES[1:]) / 168.0
    for _ in range(100):
        residual = w * xs + b - ys
        w, b = w - 0.01 * 2 * (residual * xs).mean(), b - 0.01 * 2 * residual.mean()
    assert abs(arr(model.weight).item() - w) < 1e-5
    assert abs(arr(model.bias).item() - b) < 1e-5
