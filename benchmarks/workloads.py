"""The course's workloads, written once for the engine and PyTorch, once in hand-written NumPy.

Every workload has:

- ``make_data(size)``: inputs, targets and initial weights from one seeded NumPy generator,
  so every column starts from the same numbers;
- ``framework(mod, data)``: the training code a student writes, run with ``mod`` being
  ``autograd_course`` or ``torch`` (the same body: only the module differs);
- ``numpy(data)``: the same computation with a hand-derived backward pass (the limit a
  NumPy engine can reach), or None where there is no sensible NumPy version;
- ``expected(data)``: a closed form for the result where one exists (checked, never timed).

``framework`` and ``numpy`` do their setup and return a ``run()`` callable: only ``run()``
is timed. ``summarise(result, data)`` turns what ``run()`` returned into a few floats that
every column must agree on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

F32 = np.float32
SCALES = ("full", "quick", "tiny")


# ----------------------------------------------------------------------------- helpers


def as_array(x: Any) -> np.ndarray:
    """A NumPy array from an engine/PyTorch tensor, a NumPy array or a Python number."""
    if hasattr(x, "detach"):
        return np.asarray(x.detach().numpy())
    return np.asarray(x)


def _linear_init(rng: np.random.Generator, n_in: int, n_out: int) -> tuple[np.ndarray, ...]:
    """Weights (out, in) and bias uniform in +-1/sqrt(in), as ``nn.Linear`` initialises them."""
    bound = 1.0 / np.sqrt(n_in)
    w = rng.uniform(-bound, bound, size=(n_out, n_in)).astype(F32)
    b = rng.uniform(-bound, bound, size=(n_out,)).astype(F32)
    return w, b


def _mlp_init(rng: np.random.Generator, sizes: list[int]) -> list[tuple[np.ndarray, ...]]:
    """Initial (weight, bias) pairs for an MLP with the given layer sizes."""
    return [_linear_init(rng, a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


def _mlp(mod: Any, sizes: list[int], weights: list[tuple[np.ndarray, ...]]) -> Any:
    """``Sequential(Linear, ReLU, ..., Linear)`` with the given initial weights copied in."""
    nn = mod.nn
    layers: list[Any] = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    with mod.no_grad():
        for layer, (w, b) in zip(linears, weights, strict=True):
            layer.weight.copy_(mod.from_numpy(w))
            layer.bias.copy_(mod.from_numpy(b))
    return model


def summarise_training(result: list[Any], data: dict) -> list[float]:
    """Final loss and how far the parameters moved from their initial values (L2 distance).

    The distance, not the parameters' size, so that a small error in the gradients shows.
    """
    loss, *params = result
    initial = [w for pair in data["weights"] for w in pair]
    moved = sum(
        float(np.sum((as_array(p).astype(np.float64) - p0) ** 2))
        for p, p0 in zip(params, initial, strict=True)
    )
    return [float(as_array(loss)), moved**0.5]


# ----------------------------------------------------------------------------- NumPy pieces


def _np_forward(params: list[list[np.ndarray]], x: np.ndarray) -> list[np.ndarray]:
    """Forward pass of a ReLU MLP; returns the input and every layer's output."""
    outs = [x]
    last = len(params) - 1
    for i, (w, b) in enumerate(params):
        z = outs[-1] @ w.T
        z += b
        if i < last:
            np.maximum(z, 0, out=z)
        outs.append(z)
    return outs


def _np_backward(params: list[list[np.ndarray]], outs: list[np.ndarray], dz: np.ndarray) -> list:
    """Hand-derived backward of ``_np_forward`` given d(loss)/d(output); returns (gW, gb) pairs.

    ``outs`` is consumed: each activation is dropped once used, as an engine frees saved
    tensors during backward.
    """
    grads = []
    outs.pop()  # the output itself is not needed
    for i in range(len(params) - 1, -1, -1):
        w = params[i][0]
        h = outs.pop()
        grads.append((dz.T @ h, dz.sum(axis=0)))
        if i > 0:
            dz = dz @ w
            dz *= h > 0  # ReLU: h is the layer's output, positive exactly where it passed
        del h
    grads.reverse()
    return grads


