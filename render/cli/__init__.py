"""The ``mathreel`` command line: a thin layer of argument parsing over the ``render`` library.

Each command group lives in its own module with its own ``typer.Typer``; this module only mounts
them, so adding a command never means editing another command's file.
"""

from __future__ import annotations

import signal
import sys
from types import FrameType

import typer

from render.cli import (
    batch_command,
    cache_command,
    doctor_command,
    embed_command,
    export_command,
    gallery_command,
    narration_command,
    new_command,
    publish_command,
    scene_commands,
    still_command,
    verify_command,
    watch_command,
)

app = typer.Typer(
    name="mathreel",
    help="Render, export and publish mathematical explainer videos.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
for group in (
    scene_commands,
    still_command,
    new_command,
    batch_command,
    cache_command,
    doctor_command,
    export_command,
    embed_command,
    gallery_command,
    publish_command,
    verify_command,
    watch_command,
    narration_command,
):
    app.add_typer(group.app)


# Click's UsageError as Typer vendors it (Typer exports only its subclass BadParameter; typed as
# that subclass, which has the same format_message).
UsageError: type[typer.BadParameter] = next(
    c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError"
)


def _terminated(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM unwinds like Ctrl-C: temporaries are removed and children stopped on the way out."""
    raise SystemExit(128 + signum)


def main() -> None:
    """Run the CLI. A usage error (missing argument, unknown option, number out of range) is one
    line and exit 2, like every other bad input."""
    signal.signal(signal.SIGTERM, _terminated)
    try:
        code = app(standalone_mode=False)
    except UsageError as exc:
        print(f"error: {exc.format_message()}", file=sys.stderr)
        sys.exit(2)
    except typer.Abort:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)
