"""Named output qualities: pixel size and frame rate."""

from __future__ import annotations

import dataclasses

from render.core.errors import UserError


@dataclasses.dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int

    def with_fps(self, fps: int | None) -> Quality:
        if fps is None:
            return self
        if not 1 <= fps <= 240:
            raise UserError(f"--fps must be between 1 and 240, got {fps}")
        return dataclasses.replace(self, fps=fps)


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("preview", 854, 480, 15),
        Quality("720p", 1280, 720, 30),
        Quality("1080p", 1920, 1080, 60),
        Quality("1440p", 2560, 1440, 60),
        Quality("4k", 3840, 2160, 60),
    )
}


def get_quality(name: str) -> Quality:
    try:
        return QUALITIES[name]
    except KeyError:
        raise UserError(f"unknown quality '{name}' (choose from {', '.join(QUALITIES)})") from None