def _np_mse(pred: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error and its gradient with respect to ``pred``."""
    diff = pred - y
    return float(np.mean(diff * diff)), diff * (2.0 / diff.size)


def _np_bce_logits(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Binary cross-entropy on logits (the stable form) and its gradient with respect to ``z``."""
    e = np.exp(-np.abs(z))
    loss = float(np.mean(np.maximum(z, 0) - z * y + np.log1p(e)))
    sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return loss, (sig - y) * (1.0 / z.size)


def _np_copy(weights: list[tuple[np.ndarray, ...]]) -> list[list[np.ndarray]]:
    """Fresh copies of the initial weights (so a run never changes the shared data)."""
    return [[w.copy(), b.copy()] for w, b in weights]


def _np_fullbatch_sgd(data: dict, loss_fn: Callable) -> Callable[[], list]:
    """Full-batch SGD on a ReLU MLP in NumPy: forward, hand-derived backward, update."""
    params = _np_copy(data["weights"])
    x, y, lr, steps = data["x"], data["y"], data["lr"], data["steps"]

    def run() -> list:
        loss = float("nan")
        for _ in range(steps):
            outs = _np_forward(params, x)
            loss, dz = loss_fn(outs[-1], y)
            for (w, b), (gw, gb) in zip(params, _np_backward(params, outs, dz), strict=True):
                w -= lr * gw
                b -= lr * gb
        return [loss, *(p for pair in params for p in pair)]

    return run


# ----------------------------------------------------------------------------- linear regression


def linreg_data(size: dict) -> dict:
    """Chapter 2's data: one feature, true coefficient 30, bias 2, Gaussian noise."""
    rng = np.random.default_rng(1)
    n = size["n"]
    x = rng.standard_normal((n, 1)).astype(F32)
    y = (30.0 * x + 2.0 + 10.0 * rng.standard_normal((n, 1))).astype(F32)
    return {"x": x, "y": y, "weights": _mlp_init(rng, [1, 1]), "lr": 0.1, "steps": size["steps"]}


def _fullbatch_sgd(mod: Any, data: dict, sizes: list[int], loss_fn: Any) -> Callable[[], list]:
    """The training loop a student writes (the same text runs with ``ac`` or ``torch``):
    a ReLU MLP of ``sizes``, full batch, ``optim.SGD``, zero_grad / backward / step."""
    x, y = mod.from_numpy(data["x"]), mod.from_numpy(data["y"])
    model = _mlp(mod, sizes, data["weights"])
    optimizer = mod.optim.SGD(model.parameters(), lr=data["lr"])

    def run() -> list:
        for _ in range(data["steps"]):
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
        return [loss, *model.parameters()]

    return run


def linreg_framework(mod: Any, data: dict) -> Callable[[], list]:
    """``nn.Linear(1, 1)``, ``nn.MSELoss``, ``optim.SGD(lr=0.1)``, full batch."""
    return _fullbatch_sgd(mod, data, [1, 1], mod.nn.MSELoss())


def linreg_numpy(data: dict) -> Callable[[], list]:
    """Linear regression in NumPy: prediction x w^T + b, MSE, hand-derived gradient."""
    return _np_fullbatch_sgd(data, _np_mse)


# ----------------------------------------------------------------------------- classifier


def classifier_data(size: dict) -> dict:
    """Two interleaving half moons (as ``make_moons`` draws them, noise 0.2), labels 0/1."""
    rng = np.random.default_rng(2)
    n = size["n"]
    n_top = n // 2
    t = rng.uniform(0.0, np.pi, n)
    top = np.stack([np.cos(t[:n_top]), np.sin(t[:n_top])], axis=1)
    bottom = np.stack([1.0 - np.cos(t[n_top:]), 0.5 - np.sin(t[n_top:])], axis=1)
    x = np.concatenate([top, bottom]) + 0.2 * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n_top), np.ones(n - n_top)])[:, None]
    weights = _mlp_init(rng, [2, 16, 16, 1])
    return {
        "x": x.astype(F32),
        "y": y.astype(F32),
        "weights": weights,
        "lr": 0.1,
        "steps": size["epochs"],
    }


