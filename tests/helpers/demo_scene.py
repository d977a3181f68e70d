"""A short scene made only for the export tests: three 10-second beats, captions, a moving dot.

It is registered in the catalog by the export tests' fixture, so the real pipeline (Manim, the
worker's timeline, the fast-start remux) produces the video every export test works on. Its title
and summary carry HTML and template metacharacters on purpose, to prove every output escapes them.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from manim import LEFT, Circle, Create, Dot, FadeIn, MoveAlongPath, Square, Text

from render.core.params import Params, param
from render.core.spec import SceneSpec
from scenes.shared import theme
from scenes.shared.base import MathreelScene

SCENE_ID = "exportdemo"


@dataclasses.dataclass(frozen=True)
class DemoParams(Params):
    radius: float = param(1.5, "radius of the circle the dot travels", min=0.5, max=3.0)


@dataclasses.dataclass(frozen=True)
class DemoData:
    radius: float
    angles: np.ndarray


def simulate(params: DemoParams, rng: np.random.Generator) -> DemoData:
    return DemoData(radius=params.radius, angles=np.sort(rng.uniform(0, 2 * np.pi, 3)))


class ExportDemo(MathreelScene):
    def construct(self) -> None:
        self.beat("Setting the scene")
        title = Text("Export demo", font=theme.FONT, font_size=theme.SIZE_TITLE, color=theme.TEXT)
        title.to_edge([0, 1, 0])
        circle = Circle(radius=self.model.radius, color=theme.PRIMARY)
        # A flat patch of a saturated brand colour: what the colour-fidelity test measures.
        swatch = Square(1.6).set_fill(theme.ACCENT, 1).set_stroke(width=0).to_edge(LEFT)
        self.play(Create(circle), Create(title), FadeIn(swatch), run_time=1.0)
        self.say("A circle & a dot <on> it", duration=9.0)
        self.wait(9.4)
        self.beat("The dot moves")
        dot = Dot(circle.point_at_angle(self.model.angles[0]), color=theme.SECONDARY)
        self.say("Watch it go round", duration=10.0)
        self.play(MoveAlongPath(dot, circle), run_time=10.4)
        self.beat("Summing up")
        self.say("That is all", duration=10.0)
        self.wait(10.4)


SPEC = SceneSpec(
    id=SCENE_ID,
    title='Means & <Medians>: a "demo" {{ x }}',
    description="A dot on a circle <b>for tests</b>.",
    tags=("test",),
    params=DemoParams,
    model=simulate,
    scene=f"{__name__}:ExportDemo",
    duration=30.0,
    hero_time=15.0,
    summary="Checks that <script>alert(1)</script> & friends are escaped everywhere.",
)
