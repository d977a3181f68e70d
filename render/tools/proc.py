"""The single runner for external programs: argv lists only, never shell strings."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

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
    argv: Sequence[str],
    *,
    capture: bool = True,
    timeout: float | None = None,
    log: Path | None = None,
    read_stderr: bool = False,
) -> str:
    """Run ``argv``; return its stdout, or with ``read_stderr`` its stderr (where ffmpeg's
    filters report their measurements).

    On failure raise :class:`ToolFailed` naming the program and the last line it printed; with
    ``log``, the command and everything it printed on stderr are written there first.
    """
    require(argv[0])
    proc = subprocess.run(
        list(argv), capture_output=capture, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        stderr = (proc.stderr or "").strip()
        last = stderr.splitlines()[-1] if stderr else "no output"
        if log is not None:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(f"$ {shlex.join(argv)}\n{stderr}\n", encoding="utf-8")
        program = Path(argv[0]).name
        raise ToolFailed(f"{program} exited {proc.returncode}: {last}", log)
    return (proc.stderr if read_stderr else proc.stdout) or ""


def format_argv(argv: Sequence[str]) -> str:
    """How a command is shown by ``--dry-run``: copy-pasteable into a shell."""
    return shlex.join(argv)