def classifier_framework(mod: Any, data: dict) -> Callable[[], list]:
    """2-16-16-1 ReLU MLP on logits, ``nn.BCEWithLogitsLoss``, ``optim.SGD(lr=0.1)``, full batch."""
    return _fullbatch_sgd(mod, data, [2, 16, 16, 1], mod.nn.BCEWithLogitsLoss())


def classifier_numpy(data: dict) -> Callable[[], list]:
    """The classifier in NumPy: ReLU MLP, stable BCE on logits, hand-derived backward."""
    return _np_fullbatch_sgd(data, _np_bce_logits)


# ----------------------------------------------------------------------------- minibatch MLP


def minibatch_data(size: dict) -> dict:
    """Sliding windows of 20 over a normalised random walk, the next value as the target."""
    rng = np.random.default_rng(3)
    n, window, epochs = size["n"], 20, size["epochs"]
    walk = np.cumsum(rng.standard_normal(n + window))
    walk = (walk - walk.min()) / (walk.max() - walk.min())
    idx = np.arange(n)[:, None] + np.arange(window)
    x = walk[idx].astype(F32)
    y = walk[window : n + window, None].astype(F32)
    weights = _mlp_init(rng, [window, 32, 1])
    perms = np.stack([rng.permutation(n) for _ in range(epochs)]).astype(np.int64)
    return {"x": x, "y": y, "weights": weights, "perms": perms, "batch_size": 64, "lr": 1e-3}


def minibatch_framework(mod: Any, data: dict) -> Callable[[], list]:
    """Linear(20, 32), ReLU, Linear(32, 1); MSE; ``optim.Adam(lr=1e-3)``; shuffled batches of 64."""
    x, y = mod.from_numpy(data["x"]), mod.from_numpy(data["y"])
    perms = mod.from_numpy(data["perms"])  # one shuffle per epoch, the same in every column
    n, batch_size = len(data["x"]), data["batch_size"]
    model = _mlp(mod, [20, 32, 1], data["weights"])
    loss_fn = mod.nn.MSELoss()
    optimizer = mod.optim.Adam(model.parameters(), lr=data["lr"])

    def run() -> list:
        for epoch in range(len(data["perms"])):
            perm = perms[epoch]
            for start in range(0, n, batch_size):
                idx = perm[start : start + batch_size]
                xb, yb = x[idx], y[idx]
                optimizer.zero_grad()
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()
        return [loss, *model.parameters()]

    return run


def minibatch_numpy(data: dict) -> Callable[[], list]:
    """The minibatch MLP in NumPy, with Adam's update written out as PyTorch computes it."""
    params = _np_copy(data["weights"])
    x, y, perms, batch_size, lr = (
        data["x"],
        data["y"],
        data["perms"],
        data["batch_size"],
        data["lr"],
    )
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    flat = [p for pair in params for p in pair]
    m = [np.zeros_like(p) for p in flat]
    v = [np.zeros_like(p) for p in flat]

    def run() -> list:
        loss, t = float("nan"), 0
        for perm in perms:
            for start in range(0, len(x), batch_size):
                idx = perm[start : start + batch_size]
                outs = _np_forward(params, x[idx])
                loss, dz = _np_mse(outs[-1], y[idx])
                grads = [g for pair in _np_backward(params, outs, dz) for g in pair]
                t += 1
                step_size = lr / (1 - beta1**t)
                bias2_sqrt = (1 - beta2**t) ** 0.5
                for p, g, m_i, v_i in zip(flat, grads, m, v, strict=True):
                    m_i *= beta1
                    m_i += (1 - beta1) * g
                    v_i *= beta2
                    v_i += (1 - beta2) * g * g
                    p -= step_size * m_i / (np.sqrt(v_i) / bias2_sqrt + eps)
        return [loss, *flat]

    return run


# ----------------------------------------------------------------------------- scalar expression


