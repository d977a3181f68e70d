"""Render one scene with Manim inside the current process.

The pipeline runs this module in a fresh interpreter per render (``python -m render.worker JOB``)
so no Manim configuration leaks from one scene into the next; the tests call
:func:`render_in_process` directly to watch the scene while it plays.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.catalog import get_scene


@dataclasses.dataclass(frozen=True)
class WorkerJob:
    """Everything a worker needs, as plain JSON-able values."""

    scene_id: str
    params: dict[str, Any]
    width: int
    height: int
    fps: int
    media_dir: str
    tex_dir: str
    output_stem: str
    from_animation: int = 0
    upto_animation: int = -1

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> WorkerJob:
        return cls(**json.loads(text))

    @property
    def movie_path(self) -> Path:
        return Path(self.media_dir) / "videos" / f"{self.height}p{self.fps}" / f"{self.output_stem}.mp4"

    @property
    def timeline_path(self) -> Path:
        return Path(self.media_dir) / f"{self.output_stem}.timeline.json"


def manim_config(job: WorkerJob) -> dict[str, Any]:
    return {
        "media_dir": job.media_dir,
        "tex_dir": job.tex_dir,
        "pixel_width": job.width,
        "pixel_height": job.height,
        "frame_rate": job.fps,
        "output_file": job.output_stem,
        "disable_caching": True,
        # The Tex folder is shared by parallel renders: Manim's clean-up would delete the .dvi files
        # another render is still converting.
        "no_latex_cleanup": True,
        "write_to_movie": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
        "from_animation_number": job.from_animation,
        "upto_animation_number": job.upto_animation,
    }


def render_in_process(job: WorkerJob, observers: list[Callable[[Any], None]] | None = None) -> Any:
    """Render ``job``; write its timeline JSON beside the movie; return the finished scene."""
    from manim import tempconfig

    spec = get_scene(job.scene_id)
    params = spec.params(**job.params)
    with tempconfig(manim_config(job)):
        scene = spec.scene_class()(params=params)
        scene.play_observers.extend(observers or [])
        scene.render()
    timeline = dict(scene.timeline, num_plays=scene.renderer.num_plays)
    job.timeline_path.write_text(json.dumps(timeline, indent=1))
    return scene


def main(argv: list[str]) -> int:
    job = WorkerJob.from_json(Path(argv[0]).read_text() if argv[0].endswith(".json") else argv[0])
    render_in_process(job)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
