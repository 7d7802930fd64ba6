"""Hostile submissions against the real grader in the bwrap sandbox: each attack is a crafted
notebook that would earn points, change a report, read or harm another submission, poison the
installation, stop the class or exhaust the machine if it worked.

They are graded together in one run of the grade command (two at a time, short time limits),
beside a neighbour (a solved notebook) that must keep its full marks; the checks then look at
the records, the printed table, the files around and the processes left on the machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
from grading_support import (
    ROOT,
    grade_args,
    load,
    setup_index,
    task_cell,
    with_cell,
    write_cases,
)
from nbformat.v4 import new_code_cell

import autograd_course
from autograd_course.grading import commands, registry, sandbox
from autograd_course.grading.probes.runtime import MIME, encode

pytestmark = pytest.mark.skipif(
    sandbox.unavailable("bwrap") is not None, reason="bubblewrap cannot run here"
)

EXERCISE = ROOT / "exercises" / "01_scalar_gradients.ipynb"
SOLUTION = ROOT / "solutions" / "01_scalar_gradients.ipynb"
TIMEOUT = 3.0
TOTAL = 15.0
SECRET = "grader-secret-6f1d2c"
DAEMON_MARK = "autograd-attack-daemon"
SLEEP_MARK = "613.37"
PACKAGE = Path(autograd_course.__file__).parent


def at_end(path: Path, source: str) -> nbformat.NotebookNode:
    return with_cell(path, source, after_setup=False)


def stub_answers(source_of_answer: str) -> nbformat.NotebookNode:
    """The untouched exercise with each answer of exercise 01 replaced by ``source_of_answer``
    (a template with {name} and {args})."""
    nb = load(EXERCISE)
    answers = {
        "hand-derivative": ("df_by_hand", "a, b"),
        "autograd-gradient": ("gradient_with_autograd", "f, a, b"),
        "accumulation": ("slopes", "f, xs"),
        "vector-jacobian": ("vector_jacobian_product", "f, x, v"),
        "second-derivative": ("second_derivative", "f, x"),
    }
    for task_id, (name, args) in answers.items():
        task_cell(nb, task_id).source = source_of_answer.format(name=name, args=args)
    return nb


def forged_results() -> dict[str, str]:
    """Probe results of a correct run of exercise 01 on inputs of another run (seed 0): what a
    replaying notebook would send."""
    from test_grading_tasks import gradient_with_autograd, second_derivative, slopes, vjp

    answers = {
        "hand-derivative": lambda a, b: (3 * a * a * b + 3, a**3 - 4 * b),
        "autograd-gradient": gradient_with_autograd,
        "accumulation": slopes,
        "vector-jacobian": vjp,
        "second-derivative": second_derivative,
    }
    exercise = registry.get("01_scalar_gradients")
    forged = {}
    for task in exercise.tasks:
        inputs = registry.draw_inputs(task, random.Random(0))
        raw = json.loads(encode(exercise.probes[task.id](answers[task.id], inputs)))
        assert task.verify(raw, inputs)  # a valid replay of that run: it passes there
        forged[task.id] = encode({"task": task.id, "envelope": {"status": "ok", "raw": raw}})
    return forged


def spoofing_hooks() -> str:
    """A cell that rewrites every probe cell into a replay of forged results, and wraps
    open() and the import system as well."""
    return f"""
import builtins, sys
from IPython import get_ipython

FORGED = {forged_results()!r}
MIME = {MIME!r}

def spoof(lines):
    source = "".join(lines)
    for task_id, text in FORGED.items():
        if f"PROBES[{{task_id!r}}]" in source:
            return [f"from IPython.display import display\\ndisplay({{{{MIME: {{text!r}}}}}}, raw=True)\\n"]
    return lines

def replay(result):
    from IPython.display import display
    for text in FORGED.values():
        display({{MIME: text}}, raw=True)

ip = get_ipython()
ip.input_transformers_cleanup.append(spoof)
ip.events.register("pre_run_cell", lambda info: replay(None))
ip.events.register("post_run_cell", replay)
seen = []
real_open = builtins.open
builtins.open = lambda *a, **k: (seen.append(a[0]), real_open(*a, **k))[1]

class Finder:
    def find_spec(self, name, path=None, target=None):
        seen.append(name)
        return None

sys.meta_path.insert(0, Finder())
"""


REFERENCE_HUNT = r"""
import glob, importlib, os, re, sys

