"""Exercise 03, binary classifier: how each answer is called in the student's kernel."""

from __future__ import annotations

from .runtime import attempt, describe, during, node_names, step_failed


def probe_bce(answer, inputs):
    import autograd_course as ac

    results = []
    for case in inputs:
        z = ac.tensor(case["logits"], requires_grad=True)
        with during(f"calling bce_with_logits on {case['text']}"):
            loss = answer(z, ac.tensor(case["targets"]))
        backward = attempt("calling backward() on your loss", lambda loss=loss: loss.backward())
        results.append(
            {
                "loss": describe(loss),
                "backward": step_failed(backward),
                "grad": describe(z.grad),
                "nodes": node_names(loss),
            }
        )
    return results


def probe_sigmoid(answer, inputs):
    import autograd_course as ac

    x = ac.tensor(inputs["x"], dtype=ac.float64, requires_grad=True)
    with during("calling Sigmoid.apply(x)"):
        y = answer.apply(x)
    backward = attempt(
        "calling backward(gradient=v) through your Sigmoid",
        lambda: y.backward(gradient=ac.tensor(inputs["v"], dtype=ac.float64)),
    )
    extreme = inputs["extreme"]
    extreme_step = attempt(
        f"calling Sigmoid.apply on x = {extreme}",
        lambda: describe(answer.apply(ac.tensor(extreme, dtype=ac.float64))),
    )
    probe_x = ac.tensor(inputs["gradcheck_x"], dtype=ac.float64, requires_grad=True)
    check = attempt(
        "running gradcheck on Sigmoid.apply", ac.autograd.gradcheck, answer.apply, (probe_x,)
    )
    return {
        "y": describe(y),
        "backward": step_failed(backward),
        "grad": describe(x.grad),
        "extreme": extreme_step,
        "gradcheck": step_failed(check),
    }


def probe_accuracy(answer, inputs):
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
    for case in inputs:
        labels = case["labels"]
        model = Recorder(case["probabilities"])
        X = ac.zeros(len(labels), 2)
        with during(f"calling accuracy(model, X, y) on {len(labels)} points"):
            value = answer(model, X, ac.tensor(labels))
        results.append({"value": describe(value), "grad_modes": model.grad_modes})
    return results


def probe_epoch(answer, inputs):
    import autograd_course as ac
    from autograd_course import nn, optim

    batch = inputs["batch"]
    model = nn.Linear(2, 1)
    with ac.no_grad():
        model.weight.copy_(ac.tensor(inputs["w"]))
        model.bias.copy_(ac.tensor(inputs["b"]))
    optimizer = optim.SGD(model.parameters(), lr=inputs["lr"])
    loss_fn = nn.BCEWithLogitsLoss()
    X, y = ac.tensor(inputs["x"]), ac.tensor(inputs["y"])
    epochs = []
    for number in range(2):
        with during(f"calling train_epoch(..., batch_size={batch}) (epoch {number + 1})"):
            value = answer(model, loss_fn, optimizer, X, y, batch)
        epochs.append(
            {"loss": describe(value), "w": describe(model.weight), "b": describe(model.bias)}
        )
    return epochs


PROBES = {
    "bce-with-logits": probe_bce,
    "sigmoid-function": probe_sigmoid,
    "accuracy": probe_accuracy,
    "train-epoch": probe_epoch,
}
