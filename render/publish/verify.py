"""Check every file of every press kit against the spec of the target that made it.

Expectations come from :mod:`render.publish.targets` (rebuilt from ``meta.json``: the same context
and rung the encode used), and are measured with ffprobe: codec, profile, pixel format, size and
its parity, frame rate, frame count against duration, B-frame runs, keyframe spacing, moov before
mdat, byte limits; plus a blank-frame scan and the caption, chapter and checksum rules. A narrated
file's sound is measured too: codec, rate, channels, its length against the picture's, loudness and
true peak with ffmpeg's ``ebur128``, and speech under every caption cue.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from render.core.errors import ToolFailed, UserError
from render.core.paths import TMP_PREFIX, OutPaths
from render.narration.loudness import loudness, speech_spans, speech_within
from render.narration.master import TARGET_LUFS
from render.publish import captions, interactive, presskit
from render.publish.context import ExportContext
from render.publish.targets import AudioExpect, Expect, Rung, output_by_suffix
from render.tools import media, probe
from render.tools.hashing import file_sha256

BLANK_LUMA_SPREAD = 6  # brightest minus darkest luma of a frame showing only its background
MAX_BLANK_SECONDS = 2.0  # a fade through the background is fine; a blank stretch is not
FRAME_TOLERANCE = 2  # frames: rounding of the last frame's duration
LOUDNESS_TOLERANCE = 1.0  # LU either side of the mastering target
MAX_TRUE_PEAK = -1.0  # dBTP
# A cue counts as spoken when this much of it (or half of a shorter cue) is not silence.
MIN_SPEECH_SECONDS = 0.3


@dataclasses.dataclass(frozen=True)
class Result:
    scene: str
    file: str
    passed: tuple[str, ...]
    failed: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failed


Finding = tuple[str, bool, str]  # (check name, passed, what was found when it failed)


def verify_out(out_dir: Path) -> list[Result]:
    """Every file of every kit, and every temporary an interrupted run left behind (a stray:
    the next render or export removes it)."""
    kits = presskit.kits(out_dir)
    if not kits:
        raise UserError(f"no press kit under {out_dir} (run 'mathreel export SCENE' first)")
    results = [result for kit in kits for result in verify_kit(kit)]
    for stray in strays(out_dir):
        where = stray.relative_to(out_dir)
        scene = where.parts[0] if len(where.parts) > 1 else "-"
        detail = "stray: a temporary of an interrupted (or running) export or render"
        results.append(Result(scene, where.as_posix(), (), (detail,)))
    return results


def strays(out_dir: Path) -> list[Path]:
    return sorted(p for p in out_dir.rglob(f"{TMP_PREFIX}*") if p.is_file())


def verify_kit(kit: Path) -> list[Result]:
    meta = presskit.load_meta(kit)
    results = []
    for name, entry in meta["files"].items():
        path = kit / name
        findings = list(_integrity(path, entry))
        if path.is_file() and all(ok for _, ok, _ in findings):
            try:
                findings += list(_content(kit, meta, name, entry))
            except (KeyError, TypeError, ValueError) as exc:
                findings.append(("meta.json entry", False, f"unusable ({exc!r})"))
            except ToolFailed as exc:
                findings.append(("probe", False, str(exc)))
        results.append(
            Result(
                meta["id"], name,
                tuple(check for check, ok, _ in findings if ok),
                tuple(f"{check}: {detail}" for check, ok, detail in findings if not ok),
            )
        )  # fmt: skip
    return results


def _integrity(path: Path, entry: dict[str, Any]) -> Iterator[Finding]:
    if not path.is_file():
        yield "exists", False, "missing"
        return
    size = path.stat().st_size
    yield "bytes", size == entry["bytes"], f"{size} on disk, {entry['bytes']} in meta.json"
    yield "sha256", file_sha256(path) == entry["sha256"], "differs from meta.json"


def _content(
    kit: Path, meta: dict[str, Any], name: str, entry: dict[str, Any]
) -> Iterator[Finding]:
    if entry["target"] == "captions":
        yield from _captions(kit, meta, name)
        return
    if entry["target"] == interactive.TARGET:
        yield from interactive.page_problems(kit / name)
        return
    _, output = output_by_suffix(name.removeprefix(f"{meta['id']}."))
    ctx = ExportContext(
        scene_id=meta["id"], title=meta["title"], hero_time=meta["hero_time"],
        duration=meta["duration"], width=meta["width"], height=meta["height"], fps=meta["fps"],
        **entry["options"],
    )  # fmt: skip
    expect = output.expect(ctx, Rung(**entry["rung"]))
    yield from check_media(kit / name, expect)
    if expect.audio is not None:
        srt = OutPaths(kit.parent).kit_file(meta["id"], "srt")
        cues = captions.parse_srt(srt.read_text(encoding="utf-8")) if srt.is_file() else []
        yield from check_audio(kit / name, expect.audio, cues)


def check_audio(path: Path, expect: AudioExpect, cues: list[captions.Cue]) -> Iterator[Finding]:
    """The narration of ``path``: format, length against the picture, loudness, speech per cue."""
    info = probe.probe(path)
    sound, picture = probe.audio_stream(info), probe.video_stream(info)
    if sound is None:
        yield "audio", False, "no audio stream"
        return
    codec = f"{sound['codec_name']} {sound.get('profile', '')}".strip()
    wanted = f"{expect.codec} {expect.profile or ''}".strip()
    yield "audio codec", codec.startswith(wanted), f"{codec}, expected {wanted}"
    rate = int(sound.get("sample_rate", 0))
    yield "sample rate", rate == expect.sample_rate, f"{rate} Hz, expected {expect.sample_rate}"
    channels = int(sound.get("channels", 0))
    yield "channels", channels == expect.channels, f"{channels}, expected {expect.channels}"
    heard, seen = probe.stream_seconds(sound), probe.stream_seconds(picture)
    frame = 1 / float(probe.frame_rate(picture))
    same = heard is not None and seen is not None and abs(heard - seen) <= frame + 1e-3
    yield "audio length", same, f"audio {heard} s, video {seen} s (a frame is {frame:.3f} s)"
    measured = loudness(path)
    yield (
        "loudness",
        abs(measured.integrated_lufs - TARGET_LUFS) <= LOUDNESS_TOLERANCE,
        f"{measured.integrated_lufs} LUFS, expected {TARGET_LUFS} +- {LOUDNESS_TOLERANCE}",
    )
    yield (
        "true peak",
        measured.true_peak_dbtp <= MAX_TRUE_PEAK,
        f"{measured.true_peak_dbtp} dBTP, at most {MAX_TRUE_PEAK}",
    )
    spans = speech_spans(path)
    silent = [
        c for c in cues
        if speech_within(spans, c.start, c.end) < min(MIN_SPEECH_SECONDS, (c.end - c.start) / 2)
    ]  # fmt: skip
    where = (
        f"{len(silent)} of {len(cues)} cues silent, first at {silent[0].start:.2f} s"
        if silent
        else ""
    )
    yield "speech under cues", not silent, where


def check_media(path: Path, expect: Expect) -> Iterator[Finding]:
    """Measure ``path`` and compare every measured property ``expect`` names."""
    info = probe.probe(path, count_frames=expect.duration is not None)
    stream = probe.video_stream(info)
    if expect.animated_webp:
        yield from _animated_webp(path, expect)
        return
    w, h = int(stream["width"]), int(stream["height"])
    yield "codec", stream["codec_name"] == expect.codec, stream["codec_name"]
    if expect.profile is not None:
        yield "profile", stream.get("profile") == expect.profile, str(stream.get("profile"))
    if expect.pix_fmt is not None:
        yield "pix_fmt", stream.get("pix_fmt") == expect.pix_fmt, str(stream.get("pix_fmt"))
    if expect.size is not None:
        yield "size", (w, h) == expect.size, f"{w}x{h}, expected {expect.size[0]}x{expect.size[1]}"
    if expect.width is not None:
        yield "width", w == expect.width, f"{w}, expected {expect.width}"
    if expect.even_size:
        yield "even size", w % 2 == 0 and h % 2 == 0, f"{w}x{h}"
    if expect.max_bytes is not None:
        size = path.stat().st_size
        yield "max bytes", size <= expect.max_bytes, f"{size} > {expect.max_bytes}"
    if expect.faststart:
        yield "faststart", probe.is_faststart(path), f"atoms {probe.top_level_atoms(path)}"
    if expect.fps is not None:
        rate = probe.frame_rate(stream)
        yield "fps", rate == expect.fps, f"{rate}, expected {expect.fps}"
    if expect.duration is not None:
        yield _frame_count(info, stream, expect)
    if expect.max_b_run is not None or expect.keyframe_every is not None:
        yield from _gop(path, expect)
    if expect.check_blank:
        yield _blank(path, Fraction(stream["r_frame_rate"]))


def _frame_count(info: dict[str, Any], stream: dict[str, Any], expect: Expect) -> Finding:
    """Decoded frames against fps x duration (WebM has no frame count; decoding gives one)."""
    assert expect.duration is not None and expect.fps is not None
    frames = int(stream.get("nb_read_frames", 0))
    wanted = round(expect.duration * expect.fps)
    container = float(info["format"]["duration"])
    ok = abs(frames - wanted) <= FRAME_TOLERANCE and abs(container - expect.duration) < 0.5
    return (
        "frames",
        ok,
        f"{frames} frames / {container:.2f} s, expected {wanted} / {expect.duration} s",
    )


def _gop(path: Path, expect: Expect) -> Iterator[Finding]:
    frames = probe.frames(path)
    types = "".join(f.get("pict_type", "?") for f in frames)
    if expect.max_b_run is not None:
        longest = max(
            (len(list(run)) for kind, run in itertools.groupby(types) if kind == "B"), default=0
        )
        yield "b-frames", longest == expect.max_b_run, f"longest B run {longest}"
    if expect.keyframe_every is not None:
        keys = [i for i, f in enumerate(frames) if f.get("key_frame") == 1]
        gaps = {b - a for a, b in itertools.pairwise(keys)}
        ok = keys[:1] == [0] and gaps <= {expect.keyframe_every}
        yield "keyframes", ok, f"keyframe gaps {sorted(gaps)}, expected {expect.keyframe_every}"


def _blank(path: Path, fps: Fraction) -> Finding:
    """The longest run of frames that show nothing but a uniform background."""
    blank = [high - low <= BLANK_LUMA_SPREAD for low, high in media.luma_ranges(path)]
    longest = max(
        (len(list(run)) for is_blank, run in itertools.groupby(blank) if is_blank), default=0
    )
    seconds = float(longest / fps)
    ok = seconds <= MAX_BLANK_SECONDS and not all(blank)
    return "blank frames", ok, f"{seconds:.1f} s blank in a row ({sum(blank)}/{len(blank)} frames)"


def _animated_webp(path: Path, expect: Expect) -> Iterator[Finding]:
    """ffmpeg cannot decode animated WebP, so read its RIFF header: VP8X canvas and ANIM chunk."""
    head = path.read_bytes()[:64]
    riff = head[:4] == b"RIFF" and head[8:16] == b"WEBPVP8X"
    yield "codec", riff and b"ANIM" in head, "not an animated WebP (no VP8X/ANIM)"
    if riff and expect.width is not None:
        width = 1 + int.from_bytes(head[24:27], "little")
        yield "width", width == expect.width, f"{width}, expected {expect.width}"
    if expect.max_bytes is not None:
        size = path.stat().st_size
        yield "max bytes", size <= expect.max_bytes, f"{size} > {expect.max_bytes}"


def _captions(kit: Path, meta: dict[str, Any], name: str) -> Iterator[Finding]:
    raw = (kit / name).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        yield "utf-8", False, "not UTF-8"
        return
    yield "utf-8", not text.startswith("\ufeff"), "starts with a byte-order mark"
    duration = float(meta["duration"])
    if name.endswith(".srt"):
        yield _cues("srt", captions.parse_srt(text), duration)
    elif name.endswith(".vtt"):
        yield "WEBVTT header", text.startswith("WEBVTT"), repr(text[:12])
        srt = captions.parse_srt(
            OutPaths(kit.parent).kit_file(meta["id"], "srt").read_text(encoding="utf-8")
        )
        cues = captions.parse_vtt(text)
        yield _cues("vtt", cues, duration)
        yield "same cues as srt", cues == srt, f"{len(cues)} vtt cues, {len(srt)} srt cues"
    else:
        chapters = captions.parse_chapters(text)
        problems = captions.chapter_problems(chapters, duration)
        yield "chapters", not problems, "; ".join(problems)
        yield (
            "title",
            text.startswith(meta["title"]),
            "the description does not start with the title",
        )


def _cues(kind: str, cues: list[captions.Cue], duration: float) -> Finding:
    starts = [c.start for c in cues]
    ok = starts == sorted(starts) and all(0 <= c.start < c.end <= duration + 0.001 for c in cues)
    return f"{kind} timing", ok, "cues out of order, empty or past the end"