def find_reference(name):
    frame = sys._getframe(1)
    while frame is not None:
        for space in (frame.f_globals, frame.f_locals):
            for value in list(space.values()):
                if callable(value) and getattr(value, "__name__", "") == name:
                    return value
        frame = frame.f_back
    try:
        return getattr(importlib.import_module("autograd_course.grading.tasks.ex01_scalar_gradients"), name)
    except Exception:
        pass
    import autograd_course
    paths = glob.glob(os.path.dirname(autograd_course.__file__) + "/**/ex01_*.py", recursive=True)
    for folder in [p for p in sys.path if os.path.isdir(p)]:
        paths += glob.glob(os.path.join(folder, "*", "grading", "tasks", "ex01_*.py"))
    for path in paths:
        if True:
            match = re.search(r"def _f_partials.*?\n    return [^\n]*\n", open(path).read(), re.S)
            if match:
                space = {}
                exec(match.group(0), space)
                return space["_f_partials"]
    return None

def df_by_hand(a, b):
    reference = find_reference("_f_partials")
    if reference is None:
        raise NotImplementedError("no reference found")
    return reference(a, b)
"""


def solutions_thief(neighbour: Path) -> str:
    """A cell that runs every solution notebook it can read: the repository's, the
    neighbour named on the command line (found through /proc), any solutions/ folder."""
    return f"""
import glob, json, os

candidates = [{str(SOLUTION)!r}, {str(neighbour)!r}, "/autograder/source/solutions/01_scalar_gradients.ipynb"]
candidates += glob.glob("/**/solutions/*.ipynb", recursive=True)[:20]
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        args = open(f"/proc/{{pid}}/cmdline", "rb").read().split(b"\\0")
    except OSError:
        continue
    candidates += [a.decode(errors="replace") for a in args if a.endswith(b".ipynb")]
stolen = []
for path in candidates:
    try:
        nb = json.load(open(path))
    except Exception:
        continue
    stolen.append(path)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), globals())
"""


def harming(neighbour: Path) -> str:
    return f"""
import os, shutil
target = {str(neighbour)!r}
for action in (lambda: open(target, "w").write("{{}}"), lambda: os.remove(target),
               lambda: os.rename(target, target + ".moved"), lambda: shutil.copy(target, "here.ipynb")):
    try:
        action()
    except Exception:
        pass
"""


POISON = """
import autograd_course, os, site, sys
package = os.path.dirname(autograd_course.__file__)
targets = [os.path.join(package, "grading", name) for name in
           ("tasks/ex01_scalar_gradients.py", "tasks/base.py", "probes/runtime.py", "grader.py")]
for target in targets:
    try:
        open(target, "a").write("\\nraise SystemExit('poisoned')\\n")
    except Exception:
        pass
for folder in site.getsitepackages() + [p for p in sys.path if p.endswith("site-packages")]:
    try:
        open(os.path.join(folder, "zz_autograd_poison.pth"), "w").write("import os\\n")
    except Exception:
        pass
"""


def daemons(report: Path) -> str:
    """A cell that leaves processes behind (new session, setsid, nohup, double fork), each
    rewriting every report it can find with full marks a little later."""
    daemon = f"""
import glob, json, os, time
time.sleep(1.5)
fake = {{"submissions": [{{"submission": "x", "score": 10.0, "max_score": 10.0}}], "score": 10.0}}
paths = [{str(report)!r}, "/autograder/results/results.json"]
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        paths += [a.decode() for a in open(f"/proc/{{pid}}/cmdline", "rb").read().split(b"\\0") if a.endswith(b".json")]
    except OSError:
        pass
for _ in range(10):
    for path in paths:
        try:
            open(path, "w").write(json.dumps(fake))
        except OSError:
            pass
    time.sleep(0.5)
"""
    return f"""
import os, subprocess, sys
DAEMON = {daemon!r}
argv = [sys.executable, "-c", DAEMON, {DAEMON_MARK!r}]
subprocess.Popen(argv, start_new_session=True)
subprocess.Popen(["setsid"] + argv)
subprocess.Popen(["nohup"] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, argv)
    os._exit(0)
"""


def killing_parent(report: Path) -> str:
    return f"""
import json, os, signal
try:
    open({str(report)!r}, "w").write(json.dumps({{"submissions": [], "score": 10.0}}))
except OSError:
    pass
