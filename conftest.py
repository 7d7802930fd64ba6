"""Shared test setup (at the root, so `pytest chapters/...` alone gets it too): notebook kernels
started by nbval get the environment `make notebooks` used.

The variables must be in ``os.environ`` before the first kernel starts, because a kernel
inherits its environment from this process. They are the same ones tools/run_notebooks.py
sets when it saves the outputs, so the stored and the new outputs can match exactly.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parent
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def _kernel_env() -> dict[str, str]:
    """KERNEL_ENV from tools/run_notebooks.py (one list of variables for both places)."""
    spec = importlib.util.spec_from_file_location(
        "run_notebooks", ROOT / "tools" / "run_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.KERNEL_ENV


# This process draws off-screen; kernels get the inline backend from KERNEL_ENV instead.
matplotlib.use("Agg")
os.environ.update(_kernel_env())


def pytest_configure(config) -> None:
    """Find the nbval sanitize file from any working directory (pyproject names it relatively)."""
    given = getattr(config.option, "nbval_sanitize_with", None)
    if given and not Path(given).is_absolute() and not Path(given).exists():
        config.option.nbval_sanitize_with = str(config.rootpath / given)


def pytest_collection_finish(session) -> None:
    """Start the other-kernel notebook runs (tests/portability.py) now, on the other core, when
    their test was collected; the test then only waits for them."""
    wanted = "test_portable_outputs.py::test_notebook_outputs_are_the_same"
    if any(wanted in item.nodeid for item in session.items):
        sys.path.insert(0, str(ROOT / "tests"))
        import portability

        portability.start()


def pytest_sessionfinish(session) -> None:
    """End other-kernel runs that no test waited for."""
    module = sys.modules.get("portability")
    if module is not None:
        module.stop()
