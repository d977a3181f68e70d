"""Every registered scene rendered small (real Manim, LaTeX, ffmpeg): video, layout, last frame."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render.core.catalog import scene_ids
from render.tools.probe import is_faststart, probe, video_stream

REGRESSION = Path(__file__).parent / "regression"
MEAN_ABS_TOLERANCE = 2.5  # grey levels out of 255, averaged over the frame

pytestmark = pytest.mark.render
SCENES = scene_ids()


@pytest.mark.parametrize("scene_id", SCENES)
def test_video_meets_the_container_spec(tiny_render, scene_id):
    r = tiny_render(scene_id)
    info = probe(r.video, count_frames=True)
    stream = video_stream(info)
    assert stream["codec_name"] == "h264"
    assert stream["pix_fmt"] == "yuv420p"
    assert (stream["width"], stream["height"]) == (256, 144)
    assert stream["width"] % 2 == 0 and stream["height"] % 2 == 0
    fps = Fraction(stream["r_frame_rate"])
    assert fps == r.job.fps
    frames = int(stream["nb_read_frames"])
    duration = float(info["format"]["duration"])
    assert abs(frames - fps * duration) <= 1
    # Manim renders ceil(run_time * fps) frames per animation: at most one extra frame per play.
    expected = r.timeline["duration"] * r.job.fps
    assert expected - 1 <= frames <= expected + r.timeline["num_plays"]
    assert is_faststart(r.video)


def test_the_master_is_encoded_with_the_master_settings(tiny_render):
    """x264 writes the settings it encoded with into the stream; read them back from the movie."""
    from render.engine.worker import MASTER_ENCODER_OPTIONS

    movie = tiny_render(SCENES[0]).video.read_bytes()
    start = movie.index(b"x264 - core")
    settings = dict(
        item.split("=", 1)
        for item in movie[start : movie.index(b"\0", start)].decode().split(" options: ")[1].split()
    )
    assert float(settings["crf"]) == float(MASTER_ENCODER_OPTIONS["crf"])
    # What preset superfast selects (medium would be me=hex, subme=7, ref=3).
    assert (settings["me"], settings["subme"], settings["ref"]) == ("dia", "1", "1")


@pytest.mark.parametrize("scene_id", SCENES)
def test_every_label_inside_the_frame_and_apart(tiny_render, scene_id):
    problems = tiny_render(scene_id).layout_problems
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("scene_id", SCENES)
def test_chapters_and_captions_are_well_formed(tiny_render, scene_id):
    timeline = tiny_render(scene_id).timeline
    starts = [s["start"] for s in timeline["sections"]]
    assert len(starts) >= 3 and starts[0] == 0
    ends = [*starts[1:], timeline["duration"]]
    assert all(end - start >= 10 for start, end in zip(starts, ends, strict=True)), starts
    cues = timeline["cues"]
    assert cues, "a scene narrates its beats"
    assert all(0 <= c["start"] < c["end"] <= timeline["duration"] + 1e-6 for c in cues)
    assert all(c["text"].strip() for c in cues)


@pytest.mark.parametrize("scene_id", SCENES)
def test_last_frame_matches_the_reference(tiny_render, scene_id, request):
    frame = tiny_render(scene_id).last_frame
    reference = REGRESSION / f"{scene_id}.png"
    if request.config.getoption("--regen-images"):
        REGRESSION.mkdir(exist_ok=True)
        Image.fromarray(frame).save(reference)
        pytest.skip(f"regenerated {reference.name}")
    assert reference.exists(), f"no reference image; run pytest --regen-images -k {scene_id}"
    expected = np.asarray(Image.open(reference).convert("RGB"))
    assert expected.shape == frame.shape
    diff = np.abs(expected.astype(int) - frame.astype(int)).mean()
    assert diff <= MEAN_ABS_TOLERANCE, f"last frame differs from {reference.name} by {diff:.2f}"
    assert frame.max() - frame.min() > 40, "the last frame is blank"
