"""Render a registered scene to a finished, fast-start MP4 under ``out/<id>/<quality>/``.

The path of one render: look the scene up in the render cache by its content key; on a hit, copy
the stored file into ``out/`` (Manim never starts); on a miss, run the worker (in one piece, or in
shards of animations rendered in parallel and joined by stream copy), store the result in the
cache, then publish it. Manim's scratch output stays in the cache folder; only finished files,
moved into place atomically, appear under ``out/``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from render.core.catalog import get_scene
from render.core.errors import CorruptRecord, UserError
from render.core.params import Params
from render.core.quality import Quality
from render.core.records import PlayRecord
from render.core.settings import Settings
from render.core.spec import SceneSpec
from render.engine.cache import CacheKey, Entry, RenderCache, cache_key
from render.engine.executors import Executor, LocalExecutor
from render.engine.play_window import skip_share, windows
from render.engine.progress import Reporter, SilentReporter
from render.engine.shard import Plan, join_movies, merge_timelines, rendered_any, shard_jobs
from render.engine.worker import WorkerJob
from render.narration.request import NarrationRequest, narration_track
from render.tools.atomic import copy_unless_same, write_text
from render.tools.doctor import missing_for_render
from render.tools.lock import writing
from render.tools.media import mux_audio_argv, remux_faststart
from render.tools.probe import probe, video_stream
from render.tools.proc import run

__all__ = ["Engine", "RenderResult", "render_scene", "worker_job"]


@dataclasses.dataclass(frozen=True)
class RenderResult:
    """A finished scene.

    ``cache`` is ``hit``, ``miss`` or ``corrupt`` (an entry failed its hash and was rebuilt);
    ``shards`` is how many parallel pieces it was rendered in (0: copied from the cache);
    ``unsharded`` says why a render asked for several pieces was made in one.
    """

    scene_id: str
    video: Path
    timeline: Path
    seconds: float
    cache: str = "miss"
    shards: int = 1
    unsharded: str | None = None
    warnings: tuple[str, ...] = ()


def params_digest(params: Params) -> str:
    blob = json.dumps(params.as_dict(), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def worker_job(
    scene_id: str, params: Params, quality: Quality, settings: Settings, **extra: Any
) -> WorkerJob:
    tag = f"{quality.width}x{quality.height}@{quality.fps}-{params_digest(params)}"
    return WorkerJob(
        scene_id=scene_id,
        params=params.as_dict(),
        width=quality.width,
        height=quality.height,
        fps=quality.fps,
        media_dir=str(settings.cache.manim(scene_id, tag)),
        tex_dir=str(settings.cache.tex),
        output_stem=scene_id,
        **extra,
    )


def publish_entry(entry: Entry, settings: Settings, quality: Quality) -> tuple[Path, Path]:
    """Put a cache entry's movie and timeline in ``out/`` (atomically; untouched if identical)."""
    final = settings.out.video(entry.scene_id, quality.name)
    timeline = settings.out.timeline(entry.scene_id, quality.name)
    copy_unless_same(entry.video, final, entry.video_sha256)
    copy_unless_same(entry.timeline, timeline, entry.timeline_sha256)
    return final, timeline


