"""``publish``: put scenes' web kits into a Hugo, Jekyll, MDX or Markdown site and print the
snippets for their posts (on stdout, alone, so ``>> post.md`` takes only them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from render.cli.common import err_console, error_boundary
from render.cli.options import OutOption
from render.core.catalog import get_scene, scene_ids
from render.core.errors import UserError
from render.core.settings import load_settings
from render.publish.sites import GENERATORS, generator, publish_site

app = typer.Typer()


@app.command("publish")
@error_boundary
def publish(
    scene: Annotated[str | None, typer.Argument(help="Scene id (exported first).")] = None,
    site: Annotated[
        tuple[str, Path] | None,
        typer.Option("--site", metavar="KIND DIR", help=f"{' | '.join(GENERATORS)} and its root."),
    ] = None,
    all_scenes: Annotated[
        bool, typer.Option("--all", help="Every registered scene with an exported kit.")
    ] = False,
    site_path: Annotated[
        str,
        typer.Option("--site-path", help="mdx, markdown: the path the site is served under."),
    ] = "/",
    out: OutOption = None,
) -> None:
    """Copy the web kit into the site's static files, install the shortcode or include, print
    the snippet."""
    if site is None:
        raise UserError("give the site: --site hugo|jekyll|mdx|markdown DIR")
    if (scene is None) == (not all_scenes):
        raise UserError("name one scene or pass --all")
    kind, root = site
    paths = load_settings(out).out
    if all_scenes:
        ids = [sid for sid in scene_ids() if paths.meta(sid).is_file()]
        if not ids:
            raise UserError(f"{paths.root} has no exported scene (run 'mathreel export --all')")
    else:
        ids = [get_scene(scene or "").id]
    run = publish_site(generator(kind), root, paths, ids, site_path)
    if run.template is not None:
        path, written = run.template
        err_console.print(f"{'installed' if written else 'up to date:'} {path}", markup=False)
    for done in run.scenes:
        err_console.print(
            f"{done.scene_id}: {done.folder}/ ({len(done.copied)} copied, "
            f"{len(done.unchanged)} unchanged, {len(done.removed)} removed)",
            markup=False,
        )
        print(done.snippet)  # verbatim: no console markup, emoji codes or wrapping
