"""What a skipped play can leave out while leaving the scene exactly as drawing it would.

A render that skips animations (the plays before a shard's window, before a beat, before a still's
frame) still runs each of them through Manim's whole machinery, only with the writer off. Two
parts of that machinery do work no later frame can see:

* drawing: a skipped play still paints its static mobjects into a background image and draws
  one frame of the moving ones, then throws both away (the next drawn play starts from a fresh
  background; drawing never changes a mobject);
* fades: ``FadeIn`` and ``FadeOut`` copy their mobject three times in ``begin`` (a faded copy to
  start from or end on, and a copy of the target), for an end state that is the mobject as it was:
  a ``FadeIn`` ends on a copy of the mobject itself, a ``FadeOut`` puts the mobject back to its
  starting copy after fading it (then removes it). For a mobject whose family has no updater
  (nothing can move it during the play), the same end state is reached without the copies: add
  it (``FadeIn``), remove it (``FadeOut``), and suspend and resume its updating as the animation
  would.

Skipping lln's first three beats costs a third of what it did with both (the shard proof and
the beat test check, by framemd5, that the frames after the skipped plays do not change).
"""

from __future__ import annotations

import functools
from typing import Any


def _family_is_still(mobject: Any) -> bool:
    """Whether nothing in ``mobject``'s family has an updater (so no play can move it)."""
    return not any(member.updaters for member in mobject.get_family())


def _fade_classes() -> tuple[type, ...]:
    from manim import FadeIn, FadeOut

    return FadeIn, FadeOut


@functools.cache
def _skipped_fade_class() -> type:
    """The stand-in's class (made on first use: this module does not import Manim at load)."""
    from manim import Animation, Mobject

    class SkippedFade(Animation):
        """Stands in for ``fade`` in a skipped play: same run time, same effect on the scene."""

        def __init__(self, fade: Any) -> None:
            super().__init__(Mobject(), run_time=fade.run_time, rate_func=fade.rate_func)
            self.fade = fade

        def _setup_scene(self, scene: Any) -> None:
            self.fade._setup_scene(scene)  # a FadeIn adds its mobject here

        def begin(self) -> None:
            if self.fade.suspend_mobject_updating:
                self.fade.mobject.suspend_updating()

        def interpolate(self, alpha: float) -> None:
            pass

        def update_mobjects(self, dt: float) -> None:
            pass

        def finish(self) -> None:
            if self.fade.suspend_mobject_updating:
                self.fade.mobject.resume_updating()

        def clean_up_from_scene(self, scene: Any) -> None:
            Animation.clean_up_from_scene(self.fade, scene)  # a FadeOut removes its mobject here

    return SkippedFade


def shortcut(animation: Any) -> Any:
    """``animation`` itself, or its cheaper stand-in when the play is skipped."""
    if type(animation) in _fade_classes() and _family_is_still(animation.mobject):
        return _skipped_fade_class()(animation)
    return animation


def install(scene: Any) -> None:
    """Make ``scene``'s skipped plays (``renderer.skip_animations``) draw nothing and fade cheaply.

    Plays that are drawn go through Manim's code untouched.
    """
    renderer = scene.renderer
    update_frame, render = renderer.update_frame, renderer.render
    save_static = renderer.save_static_frame_data
    begin_animations = scene.begin_animations

    def update_frame_unless_skipping(*args: Any, **kwargs: Any) -> None:
        if not renderer.skip_animations:
            update_frame(*args, **kwargs)

    def render_unless_skipping(*args: Any, **kwargs: Any) -> None:
        if not renderer.skip_animations:
            render(*args, **kwargs)

    def save_static_unless_skipping(*args: Any, **kwargs: Any) -> Any:
        if renderer.skip_animations:
            renderer.static_image = None
            return None
        return save_static(*args, **kwargs)

    def begin_with_shortcuts() -> None:
        if renderer.skip_animations:
            scene.animations = [shortcut(a) for a in scene.animations]
        begin_animations()

    renderer.update_frame = update_frame_unless_skipping
    renderer.render = render_unless_skipping
    renderer.save_static_frame_data = save_static_unless_skipping
    scene.begin_animations = begin_with_shortcuts
