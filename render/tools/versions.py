"""Versions of the programs and libraries that turn a scene into pixels, for the render cache key.

An upgrade of Manim, ffmpeg or LaTeX can change the frames, so each is part of the key. Python
packages are read from their metadata (no import); programs answer ``--version`` once per process.
"""

from __future__ import annotations

import functools
import shutil
from importlib import metadata

from render.core.errors import ToolFailed
from render.tools.proc import run

PACKAGES = ("manim", "numpy", "scipy", "pycairo", "manimpango")
PROGRAMS = ("ffmpeg", "latex", "dvisvgm")


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _program_version(program: str) -> str:
    if shutil.which(program) is None:
        return "missing"
    argv = [program, "-version"] if program == "ffmpeg" else [program, "--version"]
    try:
        lines = run(argv).strip().splitlines()
    except ToolFailed:
        return "unknown"
    return lines[0] if lines else "unknown"


@functools.cache
def tool_versions() -> dict[str, str]:
    """``{name: version}`` for every package and program in the cache key."""
    versions = {name: package_version(name) for name in PACKAGES}
    versions.update({name: _program_version(name) for name in PROGRAMS})
    return versions
