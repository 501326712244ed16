"""ruff, mypy (on the core) and the import contracts, run by the README's test command.

Why here rather than in ``.ci/run``: the README's one test command is what CI runs and what a
developer runs, so a broken layer or a lint error fails both in the same place, with the tool's
own report in the failure. The tools are in the ``test`` extra; their configuration is in
pyproject.toml (``[tool.ruff]``, ``[tool.mypy]``, ``[tool.importlinter]``). mypy takes a while on a
cold cache, so it is marked ``slow`` (``pytest -m "not slow"`` skips it locally).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _run(*command: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=900)


def _tool(name: str) -> str:
    path = shutil.which(name, path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    assert path, f"{name} is missing: pip install -e \".[test]\""
    return path


def test_ruff_passes():
    result = _run(_tool("ruff"), "check", "dicom_desktop", "tests", "benchmarks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold():
    """The layers: the core never imports ui/ or Qt, lower rooms never import higher ones, ui/
    features never import the window."""
    result = _run(_tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_on_the_core_passes():
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout + result.stderr
