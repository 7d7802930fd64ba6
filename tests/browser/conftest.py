"""The real-browser test runs only under `make test-browser` (it needs Chromium); its timings
are printed at the end of the run."""

from __future__ import annotations

import os

import pytest

# Plain `pytest` (and `make test`) leaves this folder out: the browser is not a dependency.
if os.environ.get("AUTOGRAD_COURSE_BROWSER_TEST") != "1":
    collect_ignore_glob = ["test_*.py"]

_REPORT = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def report(pytestconfig) -> list[str]:
    """Lines printed after the results: click-to-image times, Run All times."""
    return pytestconfig.stash.setdefault(_REPORT, [])


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the browser timings after the test results."""
    lines = terminalreporter.config.stash.get(_REPORT, [])
    if lines:
        terminalreporter.section("browser timings")
        for line in lines:
            terminalreporter.write_line(line)
