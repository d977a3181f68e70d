"""``list``, ``render`` and ``data``: the per-scene commands."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from render.cli.common import console, err_console, error_boundary
from render.cli.options import (
    BeatOption,
    FpsOption,
    JobsOption,
    OutOption,
    QualityOption,
    SeedOption,
    SetOption,
    StrictOption,
    VoiceOption,
)
from render.core.catalog import all_scenes, get_scene
from render.core.params import parse_assignments
from render.core.quality import get_quality
from render.core.settings import load_settings
from render.engine.beat import render_beat
from render.engine.pipeline import render_scene
from render.narration.request import NarrationRequest
from render.narration.voice import BUNDLED
from render.publish.data_export import export_data

app = typer.Typer()


@app.command("list")
@error_boundary
def list_scenes(
    ids: Annotated[bool, typer.Option("--ids", help="Print only the ids, one per line.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the registry as JSON.")] = False,
) -> None:
    """The registered scenes, in order."""
    scenes = all_scenes()
    if ids:
        for spec in scenes:
            print(spec.id)
        return
    if as_json:
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "description": s.description,
                "tags": list(s.tags),
                "duration": s.duration,
            }
            for s in scenes
        ]
        print(json.dumps(rows, indent=2))
        return
    table = Table(title="mathreel scenes")
    for column in ("id", "title", "description", "tags", "~duration"):
        table.add_column(column)
    for s in scenes:
        table.add_row(s.id, s.title, s.description, ", ".join(s.tags), f"{s.duration:.0f} s")
    console.print(table)


@app.command("render")
@error_boundary
def render(
    scene: Annotated[str, typer.Argument(help="Scene id (see mathreel list).")],
    quality: QualityOption = "1080p",
    fps: FpsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    out: OutOption = None,
    jobs: JobsOption = 1,
    beat: BeatOption = None,
    voice: VoiceOption = BUNDLED,
    strict: StrictOption = False,
) -> None:
    """Render one scene to out/<id>/<quality>/<id>.mp4 (fast start); --jobs N renders N shards;
    --beat N|NAME renders only that beat, into out/<id>/<quality>/beats/."""
    spec = get_scene(scene)
    params = spec.params.from_overrides(parse_assignments(set_), seed)
    q = get_quality(quality).with_fps(fps)
    settings = load_settings(out)
    narration = NarrationRequest(voice, settings.narration_dir, strict)
    if beat is not None:
        clip = render_beat(spec.id, params, q, settings, beat, narration=narration)
        note = "" if clip.exact else "; time-based updaters: frames may differ from the full render"
        console.print(
            f"{clip.video}  (beat {clip.number} {clip.name!r}, {clip.seconds:.1f} s{note})",
            markup=False,
        )
        return
    result = render_scene(spec.id, params, q, settings, jobs=jobs, narration=narration)
    for warning in result.warnings:
        err_console.print(f"warning: {warning}", markup=False)
    how = "cached" if result.cache == "hit" else f"{result.shards} shard(s)"
    if result.unsharded is not None:
        how += f": {result.unsharded}"
    if result.cache == "corrupt":
        how += "; note: the cache entry was damaged, so it was rendered again"
    console.print(f"{result.video}  ({result.seconds:.1f} s, {how})", markup=False)


@app.command("data")
@error_boundary
def data(
    scene: Annotated[str, typer.Argument(help="Scene id (see mathreel list).")],
    seed: SeedOption = None,
    set_: SetOption = None,
    fmt: Annotated[str, typer.Option("--format", help="json | npz")] = "json",
    out: OutOption = None,
) -> None:
    """Write the numbers the scene is drawn from to out/<id>/<id>.data.<format>."""
    spec = get_scene(scene)
    params = spec.params.from_overrides(parse_assignments(set_), seed)
    path = export_data(spec, params, fmt, load_settings(out).out_dir)
    console.print(str(path), markup=False)
