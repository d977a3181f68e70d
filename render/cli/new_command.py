"""``new``: scaffold a scene (model, scene, registry entry, model test) and register it."""

from __future__ import annotations

from typing import Annotated

import typer

from render.cli.common import console, error_boundary
from render.core.catalog import scene_ids
from render.core.scaffold import scaffold
from render.engine.sources import PROJECT_ROOT

app = typer.Typer()


@app.command("new")
@error_boundary
def new(
    scene_id: Annotated[str, typer.Argument(help="The new scene's id, e.g. monty-hall.")],
    title: Annotated[str, typer.Option("--title", help="The scene's title.")],
) -> None:
    """Create scenes/<id>/ (model, scene, entry) and its model test, and register the scene."""
    written = scaffold(PROJECT_ROOT, scene_id, title, scene_ids())
    for path in written:
        console.print(str(path.relative_to(PROJECT_ROOT)), markup=False)
    test = written[3].relative_to(PROJECT_ROOT)
    console.print(
        f"next: mathreel render {scene_id} -q preview; pytest {test};"
        f" pytest --regen-images -k {scene_id} (its reference frame)",
        markup=False,
    )
