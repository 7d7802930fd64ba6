"""Exercise 01, scalar gradients: derive by hand, confirm with autograd, accumulation, the
gradient argument of backward (vector-Jacobian products), and a second derivative."""

from __future__ import annotations

import math

from .base import Fail, Task, as_number, as_numbers, fmt, pick, picks

# -- hand-derivative: f(a, b) = a³·b − 2·b² + 3·a ------------------------------------------


def _f_partials(a: float, b: float) -> tuple[float, float]:
    """∂f/∂a and ∂f/∂b of f(a, b) = a³·b − 2·b² + 3·a, by hand."""
    return 3 * a * a * b + 3, a**3 - 4 * b


def _inputs_hand(rng):
    return [[pick(rng, -3, 3), pick(rng, -3, 3)] for _ in range(4)]


def _verify_hand(raw, inputs):
    for (a, b), info in zip(inputs, raw, strict=True):
        got = as_numbers(info, f"df_by_hand({a:g}, {b:g})", 2)
        da, db = _f_partials(a, b)
        if abs(got[0] - da) > 1e-6 * max(1.0, abs(da)):
            raise Fail(
                f"at a={a:g}, b={b:g} your ∂f/∂a is {fmt(got[0])}, which is not right: treat b "
                "as a constant and differentiate each term of a³·b − 2·b² + 3·a with respect to a"
            )
        if abs(got[1] - db) > 1e-6 * max(1.0, abs(db)):
            raise Fail(
                f"at a={a:g}, b={b:g} your ∂f/∂b is {fmt(got[1])}, which is not right: treat a "
                "as a constant and differentiate each term with respect to b"
            )
    return f"matches the exact partial derivatives at {len(inputs)} points"


# -- how f was used: autograd, not finite differences ----------------------------------------


def _used_autograd(result, what: str, most: int) -> dict:
    """The described value of a watched call, after checking that f ran at most ``most`` times
    and at least once on an input that requires grad (Fail otherwise)."""
    calls, tracked = int(result["calls"]), int(result["tracked"])
    if calls and not tracked:
        raise Fail(
            f"{what} called f {calls} time(s), never on a tensor that requires grad, so "
            "autograd recorded nothing: this task asks for autograd, not finite differences "
            "(make the inputs tensors with requires_grad=True and call backward())"
        )
    if calls > most:
        needed = "one call and one backward()" if most == 1 else f"{most} calls, one per point"
        raise Fail(
            f"{what} called f {calls} times, where autograd needs {needed}: finite "
            "differences do not count here, use backward()"
        )
    return result["value"]


# -- autograd-gradient: gradients of functions the student has never seen -------------------

#: name -> (text, partial derivatives, range of a, range of b)
_FUNCTIONS = {
    "cubic_ab": ("f(a, b) = a³·b − 2·b² + 3·a", _f_partials, (-2, 2), (-2, 2)),
    "sin_exp": (
        "g(a, b) = sin(a·b) + exp(b)",
        lambda a, b: (b * math.cos(a * b), a * math.cos(a * b) + math.exp(b)),
        (-1.5, 1.5),
        (-1.5, 1.5),
    ),
    "ratio": (
        "h(a, b) = a / b + a²",
        lambda a, b: (1 / b + 2 * a, -a / (b * b)),
        (-2, 2),
        (0.5, 2.5),
    ),
}


def _inputs_autograd(rng):
    cases = []
    for name, (text, _, a_range, b_range) in _FUNCTIONS.items():
        b = pick(rng, *b_range) * (rng.choice((-1, 1)) if name == "ratio" else 1)
        cases.append({"function": name, "text": text, "a": pick(rng, *a_range), "b": b})
    return cases


def _verify_autograd(raw, inputs):
    for case, info in zip(inputs, raw, strict=True):
        text, partials = _FUNCTIONS[case["function"]][:2]
        a, b = case["a"], case["b"]
        what = f"gradient_with_autograd for {text}"
        got = as_numbers(_used_autograd(info, what, 1), what, 2)
        want = partials(a, b)
        if not all(abs(g - w) <= 1e-4 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True)):
            raise Fail(
                f"for {text} at a={a:g}, b={b:g} you returned ({fmt(got[0])}, {fmt(got[1])}), "
                "which is not its gradient: make a and b tensors with requires_grad=True, call "
                "backward() on f(a, b) once, and read a.grad and b.grad"
            )
    return f"right for {len(inputs)} functions it had never seen"


# -- accumulation: fix slopes() so gradients do not pile up ---------------------------------

#: name -> (text, slope, number of points, points to stay away from: slope 0)
_SLOPE_CASES = {
    "square": ("x²", lambda x: 2 * x, 3, [0.0]),
    "cubic": ("x³ − x", lambda x: 3 * x * x - 1, 4, [-0.5, 0.5]),
}


def _inputs_slopes(rng):
    return [
        {"function": name, "text": text, "xs": picks(rng, count, -3, 3, 0.25, avoid)}
        for name, (text, _, count, avoid) in _SLOPE_CASES.items()
    ]


