"""Safe parsing and evaluation of a formula, the plain logic behind ``demos.computational_graph``.

The text is parsed with ``ast`` and only a small grammar is accepted: numbers, input names,
``+ - * / **``, unary minus and calls of a few functions. Nothing is ever passed to ``eval``;
each node is turned into engine operations on float64 tensors that require grad, so the
graph, the forward values and the gradients are exactly what autograd records.
"""

from __future__ import annotations

import ast
import keyword
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import functions as F
from ..creation import tensor
from ..tensor import Tensor
from ..viz import Graph, draw_graph
from .common import DemoError, check_number

__all__ = ["FUNCTIONS", "Evaluation", "ExpressionError", "Parsed", "evaluate", "parse_expression"]

FUNCTIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "exp": F.exp,
    "log": F.log,
    "sin": F.sin,
    "cos": F.cos,
    "tanh": F.tanh,
    "sigmoid": F.sigmoid,
    "relu": F.relu,
    "sqrt": F.sqrt,
}
MAX_LENGTH = 200
MAX_INPUTS = 6
_BINARY = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
_ALLOWED = "numbers, input names, + - * / **, unary minus and the functions " + ", ".join(FUNCTIONS)


class ExpressionError(DemoError):
    """An expression the demo cannot use; its message says what to write instead."""


@dataclass(frozen=True)
class Parsed:
    """A checked expression: its text, its syntax tree and its input names (sorted)."""

    text: str
    tree: ast.Expression
    inputs: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    """The expression evaluated at given inputs: output, leaves, intermediates and the drawing."""

    output: Tensor
    leaves: dict[str, Tensor]
    intermediates: tuple[Tensor, ...]
    graph: Graph

    @property
    def value(self) -> float:
        """The output's value, f."""
        return float(self.output.item())

    @property
    def grads(self) -> dict[str, float]:
        """d output / d input for each input name (0.0 where the input does not matter)."""
        return {
            n: float(t.grad.item()) if t.grad is not None else 0.0 for n, t in self.leaves.items()
        }


def parse_expression(text: str) -> Parsed:
    """Check ``text`` against the demo's grammar; an ExpressionError says what is wrong."""
    if not isinstance(text, str):
        raise ExpressionError(f"The expression must be text, got {type(text).__name__}")
    text = text.strip()
    if not text:
        raise ExpressionError("Type an expression, e.g. a**3 - b**2")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"The expression is {len(text)} characters long; keep it under {MAX_LENGTH}"
        )
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        raise ExpressionError(_syntax_message(text, error)) from None
    names: set[str] = set()
    callees = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        _check_node(node, names, callees)
    if not names:
        raise ExpressionError(
            "The expression uses no input: write it in terms of names such as x or a, b"
        )
    if len(names) > MAX_INPUTS:
        raise ExpressionError(
            f"At most {MAX_INPUTS} inputs, got {len(names)}: {', '.join(sorted(names))}"
        )
    return Parsed(text, tree, tuple(sorted(names)))


def _syntax_message(text: str, error: SyntaxError) -> str:
    """A short, helpful message for text Python cannot parse."""
    where = f" at character {error.offset}" if error.offset else ""
    hint = ""
    if any(ch.isdigit() and nxt.isalpha() for ch, nxt in zip(text, text[1:])):
        hint = " (write products with *, e.g. 2*x)"
    return f"Cannot parse {text!r}: {error.msg}{where}{hint}"


