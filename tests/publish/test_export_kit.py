"""The whole export on a real render of the demo scene, checked with independent tools.

Each property is measured here directly (ffprobe, the raw MP4 boxes, Pillow, hashlib), not through
the code under test, and ``mathreel verify`` is shown both to pass on the real kit and to fail on
damaged ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from render.publish import captions, verify
from render.publish.targets import Expect
from tests.helpers import demo_scene
from tests.helpers.kit import SCENE, run_cli

pytestmark = pytest.mark.render

REPO = Path(__file__).resolve().parents[2]
TARGET_FILES = [
    "youtube.mp4", "web.mp4", "web.webm", "gif", "webp", "poster.png", "thumbnail.jpg",
]  # fmt: skip


def ffprobe(path: Path, *entries: str, frames: bool = False) -> list[dict]:
    section = "frame" if frames else "stream"
    argv = ["ffprobe", "-v", "error", "-select_streams", "v:0", "-print_format", "json"]
    argv += ["-show_entries", f"{section}={','.join(entries)}", str(path)]
    return json.loads(subprocess.run(argv, capture_output=True, check=True).stdout)[
        "frames" if frames else "streams"
    ]


def box_offsets(path: Path) -> dict[str, int]:
    """Top-level MP4 boxes and where they start, read straight from the file."""
    data, offsets, at = path.read_bytes(), {}, 0
    while at + 8 <= len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        offsets.setdefault(data[at + 4 : at + 8].decode("latin-1"), at)
        at += size if size >= 8 else len(data)
    return offsets


def test_kit_holds_every_target_caption_and_meta(demo_kit: Path):
    kit = demo_kit / SCENE
    expected = {f"{SCENE}.{s}" for s in TARGET_FILES} | {f"{SCENE}.srt", f"{SCENE}.vtt"}
    expected |= {"description.txt"}
    meta = json.loads((kit / "meta.json").read_text())
    assert set(meta["files"]) == expected
    for name, entry in meta["files"].items():
        data = (kit / name).read_bytes()
        assert entry["bytes"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    probe = ffprobe(kit / f"{SCENE}.youtube.mp4", "width", "height", "r_frame_rate")[0]
    assert (meta["width"], meta["height"]) == (probe["width"], probe["height"]) == (256, 144)
    assert meta["fps"] == 10 and probe["r_frame_rate"] == "10/1"
    timeline = json.loads((kit / "preview" / f"{SCENE}.timeline.json").read_text())
    assert meta["duration"] == timeline["duration"]
    assert meta["title"] == demo_scene.SPEC.title and meta["seed"] == 0
    assert meta["parameters"] == demo_scene.DemoParams().as_dict()
    assert meta["codecs"][f"{SCENE}.web.webm"] == "vp9" and meta["manim_version"].startswith("0.")
    web = ffprobe(kit / f"{SCENE}.web.mp4", "width", "height")[0]
    assert (
        meta["files"][f"{SCENE}.web.mp4"]["width"],
        meta["files"][f"{SCENE}.web.mp4"]["height"],
    ) == (web["width"], web["height"])
    manifest = json.loads((demo_kit / "manifest.json").read_text())
    assert [s["id"] for s in manifest["scenes"]] == [SCENE]
    assert manifest["scenes"][0]["meta"] == f"{SCENE}/meta.json"


def test_youtube_master_meets_the_upload_spec(demo_kit: Path):
    path = demo_kit / SCENE / f"{SCENE}.youtube.mp4"
    stream = ffprobe(path, "codec_name", "profile", "pix_fmt", "color_space", "color_primaries")[0]
    assert stream == {
        "codec_name": "h264", "profile": "High", "pix_fmt": "yuv420p",
        "color_space": "bt709", "color_primaries": "bt709",
    }  # fmt: skip
    boxes = box_offsets(path)
    assert boxes["moov"] < boxes["mdat"]
    frames = ffprobe(path, "pict_type", "key_frame", frames=True)
    keys = [i for i, f in enumerate(frames) if f["key_frame"] == 1]
    assert keys == list(range(0, len(frames), 5))  # half of 10 fps
    types = "".join(f["pict_type"] for f in frames)
    assert "BB" in types and "BBB" not in types
    duration = json.loads((demo_kit / SCENE / "meta.json").read_text())["duration"]
    assert abs(len(frames) - duration * 10) <= 1


def test_youtube_master_keeps_the_renders_colours(demo_kit: Path, tmp_path: Path):
    """Decoded by ffmpeg honouring each file's tags, the master and the render look the same."""
    kit = demo_kit / SCENE
    frames = []
    for name, source in (("render", kit / "preview" / f"{SCENE}.mp4"),
                         ("master", kit / f"{SCENE}.youtube.mp4")):  # fmt: skip
        png = tmp_path / f"{name}.png"
        subprocess.run(
            ["ffmpeg", "-v", "error", "-ss", "15", "-i", str(source), "-frames:v", "1", str(png)],
            check=True,
        )
        frames.append(np.asarray(Image.open(png).convert("RGB"), dtype=float))
    swatch = frames[0].max(axis=2) - frames[0].min(axis=2) > 100  # the flat red square
    assert swatch.sum() > 500
    assert np.abs(frames[0][swatch] - frames[1][swatch]).mean() < 1.5
    # And against the colour the scene asked for: the middle of the square is the brand accent.
    ys, xs = np.nonzero(swatch)
    middle = frames[1][ys.mean().astype(int) - 4 : ys.mean().astype(int) + 4,
                       xs.mean().astype(int) - 4 : xs.mean().astype(int) + 4]  # fmt: skip
    accent = json.loads((REPO / "assets" / "brand.json").read_text())["accent"]
    wanted = [int(accent[i : i + 2], 16) for i in (1, 3, 5)]
    assert np.abs(middle.reshape(-1, 3).mean(axis=0) - wanted).max() < 4


