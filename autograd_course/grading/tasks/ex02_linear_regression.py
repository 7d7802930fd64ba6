"""Exercise 02, linear regression: MSE, a Linear module, step() for the hand-made model,
a training loop with nn/optim, and the learning rate at which gradient descent diverges."""

from __future__ import annotations

import numpy as np

from ..probes.runtime import step_failed
from .base import (
    Fail,
    Task,
    as_array,
    as_number,
    as_numbers,
    close,
    fmt,
    kind_name,
    pick,
    picks,
    shape_text,
)

_LR = 0.05
_EPOCHS = 8


def _regression_data(rng) -> dict:
    """Data for step() and train(): 5 points near a random line, a random start, lr 0.05
    (drawn again until the first step clearly moves both parameters)."""
    while True:
        slope, intercept = pick(rng, 1, 4, 0.1), pick(rng, -2, 2, 0.1)
        xs = sorted(picks(rng, 5, -1, 3, 0.5))
        ys = [round(slope * x + intercept + pick(rng, -0.5, 0.5), 2) for x in xs]
        data = {
            "x": [[x] for x in xs],
            "y": [[y] for y in ys],
            "w0": pick(rng, -1, 1, 0.1),
            "b0": pick(rng, -1, 1, 0.1),
            "lr": _LR,
        }
        (w, b), w0, b0 = _descent(data, 1)[1][0], data["w0"], data["b0"]
        if abs(w - w0) > 0.01 and abs(b - b0) > 0.01:
            return data


def _descent(
    data: dict, epochs: int, accumulate: bool = False, scale: float = 1.0
) -> tuple[list[float], list[tuple[float, float]]]:
    """Reference full-batch gradient descent on mean((x·w + b − y)²): losses before each
    update, then (w, b) after each; ``accumulate`` mimics forgetting to zero the gradients,
    ``scale`` mimics a summed instead of averaged loss."""
    x, y = np.array(data["x"]).ravel(), np.array(data["y"]).ravel()
    lr = data["lr"]
    w, b, gw_total, gb_total = data["w0"], data["b0"], 0.0, 0.0
    losses, params = [], []
    for _ in range(epochs):
        residual = x * w + b - y
        losses.append(float(np.mean(residual**2)) * scale)
        gw, gb = 2 * np.mean(residual * x) * scale, 2 * np.mean(residual) * scale
        gw_total, gb_total = (gw_total + gw, gb_total + gb) if accumulate else (gw, gb)
        w, b = w - lr * gw_total, b - lr * gb_total
        params.append((w, b))
    return losses, params


# -- mse --------------------------------------------------------------------------------------


def _inputs_mse(rng):
    column = {"prediction": [[v] for v in picks(rng, 4, -3, 3, 0.05)]}
    column["target"] = [[v] for v in picks(rng, 4, -3, 3, 0.05)]
    flat = {"prediction": picks(rng, 5, -3, 3, 0.05), "target": picks(rng, 5, -3, 3, 0.05)}
    # several columns: dividing by len(prediction) (the rows) instead of all elements shows
    matrix = {key: [picks(rng, 3, -3, 3, 0.05) for _ in range(2)] for key in column}
    return [column, flat, matrix]


