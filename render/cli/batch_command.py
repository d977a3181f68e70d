"""``batch``: render several scenes (default: all) in parallel, through the render cache."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from render.cli.common import console, error_boundary
from render.cli.options import FpsOption, OutOption, QualityOption, SeedOption
from render.core.catalog import all_scenes, get_scene
from render.core.errors import UserError
from render.core.quality import get_quality
from render.core.settings import load_settings
from render.engine.batch import Outcome, run_batch
from render.engine.executors import DaskExecutor, Executor, LocalExecutor
from render.engine.pipeline import Engine
from render.engine.progress import make_reporter

app = typer.Typer()


def make_executor(
    name: str, jobs: int | None, scheduler: str | None, shared: Path | None
) -> Executor:
    if name == "local":
        if scheduler or shared:
            raise UserError("--scheduler and --shared go with --executor dask")
        return LocalExecutor(jobs or os.cpu_count() or 1)
    if name == "dask":
        if not scheduler:
            raise UserError("--executor dask needs --scheduler tcp://HOST:8786")
        return DaskExecutor(scheduler, shared.resolve() if shared else None)
    raise UserError(f"unknown executor '{name}' (choose from local, dask)")


def summary_table(outcomes: list[Outcome]) -> Table:
    table = Table(title="mathreel batch")
    for column in ("scene", "status", "seconds", "output or log"):
        table.add_column(column)
    for o in outcomes:
        where = str(o.video) if o.video else f"{o.error}"
        status = f"{o.status} ({o.shards} shards)" if o.shards > 1 else o.status
        style = "red" if o.status == "failed" else None
        table.add_row(o.scene_id, status, f"{o.seconds:.1f}", where, style=style)
    return table


@app.command("batch")
@error_boundary
def batch(
    scenes: Annotated[list[str] | None, typer.Argument(help="Scene ids (default: all).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Render every registered scene.")] = False,
    quality: QualityOption = "preview",
    fps: FpsOption = None,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, max=64, help="Scenes at once (default: cores)."),
    ] = None,
    seed: SeedOption = None,
    out: OutOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    executor: Annotated[str, typer.Option("--executor", help="local | dask")] = "local",
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address, tcp://HOST:8786.")
    ] = None,
    shared: Annotated[
        Path | None,
        typer.Option(
            "--shared", help="Folder every Dask worker mounts: results are written there."
        ),
    ] = None,
) -> None:
    """Render the chosen scenes in parallel; a failing scene never stops the others (exit 1)."""
    if all_ and scenes:
        raise UserError("give scene ids or --all, not both")
    specs = [get_scene(s) for s in scenes] if scenes else list(all_scenes())
    q = get_quality(quality).with_fps(fps)
    settings = load_settings(out)
    work = [(spec, spec.params.from_overrides({}, seed)) for spec in specs]
    # The executor is checked before the batch takes the lock, so bad options leave out/ untouched.
    runner = make_executor(executor, jobs, scheduler, shared)
    try:
        reporter = make_reporter(console, quiet=as_json)
        try:
            outcomes = run_batch(Engine(settings, runner, reporter), work, q)
        finally:
            reporter.close()
    finally:
        if isinstance(runner, DaskExecutor):
            runner.close()
    failed = [o for o in outcomes if o.status == "failed"]
    if as_json:
        summary = {"quality": q.name, "ok": not failed, "scenes": [o.as_dict() for o in outcomes]}
        print(json.dumps(summary, indent=2))
    else:
        console.print(summary_table(outcomes))
    if failed:
        raise typer.Exit(1)
