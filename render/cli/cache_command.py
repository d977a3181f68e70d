"""``cache list``, ``cache explain SCENE`` and ``cache clear``: look into the render cache."""

from __future__ import annotations

import datetime
from typing import Annotated

import typer
from rich.table import Table

from render.cli.common import console, err_console, error_boundary
from render.cli.options import FpsOption, QualityOption, SeedOption, SetOption, VoiceOption
from render.core.catalog import get_scene
from render.core.params import parse_assignments
from render.core.quality import get_quality
from render.core.settings import load_settings
from render.engine.cache import ENTRY_FILE, RenderCache, cache_key, explain
from render.narration.request import NarrationRequest
from render.narration.voice import BUNDLED

app = typer.Typer(
    name="cache", help="The render cache: list, explain, clear.", no_args_is_help=True
)


def note(line: str) -> None:
    err_console.print(line, markup=False)


@app.command("list")
@error_boundary
def list_entries() -> None:
    """Every stored render: scene, quality, size, when, how long it took."""
    cache = RenderCache(load_settings().cache)
    entries = cache.entries()
    for folder in cache.damaged():
        note(f"note: {folder / ENTRY_FILE} is damaged; the entry is rebuilt when next used")
    table = Table(title=f"render cache ({len(entries)} entries)")
    for column in ("scene", "quality", "frames", "MB", "created", "render s", "key"):
        table.add_column(column)
    for e in entries:
        created = datetime.datetime.fromtimestamp(e.created).strftime("%Y-%m-%d %H:%M")
        size = e.video.stat().st_size / 1e6 if e.video.is_file() else 0.0
        table.add_row(
            e.scene_id,
            e.quality,
            e.inputs.get("quality", "?"),
            f"{size:.1f}",
            created,
            f"{e.render_seconds:.1f}",
            e.folder.name,
        )
    console.print(table)


@app.command("explain")
@error_boundary
def explain_scene(
    scene: Annotated[str, typer.Argument(help="Scene id (see mathreel list).")],
    quality: QualityOption = "preview",
    fps: FpsOption = None,
    seed: SeedOption = None,
    set_: SetOption = None,
    voice: VoiceOption = BUNDLED,
) -> None:
    """Whether SCENE would re-render with these options, and which input changed."""
    spec = get_scene(scene)
    params = spec.params.from_overrides(parse_assignments(set_), seed)
    q = get_quality(quality).with_fps(fps)
    settings = load_settings()
    cache = RenderCache(settings.cache)
    narration = NarrationRequest(voice, settings.narration_dir).key_inputs(spec.id)
    key = cache_key(spec, params, q, narration)
    status = cache.lookup(key, repair=False).status
    if status == "hit":
        console.print(f"{spec.id} @ {q.name}: up to date (cache entry {key.digest})", markup=False)
        return
    reasons = explain(cache.last_inputs(spec.id, q.name, note), key.inputs)
    if status == "corrupt":
        reasons.insert(
            0, "the cache entry is corrupt (its hash does not match); it will be rebuilt"
        )
    elif not reasons:
        reasons = ["the cache entry for this key was removed"]
    console.print(f"{spec.id} @ {q.name}: would render, because", markup=False)
    for reason in reasons:
        console.print(f"  - {reason}", markup=False)


@app.command("clear")
@error_boundary
def clear() -> None:
    """Remove every stored render."""
    count = RenderCache(load_settings().cache).clear()
    console.print(f"removed {count} cache entries", markup=False)
