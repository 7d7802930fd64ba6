"""Exercise 05, inside the engine: one backward rule, the topological order of a graph, a
backward pass by hand that sums gradients at fan-out, and a custom Function with two inputs.

Graphs are described to the kernel as a plan: ``leaves`` (the values of leaf tensors) and
``ops`` (``[name, i, j]``: value number i and j are earlier leaves or results; the last op is a
``sum``). The references below rebuild the same graph with NumPy, so the probe only reports
which planned value each node the answer returned belongs to.
"""

from __future__ import annotations

import numpy as np

from ..probes.runtime import step_failed
from .base import Fail, Task, as_array, close, fmt, kind_name, pick, picks

#: Unary and binary operations a plan may use (the probe builds them with the same names).
_UNARY = ("sin", "tanh", "square")
_BINARY = ("add", "mul", "sub")
#: Length of the chain in the topological-order check: deeper than Python's recursion limit.
CHAIN = 3000


# -- plans and their NumPy references ---------------------------------------------------------


def _random_plan(rng, leaves: int, ops: int) -> dict:
    """A random graph over ``leaves`` leaves in which one value is used twice (fan-out) and
    every leaf reaches the output."""
    while True:
        plan = {"leaves": [picks(rng, 3, -1.5, 1.5, 0.05) for _ in range(leaves)], "ops": []}
        for k in range(ops):
            count = leaves + k
            if rng.random() < 0.35:
                plan["ops"].append([rng.choice(_UNARY), rng.randrange(count)])
            else:
                i, j = rng.randrange(count), rng.randrange(max(0, count - 3), count)
                plan["ops"].append([rng.choice(_BINARY), i, j])
        plan["ops"].append(["sum", leaves + ops - 1])
        uses = _uses(plan)
        reached = _reachable(plan)
        if any(u > 1 for u in uses) and all(i in reached for i in range(leaves)):
            return plan


def _fan_out_plan(rng) -> dict:
    """b = a + a, c = b · b, output sum(c): a reaches b twice and b reaches c twice."""
    return {
        "leaves": [picks(rng, 3, -1.5, 1.5, 0.05, [0.0])],
        "ops": [["add", 0, 0], ["mul", 1, 1], ["sum", 2]],
    }


def _chain_plan(rng) -> dict:
    """A chain of ``CHAIN`` operations on one leaf."""
    ops = [[rng.choice(("sin", "tanh")), k] for k in range(CHAIN)]
    return {"leaves": [picks(rng, 3, -1, 1, 0.05)], "ops": ops + [["sum", CHAIN]]}


def _operands(plan: dict) -> list[list[int]]:
    """For every value (leaves first, then ops), the values it was computed from."""
    return [[] for _ in plan["leaves"]] + [list(op[1:]) for op in plan["ops"]]


def _uses(plan: dict) -> list[int]:
    """How many graph edges lead into each value."""
    counts = [0] * (len(plan["leaves"]) + len(plan["ops"]))
    for operands in _operands(plan):
        for i in operands:
            counts[i] += 1
    return counts


def _reachable(plan: dict) -> set[int]:
    """The values the output depends on (the output included)."""
    operands = _operands(plan)
    stack, seen = [len(operands) - 1], set()
    while stack:
        value = stack.pop()
        if value not in seen:
            seen.add(value)
            stack.extend(operands[value])
    return seen


#: NumPy forward of each planned operation (y is None for the unary ones).
_FORWARD = {
    "sin": lambda x, y: np.sin(x),
    "tanh": lambda x, y: np.tanh(x),
    "square": lambda x, y: x * x,
    "add": lambda x, y: x + y,
    "mul": lambda x, y: x * y,
    "sub": lambda x, y: x - y,
    "sum": lambda x, y: np.sum(x),
}


