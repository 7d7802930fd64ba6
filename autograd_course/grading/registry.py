"""Which exercises exist, which file holds each one's tasks, and task lookup by id."""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from .tasks.base import Task

#: Exercise id (the notebook's name, also in its metadata) -> module in grading/tasks/.
EXERCISES: dict[str, str] = {
    "01_scalar_gradients": "ex01_scalar_gradients",
    "02_linear_regression": "ex02_linear_regression",
    "03_binary_classifier": "ex03_binary_classifier",
    "04_stock_prediction": "ex04_stock_prediction",
}

_TASKS_PACKAGE = "autograd_course.grading.tasks"
_extra: dict[str, Exercise] = {}


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id, the file defining its tasks, and the tasks in notebook order."""

    id: str
    path: Path
    tasks: tuple[Task, ...]

    @property
    def max_score(self) -> float:
        """Total points of the exercise."""
        return float(sum(task.points for task in self.tasks))


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
    module = importlib.import_module(f"{_TASKS_PACKAGE}.{EXERCISES[exercise_id]}")
    return _from_module(exercise_id, module)


def register_file(exercise_id: str, path: str | Path) -> Exercise:
    """Register an exercise whose tasks live in ``path`` (a module written like those in
    grading/tasks/, importing its helpers with ``from .base import ...``); used by tests."""
    path = Path(path).resolve()
    name = f"{_TASKS_PACKAGE}._registered_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load tasks from {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    exercise = _from_module(exercise_id, module)
    _extra[exercise_id] = exercise
    return exercise


def unregister(exercise_id: str) -> None:
    """Forget an exercise added with ``register_file``."""
    _extra.pop(exercise_id, None)


def find_task(task_id: str) -> Task:
    """The task with this id in any exercise; KeyError listing similar ids otherwise."""
    for exercise_id in exercise_ids():
        for task in get(exercise_id).tasks:
            if task.id == task_id:
                return task
    raise KeyError(task_id)


def _from_module(exercise_id: str, module: object) -> Exercise:
    """Build an Exercise from a module with a TASKS list."""
    tasks = tuple(getattr(module, "TASKS", ()))
    ids = [task.id for task in tasks]
    if not tasks or len(set(ids)) != len(ids):
        raise ValueError(f"{module!r} must define TASKS with unique ids")
    return Exercise(exercise_id, Path(module.__file__).resolve(), tasks)  # type: ignore[attr-defined]
