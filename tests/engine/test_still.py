"""Stills: the PNG holds the pixels of that frame of the video (PSNR against the lossy master's
decoded frame), for a time and for a beat's picture; bad requests are one clear error."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
from PIL import Image

from render.core.catalog import get_scene
from render.core.errors import UserError
from render.engine.still import frame_at, render_still
from tests.engine.test_beat import settings  # noqa: F401 (the fixture)
from tests.helpers.tiny import TINY


def video_frame(video, index: int) -> np.ndarray:
    """Frame ``index`` of ``video``, decoded to RGB by ffmpeg."""
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(video), "-vf", f"select=eq(n\\,{index})",
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(TINY.height, TINY.width, 3)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)


def test_the_frame_at_a_time_is_the_one_showing_then():
    assert frame_at(0.0, 5) == 0 and frame_at(0.6, 5) == 3 and frame_at(0.59, 5) == 2


def test_a_still_needs_exactly_one_of_at_and_beat(settings):  # noqa: F811
    params = get_scene("lln").default_params()
    for kwargs in ({}, {"at": 1.0, "beat": "2"}, {"at": -1.0}):
        with pytest.raises(UserError):
            render_still("lln", params, TINY, settings, **kwargs)


@pytest.mark.render
def test_a_still_has_the_videos_pixels(tiny_render, settings):  # noqa: F811
    reference = tiny_render("lln")
    sections = reference.timeline["sections"]
    params = get_scene("lln").default_params()
    # Inside the third beat, and the second beat's picture.
    at = (sections[2]["start"] + sections[3]["start"]) / 2
    for kwargs in ({"at": at}, {"beat": "2"}):
        path, still, _ = render_still("lln", params, TINY, settings, **kwargs)
        assert path.parent == settings.out.render_dir("lln", TINY.name) / "stills"
        png = np.asarray(Image.open(path).convert("RGB"))
        assert png.shape == (TINY.height, TINY.width, 3) and png.std() > 5  # not an empty frame
        assert psnr(png, video_frame(reference.video, still.frame)) > 35, kwargs
        if "at" in kwargs:
            assert still.frame == frame_at(at, TINY.fps)
    # A beat's picture is the beat complete: the frame on which its fade-out starts.
    assert sections[1]["start"] * TINY.fps < still.frame < sections[2]["start"] * TINY.fps


@pytest.mark.render
def test_a_time_past_the_end_is_one_error(settings):  # noqa: F811
    with pytest.raises(UserError, match="past its end"):
        render_still("lln", get_scene("lln").default_params(), TINY, settings, at=10_000.0)


@pytest.mark.render
def test_an_svg_still_draws_the_frame_as_vectors(settings):  # noqa: F811
    """The title frame of lln: every mobject is a VMobject, so nothing is left out; the SVG has
    the frame's size, the background and the text's glyph outlines as paths."""
    import xml.etree.ElementTree as ElementTree

    params = get_scene("lln").default_params()
    at = 3.0  # the title card
    path, still, missing = render_still("lln", params, TINY, settings, at=at, fmt="svg")
    assert path.suffix == ".svg" and still.frame == frame_at(at, TINY.fps) and missing == []
    root = ElementTree.fromstring(path.read_bytes())
    assert (root.get("width"), root.get("height")) == (f"{TINY.width}px", f"{TINY.height}px")
    paths = [e for e in root.iter() if e.tag.endswith("path")]
    assert len(paths) > 20  # "The Law of Large Numbers" and its subtitle, glyph by glyph