def scalar_data(size: dict) -> dict:
    """Inputs a, b, c for each iteration, as Python floats (how chapter 1 builds its scalars)."""
    rng = np.random.default_rng(4)
    a, b, c = rng.uniform(-1.0, 1.0, (3, size["iterations"]))
    return {"a": a.tolist(), "b": b.tolist(), "c": c.tolist()}


def scalar_framework(mod: Any, data: dict) -> Callable[[], list]:
    """Per iteration: three 0-d leaves, f = tanh(a*b + c) - b**2 (5 ops), ``f.backward()``."""

    def run() -> list:
        grads = []
        for a_, b_, c_ in zip(data["a"], data["b"], data["c"], strict=True):
            a = mod.tensor(a_, requires_grad=True)
            b = mod.tensor(b_, requires_grad=True)
            c = mod.tensor(c_, requires_grad=True)
            f = (a * b + c).tanh() - b**2
            f.backward()
            grads.append((a.grad, b.grad, c.grad))
        return grads

    return run


def summarise_scalar(result: list, data: dict) -> list[float]:
    """Sums of d f/d a, d f/d b and d f/d c over all iterations."""
    grads = np.array([[float(as_array(g)) for g in row] for row in result], dtype=np.float64)
    return grads.sum(axis=0).tolist()


def scalar_expected(data: dict) -> list[float]:
    """The same sums from the derivatives worked out by hand (float64)."""
    a, b, c = (np.array(data[k], dtype=F32).astype(np.float64) for k in "abc")
    s = 1.0 - np.tanh(a * b + c) ** 2
    return [float(np.sum(s * b)), float(np.sum(s * a - 2.0 * b)), float(np.sum(s))]


# ----------------------------------------------------------------------------- big MLP


def big_mlp_data(size: dict) -> dict:
    """A 512-1024-1024-1 regression problem on a batch of 1,024 random inputs."""
    rng = np.random.default_rng(5)
    sizes, batch = size["sizes"], size["batch"]
    x = rng.standard_normal((batch, sizes[0]), dtype=F32)
    y = rng.standard_normal((batch, 1), dtype=F32)
    return {
        "x": x,
        "y": y,
        "sizes": sizes,
        "weights": _mlp_init(rng, sizes),
        "lr": 0.01,
        "steps": size["steps"],
    }


def big_mlp_framework(mod: Any, data: dict) -> Callable[[], list]:
    """512-1024-1024-1 ReLU MLP, ``nn.MSELoss``, ``optim.SGD(lr=0.01)``, full batch of 1,024."""
    return _fullbatch_sgd(mod, data, data["sizes"], mod.nn.MSELoss())


def big_mlp_numpy(data: dict) -> Callable[[], list]:
    """The big MLP in NumPy: three matmuls forward, five backward, in-place updates."""
    return _np_fullbatch_sgd(data, _np_mse)


# ----------------------------------------------------------------------------- long chain

CHAIN_FACTOR = 1.00001


def chain_data(size: dict) -> dict:
    """How many multiplications to chain."""
    return {"ops": size["ops"]}


def chain_framework(mod: Any, data: dict) -> Callable[[], list]:
    """x = x * 1.00001, 100,000 times from one leaf, then backward through the whole chain."""

    def run() -> list:
        x0 = mod.tensor(1.0, requires_grad=True)
        x = x0
        for _ in range(data["ops"]):
            x = x * CHAIN_FACTOR
        x.backward()
        return [x.detach(), x0.grad]  # the graph is freed inside the timed region

    return run


def summarise_chain(result: list, data: dict) -> list[float]:
    """The final value and d x / d x0 (both equal factor**ops)."""
    return [float(as_array(r)) for r in result]


def chain_expected(data: dict) -> list[float]:
    """factor**ops, with the factor rounded to float32 as the tensors hold it."""
    value = float(np.float64(F32(CHAIN_FACTOR)) ** data["ops"])
    return [value, value]


# ----------------------------------------------------------------------------- LeNet on digits


