"""Put a worker's movie and timeline where ``mathreel render`` would, for tests that render a
scene in-process (to watch it play) and then need the published files."""

from __future__ import annotations

import shutil
from pathlib import Path

from render.core.settings import Settings
from render.engine.worker import WorkerJob
from render.tools.media import remux_faststart


def publish_job(job: WorkerJob, settings: Settings, quality: str) -> tuple[Path, Path]:
    """The fast-start video and the timeline under ``out/<id>/<quality>/``."""
    video = settings.out.video(job.scene_id, quality)
    timeline = settings.out.timeline(job.scene_id, quality)
    video.parent.mkdir(parents=True, exist_ok=True)
    remux_faststart(job.movie_path, video)
    shutil.copyfile(job.timeline_path, timeline)
    return video, timeline
