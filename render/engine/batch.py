"""Render many scenes in parallel; one failure never stops the others.

Each scene is one task on a thread that drives worker processes (or Dask tasks) through the
:class:`~render.engine.pipeline.Engine`, so scenes are isolated from each other in separate
interpreters while the cache, the output lock and the progress display stay in this process.
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from render.core.errors import RenderFailed, UserError
from render.core.params import Params
from render.core.quality import Quality
from render.core.spec import SceneSpec
from render.engine.pipeline import Engine
from render.tools.lock import writing

STATUS = {"hit": "cached", "miss": "rendered", "corrupt": "rebuilt"}


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One scene's line of the summary: ``rendered``, ``cached``, ``rebuilt`` or ``failed``."""

    scene_id: str
    status: str
    seconds: float
    video: Path | None = None
    log: Path | None = None
    error: str | None = None
    shards: int = 0
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "scene": self.scene_id,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "video": str(self.video) if self.video else None,
            "log": str(self.log) if self.log else None,
            "error": self.error,
            "shards": self.shards,
        }


def render_one(engine: Engine, spec: SceneSpec, params: Params, quality: Quality) -> Outcome:
    """Render one scene and describe the outcome; failures are caught and logged, not raised."""
    start = time.perf_counter()
    try:
        result = engine.render(spec, params, quality)
    except (RenderFailed, UserError) as exc:
        return Outcome(spec.id, "failed", time.perf_counter() - start, log=exc.log, error=str(exc))
    except Exception as exc:  # a bug in one scene's pipeline must not sink the batch
        log = engine.settings.cache.log(f"{spec.id}-{quality.name}")
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(traceback.format_exc())
        error = f"{type(exc).__name__}: {exc}"
        return Outcome(spec.id, "failed", time.perf_counter() - start, log=log, error=error)
    return Outcome(
        spec.id,
        STATUS[result.cache],
        result.seconds,
        video=result.video,
        shards=result.shards,
        warnings=result.warnings,
    )


def run_batch(
    engine: Engine, scenes: list[tuple[SceneSpec, Params]], quality: Quality
) -> list[Outcome]:
    """Render ``scenes`` with up to ``engine.executor.slots`` at once; outcomes in input order.

    The longest scenes (by their declared duration) start first: what is left for the end is
    then short, so the slots stay busy until the batch is done instead of one long scene running
    alone at the end. Holds the output folder's lock for the whole batch (one writer per output
    folder).
    """
    slots = max(1, engine.executor.slots)
    longest_first = sorted(range(len(scenes)), key=lambda i: -scenes[i][0].duration)
    with writing(engine.settings), ThreadPoolExecutor(max_workers=slots) as pool:
        futures = {
            i: pool.submit(render_one, engine, scenes[i][0], scenes[i][1], quality)
            for i in longest_first
        }
        return [futures[i].result() for i in range(len(scenes))]
