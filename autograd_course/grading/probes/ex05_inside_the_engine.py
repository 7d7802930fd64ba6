"""Exercise 05, inside the engine: how each answer is called in the student's kernel."""

from __future__ import annotations

from .runtime import attempt, describe, during, short, step_failed


def build(plan):
    """The tensors of a plan (leaves first, then one per op) and, for every graph node, the
    number of the planned value it stands for (keyed by the node's id; the tensors keep the
    nodes alive)."""
    import autograd_course as ac

    values = [ac.tensor(v, dtype=ac.float64, requires_grad=True) for v in plan["leaves"]]
    unary = {"sin": lambda x: x.sin(), "tanh": lambda x: x.tanh(), "square": lambda x: x**2}
    binary = {"add": lambda x, y: x + y, "mul": lambda x, y: x * y, "sub": lambda x, y: x - y}
    for name, *args in plan["ops"]:
        if name == "sum":
            values.append(values[args[0]].sum())
        elif name in unary:
            values.append(unary[name](values[args[0]]))
        else:
            values.append(binary[name](values[args[0]], values[args[1]]))
    labels = {}
    leaves = len(plan["leaves"])
    for k, (_, *args) in enumerate(plan["ops"]):
        node = values[leaves + k].grad_fn
        labels[id(node)] = leaves + k
        for (child, _), operand in zip(node.next_functions, args):
            if operand < leaves:
                labels[id(child)] = operand
    return values, labels


def probe_rule(answer, inputs):
    import autograd_course as ac

    results = []
    for case in inputs:
        a, b, g = (ac.tensor(case[key], dtype=ac.float64) for key in ("a", "b", "grad"))
        with during("calling div_backward(grad_output, a, b)"):
            results.append(describe(answer(g, a, b)))
    return results


def probe_order(answer, inputs):
    results = []
    for number, plan in enumerate(inputs):
        values, labels = build(plan)
        activity = f"calling topological_order(output) on graph {number + 1}"

        def run(values=values, labels=labels):
            order = answer(values[-1])
            return [labels.get(id(node)) for node in list(order)[: len(labels) + 10]]

        if number == 0:  # a stub's NotImplementedError ends the probe: "not implemented yet"
            with during(activity):
                results.append({"value": run()})
        else:
            results.append(attempt(activity, run))
    return results


class _Spy:
    """Stands in for the engine's backward walk while an answer runs, and notes each use."""

    def __init__(self, original):
        self.original, self.calls = original, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.original(*args, **kwargs)


def probe_fan_out(answer, inputs):
    from autograd_course.autograd import engine

    results = []
    for number, plan in enumerate(inputs):
        values, _ = build(plan)
        output, leaves = values[-1], values[: len(plan["leaves"])]
        activity = f"calling leaf_gradients(output, leaves) on graph {number + 1}"
        spy = _Spy(engine._execute)
        engine._execute = spy  # backward() and autograd.grad both run through it
        try:
            if number == 0:  # a stub's NotImplementedError ends the probe
                with during(activity):
                    step = {"value": describe(answer(output, list(leaves)))}
            else:
                step = attempt(activity, lambda o=output, f=leaves: describe(answer(o, list(f))))
        finally:
            engine._execute = spy.original
        results.append({**step, "engine": spy.calls > 0})
    return results


def probe_hypot(answer, inputs):
    import autograd_course as ac

    a = ac.tensor(inputs["a"], dtype=ac.float64, requires_grad=True)
    b = ac.tensor(inputs["b"], dtype=ac.float64, requires_grad=True)
    with during("calling Hypot.apply(a, b)"):
        out = answer.apply(a, b)
    backward = attempt(
        "calling backward(gradient=v) through your Hypot",
        lambda: out.backward(gradient=ac.tensor(inputs["v"], dtype=ac.float64)),
    )
    fresh = [ac.tensor(inputs[key], dtype=ac.float64, requires_grad=True) for key in ("b", "a")]
    check = attempt(
        "running gradcheck on Hypot.apply", ac.autograd.gradcheck, answer.apply, tuple(fresh)
    )
    failed = step_failed(check)
    if failed is None and check.get("value") is not True:
        failed = f"gradcheck returned {short(repr(check.get('value')))}"
    return {
        "out": describe(out),
        "backward": step_failed(backward),
        "grad_a": describe(a.grad),
        "grad_b": describe(b.grad),
        "gradcheck": failed,
    }


PROBES = {
    "backward-rule": probe_rule,
    "topological-order": probe_order,
    "fan-out": probe_fan_out,
    "custom-function": probe_hypot,
}