def lenet_data(size: dict) -> dict:
    """scikit-learn's 8x8 digits (scaled to [0, 1]), initial weights, one shuffle per epoch."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    rng = np.random.default_rng(5)
    n = size["n"]
    x = (digits.images[:n] / 16.0).astype(F32)[:, None]  # (n, 1, 8, 8)
    y = digits.target[:n].astype(np.int64)
    weights = []
    for shape in [(6, 1, 3, 3), (16, 6, 3, 3)]:  # Conv2d's init: U(+-1/sqrt(fan_in))
        bound = 1.0 / np.sqrt(np.prod(shape[1:]))
        weights.append((rng.uniform(-bound, bound, shape).astype(F32),
                        rng.uniform(-bound, bound, shape[0]).astype(F32)))  # fmt: skip
    weights += _mlp_init(rng, [64, 32, 10])
    perms = np.stack([rng.permutation(n) for _ in range(size["epochs"])]).astype(np.int64)
    return {"x": x, "y": y, "weights": weights, "perms": perms, "batch_size": 64, "lr": 0.05}


def lenet_model(mod: Any) -> Any:
    """conv 3x3 (1 -> 6), ReLU, 2x2 max-pool, conv 3x3 (6 -> 16), ReLU, max-pool, 64-32-10 MLP."""
    nn = mod.nn
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10),
    )  # fmt: skip


def lenet_framework(mod: Any, data: dict) -> Callable[[], list]:
    """The LeNet above; ``CrossEntropyLoss``; ``optim.SGD(lr=0.05, momentum=0.9)``; batches of 64."""
    x, y = mod.from_numpy(data["x"]), mod.from_numpy(data["y"])
    perms = mod.from_numpy(data["perms"])
    n, batch_size = len(data["x"]), data["batch_size"]
    model = lenet_model(mod)
    layers = [m for m in model.modules() if isinstance(m, mod.nn.Conv2d | mod.nn.Linear)]
    with mod.no_grad():
        for layer, (w, b) in zip(layers, data["weights"], strict=True):
            layer.weight.copy_(mod.from_numpy(w))
            layer.bias.copy_(mod.from_numpy(b))
    loss_fn = mod.nn.CrossEntropyLoss()
    optimizer = mod.optim.SGD(model.parameters(), lr=data["lr"], momentum=0.9)

    def run() -> list:
        for epoch in range(len(data["perms"])):
            perm = perms[epoch]
            for start in range(0, n, batch_size):
                idx = perm[start : start + batch_size]
                optimizer.zero_grad()
                loss = loss_fn(model(x[idx]), y[idx])
                loss.backward()
                optimizer.step()
        return [loss, *model.parameters()]

    return run


def _np_im2col(x: np.ndarray) -> np.ndarray:
    """3x3 windows with padding 1, as rows (n * h * w, c * 9): one slice per kernel offset."""
    n, c, h, w = x.shape
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = np.empty((n, h, w, c, 3, 3), dtype=x.dtype)
    for i in range(3):
        for j in range(3):
            cols[:, :, :, :, i, j] = padded[:, :, i : i + h, j : j + w].transpose(0, 2, 3, 1)
    return cols.reshape(n * h * w, c * 9)


def _np_col2im(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """The adjoint of _np_im2col: every window's gradient added back onto its pixels."""
    n, c, h, w = shape
    cols = rows.reshape(n, h, w, c, 3, 3)
    padded = np.zeros((n, c, h + 2, w + 2), dtype=rows.dtype)
    for i in range(3):
        for j in range(3):
            padded[:, :, i : i + h, j : j + w] += cols[:, :, :, :, i, j].transpose(0, 3, 1, 2)
    return padded[:, :, 1:-1, 1:-1]


