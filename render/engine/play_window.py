"""Render only the animations that start inside a window of the scene's clock.

This is what one shard of a sharded render runs. Every shard executes the whole ``construct`` up
to the end of its window, skipping (not drawing) the animations before it, so it reaches its first
animation in exactly the state an unsharded render would. The window is decided in the shard
itself, from the *nominal* clock: the sum of the run times of the animations played so far. That
sum does not depend on which animations were skipped or drawn (a drawn animation moves Manim's own
clock by whole frames, a skipped one by its exact run time), so every shard agrees on which
animation starts where and the shards partition the scene exactly, with no dry pass over the
scene beforehand to count its animations.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from typing import Any


@dataclasses.dataclass(frozen=True)
class Window:
    """Animations whose nominal start lies in ``[start, end)``; ``end`` None: to the scene's end."""

    start: float = 0.0
    end: float | None = None

    @property
    def is_whole(self) -> bool:
        return self.start <= 0.0 and self.end is None


# Skipping through a second of a scene (building its objects, starting and finishing its
# animations without drawing) costs about as much as drawing 8 frames of it, at any pixel size:
# measured as the extra time of the second of two shards of basin-flatness, 13-14 s for skipping
# 57 s, at 854x480@15, 1280x720@30 and 1920x1080@60 alike.
SKIP_COST_FRAMES = 8.0


def skip_share(fps: int) -> float:
    """Cost of skipping a second of the scene relative to drawing it at ``fps``."""
    return min(0.9, SKIP_COST_FRAMES / fps)


def windows(total: float, parts: int, skip: float = 0.0) -> list[Window]:
    """``parts`` consecutive windows covering ``total`` seconds, the last open-ended.

    Window ``i`` starting at ``c`` costs ``skip * c`` (skipping up to it) plus its own length, so
    equal costs need lengths ``L0 - skip * c``: each window is shorter than the one before, and
    ``L0`` is chosen so that they add up to ``total``. ``skip`` 0 gives equal shares.
    """
    parts = max(1, parts)
    first = total * skip / (1 - (1 - skip) ** parts) if skip > 0 else total / parts
    cuts = [0.0]
    for _ in range(parts - 1):
        cuts.append(cuts[-1] + first - skip * cuts[-1])
    return [
        Window(a, None if b == math.inf else b) for a, b in itertools.pairwise([*cuts, math.inf])
    ]


class PlayWindow:
    """Makes a Cairo renderer skip the animations outside ``window`` and stop after it.

    It wraps two methods of the renderer instance: ``update_skipping_status`` (asked at the start
    of every play whether to draw it) and ``play`` (after which the nominal clock advances).
    """

    def __init__(self, window: Window) -> None:
        self.window = window
        self.clock = 0.0

    def install(self, renderer: Any) -> None:
        from manim.utils.exceptions import EndSceneEarlyException

        decide, play = renderer.update_skipping_status, renderer.play

        def update_skipping_status() -> None:
            decide()
            if self.window.end is not None and self.clock >= self.window.end:
                renderer.skip_animations = True
                raise EndSceneEarlyException()
            if self.clock < self.window.start:
                renderer.skip_animations = True

        def play_and_advance(scene: Any, *args: Any, **kwargs: Any) -> None:
            before = renderer.num_plays
            play(scene, *args, **kwargs)
            if renderer.num_plays > before:
                self.clock += scene.duration

        renderer.update_skipping_status = update_skipping_status
        renderer.play = play_and_advance
