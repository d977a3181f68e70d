"""``gallery``: write out/index.html, a self-contained page of every exported scene."""

from __future__ import annotations

import typer

from render.cli.common import console, err_console, error_boundary
from render.cli.options import OutOption
from render.core.settings import load_settings
from render.publish.gallery import write_gallery

app = typer.Typer()


@app.command("gallery")
@error_boundary
def gallery(out: OutOption = None) -> None:
    """Every exported scene with its video, summary, captions and downloads, on one page."""

    def note(line: str) -> None:
        err_console.print(line, markup=False)

    console.print(str(write_gallery(load_settings(out).out_dir, note=note)), markup=False)
