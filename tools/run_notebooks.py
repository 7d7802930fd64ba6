"""Re-execute the course notebooks in place, in one fixed environment, so outputs are reproducible.

Usage: python tools/run_notebooks.py [PATH ...]   (folders or .ipynb files; default: chapters
and solutions). `make notebooks` runs it. Each notebook runs top to bottom in a fresh kernel of
this Python; its outputs are saved without volatile metadata (timings), so running it twice
leaves `git diff` empty. conftest.py (repository root) gives nbval's kernels the same environment.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDERS = ("chapters", "solutions")

# What every notebook kernel sees, when outputs are saved and when nbval checks them.
KERNEL_ENV = {
    "PYTHONHASHSEED": "0",  # set and dict-of-str orders are the same on every run
    "OPENBLAS_NUM_THREADS": "1",  # one BLAS thread: matrix products round the same way
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONWARNINGS": "ignore",  # warnings print the kernel's temporary file path
    "AUTOGRAD_COURSE_HEADLESS": "1",  # animations draw their final frame only
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",  # figures inline, even under Agg
}
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def notebooks(paths: list[Path], allow_missing: bool = False) -> list[Path]:
    """The notebooks named by ``paths`` (folders are searched, sorted by name)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.ipynb") if p.is_file()))
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        elif not (allow_missing and not path.exists()):
            raise SystemExit(f"run_notebooks: {path} is neither a folder nor a .ipynb file")
    return found


def _current_env_kernel_manager():
    """A kernel manager that starts ipykernel in this very Python (not whatever 'python3' means
    in the user's Jupyter configuration), as nbval's --nbval-current-env does."""
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    class CurrentEnvSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str):
            return self.kernel_spec_class(resource_dir=RESOURCES, **get_kernel_dict())

    return KernelManager(kernel_name="python3", kernel_spec_manager=CurrentEnvSpecs())


def _normalise(nb) -> None:
    """Drop what changes between identical runs; give missing cell ids a stable value."""
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.nbformat_minor = max(nb.nbformat_minor, 5)
    used = {cell.get("id") for cell in nb.cells}
    for index, cell in enumerate(nb.cells):
        if not cell.get("id"):
            new_id = f"cell-{index:03d}"
            while new_id in used:
                new_id += "x"
            cell["id"] = new_id
            used.add(new_id)
        cell.metadata.pop("execution", None)  # nbclient's timing record


def run_notebook(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place; return the seconds it took. Raises on a failing cell."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    _normalise(nb)
    client = NotebookClient(
        nb,
        km=_current_env_kernel_manager(),
        timeout=timeout,
        record_timing=False,
        coalesce_streams=True,  # one stdout block per cell, however the kernel flushed it
        store_widget_state=False,  # widget state has fresh random ids on every run
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log lines are noise here
    seconds = time.perf_counter() - start
    _normalise(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str] | None = None) -> int:
    """Run the notebooks given on the command line; exit status 1 when any failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "paths", nargs="*", help="folders or notebooks (default: chapters solutions)"
    )
    parser.add_argument("--timeout", type=int, default=300, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    os.environ.update(KERNEL_ENV)
    from nbclient.exceptions import CellExecutionError

    failed = []
    if args.paths:
        paths = notebooks([Path(p) for p in args.paths])
    else:  # the default folders; solutions/ may not exist yet
        paths = notebooks([ROOT / folder for folder in DEFAULT_FOLDERS], allow_missing=True)
    for path in paths:
        try:
            seconds = run_notebook(path, timeout=args.timeout)
        except CellExecutionError as error:
            failed.append(path)
            print(f"FAILED  {path}: a cell raised; the file was left unchanged.\n{error}")
            continue
        print(f"{seconds:6.1f} s  {path}")
    if failed:
        print(f"{len(failed)} notebook(s) failed: " + ", ".join(str(p) for p in failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
