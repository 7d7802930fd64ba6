"""The ``autograd-course`` command line: one subcommand per job, each implemented in its module."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="autograd-course",
        description="A Jupyter course on PyTorch-style automatic differentiation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("list", help="list the chapters and exercises")
    lab = sub.add_parser("lab", help="open JupyterLab on the course")
    lab.add_argument("folder", nargs="?", default=None, help="folder to open (default: the course)")
    lab.add_argument(
        "--port",
        type=int,
        default=None,
        help="port to serve on (default: 8888 or the next free one)",
    )
    lab.add_argument(
        "--ip",
        default=None,
        help="address to listen on (default: localhost; 0.0.0.0 in a container)",
    )
    lab.add_argument(
        "--no-browser",
        action="store_true",
        help="only print the address to open (the default without a display)",
    )
    copy = sub.add_parser("copy", help="copy chapters and exercises into a folder")
    copy.add_argument("dest", help="destination folder (created if missing)")

    build = sub.add_parser("build-exercises", help="generate exercises/ from solutions/")
    build.add_argument("--check", action="store_true", help="exit 1 when exercises/ is stale")
    build.add_argument("--solutions", default="solutions", help="folder of solution notebooks")
    build.add_argument("--exercises", default="exercises", help="folder to write exercises to")

    grade = sub.add_parser(
        "grade",
        help="grade submitted exercise notebooks",
        description="Run each submission top to bottom in a fresh sandboxed kernel and score "
        "its tasks on inputs drawn for this run. Exit status 0 when every file was graded "
        "(whatever the scores), 2 when a file could not be read as one of the course's "
        "exercise notebooks (the others are still graded).",
    )
    grade.add_argument(
        "submissions", nargs="+", help="notebook files to grade (a folder: every .ipynb in it)"
    )
    grade.add_argument(
        "--exercise",
        metavar="NAME",
        help="the assignment's exercise, e.g. 02_linear_regression: every submission is "
        "graded as this one, whatever its metadata says (required with --gradescope)",
    )
    grade.add_argument("--json", dest="json_path", help="write per-submission results as JSON")
    grade.add_argument(
        "--csv",
        dest="csv_path",
        help="write the class summary (one row per submission) as CSV "
        "(default for a folder: grades.csv in the current folder)",
    )
    grade.add_argument("--gradescope", help="write Gradescope's results.json here")
    grade.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="submissions graded at the same time (default: the number of CPU cores)",
    )
    grade.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds allowed per cell and per task check (default: 60)",
    )
    grade.add_argument(
        "--total-timeout",
        type=float,
        default=None,
        help="seconds allowed for a whole submission, all cells and checks included "
        "(default: 5 × --timeout, at least 60)",
    )
    grade.add_argument(
        "--sandbox",
        choices=("auto", "bwrap", "user", "session"),
        default=None,
        help="where kernels run: bwrap (bubblewrap), user (root: an unprivileged uid), "
        "session (same user; not safe against hostile code); auto picks the strongest "
        "that works (default: $AUTOGRAD_COURSE_SANDBOX or auto)",
    )
    grade.add_argument(
        "--memory",
        type=int,
        default=None,
        metavar="MB",
        help="address space allowed per kernel process, in MB (default: 4096)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand; the exit status is 0 on success."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command in ("list", "lab", "copy"):
        from . import course_files

        return course_files.run(args)
    from .grading import commands

    return commands.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
