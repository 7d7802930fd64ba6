"""Exercise 01, scalar gradients: how each answer is called in the student's kernel."""

from __future__ import annotations

from .runtime import describe, during

#: The functions the answers differentiate, by the name the grader's inputs use.
FUNCTIONS = {
    "cubic_ab": lambda a, b: a**3 * b - 2 * b**2 + 3 * a,
    "sin_exp": lambda a, b: (a * b).sin() + b.exp(),
    "ratio": lambda a, b: a / b + a * a,
    "square": lambda x: x**2,
    "cubic": lambda x: x**3 - x,
    "double_square": lambda x: 2 * x**2,
    "times_sum": lambda x: x * x.sum(),
    "quartic": lambda t: t**4 - 3 * t**2,
    "x_sin": lambda t: t * t.sin(),
}


class Watched:
    """A function as the answer sees it: counts its calls and how many of them got an input
    that requires grad (autograd's way), so the grader can tell autograd from finite
    differences."""

    def __init__(self, function):
        self.function, self.calls, self.tracked = function, 0, 0

    def __call__(self, *args):
        self.calls += 1
        if any(bool(getattr(arg, "requires_grad", False)) for arg in args):
            self.tracked += 1
        return self.function(*args)


def _watched(answer, name, *args):
    """Call ``answer(f, *args)`` with the named function watched; value and call counts."""
    f = Watched(FUNCTIONS[name])
    value = describe(answer(f, *args))
    return {"value": value, "calls": f.calls, "tracked": f.tracked}


def probe_hand(answer, inputs):
    results = []
    for a, b in inputs:
        with during(f"calling df_by_hand({a:g}, {b:g})"):
            results.append(describe(answer(a, b)))
    return results


def probe_autograd(answer, inputs):
    results = []
    for case in inputs:
        a, b = case["a"], case["b"]
        with during(f"calling gradient_with_autograd(f, {a:g}, {b:g}) for {case['text']}"):
            results.append(_watched(answer, case["function"], a, b))
    return results


def probe_slopes(answer, inputs):
    results = []
    for case in inputs:
        xs = list(case["xs"])
        with during(f"calling slopes(f, {xs}) for f(x) = {case['text']}"):
            results.append(_watched(answer, case["function"], xs))
    return results


def probe_vjp(answer, inputs):
    results = []
    for case in inputs:
        x, v = list(case["x"]), list(case["v"])
        with during(f"calling vector_jacobian_product(f, {x}, {v}) for {case['text']}"):
            results.append(_watched(answer, case["function"], x, v))
    return results


def probe_second(answer, inputs):
    results = []
    for case in inputs:
        x = case["x"]
        with during(f"calling second_derivative(f, {x:g}) for {case['text']}"):
            results.append(_watched(answer, case["function"], x))
    return results


PROBES = {
    "hand-derivative": probe_hand,
    "autograd-gradient": probe_autograd,
    "accumulation": probe_slopes,
    "vector-jacobian": probe_vjp,
    "second-derivative": probe_second,
}
