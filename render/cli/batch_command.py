"""``batch``: render several scenes (default: all)."""

from __future__ import annotations

from typing import Annotated

import typer

from render.catalog import all_scenes, get_scene
from render.cli.common import console, error_boundary
from render.cli.options import OutOption, QualityOption, SeedOption
from render.pipeline import render_scene
from render.quality import get_quality
from render.settings import load_settings

app = typer.Typer()


@app.command("batch")
@error_boundary
def batch(
    scenes: Annotated[list[str] | None, typer.Argument(help="Scene ids (default: all).")] = None,
    quality: QualityOption = "preview",
    seed: SeedOption = None,
    out: OutOption = None,
) -> None:
    """Render the chosen scenes one after another."""
    specs = [get_scene(s) for s in scenes] if scenes else list(all_scenes())
    q = get_quality(quality)
    settings = load_settings(out)
    for spec in specs:
        params = spec.params.from_overrides({}, seed)
        result = render_scene(spec.id, params, q, settings)
        console.print(f"{spec.id:<18} {result.video}  ({result.seconds:.1f} s)", markup=False)