def _np_conv_relu_pool(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> tuple:
    """conv 3x3 (padding 1), ReLU, 2x2 max-pool; returns the output and what backward needs."""
    n, _, h, wd = x.shape
    rows = _np_im2col(x)
    z = rows @ w.reshape(len(w), -1).T + b  # (n * h * w, out)
    a = np.maximum(z, 0).reshape(n, h, wd, -1).transpose(0, 3, 1, 2)
    windows = a.reshape(n, a.shape[1], h // 2, 2, wd // 2, 2).transpose(0, 1, 2, 4, 3, 5)
    windows = windows.reshape(*windows.shape[:4], 4)
    pick = windows.argmax(-1)  # the first maximum gets the gradient, as in the engine
    out = np.take_along_axis(windows, pick[..., None], -1)[..., 0]
    return out, (x.shape, rows, z, pick)


def _np_conv_relu_pool_backward(grad: np.ndarray, w: np.ndarray, saved: tuple) -> tuple:
    """Hand-derived backward of _np_conv_relu_pool: (d input, d weight, d bias)."""
    shape, rows, z, pick = saved
    n, c_out, hh, ww = grad.shape
    windows = np.zeros((n, c_out, hh, ww, 4), dtype=grad.dtype)
    np.put_along_axis(windows, pick[..., None], grad[..., None], -1)
    da = windows.reshape(n, c_out, hh, ww, 2, 2).transpose(0, 1, 2, 4, 3, 5)
    da = da.reshape(n, c_out, hh * 2, ww * 2).transpose(0, 2, 3, 1).reshape(-1, c_out)
    dz = da * (z > 0)
    dw = (dz.T @ rows).reshape(w.shape)
    dx = _np_col2im(dz @ w.reshape(c_out, -1), shape)
    return dx, dw, dz.sum(0)


def lenet_numpy(data: dict) -> Callable[[], list]:
    """The same LeNet in NumPy: im2col convolutions, hand-derived backward, SGD with momentum."""
    params = _np_copy(data["weights"])
    flat = [p for pair in params for p in pair]
    buffers: list[np.ndarray | None] = [None] * len(flat)
    x, y, perms, batch_size, lr = (
        data["x"],
        data["y"],
        data["perms"],
        data["batch_size"],
        data["lr"],
    )

    def step(xb: np.ndarray, yb: np.ndarray) -> float:
        (w1, b1), (w2, b2), (w3, b3), (w4, b4) = params
        h1, s1 = _np_conv_relu_pool(xb, w1, b1)
        h2, s2 = _np_conv_relu_pool(h1, w2, b2)
        flat_h2 = h2.reshape(len(xb), -1)
        h3 = np.maximum(flat_h2 @ w3.T + b3, 0)
        z = h3 @ w4.T + b4
        shifted = z - z.max(1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        rows = np.arange(len(yb))
        loss = float(-logp[rows, yb].mean())
        dz = np.exp(logp)  # d(mean cross entropy)/dz = (softmax - one_hot) / batch
        dz[rows, yb] -= 1
        dz /= len(yb)
        dh3 = (dz @ w4) * (h3 > 0)
        dh2 = (dh3 @ w3).reshape(h2.shape)
        dh1, dw2, db2 = _np_conv_relu_pool_backward(dh2, w2, s2)
        _, dw1, db1 = _np_conv_relu_pool_backward(dh1, w1, s1)
        grads = [dw1, db1, dw2, db2, dh3.T @ flat_h2, dh3.sum(0), dz.T @ h3, dz.sum(0)]
        for k, (p, g) in enumerate(zip(flat, grads, strict=True)):
            if buffers[k] is None:
                buffers[k] = g.copy()  # PyTorch: the first buffer is the gradient itself
            else:
                buffers[k] *= 0.9
                buffers[k] += g
            p -= lr * buffers[k]
        return loss

    def run() -> list:
        loss = float("nan")
        for perm in perms:
            for start in range(0, len(x), batch_size):
                idx = perm[start : start + batch_size]
                loss = step(x[idx], y[idx])
        return [loss, *flat]

    return run


# ----------------------------------------------------------------------------- registry


@dataclass(frozen=True)
class Workload:
    """One benchmark case: sizes per scale, data, the three implementations, checks, target."""

    name: str
    title: str
    sizes: dict[str, dict]
    make_data: Callable[[dict], dict]
    framework: Callable[[Any, dict], Callable[[], Any]]
    numpy: Callable[[dict], Callable[[], Any]] | None
    summarise: Callable[[Any, dict], list[float]]
    expected: Callable[[dict], list[float]] | None = None
    rtol: float = 1e-3
    target: tuple[str, float] | None = None  # (column, ratio engine/column must not exceed)

    def data(self, scale: str) -> dict:
        """The data for one scale ("full", "quick" or "tiny")."""
        return self.make_data(self.sizes[scale])


WORKLOADS: dict[str, Workload] = {
    w.name: w
    for w in [
        Workload(
            "linreg", "linear regression, 30 steps, 1,500 points",
            {"full": {"n": 1500, "steps": 30}, "quick": {"n": 1500, "steps": 30},
             "tiny": {"n": 50, "steps": 3}},
            linreg_data, linreg_framework, linreg_numpy, summarise_training,
            target=("torch", 1.0),
        ),
        Workload(
            "classifier", "classifier 2-16-16-1, 300 epochs, 1,000 points",
            {"full": {"n": 1000, "epochs": 300}, "quick": {"n": 1000, "epochs": 100},
             "tiny": {"n": 40, "epochs": 3}},
            classifier_data, classifier_framework, classifier_numpy, summarise_training,
            target=("torch", 1.0),
        ),
        Workload(
            "minibatch", "minibatch MLP 20-32-1, Adam, 10 epochs x 39 batches",
            {"full": {"n": 2480, "epochs": 10}, "quick": {"n": 2480, "epochs": 3},
             "tiny": {"n": 150, "epochs": 2}},
            minibatch_data, minibatch_framework, minibatch_numpy, summarise_training,
            target=("torch", 1.0),
        ),
        Workload(
            "scalar", "scalar expression (5 ops) + backward, 5,000 times",
            {"full": {"iterations": 5000}, "quick": {"iterations": 1000},
             "tiny": {"iterations": 20}},
            scalar_data, scalar_framework, None, summarise_scalar, scalar_expected,
            rtol=1e-4, target=("torch", 1.0),
        ),
        Workload(
            "big_mlp", "MLP 512-1024-1024-1, batch 1,024, 10 steps",
            {"full": {"sizes": [512, 1024, 1024, 1], "batch": 1024, "steps": 10},
             "quick": {"sizes": [512, 1024, 1024, 1], "batch": 1024, "steps": 3},
             "tiny": {"sizes": [16, 32, 32, 1], "batch": 24, "steps": 2}},
            big_mlp_data, big_mlp_framework, big_mlp_numpy, summarise_training,
            rtol=2e-3, target=("numpy", 1.15),
        ),
        Workload(
            "lenet", "LeNet (2 conv, 2 max-pool, 2 linear) on 8x8 digits, 5 epochs",
            {"full": {"n": 1797, "epochs": 5}, "quick": {"n": 1797, "epochs": 2},
             "tiny": {"n": 128, "epochs": 1}},
            lenet_data, lenet_framework, lenet_numpy, summarise_training, rtol=2e-3,
        ),
        Workload(
            "chain", "100,000-op chain, forward + backward",
            {"full": {"ops": 100_000}, "quick": {"ops": 100_000}, "tiny": {"ops": 200}},
            chain_data, chain_framework, None, summarise_chain, chain_expected,
        ),
    ]
}  # fmt: skip


# ----------------------------------------------------------------------------- columns

COLUMNS = ("engine", "numpy", "torch")


def engine_module() -> Any:
    """``autograd_course`` with ``nn`` and ``optim`` loaded, ready to stand in for ``torch``."""
    import autograd_course
    import autograd_course.nn
    import autograd_course.optim  # noqa: F401

    return autograd_course


def torch_module() -> Any:
    """PyTorch, single-threaded (imported only here: it is never a dependency)."""
    import torch

    torch.set_num_threads(1)
    return torch


def torch_available() -> bool:
    """Whether PyTorch can be imported (without importing it)."""
    import importlib.util

    return importlib.util.find_spec("torch") is not None


def prepare(workload: Workload, column: str, data: dict) -> Callable[[], Any] | None:
    """Set up one column of one workload and return its timed ``run()`` (None: no such column)."""
    if column == "engine":
        return workload.framework(engine_module(), data)
    if column == "torch":
        return workload.framework(torch_module(), data)
    if column == "numpy":
        return None if workload.numpy is None else workload.numpy(data)
    raise ValueError(f"unknown column {column!r}: choose one of {', '.join(COLUMNS)}")
