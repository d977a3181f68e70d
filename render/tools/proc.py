"""The single runner for external programs: argv lists only, never shell strings."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Sequence

from render.core.errors import ToolFailed, UserError

__all__ = ["ToolFailed", "format_argv", "require", "run"]


def require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise UserError(
            f"'{program}' is not installed; run scripts/setup.sh demo or mathreel doctor"
        )
    return path


def run(
    argv: Sequence[str], *, capture: bool = True, timeout: float | None = None, log: bool = False
) -> str:
    """Run ``argv``; return its stdout (with ``log``, its stderr: ffmpeg's filters report their
    measurements there). Raise :class:`ToolFailed` with stderr's tail on failure."""
    require(argv[0])
    proc = subprocess.run(
        list(argv), capture_output=capture, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or "").strip().splitlines()[-5:])
        raise ToolFailed(f"{shlex.join(argv)} exited {proc.returncode}: {tail}")
    return (proc.stderr if log else proc.stdout) or ""


def format_argv(argv: Sequence[str]) -> str:
    """How a command is shown by ``--dry-run``: copy-pasteable into a shell."""
    return shlex.join(argv)
