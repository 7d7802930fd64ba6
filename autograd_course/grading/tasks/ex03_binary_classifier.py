"""Exercise 03, binary classifier: a numerically safe BCE on logits, sigmoid as a custom
autograd Function checked with gradcheck, accuracy under no_grad, a mini-batch epoch."""

from __future__ import annotations

import numpy as np

from ..probes.runtime import step_failed
from .base import Fail, Task, as_array, as_number, close, fmt, pick, picks


def _sigmoid(z):
    """Logistic function without overflow warnings."""
    z = np.asarray(z, dtype=float)
    return np.exp(-np.logaddexp(0.0, -z))


def _bce_logits(z, y):
    """Mean binary cross-entropy of sigmoid(z) against y, in the stable form."""
    z, y = np.asarray(z, dtype=float), np.asarray(y, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.logaddexp(0.0, -np.abs(z))))


# -- bce-with-logits --------------------------------------------------------------------------


def _inputs_bce(rng):
    ordinary = picks(rng, 4, -3, 3, 0.1, [0.0])  # no kink of |z| or relu(z) at 0
    big, medium = pick(rng, 900, 1100, 10), pick(rng, 40, 60, 1)
    # wrong with full confidence (log(0) for a naive loss), then right with full confidence
    extreme = [(-big, 1.0), (big, 0.0), (medium, 1.0), (-medium, 0.0)]
    rng.shuffle(extreme)
    return [
        {
            "text": "ordinary logits",
            "logits": [[z] for z in ordinary],
            "targets": [[float(rng.randint(0, 1))] for _ in ordinary],
        },
        {
            "text": f"logits of ±{big:g} and ±{medium:g}",
            "logits": [[z] for z, _ in extreme],
            "targets": [[y] for _, y in extreme],
        },
    ]


#: The node of the library's own loss, which the task asks the student to write instead.
_LIBRARY_NODE = "BinaryCrossEntropyWithLogitsBackward0"


