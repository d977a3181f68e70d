"""A copy of the project in a temporary folder, for tests that edit sources or add scenes.

Python run through :func:`run_in` (or :func:`python_in`) imports the copy's own ``render`` and
``scenes`` packages; the copy shares the suite's Tex cache so LaTeX runs once per formula.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TEX_CACHE = REPO / ".cache" / "mathreel" / "tex"


def copy_project(copy: Path) -> Path:
    """The repository's files (tracked, and new ones not ignored) copied to ``copy``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO, check=True, capture_output=True,
    ).stdout.split(b"\0")  # fmt: skip
    for name in map(os.fsdecode, filter(None, listed)):
        if (REPO / name).is_file():  # not deleted in the working tree
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    TEX_CACHE.mkdir(parents=True, exist_ok=True)
    (copy / "cache").mkdir()
    (copy / "cache" / "tex").symlink_to(TEX_CACHE, target_is_directory=True)
    return copy


def python_in(project: Path, *argv: str, **popen: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.Popen([sys.executable, *argv], cwd=project, env=env, text=True, **popen)


def run_in(project: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run(
        [sys.executable, *argv], cwd=project, env=env, capture_output=True, text=True
    )
