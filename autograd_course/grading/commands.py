"""The ``build-exercises`` and ``grade`` subcommands (argument parsing lives in cli.py).

Exit status of ``grade``: 0 whenever every submission was graded, whatever the scores; 2 when
any file could not be graded (missing, not a notebook, not one of the course's exercises) or
the command was misused; the readable submissions are graded and reported all the same.
``build-exercises --check`` exits 1 when exercises/ is out of date.

``grade`` reads every submission before any runs, grades them (``--jobs`` at a time, each in its
own sandbox), and writes its reports only once every sandbox is gone.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TextIO

from . import grader, notebooks, registry, report, sandbox
from .text import clean, file_name

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
    """Grade each submission, print its table, write the JSON, CSV and Gradescope reports."""
    problem, options = _options(args)
    submissions = _expand(args.submissions)
    if problem is None and args.gradescope and len(submissions) != 1:
        names = ", ".join(file_name(path) for path in submissions) or "none"
        problem = f"--gradescope grades exactly one submission, got {len(submissions)}: {names}"
    if problem is None and not submissions:
        problem = "no .ipynb files to grade"
    if problem is not None:
        if args.gradescope:  # still write results.json, so the student sees why
            report.write_json(args.gradescope, {"score": 0.0, "output": problem, "tests": []})
        _say(f"autograd-course grade: {problem}", sys.stderr)
        return USAGE_ERROR
    assert options is not None
    _warn_about_sandbox(options.sandbox)
    read = [grader.read_submission(path) for path in submissions]  # before anything runs
    results = _grade_all(read, options, max(1, int(args.jobs or os.cpu_count() or 1)))
    for item, graded in zip(read, results, strict=True):
        if item.sha256 is not None and grader.read_submission(item.path).sha256 != item.sha256:
            graded.unchanged = False
            graded.notes.append(
                "the file changed while the class was graded; the grade is for the version "
                "read at the start"
            )
    errors = [graded for graded in results if graded.error]
    if len(results) > 1:
        _say(f"graded {len(results) - len(errors)} of {len(results)} submissions", sys.stdout)
    if args.json_path:
        report.write_json(args.json_path, report.json_report(results))
    csv_path = args.csv_path
    if csv_path is None and any(Path(path).is_dir() for path in args.submissions):
        csv_path = "grades.csv"
    if csv_path and not args.gradescope:
        report.write_text(csv_path, report.class_csv(results))
        _say(f"class summary: {clean(csv_path)}", sys.stdout)
    if args.gradescope:
        report.write_json(args.gradescope, report.gradescope(results[0]))
    for graded in errors:
        _say(f"autograd-course grade: {graded.submission}: {graded.error}", sys.stderr)
        if graded.log:
            _say(f"  {graded.log}", sys.stderr)
    return USAGE_ERROR if errors else 0


def _warn_about_sandbox(mode: str) -> None:
    """Say on stderr what a fallback sandbox does not protect."""
    if mode == "bwrap":
        return
    _say(f"autograd-course grade: sandbox: {sandbox.describe_mode(mode)}", sys.stderr)
    for folder in sandbox.reference_paths() if mode == "user" else []:
        if os.stat(folder).st_mode & 0o004:
            _say(
                f"autograd-course grade: the task references in {folder} can be read by the "
                f"kernels' user: run chmod -R go-rwx {folder} before grading for real",
                sys.stderr,
            )


def _options(args: argparse.Namespace) -> tuple[str | None, grader.Options | None]:
    """Grading options from the command line, or the reason they are not usable."""
    timeout = float(args.timeout)
    if not math.isfinite(timeout) or timeout <= 0:
        return "--timeout must be a positive number", None
    total = args.total_timeout
    if total is not None and (not math.isfinite(total) or total <= 0):
        return "--total-timeout must be a positive number", None
    if args.memory is not None and args.memory < 256:
        return "--memory must be at least 256 (MB): a kernel needs that much to start", None
    if args.gradescope and not args.exercise:
        return "--gradescope needs --exercise NAME (the exercise of the assignment)", None
    if args.exercise and args.exercise not in registry.exercise_ids():
        known = ", ".join(registry.exercise_ids())
        return f"unknown exercise {args.exercise!r} (known: {known})", None
    try:
        mode = sandbox.resolve(args.sandbox or os.environ.get(sandbox.MODE_ENV) or "auto")
    except sandbox.SandboxError as exc:
        return str(exc), None
    limits = sandbox.Limits()
    if args.memory is not None:
        limits = sandbox.Limits(memory=int(args.memory) << 20)
    options = grader.Options(timeout, total, args.exercise, mode, limits)
    return None, options


def _grade_all(
    submissions: list[grader.Submission], options: grader.Options, jobs: int
) -> list[grader.Graded]:
    """Grade every submission, ``jobs`` at a time in worker processes, printing each table in
    order as soon as it is known. A worker that dies costs only a retry."""
    results: list[grader.Graded | None] = [None] * len(submissions)
    if jobs == 1 or len(submissions) == 1:
        for index, item in enumerate(submissions):
            results[index] = grader.grade_submission(item, options)
            _say(report.table(results[index]) + "\n", sys.stdout)  # type: ignore[arg-type]
        return results  # type: ignore[return-value]
    todo = list(range(len(submissions)))
    for _ in range(2):  # a second round for what a dead worker took with it
        failed = []
        context = _worker_context()
        with ProcessPoolExecutor(
            min(jobs, len(todo)), context, _worker_setup, (registry.registered_files(),)
        ) as pool:
            futures = {
                i: pool.submit(grader.grade_submission, submissions[i], options) for i in todo
            }
            for index in todo:
                try:
                    results[index] = futures[index].result()
                except BrokenProcessPool:
                    failed.append(index)
                    continue
                except Exception as exc:
                    results[index] = _failed(submissions[index], options, exc)
                _say(report.table(results[index]) + "\n", sys.stdout)  # type: ignore[arg-type]
        todo = failed
        if not todo:
            break
    for index in todo:
        results[index] = _failed(submissions[index], options, RuntimeError("worker died"))
        _say(report.table(results[index]) + "\n", sys.stdout)  # type: ignore[arg-type]
    return _alone_again(submissions, results, options)  # type: ignore[arg-type]


def _alone_again(
    submissions: list[grader.Submission], results: list[grader.Graded], options: grader.Options
) -> list[grader.Graded]:
    """Grade once more, one at a time, each submission that reached a time limit while others
    ran beside it: a neighbour hogging the CPU must not cost an honest notebook its points.
    The second grade stands."""
    for index, graded in enumerate(results):
        if not graded.time_limited:
            continue
        again = grader.grade_submission(submissions[index], options)
        again.notes.append(
            "graded again on its own, because a time limit was reached while other "
            "submissions were graded beside it"
        )
        again.execution_time = round(graded.execution_time + again.execution_time, 2)
        results[index] = again
        _say(f"graded again on its own:\n{report.table(again)}\n", sys.stdout)
    return results


def _worker_context() -> multiprocessing.context.BaseContext:
    """Worker processes forked from a server that has imported the grader once (a fresh
    interpreter per worker would spend seconds importing it again); spawned where forkserver
    does not exist."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["autograd_course.grading.commands"])
    return context


def _worker_setup(files: list[tuple[str, str, str]]) -> None:
    """In a worker process: the exercises registered in the parent (tests add some)."""
    for exercise_id, tasks_path, probes_path in files:
        registry.register_file(exercise_id, tasks_path, probes_path)


def _failed(item: grader.Submission, options: grader.Options, exc: BaseException) -> grader.Graded:
    """The record of a submission whose grading failed in the grader itself."""
    return grader.Graded(
        submission=item.name,
        error=grader.INTERNAL_ERROR,
        log=clean(f"{type(exc).__name__}: {exc}"),
        sha256=item.sha256,
        sandbox=options.sandbox,
    )


def _say(text: str, stream: TextIO) -> None:
    """Print whatever the stream's encoding (characters it cannot show are escaped)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding) + "\n")
    stream.flush()


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
