"""The base class of every mathreel scene.

It does three things a plain ``manim.Scene`` does not:

* builds the scene's data once, from the registered model and the parameters (so the picture can
  only show what the model computed, and the same seed gives the same frames);
* records a timeline of beats (``next_section``) and narration cues (``add_subcaption``) with their
  start times, which the export step turns into chapters and captions;
* lets observers look at the scene after every animation (the layout check in the tests).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from manim import UP, FadeIn, FadeOut, Scene, Text, config

from render.catalog import get_scene
from render.params import Params
from scenes.shared import theme

CAPTION_Y = -3.55
CAPTION_WIDTH = 13.0


class MathreelScene(Scene):
    """Subclasses set ``scene_id`` and draw ``self.model`` in ``construct``."""

    scene_id: ClassVar[str]

    def __init__(self, params: Params | None = None, **kwargs: Any) -> None:
        spec = get_scene(self.scene_id)
        self.params = params if params is not None else spec.default_params()
        self.model = spec.compute(self.params)
        self.timeline: dict[str, Any] = {"sections": [], "cues": [], "duration": 0.0}
        self.play_observers: list[Callable[[MathreelScene], None]] = []
        self._caption: Text | None = None
        super().__init__(random_seed=self.params.seed, **kwargs)

    def setup(self) -> None:
        self.camera.background_color = theme.BACKGROUND
        config.tex_template = theme.tex_template()

    def tear_down(self) -> None:
        self.timeline["duration"] = round(self.time, 6)

    def play(self, *args: Any, **kwargs: Any) -> None:
        super().play(*args, **kwargs)
        for observer in self.play_observers:
            observer(self)

    def beat(self, name: str) -> None:
        """Start a chapter: a Manim section plus a timeline entry at the current time."""
        self.next_section(name)
        self.timeline["sections"].append({"name": name, "start": round(self.time, 6)})

    def say(self, text: str, duration: float) -> None:
        """Narrate: a caption line at the foot of the frame and the same words as a subcaption.

        The caption stays until the next ``say`` (or :meth:`unsay`); ``duration`` is how long the
        subtitle cue lasts, normally the run time of the animations the words go with.
        """
        self.add_subcaption(text, duration=duration)
        self.timeline["cues"].append(
            {"start": round(self.time, 6), "end": round(self.time + duration, 6), "text": text}
        )
        line = Text(text, font=theme.FONT, font_size=theme.SIZE_BODY, color=theme.TEXT)
        if line.width > CAPTION_WIDTH:
            line.scale_to_fit_width(CAPTION_WIDTH)
        line.move_to([0.0, CAPTION_Y, 0.0])
        animations = [FadeIn(line, shift=0.1 * UP)]
        if self._caption is not None:
            animations.append(FadeOut(self._caption))
        self._caption = line
        self.play(*animations, run_time=0.4)

    def unsay(self) -> None:
        if self._caption is not None:
            self.play(FadeOut(self._caption), run_time=0.3)
            self._caption = None
