"""Render one beat of a scene alone: exactly the frames of that section of the full render.

The worker skips every animation before the beat and stops at the first one after it (see
:class:`render.engine.play_window.BeatWindow`), so the clip costs the beat plus skipping up to it.
Skipping leaves the scene in the state drawing would (the shard proof), so the clip's frames are
the full render's frames of that section, unless a time-based updater was live: then the clip is
still made, and marked as not exact.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from pathlib import Path
from typing import Any

from render.core.catalog import get_scene
from render.core.errors import UserError
from render.core.params import Params
from render.core.quality import Quality
from render.core.records import Number, PlayRecord, load_json, require
from render.core.settings import Settings
from render.engine.executors import Executor, LocalExecutor
from render.engine.pipeline import narration_job_fields, worker_job
from render.engine.play_window import beat_matches
from render.engine.worker import WorkerJob
from render.narration.request import NarrationRequest
from render.tools.atomic import atomic_path, sweep_temporaries, write_text
from render.tools.lock import output_lock
from render.tools.media import remux_faststart

EPS = 1e-4


@dataclasses.dataclass(frozen=True)
class BeatResult:
    """A rendered beat: its 1-based number and name, the clip and its timeline.

    ``exact`` is False when time-based updaters were live, so skipping to the beat may have
    changed its frames (such scenes are not sharded either).
    """

    scene_id: str
    number: int
    name: str
    video: Path
    timeline: Path
    seconds: float
    exact: bool


def beat_list(sections: list[dict[str, Any]]) -> str:
    return ", ".join(f"{i + 1} {s['name']!r}" for i, s in enumerate(sections))


def find_beat(beat: str, sections: list[dict[str, Any]]) -> int | None:
    """The index of the first section ``beat`` (a 1-based number or a name) names."""
    return next((i for i, s in enumerate(sections) if beat_matches(beat, i, s["name"])), None)


def clip_timeline(timeline: dict[str, Any], index: int) -> dict[str, Any]:
    """The timeline of the clip of section ``index``, from the beat render's own timeline.

    That render stopped where the beat ends, so its duration is the beat's end; every list of
    events (sections, cues and whatever else the scene records) keeps the events starting inside
    the beat, moved to the clip's clock.
    """
    start = timeline["sections"][index]["start"]
    end = timeline["duration"]
    clip: dict[str, Any] = {}
    for key, value in timeline.items():
        if isinstance(value, list):
            clip[key] = [
                _shifted(e, -start)
                for e in value
                if isinstance(e, dict) and start - EPS <= e.get("start", -1.0) < end - EPS
            ]
    clip["duration"] = round(end - start, 6)
    clip["beat"] = {"number": index + 1, "name": timeline["sections"][index]["name"]}
    return clip


def _shifted(event: dict[str, Any], offset: float) -> dict[str, Any]:
    moved = dict(event)
    for field in ("start", "end"):
        if field in moved:
            moved[field] = round(moved[field] + offset, 6)
    return moved


def beat_job(
    scene_id: str, params: Params, quality: Quality, settings: Settings, beat: str
) -> WorkerJob:
    job = worker_job(scene_id, params, quality, settings)
    return dataclasses.replace(job, media_dir=str(job.media.beat(beat)), beat=beat)


def render_beat(
    scene_id: str,
    params: Params,
    quality: Quality,
    settings: Settings,
    beat: str,
    executor: Executor | None = None,
    narration: NarrationRequest | None = None,
) -> BeatResult:
    """Render beat ``beat`` of ``scene_id`` into ``out/<id>/<quality>/beats/`` (not cached).

    With ``narration`` the scene waits for its voice exactly as the full render does, so the clip
    has that render's frames; the clip itself is silent (it is for looking at).

    An unknown beat is a :class:`UserError` listing the scene's beats (the worker ran through
    the whole scene without drawing, so its timeline has them all).
    """
    start = time.perf_counter()
    spec = get_scene(scene_id)
    job = beat_job(spec.id, params, quality, settings, beat)
    job = dataclasses.replace(
        job, **narration_job_fields(narration or NarrationRequest(), spec, settings)
    )
    log = settings.cache.log(Path(job.media_dir).name)
    with output_lock(settings.out_dir):
        sweep_temporaries(settings.out_dir)
        (executor or LocalExecutor(1)).run(job, log, lambda _frames: None)
        try:
            timeline = require(
                job.timeline_path,
                load_json(job.timeline_path),
                {"sections": list, "duration": Number},
                "timeline",
            )
            plays = PlayRecord.load(job.plays_path)
            index = find_beat(beat, timeline["sections"])
            if index is None:
                raise UserError(
                    f"{spec.id} has no beat {beat!r}; its beats: {beat_list(timeline['sections'])}"
                )
            if not any(plays.rendered):
                raise UserError(f"beat {index + 1} of {spec.id} has no animation to draw")
            clip = clip_timeline(timeline, index)
            video = settings.out.beat_video(spec.id, quality.name, index + 1)
            with atomic_path(video) as tmp:
                remux_faststart(job.movie_path, tmp, log)
            timeline_file = video.with_suffix(".timeline.json")
            write_text(timeline_file, json.dumps(clip, indent=1))
        finally:
            shutil.rmtree(job.media_dir, ignore_errors=True)
    skipped = not plays.rendered[0]
    return BeatResult(
        scene_id=spec.id,
        number=index + 1,
        name=clip["beat"]["name"],
        video=video,
        timeline=timeline_file,
        seconds=time.perf_counter() - start,
        exact=not (plays.time_based and skipped),
    )
