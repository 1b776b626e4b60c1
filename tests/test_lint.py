"""Style and types: ruff and mypy (configured in pyproject.toml) over the package and the tests.

A test rather than a step before pytest: under pytest-xdist it runs beside the other files, on
whichever worker is free, instead of holding both cores idle but one while it runs first
(``make test`` and ``make test-fast`` run it; ``make lint`` runs the same two commands alone).
"""
from __future__ import annotations

import subprocess
import sys

from pdz_dev.project import ROOT

RUFF = [sys.executable, "-P", "-m", "ruff", "check", "--no-cache", "macros", "tests"]
MYPY = [sys.executable, "-P", "-m", "mypy"]


def _run(command: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = _run(RUFF)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = _run(MYPY)
    assert result.returncode == 0, result.stdout + result.stderr