@dataclasses.dataclass
class Engine:
    """Renders scenes through the cache with an executor, reporting progress.

    ``jobs`` is how many shards one scene may be cut into (1: never shard); ``narration`` is the
    voice the scenes speak with (silent by default).
    """

    settings: Settings
    executor: Executor
    reporter: Reporter = dataclasses.field(default_factory=SilentReporter)
    jobs: int = 1
    narration: NarrationRequest = dataclasses.field(default_factory=NarrationRequest)

    @property
    def cache(self) -> RenderCache:
        return RenderCache(self.settings.cache)

    def render(self, spec: SceneSpec, params: Params, quality: Quality) -> RenderResult:
        start = time.perf_counter()
        key = cache_key(spec, params, quality, self.narration.key_inputs(spec.id))
        found = self.cache.lookup(key)
        if found.entry is not None:
            warnings = self.narration.review(spec.id, json.loads(found.entry.timeline.read_text()))
            self.cache.remember(key)
            video, timeline = publish_entry(found.entry, self.settings, quality)
            return RenderResult(
                spec.id,
                video,
                timeline,
                time.perf_counter() - start,
                "hit",
                0,
                warnings=tuple(warnings),
            )
        missing = missing_for_render()
        if missing is not None:
            raise UserError(f"cannot render {spec.id}: {missing.name} {missing.detail}")
        job = worker_job(spec.id, params, quality, self.settings, **self._narration_job(spec))
        shards, unsharded = self._produce(job, key, spec)
        self._narrate(job)
        entry = self.cache.store(
            key, job.media.final_video, job.media.final_timeline, time.perf_counter() - start
        )
        for scratch in job.media.with_shards():
            shutil.rmtree(scratch, ignore_errors=True)
        warnings = self.narration.review(spec.id, json.loads(entry.timeline.read_text()))
        video, timeline = publish_entry(entry, self.settings, quality)
        return RenderResult(
            spec.id,
            video,
            timeline,
            time.perf_counter() - start,
            found.status,
            shards,
            unsharded,
            tuple(warnings),
        )

    # -- narration -------------------------------------------------------------------------------

    def _narration_job(self, spec: SceneSpec) -> dict[str, Any]:
        return narration_job_fields(self.narration, spec, self.settings)

    def _narrate(self, job: WorkerJob) -> None:
        """Mix and master the cues' speech and mux it into the finished movie (if any speech)."""
        media = job.media
        timeline = json.loads(media.final_timeline.read_text())
        stream = video_stream(probe(media.final_video))
        seconds = float(stream.get("duration") or timeline["duration"])
        speech = self.settings.cache.speech
        if narration_track(timeline, speech, seconds, media.final_audio) is None:
            return
        silent = media.final_video.with_name("picture.mp4")
        media.final_video.replace(silent)
        run(mux_audio_argv(silent, media.final_audio, media.final_video))
        silent.unlink()
        media.final_audio.unlink()

    # -- producing a fresh render ----------------------------------------------------------------

    def _plan_file(self, key: CacheKey) -> Path:
        """Plans do not depend on pixel size or frame rate: one per sources, params and versions."""
        inputs = {k: v for k, v in key.inputs.items() if k != "quality"}
        digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:24]
        return self.settings.cache.plan(digest)

    def _cached_plan(self, key: CacheKey) -> Plan | None:
        path = self._plan_file(key)
        try:
            return Plan.load(path) if path.is_file() else None
        except CorruptRecord:
            return None  # a plan is only a hint: a damaged one is learned again

    def _remember_plan(self, key: CacheKey, job: WorkerJob) -> Plan:
        """Store what ``job`` (which ran the scene to its end) recorded, for the next render."""
        plan = Plan.from_plays(PlayRecord.load(job.plays_path))
        write_text(self._plan_file(key), plan.to_json())
        return plan

    def _log_file(self, job: WorkerJob) -> Path:
        return self.settings.cache.log(Path(job.media_dir).name)

    def _run(self, job: WorkerJob, label: str, frames: int) -> None:
        handle = self.reporter.start(label, frames)
        try:
            self.executor.run(job, self._log_file(job), lambda n: self.reporter.update(handle, n))
        finally:
            self.reporter.finish(handle)

    def _produce(self, job: WorkerJob, key: CacheKey, spec: SceneSpec) -> tuple[int, str | None]:
        """Render ``job`` into ``final.mp4`` and ``final.timeline.json``; return the shard count
        and, when ``jobs`` > 1 but the scene was rendered in one piece, why.

        Sharded when ``jobs`` > 1, unless an earlier render showed the scene must not be; if the
        shards themselves find time-based updaters, their work is dropped and the scene is
        rendered in one piece.
        """
        plan = self._cached_plan(key)
        seconds = sum(plan.durations) if plan is not None else spec.duration
        media = job.media
        unsharded = plan.why_unsharded(self.jobs) if plan is not None and self.jobs > 1 else None
        if self.jobs > 1 and unsharded is None:
            parts = windows(seconds, self.jobs, skip_share(job.fps))
            pieces = shard_jobs(job, parts)
            ends = [w.end if w.end is not None else seconds for w in parts]
            totals = [round((end - w.start) * job.fps) for w, end in zip(parts, ends, strict=True)]
            self.reporter.expect(sum(totals))
            with ThreadPoolExecutor(max_workers=len(pieces)) as pool:
                labels = [f"{job.scene_id} [{i + 1}/{len(pieces)}]" for i in range(len(pieces))]
                list(pool.map(self._run, pieces, labels, totals))
            learned = self._remember_plan(key, pieces[-1])
            # Only time-based updaters undo the shards' work; any other plan joins them.
            unsharded = learned.why_unsharded(self.jobs) if learned.time_based else None
            if unsharded is None:
                drawn = [piece for piece in pieces if rendered_any(piece)]
                media.root.mkdir(parents=True, exist_ok=True)
                join_movies(
                    [piece.movie_path for piece in drawn], media.final_video, self._log_file(job)
                )
                timeline = merge_timelines(pieces)
                write_text(media.final_timeline, json.dumps(timeline, indent=1))
                return len(drawn), None
        frames = round(seconds * job.fps)
        self.reporter.expect(frames)
        self._run(job, job.scene_id, frames)
        self._remember_plan(key, job)
        remux_faststart(job.movie_path, media.final_video, self._log_file(job))
        shutil.copyfile(job.timeline_path, media.final_timeline)
        return 1, unsharded


def narration_job_fields(
    narration: NarrationRequest, spec: SceneSpec, settings: Settings
) -> dict[str, Any]:
    """A worker job's narration fields; takes are checked and decoded here, before Manim."""
    if narration.silent:
        return {}
    speech = settings.cache.speech
    return {
        "voice": narration.voice,
        "speech_dir": str(speech),
        "takes": narration.prepare_takes(spec.id, speech, spec.duration),
    }


def render_scene(
    scene_id: str,
    params: Params,
    quality: Quality,
    settings: Settings,
    *,
    jobs: int = 1,
    reporter: Reporter | None = None,
    narration: NarrationRequest | None = None,
) -> RenderResult:
    """Render ``scene_id`` with ``params`` at ``quality`` into the output folder (cache first).

    ``jobs`` > 1 cuts the scene into that many shards rendered in parallel, unless its frames would
    then differ (time-based updaters). ``narration`` is the voice (default: silent). Holds the
    output folder's lock for the duration.
    """
    spec = get_scene(scene_id)
    engine = Engine(
        settings,
        LocalExecutor(jobs),
        reporter or SilentReporter(),
        jobs,
        narration or NarrationRequest(),
    )
    with writing(settings):
        return engine.render(spec, params, quality)
