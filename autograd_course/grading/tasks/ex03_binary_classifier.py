"""Exercise 03, binary classifier: a numerically safe BCE on logits, sigmoid as a custom
autograd Function checked with gradcheck, accuracy under no_grad, a mini-batch epoch."""

from __future__ import annotations

import numpy as np

from .base import (
    Fail,
    Task,
    as_array,
    as_number,
    attempt,
    close,
    describe,
    during,
    fmt,
    step_failed,
)


def _sigmoid(z):
    """Logistic function without overflow warnings."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def _bce_logits(z, y):
    """Mean binary cross-entropy of sigmoid(z) against y, in the stable form."""
    z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.logaddexp(0.0, -np.abs(z))))


# -- bce-with-logits --------------------------------------------------------------------------

_BCE_CASES = [
    ("ordinary logits", [[-2.0], [0.5], [3.0], [-0.7]], [[0.0], [1.0], [1.0], [0.0]]),
    (
        "logits of ±1000 and ±50",
        [[-1000.0], [1000.0], [50.0], [-50.0]],
        [[1.0], [0.0], [1.0], [0.0]],
    ),
]


def _probe_bce(answer):
    import autograd_course as ac

    results = []
    for text, logits, targets in _BCE_CASES:
        z = ac.tensor(logits, requires_grad=True)
        with during(f"calling bce_with_logits on {text}"):
            loss = answer(z, ac.tensor(targets))
        backward = attempt("calling backward() on your loss", lambda loss=loss: loss.backward())
        results.append(
            {"loss": describe(loss), "backward": step_failed(backward), "grad": describe(z.grad)}
        )
    return results


def _verify_bce(raw):
    for (text, logits, targets), result in zip(_BCE_CASES, raw, strict=True):
        z, y = np.array(logits), np.array(targets)
        value = as_number(result["loss"], f"the loss on {text}")
        if not np.isfinite(value):
            raise Fail(
                f"the loss on {text} is {fmt(value)}: sigmoid rounds to 0 or 1 and log(0) "
                "follows; work with the logits directly (log-sum-exp form)"
            )
        if not close(value, _bce_logits(z, y)):
            raise Fail(
                f"the loss on {text} is {fmt(value)}, which is not the mean binary "
                "cross-entropy of sigmoid(logits)"
            )
        if result["backward"]:
            raise Fail(f"{result['backward']}: build the loss from tensor operations only")
        grad = as_array(result["grad"], "logits.grad", z.shape)
        if not np.all(np.isfinite(grad)):
            raise Fail(f"the gradient on {text} is not finite: avoid log(sigmoid(z)) for large |z|")
        if not close(grad, (_sigmoid(z) - y) / z.size):
            raise Fail(f"the loss on {text} is right but its gradient is not")
    return "right and finite, even for logits of ±1000"


# -- sigmoid-function -------------------------------------------------------------------------

_SIG_X = [-3.0, -0.5, 0.0, 0.8, 2.5]
_SIG_V = [1.0, -2.0, 0.5, 3.0, -1.0]


def _probe_sigmoid(answer):
    import autograd_course as ac

    x = ac.tensor(_SIG_X, dtype=ac.float64, requires_grad=True)
    with during("calling Sigmoid.apply(x)"):
        y = answer.apply(x)
    backward = attempt(
        "calling backward(gradient=v) through your Sigmoid",
        lambda: y.backward(gradient=ac.tensor(_SIG_V, dtype=ac.float64)),
    )
    extreme = attempt(
        "calling Sigmoid.apply on x = [-1000, 1000]",
        lambda: describe(answer.apply(ac.tensor([-1000.0, 1000.0], dtype=ac.float64))),
    )
    probe_x = ac.tensor([0.3, -1.2, 2.0], dtype=ac.float64, requires_grad=True)
    check = attempt(
        "running gradcheck on Sigmoid.apply", ac.autograd.gradcheck, answer.apply, (probe_x,)
    )
    return {
        "y": describe(y),
        "backward": step_failed(backward),
        "grad": describe(x.grad),
        "extreme": extreme,
        "gradcheck": step_failed(check),
    }


def _verify_sigmoid(raw):
    x, v = np.array(_SIG_X), np.array(_SIG_V)
    y = as_array(raw["y"], "Sigmoid.apply(x)", x.shape)
    if not close(y, _sigmoid(x)):
        raise Fail("forward should return 1 / (1 + exp(−x)) elementwise")
    if raw["y"].get("grad_fn") is None:
        raise Fail("the output has no grad_fn: call it as Sigmoid.apply(x), return a tensor")
    if raw["backward"]:
        raise Fail(raw["backward"])
    grad = as_array(raw["grad"], "x.grad", x.shape)
    s = _sigmoid(x)
    if close(grad, v * s):
        raise Fail("backward multiplies by σ(x) only: the derivative is σ(x)·(1 − σ(x))")
    if close(grad, v):
        raise Fail("backward returns the incoming gradient unchanged: multiply by σ'(x)")
    if not close(grad, v * s * (1 - s)):
        raise Fail("backward should return grad_output × σ(x)·(1 − σ(x))")
    if raw["gradcheck"]:
        raise Fail(f"gradcheck failed ({raw['gradcheck']})")
    if step_failed(raw["extreme"]):
        raise Fail(f"{step_failed(raw['extreme'])}: keep forward finite for large |x|")
    extreme = as_array(raw["extreme"]["value"], "Sigmoid.apply([-1000, 1000])")
    if not close(extreme.ravel(), [0.0, 1.0]):
        raise Fail("for x = ±1000 the output should be 0 and 1, not NaN")
    return "forward and backward right; gradcheck passes; finite for large |x|"


# -- accuracy ---------------------------------------------------------------------------------

_ACC_CASES = [
    ([[0.9], [0.2], [0.6], [0.4], [0.51], [0.49]], [[1.0], [0.0], [0.0], [0.0], [1.0], [1.0]]),
    ([[0.1], [0.7], [0.8], [0.3]], [[0.0], [1.0], [1.0], [0.0]]),
]


def _probe_accuracy(answer):
    import autograd_course as ac
    from autograd_course import nn

    class Recorder(nn.Module):
        """Returns fixed probabilities; records whether gradients were on for each call."""

        def __init__(self, probabilities):
            super().__init__()
            self.scale = nn.Parameter(ac.ones(1))
            self.probabilities = probabilities
            self.grad_modes = []

        def forward(self, x):
            self.grad_modes.append(bool(ac.is_grad_enabled()))
            return ac.tensor(self.probabilities) * self.scale

    results = []
    for probabilities, labels in _ACC_CASES:
        model = Recorder(probabilities)
        X = ac.zeros(len(labels), 2)
        with during(f"calling accuracy(model, X, y) on {len(labels)} points"):
            value = answer(model, X, ac.tensor(labels))
        results.append({"value": describe(value), "grad_modes": model.grad_modes})
    return results


def _verify_accuracy(raw):
    for (probabilities, labels), result in zip(_ACC_CASES, raw, strict=True):
        predicted = np.array(probabilities) > 0.5
        want = float(np.mean(predicted == (np.array(labels) > 0.5)))
        got = as_number(result["value"], "accuracy(model, X, y)")
        if not result["grad_modes"]:
            raise Fail("accuracy() never called the model: predict with model(X)")
        if abs(got - want) > 1e-6:
            if abs(got - 100 * want) < 1e-4:
                raise Fail("return a fraction between 0 and 1, not a percentage")
            raise Fail(
                f"on {len(labels)} points you returned {fmt(got)}: predict class 1 when the "
                "probability is above 0.5 and count the matches with y"
            )
        if any(result["grad_modes"]):
            raise Fail(
                "right value, but the model ran with gradients recorded: evaluate inside "
                "ac.no_grad()",
                score=1,
            )
    return "right fraction, computed under no_grad"


# -- train-epoch ------------------------------------------------------------------------------

_TX = [[1.0, 2.0], [-1.0, 0.5], [2.0, -1.0], [0.0, 1.5], [-2.0, -1.0], [1.5, 1.0], [0.5, -2.0]]
_TY = [[1.0], [0.0], [1.0], [1.0], [0.0], [1.0], [0.0]]
_TW, _TB, _TLR, _BATCH = [[0.2, -0.4]], [0.1], 0.5, 3


def _epochs(count: int, batch: int = _BATCH, accumulate: bool = False, drop_last: bool = False):
    """Reference mini-batch SGD of logistic regression: (mean batch loss, w, b) per epoch."""
    X, y = np.array(_TX), np.array(_TY)
    w, b = np.array(_TW, dtype=float), np.array(_TB, dtype=float)
    gw_sum, gb_sum = np.zeros_like(w), np.zeros_like(b)
    history = []
    for _ in range(count):
        batch_losses = []
        for start in range(0, len(X), batch):
            xb, yb = X[start : start + batch], y[start : start + batch]
            if drop_last and len(xb) < batch:
                continue
            z = xb @ w.T + b
            batch_losses.append(_bce_logits(z, yb))
            dz = (_sigmoid(z) - yb) / len(xb)
            gw, gb = dz.T @ xb, dz.sum(axis=0)
            gw_sum, gb_sum = (gw_sum + gw, gb_sum + gb) if accumulate else (gw, gb)
            w, b = w - _TLR * gw_sum, b - _TLR * gb_sum
        history.append((float(np.mean(batch_losses)), w.copy(), b.copy()))
    return history


def _probe_epoch(answer):
    import autograd_course as ac
    from autograd_course import nn, optim

    model = nn.Linear(2, 1)
    with ac.no_grad():
        model.weight.copy_(ac.tensor(_TW))
        model.bias.copy_(ac.tensor(_TB))
    optimizer = optim.SGD(model.parameters(), lr=_TLR)
    loss_fn = nn.BCEWithLogitsLoss()
    X, y = ac.tensor(_TX), ac.tensor(_TY)
    epochs = []
    for number in range(2):
        with during(f"calling train_epoch(..., batch_size={_BATCH}) (epoch {number + 1})"):
            value = answer(model, loss_fn, optimizer, X, y, _BATCH)
        epochs.append(
            {"loss": describe(value), "w": describe(model.weight), "b": describe(model.bias)}
        )
    return epochs


def _verify_epoch(raw):
    want = _epochs(2)
    for number, (epoch, (loss, w, b)) in enumerate(zip(raw, want, strict=True)):
        got_w = as_array(epoch["w"], "model.weight", (1, 2))
        got_b = as_array(epoch["b"], "model.bias", (1,))
        if number == 0 and np.allclose(got_w, _TW) and np.allclose(got_b, _TB):
            raise Fail("the model did not change: call optimizer.step() after each backward()")
        if not (close(got_w, w) and close(got_b, b)):
            raise Fail(_diagnose_epoch(number, got_w, got_b))
        if not close(as_number(epoch["loss"], "the value train_epoch returns"), loss):
            raise Fail("return the mean of the batch losses of this epoch (a number)")
    return "two epochs of mini-batch SGD match, last partial batch included"


def _diagnose_epoch(number: int, got_w, got_b) -> str:
    """Name the likely mistake behind wrong weights after an epoch."""
    variants = {
        "only one update happened in the epoch: loop over mini-batches of batch_size rows": {
            "batch": len(_TX)
        },
        "the weights drift: gradients accumulate across batches, so call "
        "optimizer.zero_grad() before each backward()": {"accumulate": True},
        "the last, smaller batch was skipped: include it (7 rows in batches of 3 give 3 batches)": {
            "drop_last": True
        },
    }
    for message, options in variants.items():
        _, w, b = _epochs(number + 1, **options)[-1]
        if close(got_w, w) and close(got_b, b):
            return message
    return (
        f"after epoch {number + 1} the weights are {fmt(got_w)}, bias {fmt(got_b)}: for each "
        "batch in order, zero the gradients, compute the loss, backward, step"
    )


TASKS = [
    Task(
        "bce-with-logits",
        3,
        "bce_with_logits",
        "binary cross-entropy on logits, safely",
        _probe_bce,
        _verify_bce,
    ),
    Task(
        "sigmoid-function",
        3,
        "Sigmoid",
        "sigmoid as an autograd.Function with its backward",
        _probe_sigmoid,
        _verify_sigmoid,
    ),
    Task(
        "accuracy",
        2,
        "accuracy",
        "accuracy of a classifier, evaluated under no_grad",
        _probe_accuracy,
        _verify_accuracy,
    ),
    Task(
        "train-epoch",
        3,
        "train_epoch",
        "one epoch of mini-batch training",
        _probe_epoch,
        _verify_epoch,
    ),
]
