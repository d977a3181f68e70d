"""The render worker as the engine runs it: Manim plus a record of every play.

``python -m render.engine.watched_worker JOB`` renders like :mod:`render.engine.worker` and also

* prints one ``PROGRESS <frames>`` line after each rendered animation, so the parent can draw a
  progress bar without parsing Manim's own output;
* writes ``<stem>.plays.json`` beside the timeline: every play's run time and the scene clock
  after it, whether it was rendered or skipped, and whether any time-based updater was live.
  Sharding needs the run times to cut the scene next time, the clock and the rendered flags to
  stitch the shards' timelines, and the last to know when it must not shard.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from render.core.records import PlayRecord
from render.engine import manim_speedups
from render.engine.worker import WorkerJob, render_in_process

PROGRESS_PREFIX = "PROGRESS "


def has_time_based_updaters(scene: Any) -> bool:
    """True when something on screen changes with elapsed time rather than with animation state.

    Skipped animations advance such updaters in one step of the whole run time instead of one step
    per frame, so the frames after a skipped range would differ from an unsharded render.
    """
    if scene.updaters:
        return True
    return any(m.has_time_based_updater() for top in scene.mobjects for m in top.get_family())


class PlayRecorder:
    """Observer called after every play: run time, clock, skipping, time-based updaters, frames."""

    def __init__(self, fps: int) -> None:
        self.fps = fps
        self.durations: list[float] = []
        self.ends: list[float] = []
        self.rendered: list[bool] = []
        self.time_based = False
        self.frames = 0

    def __call__(self, scene: Any) -> None:
        if scene.renderer.num_plays == len(self.ends):
            return  # a play() without animations: Manim counted nothing, neither do we
        start = self.ends[-1] if self.ends else 0.0
        rendered = not scene.renderer.skip_animations
        self.durations.append(float(scene.duration))
        self.ends.append(float(scene.time))
        self.rendered.append(rendered)
        self.time_based = self.time_based or has_time_based_updaters(scene)
        if rendered:
            self.frames += round((scene.time - start) * self.fps)
            print(f"{PROGRESS_PREFIX}{self.frames}", flush=True)

    def record(self) -> PlayRecord:
        return PlayRecord(
            tuple(self.durations), tuple(self.ends), tuple(self.rendered), self.time_based
        )


def main(argv: list[str]) -> int:
    job = WorkerJob.from_json(Path(argv[0]).read_text())
    recorder = PlayRecorder(job.fps)
    render_in_process(job, observers=[recorder], speedups=manim_speedups.wanted())
    recorder.record().save(job.plays_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