def _verify_mse(raw, inputs):
    for case, result in zip(inputs, raw, strict=True):
        p, t = np.array(case["prediction"]), np.array(case["target"])
        info = result["loss"]
        if info.get("kind") != "tensor":
            raise Fail(
                "mse_loss should return a tensor (so that backward() can follow it), "
                f"not {info.get('kind')}"
            )
        value = as_number(info, "the loss")
        want = np.mean((p - t) ** 2)
        if not close(value, want):
            if close(value, np.sum((p - t) ** 2)):
                raise Fail("the loss is the sum of squared errors: MSE is their mean")
            if close(value, np.sum((p - t) ** 2) / len(p)):
                raise Fail(
                    f"for predictions of shape {shape_text(p.shape)} the loss divides by "
                    f"len(prediction) = {len(p)}, the number of rows: the mean is over all "
                    f"{p.size} elements (.mean(), or divide by numel())"
                )
            if close(value, np.mean(np.abs(p - t))):
                raise Fail("that is the mean absolute error: square the differences")
            raise Fail(
                f"for predictions of shape {shape_text(p.shape)} the loss is {fmt(value)}, "
                "not the mean of (prediction − target)²"
            )
        if info.get("shape") != []:
            raise Fail(
                f"the loss has shape {shape_text(info.get('shape', []))}: return a 0-d tensor "
                "(shape ()), as .mean() over all elements gives"
            )
        if result["backward"] or not info.get("requires_grad"):
            raise Fail(
                "backward() through your loss failed: build it from tensor operations only "
                "(no .item(), float() or numpy) so autograd records it"
            )
        grad = as_array(result["grad"], "prediction.grad", p.shape)
        if not close(grad, 2 * (p - t) / p.size):
            raise Fail("the loss value is right but its gradient is not; use tensor operations")
    return "a 0-d loss, value and gradient right for columns, vectors and matrices"


# -- linear-module ----------------------------------------------------------------------------


def _inputs_linear(rng):
    def matrix(rows, columns):
        return [picks(rng, columns, -2, 2, 0.25) for _ in range(rows)]

    sizes = [(n_in, n_out) for n_in in range(2, 7) for n_out in range(1, 4)]
    return {
        "layouts": rng.sample(sizes, 2),
        "weight": matrix(2, 3),
        "bias": picks(rng, 2, -1, 1, 0.1),
        "x": matrix(4, 3),
        "c": matrix(4, 2),
    }


def _verify_linear(raw, inputs):
    """One point each for registered parameters, their initialisation, and the forward pass
    with its gradients; each part is judged on its own, the feedback names the first problem."""
    problems: list[str] = []
    shapes_ok, grads_ok, init_ok = True, True, True
    for (n_in, n_out), layout in zip(inputs["layouts"], raw["layouts"], strict=True):
        shapes = {p["name"]: tuple(p["shape"]) for p in layout["params"]}
        if layout["error"] or shapes != {"weight": (n_out, n_in), "bias": (n_out,)}:
            shapes_ok = False
            got = ", ".join(f"{k} {shape_text(v)}" for k, v in shapes.items()) or "nothing"
            problems.append(
                f"MyLinear({n_in}, {n_out}).named_parameters() gives {got}: register "
                "nn.Parameter attributes weight (out_features, in_features) and bias "
                "(out_features,)"
            )
            continue
        bound = 1 / np.sqrt(n_in) + 1e-6
        for p in layout["params"]:
            values = np.array(p["values"].get("values") or [0.0])
            if not p["requires_grad"]:
                grads_ok = False
                problems.append(
                    f"{p['name']} is registered but does not require grad, so backward() "
                    "never fills its .grad: wrap a fresh tensor in nn.Parameter (do not "
                    "detach it or pass requires_grad=False)"
                )
            if np.any(np.abs(values) > bound) or np.ptp(values) == 0 and values.size > 1:
                init_ok = False
    init_ok = init_ok and shapes_ok
    if shapes_ok and not init_ok:
        problems.append(
            "initialise weight and bias uniformly in ±1/√in_features, as nn.Linear does"
        )
    forward_ok = _check_linear_forward(raw["forward"], inputs, problems)
    score = int(shapes_ok and grads_ok) + int(init_ok) + int(forward_ok)
    if problems:
        raise Fail(problems[0], score=score)
    return "parameters registered and initialised like nn.Linear; forward and gradients right"


