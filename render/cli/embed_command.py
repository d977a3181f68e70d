"""``embed``: print a snippet that embeds a scene's web video, or install the Hugo shortcode."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from render.cli.common import console, error_boundary
from render.cli.options import OutOption
from render.core.catalog import get_scene
from render.core.errors import UserError
from render.core.settings import load_settings
from render.publish import page_embed
from render.publish.embed import FORMATS, install_hugo_shortcode, missing_files, snippet
from render.publish.embed import base_url as checked_base_url
from render.publish.presskit import load_meta

app = typer.Typer()


@app.command("embed")
@error_boundary
def embed(
    scene: Annotated[str | None, typer.Argument(help="Scene id (exported first).")] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=" | ".join((*FORMATS, "interactive")))
    ] = "html",
    markup: Annotated[
        str, typer.Option("--markup", help="For --format interactive: " + " | ".join(FORMATS))
    ] = "html",
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="Where the kit is served (default: <id>/, beside out/)."),
    ] = None,
    hugo_shortcode: Annotated[
        Path | None,
        typer.Option("--hugo-shortcode", help="Install layouts/shortcodes/mathreel.html here."),
    ] = None,
    out: OutOption = None,
) -> None:
    """Print a <video> embed (WebM + MP4, poster, captions, no autoplay under reduced motion), or
    with --format interactive an iframe of the scene's interactive page."""
    if hugo_shortcode is not None:
        console.print(str(install_hugo_shortcode(hugo_shortcode)), markup=False)
        console.print(str(page_embed.install_hugo_shortcode(hugo_shortcode)), markup=False)
        return
    if scene is None:
        raise UserError("name a scene to embed (or pass --hugo-shortcode DIR)")
    spec = get_scene(scene)
    if fmt not in (*FORMATS, "interactive"):
        choices = ", ".join((*FORMATS, "interactive"))
        raise UserError(f"unknown format '{fmt}' (choose from {choices})")
    base = checked_base_url(base_url if base_url is not None else f"{spec.id}/")
    kit = load_settings(out).out.kit(spec.id)
    meta = load_meta(kit)
    if fmt == "interactive":
        print(page_embed.snippet(meta, markup, base))
        return
    missing = missing_files(kit, meta)
    if missing:
        fix = f"run 'mathreel export {spec.id} --target web,poster'"
        raise UserError(f"{kit}: {', '.join(missing)} missing ({fix})")
    print(snippet(meta, fmt, base))