def _verify_bce(raw, inputs):
    for case, result in zip(inputs, raw, strict=True):
        text, z, y = case["text"], np.array(case["logits"]), np.array(case["targets"])
        if _LIBRARY_NODE in (result.get("nodes") or ()):
            raise Fail(
                "the loss calls the library's nn.BCEWithLogitsLoss (or "
                "F.binary_cross_entropy_with_logits): this task asks you to write that formula "
                "yourself from tensor operations such as relu, abs, exp and log"
            )
        value = as_number(result["loss"], f"the loss on {text}")
        if not np.isfinite(value):
            raise Fail(
                f"the loss on {text} is {fmt(value)}: sigmoid rounds to 0 or 1 and log(0) "
                "follows, or exp of a large positive number overflows; work with the logits "
                "directly and keep every exponent at most 0 (e.g. exp(-|z|))"
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


def _inputs_sigmoid(rng):
    extreme = pick(rng, 800, 1200, 10)
    return {
        "x": picks(rng, 5, -3, 3, 0.1),
        "v": picks(rng, 5, -2, 2, 0.25, [0.0, 1.0]),
        "extreme": [-extreme, extreme],
        "gradcheck_x": picks(rng, 3, -2, 2, 0.1),
    }


def _verify_sigmoid(raw, inputs):
    x, v = np.array(inputs["x"]), np.array(inputs["v"])
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
    big = inputs["extreme"][1]
    extreme = as_array(raw["extreme"]["value"], f"Sigmoid.apply([-{big:g}, {big:g}])")
    if not close(extreme.ravel(), [0.0, 1.0]):
        raise Fail(f"for x = ±{big:g} the output should be 0 and 1, not NaN")
    return "forward and backward right; gradcheck passes; finite for large |x|"


# -- accuracy ---------------------------------------------------------------------------------


def _inputs_accuracy(rng):
    """Two cases: labels in a column (n, 1) like the model's output, then a flat (n,) vector
    (where comparing with the (n, 1) predictions broadcasts to an (n, n) table)."""
    cases = []
    for count, near_threshold in ((6, [0.51, 0.49]), (5, [])):
        while True:
            probabilities = picks(rng, count - len(near_threshold), 0.05, 0.95, 0.01, [0.5])
            probabilities += near_threshold
            rng.shuffle(probabilities)
            labels = [float(rng.randint(0, 1)) for _ in probabilities]
            right = sum((p > 0.5) == (y > 0.5) for p, y in zip(probabilities, labels))
            predicted_up = sum(p > 0.5 for p in probabilities)
            labelled_up = sum(y > 0.5 for y in labels)
            # The (n, n) table's share of matches; the flat case must tell it from the answer.
            table = predicted_up * labelled_up + (count - predicted_up) * (count - labelled_up)
            broadcast_shows = not cases or table != right * count
            if 0 < right < count and broadcast_shows:  # neither 0 nor 1: a percentage shows
                break
        column = not cases
        cases.append(
            {
                "probabilities": [[p] for p in probabilities],
                "labels": [[y] for y in labels] if column else labels,
            }
        )
    return cases


def _verify_accuracy(raw, inputs):
    for case, result in zip(inputs, raw, strict=True):
        probabilities, labels = case["probabilities"], case["labels"]
        predicted = np.array(probabilities).reshape(-1) > 0.5
        truth = np.array(labels).reshape(-1) > 0.5
        want = float(np.mean(predicted == truth))
        table = float(np.mean(predicted[:, None] == truth[None, :]))  # (n, 1) against (n,)
        y_shape = "(n,)" if np.ndim(labels) == 1 else "(n, 1)"
        got = as_number(result["value"], "accuracy(model, X, y)")
        if not result["grad_modes"]:
            raise Fail("accuracy() never called the model: predict with model(X)")
        if abs(got - want) > 1e-6:
            if abs(got - 100 * want) < 1e-4:
                raise Fail("return a fraction between 0 and 1, not a percentage")
            if y_shape == "(n,)" and abs(got - table) < 1e-6:
                raise Fail(
                    f"for y of shape ({len(labels)},) your comparison broadcast the model's "
                    f"({len(labels)}, 1) predictions against it into a {len(labels)}×"
                    f"{len(labels)} table: reshape the predictions to y's shape first "
                    "(e.g. .reshape(y.shape)) before comparing"
                )
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

_TLR, _BATCH, _ROWS = 0.5, 3, 7


def _inputs_epoch(rng):
    while True:
        labels = [float(rng.randint(0, 1)) for _ in range(_ROWS)]
        if 0 < sum(labels) < _ROWS:
            break
    return {
        "x": [picks(rng, 2, -2, 2, 0.5) for _ in range(_ROWS)],
        "y": [[y] for y in labels],
        "w": [picks(rng, 2, -0.5, 0.5, 0.1)],
        "b": [pick(rng, -0.5, 0.5, 0.1)],
        "lr": _TLR,
        "batch": _BATCH,
    }


def _epochs(
    data: dict, count: int, batch: int = _BATCH, accumulate: bool = False, drop_last: bool = False
):
    """Reference mini-batch SGD of logistic regression: (mean batch loss, w, b) per epoch."""
    X, y = np.array(data["x"]), np.array(data["y"])
    w, b = np.array(data["w"], dtype=float), np.array(data["b"], dtype=float)
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


def _verify_epoch(raw, inputs):
    want = _epochs(inputs, 2)
    for number, (epoch, (loss, w, b)) in enumerate(zip(raw, want, strict=True)):
        got_w = as_array(epoch["w"], "model.weight", (1, 2))
        got_b = as_array(epoch["b"], "model.bias", (1,))
        if number == 0 and np.allclose(got_w, inputs["w"]) and np.allclose(got_b, inputs["b"]):
            raise Fail("the model did not change: call optimizer.step() after each backward()")
        if not (close(got_w, w) and close(got_b, b)):
            raise Fail(_diagnose_epoch(inputs, number, got_w, got_b))
        if not close(as_number(epoch["loss"], "the value train_epoch returns"), loss):
            raise Fail("return the mean of the batch losses of this epoch (a number)")
    return "two epochs of mini-batch SGD match, last partial batch included"


def _diagnose_epoch(data: dict, number: int, got_w, got_b) -> str:
    """Name the likely mistake behind wrong weights after an epoch."""
    variants = {
        "only one update happened in the epoch: loop over mini-batches of batch_size rows": {
            "batch": _ROWS
        },
        "the weights drift: gradients accumulate across batches, so call "
        "optimizer.zero_grad() before each backward()": {"accumulate": True},
        "the last, smaller batch was skipped: include it (7 rows in batches of 3 give 3 batches)": {
            "drop_last": True
        },
    }
    for message, options in variants.items():
        _, w, b = _epochs(data, number + 1, **options)[-1]
        if close(got_w, w) and close(got_b, b):
            return message
    return (
        f"after epoch {number + 1} the weights are {fmt(got_w)}, bias {fmt(got_b)}: for each "
        "batch in the given order (no shuffling), zero the gradients, compute the loss, "
        "backward, step"
    )


TASKS = [
    Task(
        "bce-with-logits",
        3,
        "bce_with_logits",
        "binary cross-entropy on logits, safely",
        _inputs_bce,
        _verify_bce,
    ),
    Task(
        "sigmoid-function",
        3,
        "Sigmoid",
        "sigmoid as an autograd.Function with its backward",
        _inputs_sigmoid,
        _verify_sigmoid,
    ),
    Task(
        "accuracy",
        2,
        "accuracy",
        "accuracy of a classifier, evaluated under no_grad",
        _inputs_accuracy,
        _verify_accuracy,
    ),
    Task(
        "train-epoch",
        3,
        "train_epoch",
        "one epoch of mini-batch training",
        _inputs_epoch,
        _verify_epoch,
    ),
]