def _gradients(plan: dict) -> list[np.ndarray]:
    """d(output)/d(leaf) for every leaf, by the chain rule in NumPy (float64)."""
    values = [np.array(v, dtype=float) for v in plan["leaves"]]
    for name, *args in plan["ops"]:
        x = values[args[0]]
        y = values[args[1]] if len(args) > 1 else None
        values.append(_FORWARD[name](x, y))
    grads = [np.zeros_like(v) for v in values]
    grads[-1] = np.ones_like(values[-1])
    leaves = len(plan["leaves"])
    for k in range(len(plan["ops"]) - 1, -1, -1):  # plan order is a topological order
        name, *args = plan["ops"][k]
        g, x = grads[leaves + k], values[args[0]]
        if name == "sum":
            grads[args[0]] = grads[args[0]] + g * np.ones_like(x)
        elif name in _UNARY:
            local = {"sin": np.cos(x), "tanh": 1 - np.tanh(x) ** 2, "square": 2 * x}[name]
            grads[args[0]] = grads[args[0]] + g * local
        else:
            y = values[args[1]]
            da, db = {"add": (g, g), "sub": (g, -g), "mul": (g * y, g * x)}[name]
            grads[args[0]] = grads[args[0]] + da
            grads[args[1]] = grads[args[1]] + db
    return grads[:leaves]


# -- backward-rule ----------------------------------------------------------------------------


def _inputs_rule(rng):
    return [
        {
            "a": picks(rng, 3, -2, 2, 0.25, [0.0]),
            "b": [pick(rng, 0.5, 2, 0.25) * rng.choice((-1, 1)) for _ in range(3)],
            "grad": picks(rng, 3, -2, 2, 0.25, [0.0, 1.0]),
        }
        for _ in range(2)
    ]


def _verify_rule(raw, inputs):
    for case, info in zip(inputs, raw, strict=True):
        a, b, g = (np.array(case[key]) for key in ("a", "b", "grad"))
        if not isinstance(info, dict) or info.get("kind") != "sequence" or info.get("length") != 2:
            raise Fail(f"div_backward should return a pair (grad_a, grad_b), not {kind_name(info)}")
        got_a = as_array(info["items"][0], "grad_a", a.shape)
        got_b = as_array(info["items"][1], "grad_b", b.shape)
        want_a, want_b = g / b, -g * a / b**2
        if not close(got_a, want_a):
            if close(got_a, 1 / b):
                raise Fail("grad_a ignores grad_output: multiply the local derivative 1/b by it")
            raise Fail(
                f"for a = {fmt(a)}, b = {fmt(b)} your grad_a is {fmt(got_a)}: d(a/b)/da = 1/b, "
                "times grad_output"
            )
        if not close(got_b, want_b):
            if close(got_b, -want_b):
                raise Fail("grad_b has the wrong sign: d(a/b)/db = −a/b²")
            if close(got_b, -a / b**2):
                raise Fail("grad_b ignores grad_output: multiply −a/b² by it")
            raise Fail(
                f"for a = {fmt(a)}, b = {fmt(b)} your grad_b is {fmt(got_b)}: differentiate "
                "a·b⁻¹ with respect to b, then multiply by grad_output"
            )
    return "both gradients right, grad_output included"


# -- topological-order ------------------------------------------------------------------------


def _inputs_order(rng):
    return [_random_plan(rng, 2, 6), _fan_out_plan(rng), _chain_plan(rng)]


def _verify_order(raw, inputs):
    for number, (plan, result) in enumerate(zip(inputs, raw, strict=True)):
        if step_failed(result):
            message = step_failed(result)
            if "recursion" in message.lower():
                raise Fail(
                    f"{message}: a chain of {CHAIN} operations is deeper than Python's "
                    "recursion limit; walk the graph with a stack or queue instead"
                )
            raise Fail(message)
        labels = result["value"]
        what = "the graph with fan-out" if number == 1 else f"graph {number + 1}"
        if number == 2:
            what = f"a chain of {CHAIN} operations"
        if not isinstance(labels, list):
            raise Fail(f"topological_order should return a list of nodes, not {labels}")
        if any(label is None for label in labels):
            raise Fail(
                f"for {what} the list holds something that is not a node of the graph: return "
                "grad_fn objects and the nodes found through next_functions"
            )
        reached, operands = _reachable(plan), _operands(plan)
        if len(labels) != len(set(labels)):
            raise Fail(f"for {what} a node appears more than once: visit each node once")
        missing = reached - set(labels)
        if missing:
            leaves = len(plan["leaves"])
            kind = "leaf AccumulateGrad" if min(missing) < leaves else "operation"
            raise Fail(
                f"for {what} {len(missing)} node(s) are missing (a {kind} node among them): "
                "follow next_functions all the way to the leaves' AccumulateGrad nodes"
            )
        position = {label: i for i, label in enumerate(labels)}
        for value in reached:
            for operand in operands[value]:
                if position[operand] < position[value]:
                    raise Fail(
                        f"for {what} a node comes before a node that sends it gradient: a "
                        "node may run only once all its gradient has arrived (count the edges "
                        "into each node first, as the engine's _count_dependencies does)"
                    )
    return "every node once, each after all the nodes that feed it, even 3000 deep"


