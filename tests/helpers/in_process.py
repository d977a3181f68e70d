"""An executor that renders in this process, one job at a time, as the watched worker would.

The narration tests render a scene registered only in this process (a worker process would not
know it), through the real engine: cache, shards, narration, publishing.
"""

from __future__ import annotations

import threading
from pathlib import Path

from render.engine.watched_worker import PlayRecorder
from render.engine.worker import WorkerJob, render_in_process


class InProcessExecutor:
    slots = 1

    def __init__(self) -> None:
        self._lock = threading.Lock()  # Manim's configuration is global: one render at a time
        self.jobs: list[WorkerJob] = []

    def run(self, job: WorkerJob, log_file: Path, on_frames) -> None:
        with self._lock:
            self.jobs.append(job)
            Path(job.media_dir).mkdir(parents=True, exist_ok=True)
            recorder = PlayRecorder(job.fps)
            render_in_process(job, observers=[recorder])
            recorder.record().save(job.plays_path)
