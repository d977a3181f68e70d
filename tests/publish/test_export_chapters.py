"""``export --target chapters``: one upload-ready clip per beat of the render, each exactly its
beat's length and showing the beat's pictures, listed in meta.json and passing verify."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from render.core.paths import OutPaths
from tests.helpers.kit import SCENE, run_cli


def frame_at(video: Path, seconds: float) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-ss", f"{seconds:.3f}", "-i", str(video),
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).astype(float)


def test_chapters_are_one_verified_clip_per_beat(kit_copy: Path):
    code, output = run_cli("export", SCENE, "--target", "chapters", "--out", str(kit_copy))
    assert code == 0, output
    out = OutPaths(kit_copy)
    timeline = json.loads(out.timeline(SCENE, "preview").read_text())
    sections = timeline["sections"]
    meta = json.loads(out.meta(SCENE).read_text())
    chapters = sorted(name for name in meta["files"] if ".chapter-" in name)
    assert chapters == [f"{SCENE}.chapter-{n:02d}.mp4" for n in range(1, len(sections) + 1)]
    assert {meta["files"][name]["target"] for name in chapters} == {"chapters"}
    ends = [s["start"] for s in sections[1:]] + [timeline["duration"]]
    source = out.video(SCENE, "preview")
    for name, section, end in zip(chapters, sections, ends, strict=True):
        frames = subprocess.run(
            ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
             "stream=nb_read_frames", "-of", "csv=p=0", str(out.kit(SCENE) / name)],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        assert int(frames) == round((end - section["start"]) * meta["fps"]), name
        # The clip is its beat's stretch of the render: mid-beat the pictures agree (the dot moves).
        half = (end - section["start"]) / 2
        clip = frame_at(out.kit(SCENE) / name, half)
        error = np.abs(clip - frame_at(source, section["start"] + half))
        assert error.mean() < 2.0, name
    code, output = run_cli("verify", str(kit_copy))
    assert code == 0, output
    # The earlier targets are still in the kit, and a second run encodes nothing.
    assert f"{SCENE}.youtube.mp4" in meta["files"]
    code, output = run_cli("export", SCENE, "--target", "chapters", "--out", str(kit_copy))
    assert code == 0 and output.count("up to date") == len(sections), output
