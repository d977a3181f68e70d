"""ffmpeg and ffprobe through ffmpeg-python: the one adapter every module uses for video files.

Commands are built with ffmpeg-python (so their argv can be inspected and tested) and run through
:mod:`render.proc`. Keeping ffmpeg-python behind these few functions means it can be swapped out
without touching the rest of the pipeline.
"""

from __future__ import annotations

import json
import struct
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg

from render.proc import run


def faststart_remux_argv(src: Path, dst: Path) -> list[str]:
    """Copy streams unchanged, moving the moov atom before mdat so playback starts at once."""
    stream = ffmpeg.input(str(src)).output(
        str(dst), c="copy", movflags="+faststart", f="mp4", map_metadata=-1
    )
    return ["ffmpeg", "-nostdin", "-v", "error", "-y", *stream.get_args()]


def remux_faststart(src: Path, dst: Path) -> None:
    run(faststart_remux_argv(src, dst))


def probe(path: Path, *, count_frames: bool = False) -> dict[str, Any]:
    """ffprobe's JSON for a file (format and streams); optionally decode to count frames."""
    argv = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    if count_frames:
        argv.append("-count_frames")
    result: dict[str, Any] = json.loads(run([*argv, str(path)]))
    return result


def video_stream(info: dict[str, Any]) -> dict[str, Any]:
    for stream in info.get("streams", []):
        if stream.get("codec_type") == "video":
            return dict(stream)
    raise ValueError("no video stream")


def frame_rate(stream: dict[str, Any]) -> Fraction:
    return Fraction(stream["r_frame_rate"])


def top_level_atoms(path: Path) -> list[str]:
    """Names of an MP4's top-level boxes in file order (reads only box headers)."""
    atoms: list[str] = []
    size_total = path.stat().st_size
    with path.open("rb") as fh:
        offset = 0
        while offset + 8 <= size_total:
            fh.seek(offset)
            size, kind = struct.unpack(">I4s", fh.read(8))
            if size == 1:
                size = struct.unpack(">Q", fh.read(8))[0]
            elif size == 0:
                size = size_total - offset
            if size < 8:
                break
            atoms.append(kind.decode("latin-1"))
            offset += size
    return atoms


def is_faststart(path: Path) -> bool:
    atoms = top_level_atoms(path)
    return "moov" in atoms and "mdat" in atoms and atoms.index("moov") < atoms.index("mdat")


# --- Encoding and inspection for the export step -------------------------------------------------
# Targets describe their encodes as data (filters and output options); these functions turn that
# data into ffmpeg argv lists, so ffmpeg-python stays inside this module.

Filter = tuple[str, tuple[Any, ...], dict[str, Any]]


def _ffmpeg_argv(stream: Any) -> list[str]:
    return ["ffmpeg", "-nostdin", "-v", "error", "-y", *stream.get_args()]


def _apply(stream: Any, filters: tuple[Filter, ...]) -> Any:
    for name, args, kwargs in filters:
        stream = stream.filter(name, *args, **kwargs)
    return stream


def encode_argv(
    src: Path,
    dst: Path,
    filters: tuple[Filter, ...],
    output: dict[str, Any],
    *,
    start: float | None = None,
    length: float | None = None,
) -> list[str]:
    """Re-encode the video of ``src`` (optionally a clip of it) through ``filters`` into ``dst``."""
    window = {k: v for k, v in (("ss", start), ("t", length)) if v is not None}
    stream = _apply(ffmpeg.input(str(src), **window).video, filters)
    return _ffmpeg_argv(stream.output(str(dst), **output))


def paletted_gif_argv(
    src: Path,
    dst: Path,
    filters: tuple[Filter, ...],
    *,
    start: float,
    length: float,
    dither: str = "bayer",
) -> list[str]:
    """A GIF in one pass: the clip is split, one branch builds a palette the other is mapped to.

    ``stats_mode=diff`` spends the palette on what moves (the background is constant), and
    ``diff_mode=rectangle`` re-dithers only the changed rectangle of each frame, which keeps
    the static background from shimmering and the file small.
    """
    split = _apply(ffmpeg.input(str(src), ss=start, t=length).video, filters).split()
    palette = split[0].filter("palettegen", stats_mode="diff")
    mapped = ffmpeg.filter(
        [split[1], palette], "paletteuse", dither=dither, bayer_scale=4, diff_mode="rectangle"
    )
    return _ffmpeg_argv(mapped.output(str(dst), loop=0, f="gif"))


def frame_argv(
    src: Path, dst: Path, at: float, filters: tuple[Filter, ...], output: dict[str, Any]
) -> list[str]:
    """One still frame of ``src`` at ``at`` seconds, through ``filters``."""
    stream = _apply(ffmpeg.input(str(src), ss=f"{at:.3f}").video, filters)
    return _ffmpeg_argv(stream.output(str(dst), vframes=1, **output))


def frames(path: Path) -> list[dict[str, Any]]:
    """Every decoded frame's ``pts_time``, ``key_frame`` and ``pict_type`` (in display order)."""
    argv = [
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-print_format", "json",
        "-show_entries", "frame=pts_time,best_effort_timestamp_time,key_frame,pict_type",
        str(path),
    ]  # fmt: skip
    result: list[dict[str, Any]] = json.loads(run(argv)).get("frames", [])
    return result


def luma_ranges(path: Path) -> list[tuple[float, float]]:
    """Per frame, the darkest and brightest luma (signalstats YMIN, YMAX) on the 0-255 scale.

    A frame whose brightest and darkest pixels are nearly equal shows nothing but its background,
    whatever colour that is: unlike blackdetect's pixel-share threshold, this does not mistake a
    normal Manim frame (a few thin lines on a dark background) for a blank one.
    """
    stream = ffmpeg.input(str(path)).video.filter("signalstats").filter(
        "metadata", mode="print", file="-"
    )
    text = run(_ffmpeg_argv(stream.output("-", f="null")))
    ranges: list[tuple[float, float]] = []
    low = 0.0
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "lavfi.signalstats.YMIN":
            low = float(value)
        elif key == "lavfi.signalstats.YMAX":
            ranges.append((low, float(value)))
    return ranges


def font_file(pattern: str = "Latin Modern Sans:bold") -> str:
    """The font file fontconfig picks for ``pattern`` (drawtext needs a path, not a family)."""
    return run(["fc-match", "-f", "%{file}", pattern]).strip()
