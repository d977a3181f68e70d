"""A stand-in executor for engine tests that need no Manim: it writes a real 1-second H.264 movie
(ffmpeg's test pattern), a timeline and a play record where a worker would, and keeps its jobs.
Scenes named in ``time_based`` report a live time-based updater, as a real worker would for them."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

from render.core.errors import RenderFailed
from render.engine.worker import WorkerJob
from render.tools.proc import run


class FakeExecutor:
    def __init__(
        self,
        slots: int = 2,
        fail: frozenset[str] = frozenset(),
        delay: float = 0.0,
        time_based: frozenset[str] = frozenset(),
    ):
        self.slots = slots
        self.fail = fail
        self.delay = delay
        self.time_based = time_based
        self.calls: list[str] = []
        self.jobs: list[WorkerJob] = []
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def run(self, job: WorkerJob, log_file: Path, on_frames) -> None:
        with self._lock:
            self.calls.append(job.scene_id)
            self.jobs.append(job)
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            time.sleep(self.delay)
            if job.scene_id in self.fail:
                log_file.parent.mkdir(parents=True, exist_ok=True)
                log_file.write_text("Traceback: boom\n")
                raise RenderFailed(
                    f"rendering {job.scene_id} failed (boom); full log: {log_file}", log_file
                )
            media = Path(job.media_dir)
            shutil.rmtree(media, ignore_errors=True)
            job.movie_path.parent.mkdir(parents=True)
            size = f"{job.width}x{job.height}"
            run(["ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                 f"testsrc=duration=1:size={size}:rate={job.fps}", "-pix_fmt", "yuv420p",
                 "-c:v", "libx264", str(job.movie_path)])  # fmt: skip
            timeline = {"sections": [], "cues": [], "duration": 1.0, "num_plays": 1}
            job.timeline_path.write_text(json.dumps(timeline))
            plays = {"durations": [1.0], "ends": [1.0], "rendered": [True]}
            plays["time_based"] = job.scene_id in self.time_based
            job.plays_path.write_text(json.dumps(plays))
            on_frames(job.fps)
        finally:
            with self._lock:
                self.running -= 1
