"""The one error hierarchy: what the CLI turns into a single line and an exit status.

Everything the library raises on purpose is a :class:`MathreelError`; the CLI boundary prints its
message on one line (with the log file, when there is one) and exits 2 for a :class:`UserError`
and 1 otherwise. Any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path


class MathreelError(Exception):
    """Base of every expected failure. ``log`` names the file holding the full story, if any."""

    exit_code = 1

    def __init__(self, message: str, log: Path | None = None) -> None:
        super().__init__(message)
        self.log = log

    def __reduce__(self) -> tuple[type[MathreelError], tuple[str, Path | None]]:
        # Dask sends exceptions between processes by pickling them: keep the log file.
        return (type(self), (str(self), self.log))


class UserError(MathreelError):
    """Bad input or a missing prerequisite, described in one line for the person at the terminal."""

    exit_code = 2


class ToolFailed(MathreelError):
    """An external program (ffmpeg, ffprobe, LaTeX) exited non-zero; carries its stderr's tail."""


class RenderFailed(MathreelError):
    """Manim failed on a scene; the message names the log file holding its output."""


class CorruptRecord(MathreelError):
    """A file passed between stages (timeline, play record, cache entry, ``meta.json``, export
    state) is unreadable or lacks a field; the message names the file."""
