"""``export``: turn rendered scenes into upload and embed targets plus a press kit."""

from __future__ import annotations

from typing import Annotated

import typer

from render.cli.common import console, error_boundary
from render.cli.options import OutOption, VoiceOption
from render.core.catalog import all_scenes, get_scene
from render.core.errors import UserError
from render.core.settings import load_settings
from render.narration.voice import BUNDLED
from render.publish.export import (
    ExportOptions,
    all_target_names,
    default_target_names,
    export_many,
    parse_bytes,
)
from render.publish.interactive import DEFAULT_SEEDS
from render.publish.targets import parse_targets

app = typer.Typer()


@app.command("export")
@error_boundary
def export(
    scene: Annotated[str | None, typer.Argument(help="Scene id (or --all).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Export every registered scene.")] = False,
    target: Annotated[
        str, typer.Option("--target", "-t", help=f"Comma-separated, of {all_target_names()}")
    ] = default_target_names(),
    quality: Annotated[
        str | None,
        typer.Option("--quality", "-q", help="Render to start from (default: the best on disk)."),
    ] = None,
    width: Annotated[int, typer.Option("--width", help="Width of the web target.")] = 1280,
    max_bytes: Annotated[
        str | None, typer.Option("--max-bytes", help="Size limit of gif/webp, e.g. 2MB.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the ffmpeg commands; write nothing.")
    ] = False,
    seeds: Annotated[
        int, typer.Option("--seeds", help="Experiments (seeds) the interactive page carries.")
    ] = DEFAULT_SEEDS,
    out: OutOption = None,
    voice: VoiceOption = BUNDLED,
) -> None:
    """Encode targets, captions, chapters and meta.json into out/<id>/ (listed in manifest.json)."""
    if all_ == (scene is not None):
        raise UserError("name one scene or pass --all (not both)")
    specs = list(all_scenes()) if all_ else [get_scene(scene or "")]
    options = ExportOptions(
        targets=tuple(parse_targets(target)),
        quality=quality,
        web_width=width,
        max_bytes=parse_bytes(max_bytes) if max_bytes is not None else None,
        dry_run=dry_run,
        seeds=seeds,
        voice=voice,
    )
    kits = export_many(specs, options, load_settings(out), lambda line: print(line, flush=True))
    if not dry_run:
        for kit in kits:
            console.print(f"{kit}/", markup=False)
