"""Sharding a scene: render ranges of its animations in parallel, join them without re-encoding.

Manim can render only animations ``a..b`` of a scene (``-n a,b``): it still runs ``construct`` from
the start, but skips the frames of the animations outside the range. Each shard therefore produces
exactly the frames of its range, and concatenating the shards' movies with ffmpeg's stream copy
gives the whole scene. That holds only when skipping an animation leaves the scene in the state
playing it would: a time-based updater (one that takes ``dt``) advances once by the whole run time
when skipped but frame by frame when played, so such scenes are rendered unsharded.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path
from typing import Any

import ffmpeg

from render.proc import run
from render.watched_worker import plays_path
from render.worker import WorkerJob

# Far beyond any scene's number of animations: every play is skipped, construct still runs.
SKIP_ALL = 1_000_000
EPS = 1e-4


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a dry pass over ``construct`` learns: run time per animation; whether to shard."""

    durations: tuple[float, ...]
    time_based: bool

    @property
    def num_plays(self) -> int:
        return len(self.durations)

    @classmethod
    def from_plays(cls, plays: dict[str, Any]) -> Plan:
        ends = [0.0, *plays["ends"]]
        durations = tuple(b - a for a, b in itertools.pairwise(ends))
        return cls(durations=durations, time_based=bool(plays["time_based"]))

    def to_json(self) -> str:
        return json.dumps({"durations": self.durations, "time_based": self.time_based})

    @classmethod
    def from_json(cls, text: str) -> Plan:
        data = json.loads(text)
        return cls(durations=tuple(data["durations"]), time_based=data["time_based"])

    def why_unsharded(self, jobs: int) -> str | None:
        """Why the scene must render in one piece with ``jobs`` workers (None: it need not)."""
        if jobs < 2:
            return "one job"
        if self.time_based:
            return "time-based updaters: skipped animations would change its frames"
        if self.num_plays < 2:
            return "fewer than two animations"
        return None


def probe_job(job: WorkerJob) -> WorkerJob:
    """A job that runs ``construct`` with every animation skipped (no frames), to learn the plan."""
    return dataclasses.replace(
        job, media_dir=f"{job.media_dir}-plan", from_animation=SKIP_ALL, upto_animation=-1
    )


def split(durations: tuple[float, ...], parts: int) -> list[tuple[int, int]]:
    """Contiguous ranges ``(first, last)`` of animation numbers with about equal run time each."""
    parts = max(1, min(parts, len(durations)))
    total = sum(durations)
    ranges: list[tuple[int, int]] = []
    first, elapsed = 0, 0.0
    for index, duration in enumerate(durations):
        elapsed += duration
        remaining_parts = parts - len(ranges) - 1
        remaining_plays = len(durations) - index - 1
        target = total * (len(ranges) + 1) / parts
        if remaining_parts and (elapsed >= target - EPS or remaining_plays == remaining_parts):
            ranges.append((first, index))
            first = index + 1
    ranges.append((first, len(durations) - 1))
    return ranges


def shard_jobs(job: WorkerJob, ranges: list[tuple[int, int]]) -> list[WorkerJob]:
    """One job per range; the last runs to the end so it also finishes the scene (``tear_down``)."""
    last = len(ranges) - 1
    return [
        dataclasses.replace(
            job,
            media_dir=f"{job.media_dir}-shard{i}",
            from_animation=first,
            upto_animation=-1 if i == last else upto,
        )
        for i, (first, upto) in enumerate(ranges)
    ]


def join_argv(list_file: Path, dst: Path) -> list[str]:
    """Concatenate the movies listed in ``list_file`` by stream copy (no re-encode), fast start."""
    stream = ffmpeg.input(str(list_file), f="concat", safe=0).output(
        str(dst), c="copy", movflags="+faststart", f="mp4", map_metadata=-1
    )
    return ["ffmpeg", "-nostdin", "-v", "error", "-y", *stream.get_args()]


def join_movies(movies: list[Path], dst: Path) -> None:
    list_file = dst.with_name(dst.name + ".concat.txt")
    list_file.write_text("".join(f"file '{m.resolve()}'\n" for m in movies))
    try:
        run(join_argv(list_file, dst))
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

    In shard ``i`` the clock first runs through the skipped animations (their exact run times) and
    then through the rendered ones (whole frames). An event belongs to the shard whose rendered
    span contains it; its time moves from that shard's clock to the joined movie's.
    """
    merged: dict[str, Any] = {}
    movie_start = 0.0
    last = len(shards) - 1
    for i, job in enumerate(shards):
        timeline = json.loads(job.timeline_path.read_text())
        ends = json.loads(plays_path(job).read_text())["ends"]
        span_start = ends[job.from_animation - 1] if job.from_animation > 0 else 0.0
        span_end = timeline["duration"] if i == last else ends[job.upto_animation]
        offset = movie_start - span_start
        for name, value in timeline.items():
            if isinstance(value, list):
                mine = [
                    _shifted(e, offset)
                    for e in value
                    if span_start - EPS <= e["start"] and (i == last or e["start"] < span_end - EPS)
                ]
                merged.setdefault(name, []).extend(mine)
            elif i == last:
                merged[name] = value
        movie_start += span_end - span_start
    merged["duration"] = round(movie_start, 6)
    return merged
