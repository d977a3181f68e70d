"""What every command shares: the error boundary and the console."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer
from rich.console import Console

from render.errors import UserError
from render.pipeline import RenderFailed

F = TypeVar("F", bound=Callable[..., Any])

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def error_boundary(func: F) -> F:
    """Turn expected failures into one line on stderr: exit 2 for bad input, 1 for a failed render."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except UserError as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(2) from None
        except RenderFailed as exc:
            err_console.print(f"error: {exc}", markup=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err_console.print("interrupted; finished files are intact", markup=False)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
