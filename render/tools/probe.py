"""Measuring video files: ffprobe's JSON, decoded frame types, and the MP4's top-level boxes."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from render.core.errors import ToolFailed
from render.tools.proc import run


def probe(path: Path, *, count_frames: bool = False) -> dict[str, Any]:
    """ffprobe's JSON for a file (format and streams); optionally decode to count frames."""
    argv = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams"]
    if count_frames:
        argv.append("-count_frames")
    try:
        result: dict[str, Any] = json.loads(run([*argv, str(path)]))
    except ValueError:
        raise ToolFailed(f"ffprobe gave no readable answer for {path}") from None
    return result


def video_stream(info: dict[str, Any], path: Path | None = None) -> dict[str, Any]:
    """The first video stream ffprobe found; :class:`ToolFailed` naming ``path`` if none."""
    for stream in info.get("streams", []):
        if stream.get("codec_type") == "video":
            return dict(stream)
    raise ToolFailed(f"{path or 'the file'}: ffprobe finds no video stream in it")


def _boxes(path: Path) -> Iterator[tuple[int, int, str]]:
    """``(offset, size, name)`` of an MP4's top-level boxes in file order, from their headers.

    Sizes are as the headers declare them (a box may claim more bytes than the file has); the
    walk ends after a box that declares fewer than its own 8 header bytes, since nothing after it
    can be found.
    """
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
            yield offset, size, kind.decode("latin-1")
            if size < 8:
                return
            offset += size


def mp4_damage(path: Path) -> str | None:
    """Why an MP4's top-level boxes show it was cut short or overwritten (None: they fit).

    A fast-start file keeps its index (moov) first, so ffprobe reads a truncated one without
    complaint; the box sizes still tell: the last box then ends past the end of the file.
    """
    size_total = path.stat().st_size
    end = 0
    for offset, size, name in _boxes(path):
        if size < 8:
            return f"a box of {size} bytes at offset {offset}"
        end = offset + size
        if end > size_total:
            return f"cut short: box '{name}' ends at byte {end}, the file has {size_total}"
    if end != size_total or size_total == 0:
        return f"{size_total - end} stray bytes after the last box"
    return None


def frame_rate(stream: dict[str, Any]) -> Fraction:
    return Fraction(stream["r_frame_rate"])


def top_level_atoms(path: Path) -> list[str]:
    """Names of an MP4's top-level boxes in file order (reads only box headers)."""
    return [name for _, size, name in _boxes(path) if size >= 8]


def is_faststart(path: Path) -> bool:
    atoms = top_level_atoms(path)
    return "moov" in atoms and "mdat" in atoms and atoms.index("moov") < atoms.index("mdat")


def frames(path: Path) -> list[dict[str, Any]]:
    """Every decoded frame's ``pts_time``, ``key_frame`` and ``pict_type`` (in display order)."""
    argv = [
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-print_format", "json",
        "-show_entries", "frame=pts_time,best_effort_timestamp_time,key_frame,pict_type",
        str(path),
    ]  # fmt: skip
    result: list[dict[str, Any]] = json.loads(run(argv)).get("frames", [])
    return result


def stream_seconds(stream: dict[str, Any]) -> float | None:
    """A stream's length: ffprobe's ``duration``, or Matroska's ``DURATION`` tag (WebM)."""
    if "duration" in stream:
        return float(stream["duration"])
    tag = stream.get("tags", {}).get("DURATION")
    if tag is None:
        return None
    hours, minutes, seconds = tag.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def audio_stream(info: dict[str, Any]) -> dict[str, Any] | None:
    """The first audio stream of ffprobe's JSON, if there is one."""
    for stream in info.get("streams", []):
        if stream.get("codec_type") == "audio":
            return dict(stream)
    return None
