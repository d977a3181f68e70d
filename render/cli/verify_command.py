"""``verify``: probe every exported file against its target's spec; non-zero exit on any failure."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from render.cli.common import console, error_boundary
from render.core.settings import load_settings
from render.publish.verify import verify_out

app = typer.Typer()


@app.command("verify")
@error_boundary
def verify(
    out: Annotated[
        Path | None, typer.Argument(help="Folder of press kits (default out/, or MATHREEL_OUT).")
    ] = None,
) -> None:
    """Check codecs, sizes, GOPs, fast start, byte limits, captions, chapters and checksums."""
    results = verify_out(load_settings(out).out_dir)
    table = Table(title="mathreel verify")
    for column in ("scene", "file", "result", "checks"):
        table.add_column(column)
    for r in results:
        status = "[green]ok[/]" if r.ok else "[red]FAIL[/]"
        detail = "; ".join(r.failed) if r.failed else ", ".join(r.passed)
        table.add_row(r.scene, r.file, status, detail.replace("[", r"\["))
    console.print(table)
    failures = sum(not r.ok for r in results)
    console.print(f"{len(results) - failures} of {len(results)} files pass", markup=False)
    if failures:
        raise typer.Exit(1)
