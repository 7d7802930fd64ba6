"""The declared minimum version of every runtime dependency, read from pyproject.toml.

Usage: python tools/min_deps.py            # print one pin per line: numpy==2.0, ...
       python tools/min_deps.py --check    # exit 1 unless exactly those versions are installed

`make test-min-deps` installs the printed pins into a venv of its own and runs the whole suite
there, so each floor in pyproject.toml is a version that has been tested, not a guess. Standard
library only: it runs in a venv that has nothing installed yet.
"""

from __future__ import annotations

import argparse
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# "name>=1.2" or "name[extra] >= 1.2, <3": the name and its floor.
FLOOR = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def _dependencies(pyproject: Path) -> list[str]:
    """The [project] dependencies list of ``pyproject``."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest brings tomli
        import tomli as tomllib
    with pyproject.open("rb") as f:
        return list(tomllib.load(f)["project"]["dependencies"])


def floors(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """Each runtime dependency's declared minimum version; a dependency without one is an error."""
    found = {}
    for requirement in _dependencies(pyproject):
        match = FLOOR.match(requirement)
        if match is None:
            raise SystemExit(f"min_deps: {requirement!r} in {pyproject} declares no '>=' floor")
        found[match.group(1)] = match.group(2)
    return found


def _same_version(installed: str, floor: str) -> bool:
    """``installed == floor`` as pip compares them (2.0 is 2.0.0)."""

    def parts(version: str) -> list[str]:
        fields = version.split(".")
        while len(fields) > 1 and fields[-1] == "0":
            fields.pop()
        return fields

    return parts(installed) == parts(floor)


def check(pins: dict[str, str]) -> list[str]:
    """The dependencies whose installed version is not their floor, as readable lines."""
    wrong = []
    for name, floor in pins.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name}: not installed (floor {floor})")
            continue
        if not _same_version(installed, floor):
            wrong.append(f"{name}: {installed} installed, floor is {floor}")
    return wrong


def main(argv: list[str] | None = None) -> int:
    """Print the pins, or with --check compare them with what this Python has installed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with installed versions")
    args = parser.parse_args(argv)
    pins = floors()
    if not args.check:
        print("\n".join(f"{name}=={version}" for name, version in pins.items()))
        return 0
    wrong = check(pins)
    for line in wrong:
        print(f"min_deps: {line}")
    if not wrong:
        print("min_deps: " + ", ".join(f"{n} {v}" for n, v in pins.items()) + " installed")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
