"""Exercise 01, scalar gradients: derive by hand, confirm with autograd, accumulation, the
gradient argument of backward (vector-Jacobian products), and a second derivative."""

from __future__ import annotations

import math

from .base import Fail, Task, as_number, as_numbers, describe, during, fmt

# -- hand-derivative: f(a, b) = a³·b − 2·b² + 3·a ------------------------------------------

_HAND_POINTS = [(5.0, 6.0), (1.5, -2.0), (-0.5, 0.25), (2.0, 0.0)]


def _f_partials(a: float, b: float) -> tuple[float, float]:
    """∂f/∂a and ∂f/∂b of f(a, b) = a³·b − 2·b² + 3·a, by hand."""
    return 3 * a * a * b + 3, a**3 - 4 * b


def _probe_hand(answer):
    results = []
    for a, b in _HAND_POINTS:
        with during(f"calling df_by_hand({a:g}, {b:g})"):
            results.append(describe(answer(a, b)))
    return results


def _verify_hand(raw):
    for (a, b), info in zip(_HAND_POINTS, raw, strict=True):
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
    return f"matches the exact partial derivatives at {len(_HAND_POINTS)} points"


# -- autograd-gradient: gradients of functions the student has never seen -------------------

_FUNCTIONS = [
    (
        "f(a, b) = a³·b − 2·b² + 3·a",
        lambda a, b: a**3 * b - 2 * b**2 + 3 * a,
        _f_partials,
        (1.5, -2.0),
    ),
    (
        "g(a, b) = sin(a·b) + exp(b)",
        lambda a, b: (a * b).sin() + b.exp(),
        lambda a, b: (b * math.cos(a * b), a * math.cos(a * b) + math.exp(b)),
        (0.5, -1.0),
    ),
    (
        "h(a, b) = a / b + a²",
        lambda a, b: a / b + a * a,
        lambda a, b: (1 / b + 2 * a, -a / (b * b)),
        (-1.5, 2.0),
    ),
]


def _probe_autograd(answer):
    results = []
    for text, function, _, (a, b) in _FUNCTIONS:
        with during(f"calling gradient_with_autograd(f, {a:g}, {b:g}) for {text}"):
            results.append(describe(answer(function, a, b)))
    return results


def _verify_autograd(raw):
    for (text, _, partials, (a, b)), info in zip(_FUNCTIONS, raw, strict=True):
        got = as_numbers(info, f"gradient_with_autograd for {text}", 2)
        want = partials(a, b)
        if not all(abs(g - w) <= 1e-4 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True)):
            raise Fail(
                f"for {text} at a={a:g}, b={b:g} you returned ({fmt(got[0])}, {fmt(got[1])}), "
                "which is not its gradient: make a and b tensors with requires_grad=True, call "
                "backward() on f(a, b) once, and read a.grad and b.grad"
            )
    return f"right for {len(_FUNCTIONS)} functions it had never seen"


# -- accumulation: fix slopes() so gradients do not pile up ---------------------------------

_SLOPE_CASES = [
    ("x²", lambda x: x**2, lambda x: 2 * x, [1.0, 2.0, 3.0]),
    ("x³ − x", lambda x: x**3 - x, lambda x: 3 * x * x - 1, [0.5, -1.0, 2.0, 1.0]),
]


def _probe_slopes(answer):
    results = []
    for text, function, _, xs in _SLOPE_CASES:
        with during(f"calling slopes(f, {xs}) for f(x) = {text}"):
            results.append(describe(answer(function, list(xs))))
    return results


def _verify_slopes(raw):
    for (text, _, slope, xs), info in zip(_SLOPE_CASES, raw, strict=True):
        got = as_numbers(info, f"slopes(f, {xs})", len(xs))
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

_VJP_CASES = [
    ("f(x) = 2·x²", lambda x: 2 * x**2, [1.0, 2.0, 3.0], [1.0, 1.0, 1.0]),
    ("f(x) = 2·x²", lambda x: 2 * x**2, [1.0, -2.0, 0.5], [0.5, -1.0, 2.0]),
    ("f(x) = x·sum(x)", lambda x: x * x.sum(), [1.0, 2.0, 3.0], [1.0, 0.5, -1.0]),
]


