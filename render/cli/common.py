"""What every command shares: the error boundary and the console."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from render.core.errors import MathreelError
from render.tools.folders import USER_ERRNOS, describe

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def error_boundary(func: F) -> F:
    """The CLI's one error boundary: an expected failure becomes one line on stderr naming what
    failed (and the log file holding the rest), exit 2 for bad input and 1 for a failed tool or
    render. An OSError on a file (a folder that turned read-only, a full disk) is the machine's
    state, not a bug: one line naming the file. Anything else is a bug and keeps its traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MathreelError as exc:
            err_console.print(f"error: {one_line(exc)}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.filename is None:
                raise
            err_console.print(f"error: {exc.filename}: {describe(exc)}", markup=False)
            raise typer.Exit(2 if exc.errno in USER_ERRNOS else 1) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; finished files are intact", markup=False)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def one_line(exc: MathreelError) -> str:
    """The message on a single line, ending with the log file unless the message names it."""
    text = " ".join(str(exc).split())
    if exc.log is not None and str(exc.log) not in text:
        text += f" (log: {exc.log})"
    return text
