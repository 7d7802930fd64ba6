"""Which exercises exist, which files hold each one's tasks and probes, and task lookup by id.

Each exercise has two modules of the same name: grading/tasks/NAME.py (inputs, references and
verify steps: the grader's side) and grading/probes/NAME.py (how each answer is called: the
kernel's side, sent to the kernel as source text).
"""

from __future__ import annotations

import importlib
import importlib.util
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from .probes import runtime
from .tasks.base import Task, evaluate

#: Exercise id (the notebook's name, also in its metadata) -> module name in tasks/ and probes/.
EXERCISES: dict[str, str] = {
    "01_scalar_gradients": "ex01_scalar_gradients",
    "02_linear_regression": "ex02_linear_regression",
    "03_binary_classifier": "ex03_binary_classifier",
    "04_stock_prediction": "ex04_stock_prediction",
    "05_inside_the_engine": "ex05_inside_the_engine",
}

_PACKAGE = "autograd_course.grading"
_extra: dict[str, Exercise] = {}
_extra_files: dict[str, tuple[str, str]] = {}


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id, its tasks in notebook order, and their probes."""

    id: str
    tasks: tuple[Task, ...]
    probes: dict[str, Callable[[Any, Any], Any]] = field(repr=False)
    probes_path: Path

    @property
    def max_score(self) -> float:
        """Total points of the exercise."""
        return float(sum(task.points for task in self.tasks))

    def probe_sources(self) -> tuple[str, str]:
        """Source text of the probe runtime and of this exercise's probes (for the kernel)."""
        runtime_path = Path(runtime.__file__)
        return runtime_path.read_text(encoding="utf-8"), self.probes_path.read_text("utf-8")


def exercise_ids() -> list[str]:
    """Every known exercise id, course exercises first."""
    return list(EXERCISES) + [key for key in _extra if key not in EXERCISES]


def get(exercise_id: str) -> Exercise:
    """The exercise with this id; KeyError naming the known ids otherwise."""
    if exercise_id in _extra:
        return _extra[exercise_id]
    if exercise_id not in EXERCISES:
        known = ", ".join(exercise_ids())
        raise KeyError(f"unknown exercise {exercise_id!r} (known: {known})")
    name = EXERCISES[exercise_id]
    tasks = importlib.import_module(f"{_PACKAGE}.tasks.{name}")
    probes = importlib.import_module(f"{_PACKAGE}.probes.{name}")
    return _from_modules(exercise_id, tasks, probes)


def register_file(exercise_id: str, tasks_path: str | Path, probes_path: str | Path) -> Exercise:
    """Register an exercise whose tasks and probes live in these two files (modules written
    like those in grading/tasks/ and grading/probes/, with the same relative imports); used
    by tests."""
    tasks = _load(f"{_PACKAGE}.tasks._registered_{exercise_id}", Path(tasks_path))
    probes = _load(f"{_PACKAGE}.probes._registered_{exercise_id}", Path(probes_path))
    exercise = _from_modules(exercise_id, tasks, probes)
    _extra[exercise_id] = exercise
    _extra_files[exercise_id] = (str(tasks_path), str(probes_path))
    return exercise


def unregister(exercise_id: str) -> None:
    """Forget an exercise added with ``register_file``."""
    _extra.pop(exercise_id, None)
    _extra_files.pop(exercise_id, None)


def registered_files() -> list[tuple[str, str, str]]:
    """(exercise id, tasks file, probes file) of every exercise added with ``register_file``."""
    return [(key, *paths) for key, paths in _extra_files.items()]


def find(task_id: str) -> tuple[Exercise, Task]:
    """The exercise and task with this task id; KeyError otherwise."""
    for exercise_id in exercise_ids():
        exercise = get(exercise_id)
        for task in exercise.tasks:
            if task.id == task_id:
                return exercise, task
    raise KeyError(task_id)


def find_task(task_id: str) -> Task:
    """The task with this id in any exercise; KeyError otherwise."""
    return find(task_id)[1]


def check_here(task_id: str, answer: Any, limit: float | None, rng: random.Random | None = None):
    """Probe and verify one answer in this process, on freshly drawn inputs (what ``check``
    does in a student's notebook); returns the task's Result."""
    exercise, task = find(task_id)
    inputs = draw_inputs(task, rng or random.Random())
    envelope = runtime.run_probe(exercise.probes[task.id], answer, inputs, limit)
    return evaluate(task, _as_sent(envelope), inputs, limit)


def draw_inputs(task: Task, rng: random.Random) -> Any:
    """The task's inputs for one check, in the plain JSON form the kernel receives."""
    return _as_sent(task.inputs(rng))


def _as_sent(value: Any) -> Any:
    """``value`` as it looks after a trip through JSON (tuples become lists)."""
    import json

    return json.loads(runtime.encode(value))


def _load(name: str, path: Path) -> ModuleType:
    """Import the module at ``path`` under ``name``."""
    spec = importlib.util.spec_from_file_location(name, path.resolve())
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _from_modules(exercise_id: str, tasks: ModuleType, probes: ModuleType) -> Exercise:
    """Build an Exercise from a tasks module (TASKS) and a probes module (PROBES)."""
    task_list = tuple(getattr(tasks, "TASKS", ()))
    ids = [task.id for task in task_list]
    if not task_list or len(set(ids)) != len(ids):
        raise ValueError(f"{tasks!r} must define TASKS with unique ids")
    probe_map = dict(getattr(probes, "PROBES", {}))
    missing = [task_id for task_id in ids if task_id not in probe_map]
    if missing:
        raise ValueError(f"{probes!r} has no probe for {', '.join(missing)}")
    path = Path(probes.__file__).resolve()  # type: ignore[arg-type]
    return Exercise(exercise_id, task_list, probe_map, path)
