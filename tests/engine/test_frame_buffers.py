"""Frames handed to the encoder without a copy come out of a real render as Manim's copies do.

A real scene (a static picture under moving shapes, frozen waits, a wait with an updater,
fades) is rendered by Manim to a movie with and without the replacements, with the encoder
slowed down so that frames queue up behind it: a frame drawn into an array the encoder still
holds would show up as a wrong picture. The movies must decode to the same frames.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim import (
    BLUE,
    DOWN,
    RIGHT,
    UP,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Scene,
    Square,
    Text,
    tempconfig,
)
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from render.engine import frame_buffers, manim_speedups
from render.engine.worker import MASTER_ENCODER_OPTIONS


class Clip(Scene):
    def construct(self) -> None:
        self.add(Square(2.5, color=BLUE, fill_opacity=0.4))  # the static picture
        dot = Dot().shift(3 * RIGHT)
        self.play(FadeIn(dot), Create(Circle(1.2)), run_time=0.6)
        self.wait(0.4)  # a frozen frame
        self.play(dot.animate.shift(2 * UP), run_time=0.8)
        clock = Text("0", font_size=30).to_edge(DOWN)
        clock.add_updater(lambda m, dt: m.shift(0.05 * RIGHT))
        self.add(clock)
        self.wait(0.6)  # every frame drawn: an updater is running
        self.play(FadeOut(dot), run_time=0.4)


def slowed(write_frame: Any) -> Any:
    def write_late(encoder: Any, pixels: Any, *, repeat: int = 1) -> None:
        time.sleep(0.02)  # the renderer gets several frames ahead of the encoder
        write_frame(encoder, pixels, repeat=repeat)

    return write_late


def render(media: Path, enabled: bool) -> tuple[list[bytes], Any]:
    config = {
        "media_dir": str(media),
        "pixel_width": 256,
        "pixel_height": 144,
        "frame_rate": 15,
        "output_file": "clip",
        "video_encoder_options": MASTER_ENCODER_OPTIONS,
        "disable_caching": True,
        "write_to_movie": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    with manim_speedups.speedups(enabled), tempconfig(config):
        installed = VideoSegmentEncoder.write_frame
        VideoSegmentEncoder.write_frame = slowed(installed)  # type: ignore[method-assign]
        try:
            scene = Clip()
            scene.render()
        finally:
            VideoSegmentEncoder.write_frame = installed  # type: ignore[method-assign]
    movie = next(media.rglob("clip.mp4"))
    with av.open(str(movie)) as container:
        frames = [f.to_ndarray(format="rgb24").tobytes() for f in container.decode(video=0)]
    return frames, scene.renderer.camera


def test_frames_handed_over_uncopied_are_the_frames_manim_copies(tmp_path: Path) -> None:
    want, _ = render(tmp_path / "manim", enabled=False)
    got, camera = render(tmp_path / "uncopied", enabled=True)
    assert len(want) > 40 and len(set(want)) > 20  # frames that move, and frozen ones
    assert got == want
    buffers = frame_buffers._BUFFERS[camera].buffers
    # The encoder held frames while others were drawn, and arrays it let go were drawn again.
    assert 2 < len(buffers) < len(want)
    assert all(b.shape == camera.pixel_array.shape for b in buffers)


def test_a_camera_used_directly_keeps_drawing_in_place() -> None:
    from manim import Camera

    with manim_speedups.speedups():
        camera = Camera(pixel_width=64, pixel_height=36)
        pixels = camera.pixel_array
        camera.reset()
        camera.capture_mobjects([Dot()])
        assert camera.pixel_array is pixels and np.any(pixels)