def _verify_slopes(raw, inputs):
    for case, info in zip(inputs, raw, strict=True):
        text, slope = _SLOPE_CASES[case["function"]][:2]
        xs = case["xs"]
        what = f"slopes(f, {xs})"
        got = as_numbers(_used_autograd(info, what, len(xs)), what, len(xs))
        want = [slope(x) for x in xs]
        if all(abs(g - w) <= 1e-4 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True)):
            continue
        running = [sum(want[: i + 1]) for i in range(len(want))]
        if all(abs(g - r) <= 1e-4 * max(1.0, abs(r)) for g, r in zip(got, running, strict=True)):
            raise Fail(
                f"for f(x) = {text} each value is the sum of all slopes so far: backward() adds "
                "into x.grad, so clear the gradient before each new backward()"
            )
        raise Fail(
            f"for f(x) = {text} at xs = {xs} you returned {fmt(got)}, which are not the slopes "
            "f'(x): call backward() on f(x) and read x.grad for each x"
        )
    return "each slope is right, none accumulated"


# -- vector-jacobian: backward(gradient=v) ---------------------------------------------------


def _vjp_reference(function: str, x: list[float], v: list[float]) -> list[float]:
    """Jᵀv of each case, by hand."""
    if function == "double_square":  # f_i = 2 x_i², J = diag(4 x)
        return [4 * xi * vi for xi, vi in zip(x, v, strict=True)]
    total, dot = sum(x), sum(xi * vi for xi, vi in zip(x, v, strict=True))
    return [total * vi + dot for vi in v]  # f_i = x_i·S, J_ij = S·δ_ij + x_i


def _inputs_vjp(rng):
    cases = [("double_square", "f(x) = 2·x²")] * 2 + [("times_sum", "f(x) = x·sum(x)")]
    return [
        {
            "function": name,
            "text": text,
            "x": picks(rng, 3, -3, 3, 0.25, [0.0]),
            "v": picks(rng, 3, -2, 2, 0.25, [0.0, 1.0]),
        }
        for name, text in cases
    ]


def _verify_vjp(raw, inputs):
    for case, info in zip(inputs, raw, strict=True):
        text, x, v = case["text"], case["x"], case["v"]
        what = f"vector_jacobian_product for {text}"
        got = as_numbers(_used_autograd(info, what, 1), what, len(x))
        want = _vjp_reference(case["function"], x, v)
        if all(abs(g - w) <= 1e-4 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True)):
            continue
        hint = "pass v as the gradient argument of backward()"
        ignored = _vjp_reference(case["function"], x, [1.0] * len(x))  # as if v were all ones
        if all(abs(g - w) <= 1e-4 * max(1.0, abs(w)) for g, w in zip(got, ignored, strict=True)):
            hint = "the result ignores v: " + hint
        raise Fail(f"for {text} at x = {x}, v = {v} you returned {fmt(got)}: {hint}")
    return f"right for {len(inputs)} (f, x, v) combinations"


# -- second-derivative: autograd.grad with create_graph=True ---------------------------------

#: name -> (text, second derivative, number of points)
_SECOND_CASES = {
    "quartic": ("f(x) = x⁴ − 3·x²", lambda x: 12 * x * x - 6, 3),
    "x_sin": ("f(x) = x·sin(x)", lambda x: 2 * math.cos(x) - x * math.sin(x), 2),
}


def _inputs_second(rng):
    return [
        {"function": name, "text": text, "x": x}
        for name, (text, _, count) in _SECOND_CASES.items()
        for x in picks(rng, count, -2.5, 2.5, 0.1)
    ]


def _verify_second(raw, inputs):
    for case, info in zip(inputs, raw, strict=True):
        text, second = _SECOND_CASES[case["function"]][:2]
        x = case["x"]
        what = f"second_derivative(f, {x:g})"
        got = as_number(_used_autograd(info, what, 1), what)
        want = second(x)
        if abs(got - want) > 1e-3 * max(1.0, abs(want)):
            raise Fail(
                f"for {text} at x={x:g} you returned {fmt(got)}, not f''(x): take the first "
                "derivative with create_graph=True, then differentiate that again"
            )
    return f"right for {len(inputs)} (function, point) pairs"


TASKS = [
    Task(
        "hand-derivative",
        2,
        "df_by_hand",
        "derive ∂f/∂a and ∂f/∂b of a³·b − 2·b² + 3·a by hand",
        _inputs_hand,
        _verify_hand,
    ),
    Task(
        "autograd-gradient",
        2,
        "gradient_with_autograd",
        "compute the gradient of any f(a, b) with autograd",
        _inputs_autograd,
        _verify_autograd,
    ),
    Task(
        "accumulation",
        2,
        "slopes",
        "fix slopes() so gradients do not accumulate",
        _inputs_slopes,
        _verify_slopes,
    ),
    Task(
        "vector-jacobian",
        2,
        "vector_jacobian_product",
        "weight a vector output's gradient with backward(gradient=v)",
        _inputs_vjp,
        _verify_vjp,
    ),
    Task(
        "second-derivative",
        2,
        "second_derivative",
        "compute f''(x) with autograd.grad(create_graph=True)",
        _inputs_second,
        _verify_second,
    ),
]