def _check_linear_forward(forward: dict, inputs: dict, problems: list[str]) -> bool:
    """The forward pass and its gradients, appending the first problem found (if any)."""
    if step_failed(forward):
        problems.append(step_failed(forward))
        return False
    value = forward["value"]
    x, w, c = (np.array(inputs[key]) for key in ("x", "weight", "c"))
    try:
        out = as_array(value["out"], "MyLinear(3, 2) applied to 4 inputs")
        if out.shape != (4, 2):
            raise Fail(
                f"the output for 4 inputs has shape {shape_text(out.shape)}, expected (4, 2)"
            )
        if not close(out, x @ w.T + np.array(inputs["bias"])):
            raise Fail("forward(x) should compute x @ weight.T + bias")
        for name, want in (("weight", c.T @ x), ("bias", c.sum(axis=0))):
            info = value[f"{name[0]}_grad"]
            if isinstance(info, dict) and info.get("kind") == "none":
                raise Fail(
                    f"the output is right, but {name}.grad is None after backward(): {name} "
                    "must be an nn.Parameter that requires grad, used by forward"
                )
            if not close(as_array(info, f"{name}.grad"), want):
                raise Fail(f"the output is right but {name}.grad is not: use tensor operations")
    except Fail as fail:
        problems.append(fail.feedback)
        return False
    return True


# -- step -------------------------------------------------------------------------------------


def _verify_step(raw, inputs):
    losses, params = _descent(inputs, 3)
    for number, (step, loss, (w, b)) in enumerate(zip(raw, losses, params)):
        if "error" in step:
            raise Fail(step["error"])
        got_w, got_b = as_number(step["w"], "model.w"), as_number(step["b"], "model.b")
        for name in ("w", "b"):
            info = step[name]
            if not (info.get("kind") == "tensor" and info["requires_grad"] and info["is_leaf"]):
                raise Fail(
                    f"after step(), model.{name} is no longer a leaf tensor that requires grad: "
                    f"update it in place ({name} -= ...) under ac.no_grad()"
                )
            if step.get("same", {}).get(name) is not True:
                raise Fail(
                    f"step() replaced model.{name} with a new tensor: update the one the model "
                    f"holds in place (model.{name} -= ...) under ac.no_grad(), so that "
                    "everything holding it (an optimiser, say) sees the change"
                )
        if number == 0:
            _diagnose_first_step(inputs, got_w, got_b)
        if not (close(got_w, w) and close(got_b, b)):
            raise Fail(
                "the first step is right but later ones are not: gradients accumulate, so zero "
                "model.w.grad and model.b.grad after each update"
            )
        if not close(as_number(step["loss"], "the value step() returns"), loss):
            raise Fail("step() should return the loss computed before the update (a number)")
    return "3 steps match gradient descent on the MSE, parameters stay leaves"


def _diagnose_first_step(data: dict, got_w: float, got_b: float) -> None:
    """Say what is wrong with the first update, if anything."""
    w0, b0 = data["w0"], data["b0"]
    (w, b), w_moved, b_moved = _descent(data, 1)[1][0], not close(got_w, w0), not close(got_b, b0)
    if not w_moved and not b_moved:
        raise Fail("step() left w and b unchanged: update each parameter by −lr × its gradient")
    if not (w_moved and b_moved):
        name = "b" if w_moved else "w"
        raise Fail(f"step() did not change model.{name}: update every parameter")
    if close(got_w, w) and close(got_b, b):
        return
    (ws, bs) = _descent(data, 1, scale=5.0)[1][0]
    if close(got_w, ws) and close(got_b, bs):
        raise Fail("the update is 5 times too large: average the squared errors (mean, not sum)")
    if close(got_w, 2 * w0 - w) and close(got_b, 2 * b0 - b):
        raise Fail("the parameters moved uphill: subtract lr × gradient")
    raise Fail(
        f"after one step(lr={_LR}) w is {fmt(got_w)} and b is {fmt(got_b)}, which is not one "
        "gradient-descent step on the mean squared error"
    )