def test_web_videos_have_no_audio_and_even_size(demo_kit: Path):
    for suffix, codec in (("web.mp4", "h264"), ("web.webm", "vp9")):
        path = demo_kit / SCENE / f"{SCENE}.{suffix}"
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height",
             "-of", "json", str(path)], capture_output=True, check=True,
        )  # fmt: skip
        streams = json.loads(out.stdout)["streams"]
        assert [(s["codec_type"], s["codec_name"]) for s in streams] == [("video", codec)]
        assert streams[0]["width"] % 2 == 0 and streams[0]["height"] % 2 == 0


def test_poster_is_the_frame_at_the_hero_moment(demo_kit: Path, tmp_path: Path):
    kit = demo_kit / SCENE
    reference = tmp_path / "hero.png"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-ss", str(demo_scene.SPEC.hero_time), "-i",
         str(kit / "preview" / f"{SCENE}.mp4"), "-frames:v", "1", str(reference)], check=True,
    )  # fmt: skip
    poster = np.asarray(Image.open(kit / f"{SCENE}.poster.png").convert("RGB"), dtype=float)
    assert np.abs(poster - np.asarray(Image.open(reference).convert("RGB"))).max() == 0


def test_thumbnail_is_720p_jpeg_with_the_title_drawn(demo_kit: Path):
    path = demo_kit / SCENE / f"{SCENE}.thumbnail.jpg"
    image = Image.open(path)
    assert image.format == "JPEG" and image.size == (1280, 720)
    assert path.stat().st_size < 2 * 1024 * 1024
    # The title is drawn in the brand's light text colour, low in the frame, where the poster
    # (scaled up) has only the dark background and a thin circle: count light pixels there.
    pixels = np.asarray(image.convert("L"), dtype=float)
    poster = Image.open(path.with_name(f"{SCENE}.poster.png")).convert("L").resize((1280, 720))
    band = slice(430, 650)
    light = (pixels[band] > 200).mean()
    assert light > 0.03 and light > 10 * (np.asarray(poster, dtype=float)[band] > 200).mean()


def test_previews_loop_and_are_short(demo_kit: Path):
    gif = Image.open(demo_kit / SCENE / f"{SCENE}.gif")
    assert gif.info.get("loop") == 0 and gif.n_frames == 60  # 6 s at 10 fps (source rate)
    webp = Image.open(demo_kit / SCENE / f"{SCENE}.webp")
    assert webp.format == "WEBP" and webp.is_animated and webp.size[0] == 256


