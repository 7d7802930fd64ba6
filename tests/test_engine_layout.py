"""The engine's layout: one-way imports, every module importable first, a short reading path.

The reading path (README, "The engine in one page") is the part of the engine a student reads
in one sitting; it must stay short, so that breadth lands in the leaf modules of ops/.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograd_course"
READING_PATH = [
    "autograd_course/autograd/function.py",
    "autograd_course/autograd/engine.py",
    "autograd_course/tensor.py",
    "autograd_course/ops/arithmetic.py",
]
# The engine and the layers built on it; course helpers (demos, grading, plots ...) may import
# these, never the other way round.
ENGINE = {"tensor", "_messages", "_args", "dtypes", "grad_mode", "random", "_printing",
          "autograd", "ops", "creation", "functions", "devices", "cuda", "backends",
          "accelerator", "linalg", "return_types"}  # fmt: skip
LAYERS = ENGINE | {"nn", "optim", "utils"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py"))


def _top_level_imports(path: Path) -> set[str]:
    """Package modules this file imports when it is loaded (imports inside functions excluded)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")
            base = base[: len(base) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module is None:  # from . import x, y: each is a module
                found.update(f"{target}.{alias.name}" for alias in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("autograd_course"))
    return {m for m in found if (ROOT / (m.replace(".", "/") + ".py")).exists()
            or (ROOT / m.replace(".", "/") / "__init__.py").exists()}  # fmt: skip


@pytest.mark.parametrize("module", MODULES)
def test_every_module_imports_first_in_a_fresh_process(module):
    result = subprocess.run(
        [sys.executable, "-c", f"import {module}"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_imports_between_modules_form_no_cycle():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        if path.name != "__init__.py":  # a package's __init__ only gathers its modules
            graph[_module_name(path)] = {
                m for m in _top_level_imports(path) if not m.endswith("autograd_course")
            }
    # Depth-first search with an explicit stack; a grey node met again closes a cycle.
    state: dict[str, str] = {}
    for start in graph:
        stack = [(start, iter(sorted(graph.get(start, ()))))]
        state[start] = "grey"
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = "black"
                stack.pop()
                continue
            child = child if child in graph else f"{child}.__init__"
            if state.get(child) == "grey":
                cycle = [n for n, _ in stack] + [child]
                pytest.fail("import cycle: " + " -> ".join(cycle[cycle.index(child) :]))
            if child in graph and child not in state:
                state[child] = "grey"
                stack.append((child, iter(sorted(graph[child]))))


def test_the_engine_imports_nothing_from_the_course_helpers():
    for path in PACKAGE.rglob("*.py"):
        layer = _module_name(path).split(".")[1] if "." in _module_name(path) else ""
        if layer in LAYERS:
            for imported in _top_level_imports(path):
                top = imported.split(".")[1] if "." in imported else ""
                allowed = ENGINE if layer in ENGINE else LAYERS
                assert top in allowed | {""}, f"{_module_name(path)} imports {imported}"


def code_lines(path: Path) -> int:
    """Lines holding code: no blank lines, comments or docstrings."""
    source = path.read_text()
    docstrings = set()
    for node in ast.walk(ast.parse(source)):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    lines = set()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
            tokenize.ENDMARKER}  # fmt: skip
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skip:
            lines.update(set(range(token.start[0], token.end[0] + 1)) - docstrings)
    return len(lines)


def test_code_lines_counts_only_code(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Doc\nstring."""\n\n# a comment\nx = 1  # trailing\n\ndef f():\n    """Doc."""\n    return (x +\n            1)\n'
    )
    assert code_lines(sample) == 4  # x = 1, def f():, and the two lines of the return


def test_reading_path_is_short_and_each_function_fits_a_screen():
    total = sum(code_lines(ROOT / p) for p in READING_PATH)
    assert total <= 1000, f"the reading path has {total} code lines"
    for p in READING_PATH:
        for node in ast.walk(ast.parse((ROOT / p).read_text())):
            if isinstance(node, ast.FunctionDef):
                length = node.end_lineno - node.lineno + 1
                assert length <= 60, f"{p}: {node.name} is {length} lines long"


def test_readme_gives_the_reading_path_in_this_order():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## The engine in one page") :].split("\n\n")
    table = next(block for block in section if block.startswith("| file"))
    assert re.findall(r"^\| `(autograd_course/[\w/]+\.py)`", table, re.M) == READING_PATH
    docstring = (PACKAGE / "__init__.py").read_text().split('"""')[1]
    named = [p.split("/", 1)[1] for p in READING_PATH]
    assert [f for f in re.findall(r"``([\w/]+\.py)``", docstring) if f in named] == named
