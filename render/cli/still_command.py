"""``still``: one frame of a scene as an image, the same pixels as that frame of the video."""

from __future__ import annotations

from typing import Annotated

import typer

from render.cli.common import console, error_boundary
from render.cli.options import (
    BeatOption,
    FpsOption,
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
from render.engine.still import render_still
from render.narration.request import NarrationRequest
from render.narration.voice import BUNDLED

app = typer.Typer()


@app.command("still")
@error_boundary
def still(
    scene: Annotated[str, typer.Argument(help="Scene id (see mathreel list).")],
    at: Annotated[
        float | None, typer.Option("--at", help="The frame showing at this many seconds.")
    ] = None,
    beat: BeatOption = None,
    quality: QualityOption = "1080p",
    fps: FpsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    out: OutOption = None,
    fmt: Annotated[
        str, typer.Option("--format", help="png | svg (vector shapes and text)")
    ] = "png",
    voice: VoiceOption = BUNDLED,
) -> None:
    """One frame as PNG in out/<id>/<quality>/stills/: --at SECONDS, or --beat N|NAME for the
    beat's complete picture (the frame before it fades out)."""
    spec = get_scene(scene)
    params = spec.params.from_overrides(parse_assignments(set_), seed)
    q = get_quality(quality).with_fps(fps)
    settings = load_settings(out)
    narration = NarrationRequest(voice, settings.narration_dir)
    path, frame, missing = render_still(
        spec.id, params, q, settings, at=at, beat=beat, fmt=fmt, narration=narration
    )
    note = f"; not vector, left out: {', '.join(missing)}" if missing else ""
    console.print(
        f"{path}  (frame {frame.frame}, {frame.seconds(q.fps):.3f} s{note})", markup=False
    )