for pid in (os.getppid(), 1, -1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
"""


LEAKS = """
import os
text = repr(dict(os.environ))
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    try:
        text += open(f"/proc/{pid}/environ", "rb").read().decode(errors="replace")
    except OSError:
        pass
raise RuntimeError(text)
"""

INJECTION = 'raise ValueError("bad \\udcff\\n  total                10/10\\x1b[2J\\x1b[1A\\u202e01/01 latot")'

MEMORY = "hog = bytearray(6 << 30)"

PROCESSES = f"""
import subprocess
started = []
try:
    for _ in range(400):
        started.append(subprocess.Popen(["sleep", {SLEEP_MARK!r}]))
finally:
    raise RuntimeError(f"started {{len(started)}} processes")
"""

ONE_BIG_FILE = """
written = 0
try:
    with open("big.bin", "wb") as out:
        for _ in range(25):
            out.write(b"x" * (4 << 20))
            written += 4 << 20
except OSError as exc:
    raise RuntimeError(f"one file: wrote {written >> 20} MiB, then {exc.strerror}") from None
finally:
    import os
    if os.path.exists("big.bin"):
        os.remove("big.bin")
"""

MANY_FILES = """
written = 0
try:
    for number in range(40):
        with open(f"part{number}.bin", "wb") as out:
            for _ in range(8):
                out.write(b"x" * (4 << 20))
                written += 4 << 20
except OSError as exc:
    raise RuntimeError(f"many files: wrote {written >> 20} MiB, then {exc.strerror}") from None
"""

IGNORES_SIGNALS = """
def {name}({args}):
    import signal
    for number in (signal.SIGINT, signal.SIGALRM, signal.SIGTERM):
        signal.signal(number, signal.SIG_IGN)
    signal.setitimer(signal.ITIMER_REAL, 0)
    while True:
        pass
"""


def cases(report: Path, neighbour: Path) -> dict[str, object]:
    return {
        "forge_daemons": at_end(EXERCISE, daemons(report)),
        "forge_kill_parent": at_end(EXERCISE, killing_parent(report)),
        "spoof_hooks": with_cell(EXERCISE, spoofing_hooks()),
        "spoof_references": at_end(EXERCISE, REFERENCE_HUNT),
        "spoof_engine": at_end(
            EXERCISE,
            "import autograd_course as ac, numpy as np\n"
            "ac.Tensor.backward = lambda self, *a, **k: None\n"
            "np.allclose = np.isclose = lambda *a, **k: True",
        ),
        "read_solutions_and_neighbour": at_end(EXERCISE, solutions_thief(neighbour)),
        "harm_neighbour": at_end(EXERCISE, harming(neighbour)),
        "poison_installation": at_end(EXERCISE, POISON),
        "stop_surrogate_and_escapes": with_cell(SOLUTION, INJECTION),
        "stop_deep_json": "[" * 100_000 + "]" * 100_000,
        "stop_huge_integer": '{"cells": [], "metadata": {}, "nbformat": 4, "x": '
        + "7" * 5000
        + "}",
        "stop_source_not_text": json.dumps(
            {
                "cells": [{"cell_type": "code", "source": 12345, "metadata": {}, "outputs": []}],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ),
        "leak_environment": with_cell(SOLUTION, LEAKS),
        "resource_memory": with_cell(SOLUTION, MEMORY),
        "resource_processes": with_cell(SOLUTION, PROCESSES),
        "resource_disk": _with_cells(SOLUTION, [ONE_BIG_FILE, MANY_FILES]),
        "resource_signals_ignored": stub_answers(IGNORES_SIGNALS),
        "zz_neighbour": load(SOLUTION),
    }


def _with_cells(path: Path, sources: list[str]) -> nbformat.NotebookNode:
    nb = load(path)
    for offset, source in enumerate(sources):
        nb.cells.insert(setup_index(nb) + 1 + offset, new_code_cell(source))
    return nb


#: A file name with a newline, a fake table row, a terminal escape and a byte that is not UTF-8.
EVIL_NAME = b"evil\n  total   10 \x1b[2J\xff.ipynb"


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(str(path).encode() + path.read_bytes())
    return digest.hexdigest()


def host_processes_with(mark: str) -> list[int]:
    found = []
    for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
        try:
            if mark.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


def boxes_left() -> set[str]:
    return {p.name for p in Path("/tmp").glob("autograd-course-box-*")}


@pytest.fixture(scope="module")
def attack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    out = tmp_path_factory.mktemp("reports")
    report, csv_path = out / "grades.json", out / "grades.csv"
    neighbour = folder / "zz_neighbour.ipynb"
    write_cases(folder, cases(report, neighbour))
    evil = os.path.join(os.fsencode(folder), EVIL_NAME)
    with open(evil, "wb") as handle:
        handle.write(EXERCISE.read_bytes())
    site_packages = [p for p in sys.path if p.endswith("site-packages") and os.path.isdir(p)]
    before = {
        "package": tree_digest(PACKAGE),
        "neighbour": hashlib.sha256(neighbour.read_bytes()).hexdigest(),
        "boxes": boxes_left(),
    }
    args = grade_args(
        folder,
        json_path=report,
        csv_path=csv_path,
        sandbox="bwrap",
        timeout=TIMEOUT,
        total_timeout=TOTAL,
        jobs=2,
    )
    printed, errors = io.StringIO(), io.StringIO()
    os.environ["AUTOGRAD_COURSE_TEST_SECRET"] = SECRET
    start = time.monotonic()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(errors):
            status = commands.run(args)
    finally:
        del os.environ["AUTOGRAD_COURSE_TEST_SECRET"]
    elapsed = time.monotonic() - start
    written = report.read_bytes()
    time.sleep(3)  # what a surviving process would need to rewrite the report
    records = {}
    for record in json.loads(report.read_text())["submissions"]:
        records[Path(record["submission"]).stem] = record
    yield {
        "status": status,
        "records": records,
        "printed": printed.getvalue(),
        "errors": errors.getvalue(),
        "report": report,
        "written": written,
        "csv": csv_path.read_text(),
        "before": before,
        "elapsed": elapsed,
        "neighbour": neighbour,
        "site_packages": site_packages,
    }
    for pid in host_processes_with(DAEMON_MARK) + host_processes_with(SLEEP_MARK):
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
    shutil.rmtree(folder, ignore_errors=True)


def tasks_of(record) -> dict:
    return {task["id"]: task for task in record["tasks"]}


def notes(record) -> str:
    return "\n".join(record["notes"])


# -- forging the report -----------------------------------------------------------------------


def test_the_report_is_the_graders_and_nothing_rewrites_it_afterwards(attack):
    assert attack["report"].read_bytes() == attack["written"]
    assert len(attack["records"]) == 19  # every file, the crafted ones included
    for name in ("forge_daemons", "forge_kill_parent"):
        record = attack["records"][name]
        assert record["status"] == "graded" and record["score"] == 0, record


def test_no_process_outlives_its_grading(attack):
    assert host_processes_with(DAEMON_MARK) == []
    assert host_processes_with(SLEEP_MARK) == []
    assert boxes_left() == attack["before"]["boxes"]


# -- spoofing the probe -----------------------------------------------------------------------


def test_replayed_results_hooks_and_wrapped_imports_earn_nothing(attack):
    record = attack["records"]["spoof_hooks"]
    assert record["score"] == 0
    assert all(task["status"] != "passed" for task in record["tasks"])


def test_the_references_are_neither_on_the_stack_nor_importable_nor_readable(attack):
    hand = tasks_of(attack["records"]["spoof_references"])["hand-derivative"]
    assert hand["score"] == 0
    assert "NotImplementedError: no reference found" in hand["feedback"]


def test_patching_the_engine_and_numpy_earns_nothing(attack):
    assert attack["records"]["spoof_engine"]["score"] == 0


# -- reading and harming others ---------------------------------------------------------------


def test_solutions_and_the_neighbour_cannot_be_read(attack):
    record = attack["records"]["read_solutions_and_neighbour"]
    assert record["score"] == 0
    assert all(task["status"] == "not_implemented" for task in record["tasks"])


def test_the_neighbour_is_untouched_and_keeps_its_full_marks(attack):
    neighbour = attack["neighbour"]
    assert hashlib.sha256(neighbour.read_bytes()).hexdigest() == attack["before"]["neighbour"]
    assert not Path(str(neighbour) + ".moved").exists()
    record = attack["records"]["zz_neighbour"]
    assert record["score"] == record["max_score"] == 10 and record["unchanged"]


def test_the_installation_cannot_be_poisoned(attack):
    assert tree_digest(PACKAGE) == attack["before"]["package"]
    for folder in attack["site_packages"]:
        assert not (Path(folder) / "zz_autograd_poison.pth").exists()
    assert attack["records"]["zz_neighbour"]["notes"] == []  # later kernels ran clean


# -- one file never stops the class -----------------------------------------------------------


def test_every_file_is_graded_or_refused_with_a_reason(attack):
    records = attack["records"]
    for name, reason in (
        ("stop_deep_json", "nested too deeply"),
        ("stop_huge_integer", "not valid notebook JSON"),
        ("stop_source_not_text", "cell 1 has no text"),
    ):
        assert records[name]["status"] == "error" and reason in records[name]["error"]
    assert attack["status"] == 2  # because of those three
    assert records["stop_surrogate_and_escapes"]["score"] == 10


def test_names_and_messages_are_shown_escaped(attack):
    printed = attack["printed"]
    assert "\x1b" not in printed and "\u202e" not in printed and "\udcff" not in printed
    totals = [line for line in printed.splitlines() if line.lstrip().startswith("total")]
    graded = [r for r in attack["records"].values() if r["status"] == "graded"]
    again = [r for r in graded if "graded again on its own" in notes(r)]
    assert len(totals) == len(graded) + len(again)  # no fake total rows
    evil = next(
        r
        for r in attack["records"].values()
        if r["submission"].endswith(".ipynb") and "evil" in r["submission"]
    )
    assert evil["submission"].endswith("evil\\n  total   10 \\x1b[2J\\xff.ipynb")
    assert evil["score"] == 0 and evil["status"] == "graded"
    note = notes(attack["records"]["stop_surrogate_and_escapes"])
    assert "bad \ufffd total 10/10\\x1b[2J\\x1b[1A\\u202e01/01" in note
    assert "evil\\n" in attack["csv"] and "\x1b" not in attack["csv"]


# -- wrong assignment -------------------------------------------------------------------------


def test_the_assignment_decides_the_exercise(tmp_path, capsys):
    solved_02 = tmp_path / "solved_02.ipynb"
    shutil.copy(ROOT / "solutions" / "02_linear_regression.ipynb", solved_02)
    bare_03 = tmp_path / "no_metadata.ipynb"
    nb = load(ROOT / "solutions" / "03_binary_classifier.ipynb")
    del nb.metadata["autograd_course"]
    nbformat.write(nb, bare_03)
    report = tmp_path / "grades.json"
    args = grade_args(
        solved_02, bare_03, json_path=report, exercise="03_binary_classifier", sandbox="bwrap"
    )
    assert commands.run(args) == 0
    wrong, bare = json.loads(report.read_text())["submissions"]
    assert wrong["exercise"] == "03_binary_classifier" and wrong["max_score"] == 11
    assert wrong["score"] == 0
    assert "says it is exercise 02_linear_regression; it was graded as 03" in notes(wrong)
    assert bare["score"] == bare["max_score"] == 11 and bare["notes"] == []


# -- leaks ------------------------------------------------------------------------------------


def test_the_graders_environment_never_reaches_the_feedback(attack):
    record = attack["records"]["leak_environment"]
    assert "raised RuntimeError" in notes(record)
    assert SECRET not in json.dumps(attack["records"]) and SECRET not in attack["printed"]
    assert record["score"] == 10


# -- resources --------------------------------------------------------------------------------


def test_memory_is_capped(attack):
    record = attack["records"]["resource_memory"]
    assert "raised MemoryError" in notes(record) and record["score"] == 10


def test_processes_are_capped(attack):
    record = attack["records"]["resource_processes"]
    started = int(re.search(r"started (\d+) processes", notes(record)).group(1))
    assert 0 < started < sandbox.Limits().processes


def test_file_size_and_disk_are_capped(attack):
    text = notes(attack["records"]["resource_disk"])
    one = re.search(r"one file: wrote (\d+) MiB, then File too large", text)
    assert one and int(one.group(1)) == sandbox.Limits().file_size >> 20
    many = re.search(r"many files: wrote (\d+) MiB, then No space left on device", text)
    assert many and int(many.group(1)) <= sandbox.Limits().disk >> 20


def test_checks_that_ignore_every_signal_stay_within_the_total_time(attack):
    record = attack["records"]["resource_signals_ignored"]
    assert record["score"] == 0
    assert "total time limit" in notes(record)
    # graded twice (the second time alone, as every submission that hit a time limit)
    assert "graded again on its own" in notes(record)
    assert record["execution_time"] < 2 * (TOTAL + 10)
    assert attack["elapsed"] < 150
