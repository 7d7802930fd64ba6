"""Exercise 02, linear regression: how each answer is called in the student's kernel."""

from __future__ import annotations

from .runtime import attempt, describe, during, step_failed


def _shape_text(shape) -> str:
    dims = [int(n) for n in shape]
    return "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"


def probe_mse(answer, inputs):
    import autograd_course as ac

    results = []
    for case in inputs:
        p = ac.tensor(case["prediction"], requires_grad=True)
        t = ac.tensor(case["target"])
        with during(f"calling mse_loss on predictions of shape {_shape_text(p.shape)}"):
            loss = answer(p, t)
        info = describe(loss)
        backward = attempt("calling backward() on your loss", lambda loss=loss: loss.backward())
        results.append({"loss": info, "backward": step_failed(backward), "grad": describe(p.grad)})
    return results


def probe_linear(answer, inputs):
    import autograd_course as ac

    layouts = []
    for n_in, n_out in inputs["layouts"]:
        ac.manual_seed(0)
        with during(f"creating MyLinear({n_in}, {n_out})"):
            module = answer(n_in, n_out)
        named = attempt("listing named_parameters()", lambda m=module: list(m.named_parameters()))
        params = [
            {
                "name": str(name),
                "shape": [int(n) for n in p.shape],
                "requires_grad": bool(p.requires_grad),
                "values": describe(p.detach()),
            }
            for name, p in named.get("value", [])
        ]
        layouts.append({"params": params, "error": step_failed(named)})
    ac.manual_seed(0)
    module = answer(3, 2)

    def run():
        with ac.no_grad():
            module.weight.copy_(ac.tensor(inputs["weight"]))
            module.bias.copy_(ac.tensor(inputs["bias"]))
        out = module(ac.tensor(inputs["x"]))
        (out * ac.tensor(inputs["c"])).sum().backward()
        return {
            "out": describe(out),
            "w_grad": describe(module.weight.grad),
            "b_grad": describe(module.bias.grad),
        }

    forward = attempt("setting weight and bias, then calling forward and backward", run)
    return {"layouts": layouts, "forward": forward}


def probe_step(answer, inputs):
    import autograd_course as ac

    w0, b0, lr = inputs["w0"], inputs["b0"], inputs["lr"]

    class HandLinear:
        def __init__(self):
            self.w = ac.tensor([w0], requires_grad=True)
            self.b = ac.tensor([b0], requires_grad=True)

        def __call__(self, x):
            return x * self.w + self.b

    model = HandLinear()
    w_start, b_start = model.w, model.b  # in place means these stay the model's parameters
    x, y = ac.tensor(inputs["x"]), ac.tensor(inputs["y"])
    steps = []
    for number in range(3):
        activity = f"calling step(model, X, y, lr={lr}) (call {number + 1})"
        if number == 0:  # a stub's NotImplementedError ends the probe: "not implemented yet"
            with during(activity):
                result = {"value": describe(answer(model, x, y, lr))}
        else:
            result = attempt(activity, lambda: describe(answer(model, x, y, lr)))
        if step_failed(result):
            steps.append({"error": step_failed(result)})
            break
        steps.append(
            {
                "loss": result["value"],
                "w": describe(model.w),
                "b": describe(model.b),
                "same": {"w": model.w is w_start, "b": model.b is b_start},
            }
        )
    return steps


def probe_train(answer, inputs):
    import autograd_course as ac
    from autograd_course import nn

    lr, epochs = inputs["lr"], inputs["epochs"]
    model = nn.Linear(1, 1)
    with ac.no_grad():
        model.weight.fill_(inputs["w0"])
        model.bias.fill_(inputs["b0"])
    with during(f"calling train(model, X, y, lr={lr}, epochs={epochs})"):
        losses = answer(model, ac.tensor(inputs["x"]), ac.tensor(inputs["y"]), lr, epochs)
    return {
        "losses": describe(losses),
        "w": describe(model.weight),
        "b": describe(model.bias),
    }


def probe_lr(answer, inputs):
    results = []
    for xs in inputs:
        with during(f"calling largest_stable_lr({xs})"):
            results.append(describe(answer(list(xs))))
    return results


PROBES = {
    "mse": probe_mse,
    "linear-module": probe_linear,
    "step": probe_step,
    "train-loop": probe_train,
    "learning-rate": probe_lr,
}
