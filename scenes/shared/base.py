"""The base class of every mathreel scene.

It does four things a plain ``manim.Scene`` does not:

* draws only what it is handed: the pipeline computes the model from the parameters and passes
  both in (so the picture can only show what the model computed, and the same seed gives the same
  frames); run by plain ``manim render FILE CLASS``, it computes its registered model itself;
* records a timeline of beats (``next_section``) and narration cues (``add_subcaption``) with their
  start times, which the export step turns into chapters and captions;
* speaks each caption when the render gives it a narrator, and keeps the picture waiting for the
  voice: the next ``say()``, ``beat()``, ``clear_stage()``, ``unsay()`` or the end of the scene
  first waits until the previous line's speech has ended, plus a short gap;
* ends a beat with :meth:`MathreelScene.clear_stage`, so no scene tracks what is on screen by hand;
* lets observers look at the scene after every animation (the layout check in the tests).
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from manim import UP, FadeIn, FadeOut, Mobject, Scene, Text, ValueTracker, config

from render.core.params import Params
from render.narration.cues import CueNamer
from render.narration.narrator import Narrator, Spoken
from scenes.shared import theme

CAPTION_Y = -3.55
CAPTION_WIDTH = 13.0
# Silence between one line's speech and the next line (or the next beat, or the end).
SPEECH_GAP = 0.4


@dataclasses.dataclass(frozen=True)
class _Speaking:
    """A line whose speech is being made: its timeline entry, when it started on both clocks."""

    cue: dict[str, Any]
    speech: Future[Spoken]
    start: float
    nominal_start: float


class MathreelScene(Scene):
    """Subclasses draw ``self.model`` (computed from ``self.params``) in ``construct``."""

    def __init__(self, model: Any = None, params: Params | None = None, **kwargs: Any) -> None:
        if model is None:
            # Outside the pipeline (plain ``manim render``): the registered model, at defaults.
            from render.core.catalog import spec_of_class

            spec = spec_of_class(type(self).__name__)
            params = params if params is not None else spec.default_params()
            model = spec.compute(params)
        if params is None:
            raise TypeError("a scene given its model needs the parameters it was computed from")
        self.params = params
        self.model = model
        self.timeline: dict[str, Any] = {"sections": [], "cues": [], "duration": 0.0}
        self.play_observers: list[Callable[[MathreelScene], None]] = []
        self._caption: Text | None = None
        self.narrator: Narrator | None = None
        self._cue_names = CueNamer()
        self._beat: str | None = None
        # The nominal clock, the sum of the run times played so far. Waits for the voice are
        # measured on it, not on Manim's clock (whole frames when drawn, exact run times when a
        # shard skips), so that every shard of a sharded render waits exactly as long.
        self._nominal = 0.0
        self._speaking: _Speaking | None = None
        super().__init__(random_seed=self.params.seed, **kwargs)

    def setup(self) -> None:
        self.camera.background_color = theme.BACKGROUND
        config.tex_template = theme.tex_template()

    def tear_down(self) -> None:
        from manim.utils.exceptions import EndSceneEarlyException

        # A shard that stopped at the end of its window is past its last frame: nothing to wait.
        with contextlib.suppress(EndSceneEarlyException):
            self.wait_for_voice()
        self.timeline["duration"] = round(self.time, 6)

    def play(self, *args: Any, **kwargs: Any) -> None:
        before = self.renderer.num_plays
        super().play(*args, **kwargs)
        if self.renderer.num_plays > before:  # a play without animations counts no time
            self._nominal += self.duration
        for observer in self.play_observers:
            observer(self)

    def wait_for_voice(self) -> None:
        """Hold the picture until the last line's speech has ended, plus :data:`SPEECH_GAP`.

        The wait is rounded up to whole frames, plus half a frame: Manim draws a still wait as
        ``int(run_time * fps)`` frames, which would round a wait of 0.73 s at 10 fps down to 7.
        What drawn animations add or lose to frame rounding between two lines is absorbed by the
        gap, so one line's speech never runs into the next.
        """
        speaking, self._speaking = self._speaking, None
        if speaking is None:
            return
        spoken = speaking.speech.result()
        seconds = spoken.speech.seconds
        # By name in the render's speech store, so a timeline does not depend on where it is.
        speaking.cue.update(
            end=round(speaking.start + seconds, 6),
            speech=spoken.speech.path.name,
            source=spoken.source,
        )
        self.add_subcaption(speaking.cue["text"], seconds, offset=speaking.start - self.time)
        remaining = speaking.nominal_start + seconds + SPEECH_GAP - self._nominal
        if remaining > 1e-6:
            fps = config.frame_rate
            self.wait((math.ceil(remaining * fps - 1e-6) + 0.5) / fps)

    def beat(self, name: str) -> None:
        """Start a chapter: a Manim section plus a timeline entry at the current time."""
        self.wait_for_voice()
        self._beat = name
        self.next_section(name)
        self.timeline["sections"].append({"name": name, "start": round(self.time, 6)})

    def say(self, text: str, duration: float) -> None:
        """Narrate: a caption line at the foot of the frame and the same words as a subcaption.

        The caption stays until the next ``say`` (or :meth:`unsay`). Narrated, the cue lasts as
        long as its speech, which is made while the animations after this line are drawn and
        measured at the next wait point (:meth:`wait_for_voice`); silent, ``duration`` is how long
        it lasts, normally the run time of the animations the words go with.
        """
        self.wait_for_voice()
        cue_id = self._cue_names.name(self._beat, text)
        speech = self.narrator.start(cue_id, text) if self.narrator is not None else None
        cue: dict[str, Any] = {
            "start": round(self.time, 6),
            "end": round(self.time + duration, 6),
            "text": text,
            "beat": self._beat,
            "id": cue_id,
        }
        self.timeline["cues"].append(cue)
        if speech is None:
            self.add_subcaption(text, duration=duration)
        else:
            self._speaking = _Speaking(cue, speech, self.time, self._nominal)
        line = Text(text, font=theme.FONT, font_size=theme.SIZE_BODY, color=theme.TEXT)
        if line.width > CAPTION_WIDTH:
            line.scale_to_fit_width(CAPTION_WIDTH)
        line.move_to([0.0, CAPTION_Y, 0.0])
        animations = [FadeIn(line, shift=0.1 * UP)]
        if self._caption is not None:
            # Manim redraws on every frame of an animation everything added after the first
            # mobject it animates. The caption band is kept clear of the picture, so the old line
            # is moved to the top first: the same pixels, with the picture drawn once, not on
            # every frame of the swap.
            self.bring_to_front(self._caption)
            animations.append(FadeOut(self._caption))
        self._caption = line
        self.play(*animations, run_time=0.4)
        # And once in, the line goes to the bottom: the same pixels again, and the line is drawn
        # once per animation, not on every frame of whatever moves below it.
        self.bring_to_back(line)

    def clear_stage(self, run_time: float = 1.0) -> None:
        """End a beat: fade out everything on screen except the caption, then the caption.

        Only what draws is faded; trackers and other invisible helpers stay in the scene. The
        picture stays until the last line has been spoken.
        """
        self.wait_for_voice()
        stage = [m for m in self.mobjects if m is not self._caption and _draws(m)]
        if stage:
            self.play(*(FadeOut(m) for m in stage), run_time=run_time)
        self.unsay()

    def unsay(self) -> None:
        self.wait_for_voice()
        if self._caption is not None:
            self.play(FadeOut(self._caption), run_time=0.3)
            self._caption = None


def _draws(mob: Mobject) -> bool:
    """Whether anything in ``mob``'s family puts pixels on the frame (a ValueTracker keeps its
    value in a point but is never drawn)."""
    return any(m.has_points() and not isinstance(m, ValueTracker) for m in mob.get_family())