def test_captions_and_chapters_match_the_timeline(demo_kit: Path):
    kit = demo_kit / SCENE
    timeline = json.loads((kit / "preview" / f"{SCENE}.timeline.json").read_text())
    srt = (kit / f"{SCENE}.srt").read_text(encoding="utf-8")
    vtt = (kit / f"{SCENE}.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    texts = [c["text"] for c in timeline["cues"]]
    assert [c.text for c in captions.parse_srt(srt)] == texts
    assert "A circle &amp; a dot &lt;on&gt; it" in vtt
    description = (kit / "description.txt").read_text(encoding="utf-8")
    names = [s["name"] for s in timeline["sections"]]
    assert [c.name for c in captions.parse_chapters(description)] == names
    assert description.splitlines()[-5].startswith("0:00 ")


def test_verify_passes_on_the_real_kit(demo_kit: Path):
    code, output = run_cli("verify", str(demo_kit))
    assert code == 0, output
    assert "10 of 10 files pass" in output


def test_second_export_encodes_nothing_and_a_new_width_only_the_web_target(kit_copy: Path):
    kit = kit_copy / SCENE
    before = {p.name: p.stat().st_mtime_ns for p in kit.iterdir() if p.is_file()}
    code, output = run_cli("export", SCENE, "--out", str(kit_copy))
    assert code == 0 and output.count("up to date") == 7, output
    assert all(p.stat().st_mtime_ns == before[p.name] for p in kit.glob(f"{SCENE}.*.mp4"))
    code, output = run_cli("export", SCENE, "--out", str(kit_copy), "--width", "128")
    assert code == 0 and output.count("up to date") == 5, output
    width = ffprobe(kit / f"{SCENE}.web.webm", "width")[0]["width"]
    assert width == 128 and "web.mp4: up to date" not in output


def test_max_bytes_steps_down_until_the_preview_fits(kit_copy: Path):
    full = (kit_copy / SCENE / f"{SCENE}.gif").stat().st_size
    limit = full * 2 // 3
    code, output = run_cli(
        "export", SCENE, "--out", str(kit_copy), "-t", "gif", "--max-bytes", str(limit)
    )
    assert code == 0, output
    gif = kit_copy / SCENE / f"{SCENE}.gif"
    assert gif.stat().st_size <= limit and "px" in output and "fps" in output
    assert run_cli("verify", str(kit_copy))[0] == 0
    code, output = run_cli(
        "export", SCENE, "--out", str(kit_copy), "-t", "gif", "--max-bytes", "1k"
    )
    assert code == 2 and "cannot fit" in output and "Traceback" not in output
    assert gif.stat().st_size <= limit  # the earlier file is untouched


def test_dry_run_prints_commands_and_writes_nothing(demo_render: Path, tmp_path: Path):
    out = tmp_path / "out"
    shutil.copytree(demo_render.parent, out / SCENE / "preview")
    code, output = run_cli("export", SCENE, "--out", str(out), "--dry-run")
    assert code == 0 and output.count("ffmpeg -nostdin") == 7
    assert sorted(p.name for p in (out / SCENE).iterdir()) == ["preview"]


def test_verify_fails_on_a_changed_file(kit_copy: Path):
    path = kit_copy / SCENE / f"{SCENE}.vtt"
    path.write_text(path.read_text().replace("WEBVTT", "WEBVTX"))
    code, output = run_cli("verify", str(kit_copy))
    assert code == 1 and "FAIL" in output and "9 of 10 files pass" in output


def test_verify_catches_an_encode_that_breaks_the_spec(kit_copy: Path):
    """A 4:4:4, open-GOP file passed off as the YouTube master (meta.json updated to match)."""
    kit = kit_copy / SCENE
    bad = kit / f"{SCENE}.youtube.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(kit / "preview" / f"{SCENE}.mp4"),
         "-c:v", "libx264", "-pix_fmt", "yuv444p", "-bf", "0", "-g", "50", str(bad)], check=True,
    )  # fmt: skip
    meta = json.loads((kit / "meta.json").read_text())
    entry = meta["files"][bad.name]
    entry.update(bytes=bad.stat().st_size, sha256=hashlib.sha256(bad.read_bytes()).hexdigest())
    (kit / "meta.json").write_text(json.dumps(meta))
    results = {r.file: r for r in verify.verify_out(kit_copy)}
    failed = " ".join(results[bad.name].failed)
    for check in ("profile", "pix_fmt", "faststart", "b-frames", "keyframes"):
        assert check in failed
    assert results[f"{SCENE}.web.mp4"].ok


def test_blank_check_tells_an_empty_background_from_a_dark_scene(demo_kit: Path, tmp_path: Path):
    blank = tmp_path / "blank.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=c=#0f1117:s=256x144:r=10:d=4",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(blank)], check=True,
    )  # fmt: skip
    expect = Expect(codec="h264", check_blank=True)
    findings = {name: ok for name, ok, _ in verify.check_media(blank, expect)}
    assert findings["blank frames"] is False
    scene = demo_kit / SCENE / f"{SCENE}.web.mp4"
    findings = {name: ok for name, ok, _ in verify.check_media(scene, expect)}
    assert findings["blank frames"] is True


def test_export_of_an_unknown_scene_is_one_line(tmp_path: Path):
    code, output = run_cli("export", "exportdemoo", "--out", str(tmp_path))
    assert code == 2 and "did you mean 'exportdemo'" in output and not any(tmp_path.iterdir())


def test_a_failing_ffmpeg_is_one_line_exit_1_and_leaves_no_file(
    kit_copy: Path, tmp_path, monkeypatch
):
    """A real failing program first on PATH: the error names the file being made and the log."""
    shim = tmp_path / "bin" / "ffmpeg"
    shim.parent.mkdir()
    shim.write_text("#!/bin/sh\necho 'Conversion failed: encoder exploded' >&2\nexit 1\n")
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim.parent}:{os.environ['PATH']}")
    kit = kit_copy / SCENE
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in kit.rglob("*") if p.is_file()}
    # A new width makes the web target re-encode; everything else is up to date.
    code, output = run_cli("export", SCENE, "-t", "web", "--width", "200", "--out", str(kit_copy))
    assert code == 1, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in output, output
    assert (
        f"making {SCENE}.web.mp4: ffmpeg exited 1: Conversion failed: encoder exploded" in errors[0]
    )
    log = Path(errors[0].rpartition("(log: ")[2].rstrip(")"))
    assert "encoder exploded" in log.read_text() and log.read_text().startswith("$ ")
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in kit.rglob("*") if p.is_file()}
    assert after == before  # no partial file, no temporary, nothing half-replaced
