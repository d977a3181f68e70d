"""Sharding a scene: render windows of its clock in parallel, join them without re-encoding.

Each shard runs the scene's ``construct`` and draws only the animations that start inside its
window of the scene's nominal clock (see :mod:`render.engine.play_window`), skipping those before
it and stopping after it. Each shard therefore produces exactly the frames of its animations, and
concatenating the shards' movies with ffmpeg's stream copy gives the whole scene. That holds only
when skipping an animation leaves the scene in the state playing it would: a time-based updater
(one that takes ``dt``) advances once by the whole run time when skipped but frame by frame when
played, so such scenes are rendered unsharded.

The windows split the scene's length (exact when an earlier render of the same sources left a
:class:`Plan`, else the nominal duration in the scene's spec) so that every shard costs the same,
counting what skipping up to its window costs (:func:`render.engine.play_window.windows`). A poor
estimate only unbalances the shards; they still partition the scene exactly.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from render.core.errors import CorruptRecord
from render.core.records import Fields, Number, PlayRecord, load_json, require
from render.engine.play_window import Window
from render.engine.worker import WorkerJob
from render.tools.media import concat_argv
from render.tools.proc import run

EPS = 1e-4


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a finished render learned about a scene: the run time of every animation, and
    whether any time-based updater was live (then it must not be sharded)."""

    durations: tuple[float, ...]
    time_based: bool

    @property
    def num_plays(self) -> int:
        return len(self.durations)

    @classmethod
    def from_plays(cls, plays: PlayRecord) -> Plan:
        return cls(durations=plays.durations, time_based=plays.time_based)

    def to_json(self) -> str:
        return json.dumps({"durations": self.durations, "time_based": self.time_based})

    @classmethod
    def load(cls, path: Path) -> Plan:
        data = require(path, load_json(path), {"durations": list, "time_based": bool}, "plan")
        if not all(isinstance(d, int | float) for d in data["durations"]):
            raise CorruptRecord(f"{path} (plan): a run time is not a number")
        return cls(durations=tuple(map(float, data["durations"])), time_based=data["time_based"])

    def why_unsharded(self, jobs: int) -> str | None:
        """Why the scene must render in one piece with ``jobs`` workers (None: it need not)."""
        if jobs < 2:
            return "one job"
        if self.time_based:
            return "time-based updaters: skipped animations would change its frames"
        if self.num_plays < 2:
            return "fewer than two animations"
        return None


def shard_jobs(job: WorkerJob, parts: list[Window]) -> list[WorkerJob]:
    """One job per window, each in its own media folder."""
    return [
        dataclasses.replace(
            job, media_dir=str(job.media.shard(i)), window_start=w.start, window_end=w.end
        )
        for i, w in enumerate(parts)
    ]


def rendered_any(job: WorkerJob) -> bool:
    """Whether the shard drew any animation (a window can hold no animation's start)."""
    return any(PlayRecord.load(job.plays_path).rendered)


def join_movies(movies: list[Path], dst: Path, log: Path | None = None) -> None:
    list_file = dst.with_name(dst.name + ".concat.txt")
    list_file.write_text("".join(f"file '{m.resolve()}'\n" for m in movies))
    try:
        run(concat_argv(list_file, dst), log=log)
    finally:
        list_file.unlink(missing_ok=True)


def _shifted(event: dict[str, Any], offset: float) -> dict[str, Any]:
    moved = dict(event)
    for field in ("start", "end"):
        if field in moved:
            moved[field] = round(moved[field] + offset, 6)
    return moved


def merge_timelines(shards: list[WorkerJob]) -> dict[str, Any]:
    """The timeline of the joined movie, from each shard's timeline and its play record.

    In a shard the clock first runs through the skipped animations (their exact run times) and
    then through the drawn ones (whole frames). An event belongs to the shard whose drawn span
    contains it; its time moves from that shard's clock to the joined movie's. The last shard ran
    the scene to its end, so the timeline's totals come from it.
    """
    drawing = [job for job in shards if rendered_any(job)]
    merged: dict[str, Any] = {}
    movie_start = 0.0
    for job in drawing:
        timeline = _timeline(job.timeline_path)
        plays = PlayRecord.load(job.plays_path)
        drawn = [i for i, rendered in enumerate(plays.rendered) if rendered]
        span_start = plays.ends[drawn[0] - 1] if drawn[0] > 0 else 0.0
        span_end = plays.ends[drawn[-1]]
        final = job is drawing[-1]
        offset = movie_start - span_start
        for name, value in timeline.items():
            if isinstance(value, list):
                mine = [
                    _shifted(e, offset)
                    for e in value
                    if span_start - EPS <= e["start"] and (final or e["start"] < span_end - EPS)
                ]
                merged.setdefault(name, []).extend(mine)
        movie_start += span_end - span_start
    final_timeline = _timeline(shards[-1].timeline_path)
    merged.update({k: v for k, v in final_timeline.items() if not isinstance(v, list)})
    merged["duration"] = round(movie_start, 6)
    return merged


def _timeline(path: Path) -> dict[str, Any]:
    """A shard's timeline as the worker wrote it (events kept as they are, to be re-timed)."""
    fields: Fields = {"duration": Number, "sections": list, "cues": list}
    return require(path, load_json(path), fields, "timeline")