def _vjp_reference(index: int, x: list[float], v: list[float]) -> list[float]:
    """Jᵀv of each case, by hand."""
    if index < 2:  # f_i = 2 x_i², J = diag(4 x)
        return [4 * xi * vi for xi, vi in zip(x, v, strict=True)]
    total, dot = sum(x), sum(xi * vi for xi, vi in zip(x, v, strict=True))
    return [total * vi + dot for vi in v]  # f_i = x_i·S, J_ij = S·δ_ij + x_i


def _probe_vjp(answer):
    results = []
    for text, function, x, v in _VJP_CASES:
        with during(f"calling vector_jacobian_product(f, {x}, {v}) for {text}"):
            results.append(describe(answer(function, list(x), list(v))))
    return results


def _verify_vjp(raw):
    for index, ((text, _, x, v), info) in enumerate(zip(_VJP_CASES, raw, strict=True)):
        got = as_numbers(info, f"vector_jacobian_product for {text}", len(x))
        want = _vjp_reference(index, x, v)
        if all(abs(g - w) <= 1e-4 * max(1.0, abs(w)) for g, w in zip(got, want, strict=True)):
            continue
        hint = "pass v as the gradient argument of backward()"
        if index == 1 and abs(got[0] - 4 * x[0]) < 1e-4 and abs(got[1] - 4 * x[1]) < 1e-4:
            hint = "the result ignores v: " + hint
        raise Fail(f"for {text} at x = {x}, v = {v} you returned {fmt(got)}: {hint}")
    return f"right for {len(_VJP_CASES)} (f, x, v) combinations"


# -- second-derivative: autograd.grad with create_graph=True ---------------------------------

_SECOND_CASES = [
    ("f(x) = x⁴ − 3·x²", lambda t: t**4 - 3 * t**2, lambda x: 12 * x * x - 6, [1.5, -0.5, 2.0]),
    (
        "f(x) = x·sin(x)",
        lambda t: t * t.sin(),
        lambda x: 2 * math.cos(x) - x * math.sin(x),
        [0.3, 2.0],
    ),
]


def _probe_second(answer):
    results = []
    for text, function, _, xs in _SECOND_CASES:
        for x in xs:
            with during(f"calling second_derivative(f, {x:g}) for {text}"):
                results.append(describe(answer(function, x)))
    return results


def _verify_second(raw):
    values = iter(raw)
    for text, _, second, xs in _SECOND_CASES:
        for x in xs:
            got = as_number(next(values), f"second_derivative(f, {x:g})")
            want = second(x)
            if abs(got - want) > 1e-3 * max(1.0, abs(want)):
                raise Fail(
                    f"for {text} at x={x:g} you returned {fmt(got)}, not f''(x): take the first "
                    "derivative with create_graph=True, then differentiate that again"
                )
    return "right for 5 (function, point) pairs"


TASKS = [
    Task(
        "hand-derivative",
        2,
        "df_by_hand",
        "derive ∂f/∂a and ∂f/∂b of a³·b − 2·b² + 3·a by hand",
        _probe_hand,
        _verify_hand,
    ),
    Task(
        "autograd-gradient",
        2,
        "gradient_with_autograd",
        "compute the gradient of any f(a, b) with autograd",
        _probe_autograd,
        _verify_autograd,
    ),
    Task(
        "accumulation",
        2,
        "slopes",
        "fix slopes() so gradients do not accumulate",
        _probe_slopes,
        _verify_slopes,
    ),
    Task(
        "vector-jacobian",
        2,
        "vector_jacobian_product",
        "weight a vector output's gradient with backward(gradient=v)",
        _probe_vjp,
        _verify_vjp,
    ),
    Task(
        "second-derivative",
        2,
        "second_derivative",
        "compute f''(x) with autograd.grad(create_graph=True)",
        _probe_second,
        _verify_second,
    ),
]