def _check_node(node: ast.AST, names: set[str], callees: set[int]) -> None:
    """Accept one node of the grammar, collecting input names; reject anything else."""
    if (
        isinstance(node, (ast.Expression, ast.Load))
        or type(node) in _BINARY
        or type(node) in _UNARY
    ):
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            if isinstance(node.op, ast.BitXor):
                raise ExpressionError("Use ** for powers (^ is not a power in Python): x**2")
            raise ExpressionError(f"Operator not allowed; use {_ALLOWED}")
        return
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            raise ExpressionError(f"Operator not allowed; use {_ALLOWED}")
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"Only real numbers are allowed as constants, got {node.value!r}")
        if abs(node.value) > 1e300:
            raise ExpressionError("That number is too large; keep constants below 1e300")
        return
    if isinstance(node, ast.Call):
        func = node.func
        if not isinstance(func, ast.Name) or func.id not in FUNCTIONS:
            what = func.id if isinstance(func, ast.Name) else ast.unparse(func)
            raise ExpressionError(f"Unknown function {what}; available: {', '.join(FUNCTIONS)}")
        if len(node.args) != 1 or node.keywords or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{func.id}() takes exactly one argument, e.g. {func.id}(x)")
        return
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            if id(node) in callees:  # the Call branch checked it
                return
            raise ExpressionError(f"{node.id} is a function: call it, e.g. {node.id}(x)")
        if node.id.startswith("_") or keyword.iskeyword(node.id):
            raise ExpressionError(f"{node.id!r} cannot be an input name")
        names.add(node.id)
        return
    raise ExpressionError(f"Not allowed: {type(node).__name__}; use {_ALLOWED}")


def evaluate(parsed: Parsed, values: Mapping[str, float]) -> Evaluation:
    """Build the expression from float64 leaves that require grad, run backward, draw the graph."""
    missing = [n for n in parsed.inputs if n not in values]
    if missing:
        raise ExpressionError(f"No value for input(s) {', '.join(missing)}")
    leaves = {
        n: tensor(
            np.asarray(check_number(values[n], f"The value of {n}"), dtype=np.float64),
            requires_grad=True,
        )
        for n in parsed.inputs
    }
    intermediates: list[Tensor] = []
    with np.errstate(all="ignore"):
        output = _build(parsed.tree.body, leaves, intermediates)
        if not isinstance(output, Tensor) or not output.requires_grad:
            raise ExpressionError(
                "The result does not depend on any input: nothing to differentiate"
            )
        output.backward()
    shown = tuple(t for t in intermediates if t is not output)
    out_name = "f" if "f" not in leaves else "output"
    graph = draw_graph(output, names={**leaves, out_name: output}, tensors=shown)
    return Evaluation(output, leaves, shown, graph)


def _build(node: ast.AST, leaves: dict[str, Tensor], out: list[Tensor]) -> Any:
    """The value of a checked node: a tensor (when it depends on an input) or a float."""
    if isinstance(node, ast.Constant):
        return float(node.value) if not isinstance(node.value, int) else node.value
    if isinstance(node, ast.Name):
        return leaves[node.id]
    if isinstance(node, ast.UnaryOp):
        result = _UNARY[type(node.op)](_build(node.operand, leaves, out))
    elif isinstance(node, ast.BinOp):
        left = _build(node.left, leaves, out)
        right = _build(node.right, leaves, out)
        if not isinstance(left, Tensor) and not isinstance(right, Tensor):
            return float(_BINARY[type(node.op)](np.float64(left), np.float64(right)))
        result = _BINARY[type(node.op)](left, right)
    elif isinstance(node, ast.Call):
        arg = _build(node.args[0], leaves, out)
        if not isinstance(arg, Tensor):
            arg = tensor(np.asarray(arg, dtype=np.float64))
        result = FUNCTIONS[node.func.id](arg)
    else:  # pragma: no cover - parse_expression accepted only the nodes above
        raise ExpressionError(f"Not allowed: {type(node).__name__}")
    if (
        isinstance(result, Tensor)
        and result.requires_grad
        and result is not _leaf_of(result, leaves)
    ):
        result.retain_grad()
        out.append(result)
    return result


def _leaf_of(result: Tensor, leaves: dict[str, Tensor]) -> Tensor | None:
    """The leaf ``result`` is (unary plus returns its operand), else None."""
    return next((leaf for leaf in leaves.values() if leaf is result), None)
