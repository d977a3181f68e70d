"""What a target needs to know about the scene and the rendered video it starts from.

The same values are stored in ``meta.json``, so :mod:`render.publish.verify` rebuilds the context
from the press kit alone and checks each file against exactly the expectations its encode was built
with.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any


@dataclasses.dataclass(frozen=True)
class ExportContext:
    scene_id: str
    title: str
    hero_time: float
    duration: float
    width: int
    height: int
    fps: int
    web_width: int = 1280
    max_bytes: int | None = None
    source_color_space: str = "unknown"
    work_dir: Path = Path(".")
    clip_start: float | None = None  # one chapter's window of the video (the chapters target)
    clip_length: float | None = None
    # Whether the render carries a narration track (the video outputs then carry it too).
    narrated: bool = False

    @property
    def hero(self) -> float:
        """The poster moment, kept inside the video (past the end means the last frame)."""
        return max(0.0, min(self.hero_time, self.duration - 1.0 / self.fps))

    def options(self) -> dict[str, Any]:
        """The export options that change outputs, as stored in ``meta.json``."""
        options: dict[str, Any] = {
            "web_width": self.web_width,
            "max_bytes": self.max_bytes,
            "narrated": self.narrated,
        }
        if self.clip_length is not None:
            options.update(clip_start=self.clip_start, clip_length=self.clip_length)
        return options
