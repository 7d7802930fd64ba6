"""The ``build-exercises`` and ``grade`` subcommands (argument parsing lives in cli.py).

Exit status of ``grade``: 0 whenever every submission was graded, whatever the scores; 2 when
any file could not be graded (missing, not a notebook, not one of the course's exercises) or
the command was misused; the readable submissions are graded and reported all the same.
``build-exercises --check`` exits 1 when exercises/ is out of date.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from . import grader, notebooks, report

USAGE_ERROR = 2


def run(args: argparse.Namespace) -> int:
    """Dispatch one subcommand; returns the exit status."""
    if args.command == "build-exercises":
        return build_exercises(args)
    if args.command == "grade":
        return grade(args)
    print(f"autograd-course: unknown command {args.command!r}", file=sys.stderr)
    return USAGE_ERROR


def build_exercises(args: argparse.Namespace) -> int:
    """Generate exercises/ from solutions/ (or, with --check, report stale files)."""
    solutions, exercises = Path(args.solutions), Path(args.exercises)
    try:
        built = notebooks.build_exercises(solutions, exercises, check=args.check)
    except (notebooks.NotebookError, ValueError) as exc:
        print(f"autograd-course build-exercises: {exc}", file=sys.stderr)
        return USAGE_ERROR
    for orphan in built.orphans:
        print(f"{orphan}: no solution notebook generates it (delete it or add the solution)")
    if args.check:
        for path in built.stale:
            print(f"{path} is out of date")
        if built.stale or built.orphans:
            print("run `autograd-course build-exercises` and commit the result", file=sys.stderr)
            return 1
        print(f"{exercises}/ is up to date with {solutions}/")
        return 0
    for path in built.written:
        print(f"wrote {path}")
    if not built.written:
        print(f"{exercises}/ was already up to date")
    return 0


def grade(args: argparse.Namespace) -> int:
    """Grade each submission, print its table, write JSON / Gradescope results if asked."""
    timeout = float(args.timeout)
    if not math.isfinite(timeout) or timeout <= 0:
        print("autograd-course grade: --timeout must be a positive number", file=sys.stderr)
        return USAGE_ERROR
    if args.gradescope and len(_expand(args.submissions)) != 1:
        message = (
            "--gradescope grades exactly one submission, got "
            f"{len(_expand(args.submissions))}: {', '.join(_expand(args.submissions)) or 'none'}"
        )
        # Still write results.json, so the student sees why instead of a failed autograder.
        report.write_json(args.gradescope, {"score": 0.0, "output": message, "tests": []})
        print(f"autograd-course grade: {message}", file=sys.stderr)
        return USAGE_ERROR
    submissions = _expand(args.submissions)
    if not submissions:
        print("autograd-course grade: no .ipynb files to grade", file=sys.stderr)
        return USAGE_ERROR
    results = []
    for path in submissions:
        graded = grader.grade_file(path, timeout=timeout)
        results.append(graded)
        print(report.table(graded), flush=True)
        print(flush=True)
    usage_errors = [graded for graded in results if graded.error]
    if len(results) > 1:
        total = len(results) - len(usage_errors)
        print(f"graded {total} of {len(results)} submissions")
    if args.json_path:
        report.write_json(args.json_path, report.json_report(results))
    if args.gradescope:
        report.write_json(args.gradescope, report.gradescope(results[0]))
    for graded in usage_errors:
        print(f"autograd-course grade: {graded.error}", file=sys.stderr)
    return USAGE_ERROR if usage_errors else 0


def _expand(paths: list[str]) -> list[str]:
    """Submissions with each folder replaced by the notebooks in it (sorted by name)."""
    expanded: list[str] = []
    for path in paths:
        folder = Path(path)
        if folder.is_dir():
            expanded.extend(str(p) for p in sorted(folder.glob("*.ipynb")) if p.is_file())
        else:
            expanded.append(path)
    return expanded
