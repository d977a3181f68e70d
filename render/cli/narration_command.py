"""``narration script``: the recording script for a scene's takes."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from render.cli.common import console, error_boundary
from render.cli.options import OutOption, QualityOption
from render.core.catalog import get_scene
from render.core.quality import get_quality
from render.core.settings import load_settings
from render.engine.pipeline import render_scene
from render.narration.script import recording_script
from render.tools.atomic import write_text

app = typer.Typer()
narration = typer.Typer(help="Narration: recording scripts for your own takes.")
app.add_typer(narration, name="narration")


@narration.command("script")
@error_boundary
def script(
    scene: Annotated[str, typer.Argument(help="Scene id (see mathreel list).")],
    quality: QualityOption = "preview",
    out: OutOption = None,
) -> None:
    """Write narration/<scene>.script.md: every cue's id, beat, time and words (silent render)."""
    spec = get_scene(scene)
    settings = load_settings(out)
    result = render_scene(spec.id, spec.default_params(), get_quality(quality), settings)
    folder = settings.narration_dir / spec.id
    text = recording_script(spec.id, json.loads(result.timeline.read_text()), folder)
    path = settings.narration_dir / f"{spec.id}.script.md"
    write_text(path, text)
    console.print(f"{path}  ({text.count(chr(10)) - 6} cues; takes go in {folder}/)", markup=False)
