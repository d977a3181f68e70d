"""Render a registered scene to a finished, fast-start MP4 under ``out/<id>/<quality>/``.

Manim's scratch output (partial movies, Tex cache) stays in the cache folder; only the finished
files, moved into place atomically, appear under ``out/``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from render.atomic import atomic_path, write_text
from render.catalog import get_scene
from render.media import remux_faststart
from render.params import Params
from render.quality import Quality
from render.settings import Settings
from render.worker import WorkerJob


class RenderFailed(Exception):
    """Manim failed on a scene; the message names the log file holding its output."""


@dataclasses.dataclass(frozen=True)
class RenderResult:
    scene_id: str
    video: Path
    timeline: Path
    seconds: float


def output_dir(settings: Settings, scene_id: str, quality: Quality) -> Path:
    return settings.out_dir / scene_id / quality.name


def video_path(settings: Settings, scene_id: str, quality: Quality) -> Path:
    return output_dir(settings, scene_id, quality) / f"{scene_id}.mp4"


def params_digest(params: Params) -> str:
    blob = json.dumps(params.as_dict(), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def worker_job(
    scene_id: str, params: Params, quality: Quality, settings: Settings, **extra: int
) -> WorkerJob:
    tag = f"{quality.width}x{quality.height}@{quality.fps}-{params_digest(params)}"
    return WorkerJob(
        scene_id=scene_id,
        params=params.as_dict(),
        width=quality.width,
        height=quality.height,
        fps=quality.fps,
        media_dir=str(settings.cache_dir / "manim" / scene_id / tag),
        tex_dir=str(settings.cache_dir / "tex"),
        output_stem=scene_id,
        **extra,
    )


def run_worker(job: WorkerJob, log_file: Path) -> None:
    """Run one worker in a fresh interpreter; keep its output in ``log_file`` if it fails."""
    media = Path(job.media_dir)
    if media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True)
    job_file = media / "job.json"
    job_file.write_text(job.to_json())
    proc = subprocess.run(
        [sys.executable, "-m", "render.worker", str(job_file)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        log_file.write_text(proc.stdout + proc.stderr)
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RenderFailed(f"rendering {job.scene_id} failed ({last}); full log: {log_file}")


def render_scene(
    scene_id: str, params: Params, quality: Quality, settings: Settings
) -> RenderResult:
    """Render ``scene_id`` with ``params`` at ``quality`` into the output folder."""
    spec = get_scene(scene_id)
    start = time.perf_counter()
    job = worker_job(spec.id, params, quality, settings)
    run_worker(job, settings.cache_dir / "logs" / f"{spec.id}-{quality.name}.log")
    return publish(job, settings, quality, time.perf_counter() - start)


def publish(job: WorkerJob, settings: Settings, quality: Quality, seconds: float) -> RenderResult:
    """Move a worker's movie (remuxed fast-start) and timeline into ``out/`` atomically."""
    final = video_path(settings, job.scene_id, quality)
    with atomic_path(final) as tmp:
        remux_faststart(job.movie_path, tmp)
    timeline = final.with_suffix(".timeline.json")
    write_text(timeline, job.timeline_path.read_text())
    return RenderResult(job.scene_id, final, timeline, seconds)
