"""ruff and mypy (strict) over the Python code: part of the test command, so CI fails on either."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.paths import REPO

BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, check=False, timeout=600)


def test_ruff() -> None:
    folders = [f for f in ("scripts", "tests", "seed_code") if (REPO / f).is_dir()]
    proc = _run(str(BIN / "ruff"), "check", "--no-cache", *folders)
    assert proc.returncode == 0, f"ruff check found problems:\n{proc.stdout}{proc.stderr}"


@pytest.mark.slow
def test_mypy_strict() -> None:
    proc = _run(str(BIN / "mypy"), "--no-incremental")
    assert proc.returncode == 0, f"mypy --strict found problems:\n{proc.stdout}{proc.stderr}"
    assert "Success" in proc.stdout, proc.stdout