# -- fan-out ----------------------------------------------------------------------------------


def _inputs_fan_out(rng):
    return [_fan_out_plan(rng), _random_plan(rng, 2, 6), _random_plan(rng, 3, 7)]


def _verify_fan_out(raw, inputs):
    for number, (plan, result) in enumerate(zip(inputs, raw, strict=True)):
        if result["engine"]:
            raise Fail(
                "leaf_gradients called the engine (backward() or autograd.grad): walk the "
                "nodes yourself and call each one on its gradient"
            )
        if step_failed(result):
            raise Fail(step_failed(result))
        info = result["value"]
        count = len(plan["leaves"])
        if not isinstance(info, dict) or info.get("kind") != "sequence":
            raise Fail(
                f"leaf_gradients should return a list of {count} gradients, not {kind_name(info)}"
            )
        if info.get("length") != count:
            raise Fail(
                f"leaf_gradients should return {count} gradients (one per leaf), got {info.get('length')}"
            )
        want = _gradients(plan)
        for k, (item, w) in enumerate(zip(info["items"], want, strict=True)):
            got = as_array(item, f"the gradient of leaf {k}", w.shape)
            if close(got, w):
                continue
            if number == 0:
                raise Fail(
                    "for b = a + a, c = b·b the gradient of a is not 8·a: a gradient that "
                    "reaches a node along several paths must be added up, not overwritten"
                )
            raise Fail(
                f"in graph {number + 1} the gradient of leaf {k} is {fmt(got)}: give each node "
                "the sum of all the gradients sent to it before calling it"
            )
    return "gradients summed at fan-out, right for every leaf, without backward()"


# -- custom-function --------------------------------------------------------------------------


def _inputs_hypot(rng):
    def nonzero(count):
        return [pick(rng, 0.3, 3, 0.1) * rng.choice((-1, 1)) for _ in range(count)]

    return {"a": nonzero(4), "b": nonzero(4), "v": picks(rng, 4, -2, 2, 0.25, [0.0, 1.0])}


def _verify_hypot(raw, inputs):
    a, b, v = (np.array(inputs[key]) for key in ("a", "b", "v"))
    r = np.hypot(a, b)
    out = as_array(raw["out"], "Hypot.apply(a, b)", a.shape)
    if not close(out, r):
        raise Fail("forward should return sqrt(a² + b²) elementwise")
    if raw["out"].get("grad_fn") is None:
        raise Fail("the output has no grad_fn: call Hypot.apply(a, b) and return a tensor")
    if raw["backward"]:
        raise Fail(raw["backward"])
    grad_a = as_array(raw["grad_a"], "a.grad", a.shape)
    grad_b = as_array(raw["grad_b"], "b.grad", b.shape)
    if close(grad_a, v * b / r) and close(grad_b, v * a / r):
        raise Fail("the two gradients are swapped: backward returns (grad for a, grad for b)")
    if close(grad_a, a / r) and close(grad_b, b / r):
        raise Fail("backward ignores grad_output: multiply each local derivative by it")
    if not (close(grad_a, v * a / r) and close(grad_b, v * b / r)):
        raise Fail("backward should return grad_output · a/r and grad_output · b/r, r = √(a²+b²)")
    if raw["gradcheck"]:
        raise Fail(f"gradcheck failed ({raw['gradcheck']})")
    return "forward and both gradients right; gradcheck passes"


TASKS = [
    Task(
        "backward-rule",
        2,
        "div_backward",
        "the backward rule of a / b",
        _inputs_rule,
        _verify_rule,
    ),
    Task(
        "topological-order",
        3,
        "topological_order",
        "the order in which the backward pass visits the nodes",
        _inputs_order,
        _verify_order,
    ),
    Task(
        "fan-out",
        3,
        "leaf_gradients",
        "a backward pass by hand that sums gradients at fan-out",
        _inputs_fan_out,
        _verify_fan_out,
    ),
    Task(
        "custom-function",
        3,
        "Hypot",
        "a custom autograd.Function with two inputs that passes gradcheck",
        _inputs_hypot,
        _verify_hypot,
    ),
]
