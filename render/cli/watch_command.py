"""``watch``: re-render a scene (or one beat) on every source change, with a live preview page."""

from __future__ import annotations

from typing import Annotated

import typer

from render.cli.common import console, error_boundary
from render.cli.options import (
    BeatOption,
    OutOption,
    QualityOption,
    SeedOption,
    SetOption,
    VoiceOption,
)
from render.core.catalog import get_scene
from render.core.params import parse_assignments
from render.core.quality import get_quality
from render.core.settings import load_settings
from render.narration.request import NarrationRequest
from render.narration.voice import BUNDLED
from render.publish.watch import watch as watch_scene

app = typer.Typer()


@app.command("watch")
@error_boundary
def watch(
    scene: Annotated[str, typer.Argument(help="Scene id (see mathreel list).")],
    beat: BeatOption = None,
    quality: QualityOption = "preview",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free).")
    ] = 8765,
    seed: SeedOption = None,
    set_: SetOption = None,
    out: OutOption = None,
    voice: VoiceOption = BUNDLED,
) -> None:
    """Render, serve http://127.0.0.1:PORT/ and render again whenever the scene's sources change."""
    spec = get_scene(scene)
    params = spec.params.from_overrides(parse_assignments(set_), seed)
    settings = load_settings(out)
    narration = NarrationRequest(voice, settings.narration_dir)
    try:
        watch_scene(
            spec, params, get_quality(quality), settings, beat=beat, port=port,
            say=lambda line: console.print(line, markup=False), narration=narration,
        )  # fmt: skip
    except KeyboardInterrupt:
        console.print("stopped", markup=False)