# -- train-loop -------------------------------------------------------------------------------


def _inputs_train(rng):
    return {**_regression_data(rng), "epochs": _EPOCHS}


def _verify_train(raw, inputs):
    losses = raw["losses"]
    kind = losses.get("kind") if isinstance(losses, dict) else None
    count = losses.get("length") if kind == "sequence" else None
    if kind in ("tensor", "ndarray"):
        count = int(np.prod(losses.get("shape", [0])))
    if count is None:
        raise Fail(
            f"train() should return a list with one loss per epoch ({_EPOCHS}), but it "
            f"returned {kind_name(losses)}"
        )
    if count != _EPOCHS:
        raise Fail(f"train() should return a list with one loss per epoch ({_EPOCHS}), got {count}")
    got = as_numbers(losses, "the losses", _EPOCHS)
    w, b = as_number(raw["w"], "weight"), as_number(raw["b"], "bias")
    want, params = _descent(inputs, _EPOCHS)
    if close([w, b], [inputs["w0"], inputs["b0"]]):
        raise Fail(
            "the model's parameters did not change: step an optim.SGD built on model.parameters()"
        )
    if close(got, want) and close([w, b], params[-1]):
        return f"{_EPOCHS} epochs match full-batch gradient descent with SGD"
    acc_losses, acc_params = _descent(inputs, _EPOCHS, accumulate=True)
    if close(got, acc_losses) or close([w, b], acc_params[-1]):
        raise Fail(
            "the first epoch is right, then training drifts: gradients accumulate, so call "
            "optimizer.zero_grad() every epoch"
        )
    if close(got[:-1], want[1:]):
        raise Fail("record each epoch's loss before its update, not after")
    raise Fail(
        f"with lr={_LR} the losses and final parameters differ from full-batch gradient "
        "descent on nn.MSELoss: zero_grad, forward, loss, backward, step, once per epoch"
    )


# -- learning-rate ----------------------------------------------------------------------------


def _inputs_lr(rng):
    return [
        picks(rng, 3, -3, 3, 0.5, [0.0]),
        picks(rng, 4, -4, 4, 0.5, [0.0]),
        picks(rng, 2, -20, 20, 1, [0.0]),
    ]


def _verify_lr(raw, inputs):
    for xs, info in zip(inputs, raw, strict=True):
        got = as_number(info, f"largest_stable_lr({xs})")
        want = 1 / np.mean(np.square(xs))
        if abs(got - want) <= 1e-3 * want:
            continue
        if abs(got - 2 * want) <= 1e-3 * want:
            raise Fail("twice too large: the second derivative of mean((w·x − y)²) is 2·mean(x²)")
        if abs(got - want / 2) <= 1e-3 * want:
            raise Fail(
                "half the threshold: gradient descent on a parabola with curvature c "
                "diverges once lr > 2 / c"
            )
        raise Fail(
            f"for x = {xs} you returned {fmt(got)}: write the update of w as "
            "w ← w − lr·L'(w) and find when the error stops shrinking"
        )
    return f"right for {len(inputs)} data sets"


TASKS = [
    Task(
        "mse",
        2,
        "mse_loss",
        "mean squared error as a differentiable tensor",
        _inputs_mse,
        _verify_mse,
    ),
    Task(
        "linear-module",
        3,
        "MyLinear",
        "a Linear module with registered parameters",
        _inputs_linear,
        _verify_linear,
    ),
    Task(
        "step",
        3,
        "step",
        "one gradient-descent step for the hand-made model",
        _regression_data,
        _verify_step,
    ),
    Task(
        "train-loop",
        3,
        "train",
        "a training loop with nn.MSELoss and optim.SGD",
        _inputs_train,
        _verify_train,
    ),
    Task(
        "learning-rate",
        2,
        "largest_stable_lr",
        "the learning rate where descent diverges",
        _inputs_lr,
        _verify_lr,
    ),
]
