"""A short narrated scene for the narration tests: two beats, three lines, a few dots.

Its lines are short so that real speech for all of them takes a few seconds of synthesis, and the
first names a number from its model, as every scene's narration does. It is registered in the
catalog only while the narration tests run (:func:`narration_registered`).
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from manim import UP, Dot, FadeIn, FadeOut, VGroup

import render.core.catalog
from render.core.params import Params, param
from render.core.spec import SceneSpec
from scenes.shared import theme
from scenes.shared.base import MathreelScene

SCENE_ID = "narrationdemo"


@dataclasses.dataclass(frozen=True)
class NarrationParams(Params):
    count: int = param(4, "dots on the line", min=1, max=9)


@dataclasses.dataclass(frozen=True)
class NarrationData:
    count: int
    xs: np.ndarray


def simulate(params: NarrationParams, rng: np.random.Generator) -> NarrationData:
    return NarrationData(params.count, np.sort(rng.uniform(-5, 5, params.count)))


class NarrationDemo(MathreelScene):
    def construct(self) -> None:
        self.beat("Counting")
        dots = VGroup(*(Dot([x, 0, 0], color=theme.PRIMARY) for x in self.model.xs))
        self.say(f"Here are {self.model.count} dots on a line.", duration=1.0)
        self.play(FadeIn(dots), run_time=1.0)
        self.say("They rise while the voice speaks.", duration=1.0)
        self.play(dots.animate.shift(UP), run_time=1.0)
        self.beat("Ending")
        self.say("That is the end of the demo.", duration=1.0)
        self.play(FadeOut(dots), run_time=0.5)


SPEC = SceneSpec(
    id=SCENE_ID,
    title="Narration demo",
    description="Dots on a line, narrated.",
    tags=("test",),
    params=NarrationParams,
    model=simulate,
    scene=f"{__name__}:NarrationDemo",
    duration=10.0,
    hero_time=2.0,
    summary="Three narrated lines.",
)


@contextlib.contextmanager
def narration_registered(cache: Path, takes: Path) -> Iterator[None]:
    """The scene in the catalog, scratch files in ``cache`` and takes in ``takes``."""
    original = render.core.catalog.all_scenes
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render.core.catalog, "all_scenes", lambda: (*original(), SPEC))
        mp.setenv("MATHREEL_CACHE", str(cache))
        mp.setenv("MATHREEL_NARRATION", str(takes))
        mp.delenv("MATHREEL_OUT", raising=False)
        yield
