"""``doctor``: one line per dependency, OK or the exact fix."""

from __future__ import annotations

import typer

from render.cli.common import console
from render.tools.doctor import run_checks

app = typer.Typer()


@app.command("doctor")
def doctor() -> None:
    """Check cairo/pango, ffmpeg, LaTeX + dvisvgm, fonts, the Manim version and the voice."""
    checks = run_checks()
    for check in checks:
        status = "[green]OK     [/]" if check.ok else "[red]MISSING[/]"
        console.print(f"{status} {check.name:<12} ", end="")
        console.print(check.detail, markup=False)
    if not all(c.ok for c in checks):
        raise typer.Exit(1)
