"""ffmpeg commands through ffmpeg-python: the only module that imports it.

Commands are built with ffmpeg-python (so their argv can be inspected and tested) and run through
:mod:`render.tools.proc`. Keeping ffmpeg-python behind these few functions means it can be swapped
out without touching the rest of the pipeline; every command starts with :data:`FFMPEG_BASE`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ffmpeg

from render.tools.proc import run

# No prompt, no banner, only errors on stderr, overwrite the (temporary) output.
FFMPEG_BASE = ("ffmpeg", "-nostdin", "-v", "error", "-y")
# Stream copy into a fast-start MP4 (moov before mdat), without the source's metadata.
_COPY_FASTSTART = {"c": "copy", "movflags": "+faststart", "f": "mp4", "map_metadata": -1}


def ffmpeg_argv(stream: Any) -> list[str]:
    """The argv of an ffmpeg-python output stream, behind the common base options."""
    return [*FFMPEG_BASE, *stream.get_args()]


def faststart_remux_argv(src: Path, dst: Path) -> list[str]:
    """Copy streams unchanged, moving the moov atom before mdat so playback starts at once."""
    return ffmpeg_argv(ffmpeg.input(str(src)).output(str(dst), **_COPY_FASTSTART))


def concat_argv(list_file: Path, dst: Path) -> list[str]:
    """Join the movies listed in ``list_file`` (concat demuxer) by stream copy, fast start."""
    stream = ffmpeg.input(str(list_file), f="concat", safe=0)
    return ffmpeg_argv(stream.output(str(dst), **_COPY_FASTSTART))


def remux_faststart(src: Path, dst: Path, log: Path | None = None) -> None:
    run(faststart_remux_argv(src, dst), log=log)


# The master's narration is encoded once, to YouTube's recommended upload audio, so the upload
# export can copy it and every other target starts from the same mastered sound. ffmpeg's AAC
# encoder by default searches each band's quantizers in two loops and tries mid/side coding for
# every band, which made it the costliest step of a narrated preview (15 s of CPU for two minutes
# of narration). At 384 kb/s neither search is needed: the constant-quantizer coder on left and
# right (the same narration in both) uses the whole bit rate, for 4.6 times less CPU and a decode
# closer to the mastered sound (SNR 57.9 dB against 41.3 dB with the default search).
MASTER_AUDIO = {
    "acodec": "aac",
    "audio_bitrate": "384k",
    "ar": 48000,
    "ac": 2,
    "aac_coder": "fast",
    "aac_ms": 0,
}


def mux_audio_argv(video: Path, audio: Path, dst: Path) -> list[str]:
    """``video``'s picture (copied) with ``audio`` encoded as :data:`MASTER_AUDIO`, fast start."""
    picture, sound = ffmpeg.input(str(video)).video, ffmpeg.input(str(audio)).audio
    options = {"vcodec": "copy", "movflags": "+faststart", "f": "mp4", "map_metadata": -1}
    return ffmpeg_argv(ffmpeg.output(picture, sound, str(dst), **options, **MASTER_AUDIO))


# --- Encoding and inspection for the export step -------------------------------------------------
# Targets describe their encodes as data (filters and output options); these functions turn that
# data into ffmpeg argv lists, so ffmpeg-python stays inside this module.

Filter = tuple[str, tuple[Any, ...], dict[str, Any]]


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
    audio: dict[str, Any] | None = None,
) -> list[str]:
    """Re-encode the video of ``src`` (optionally a clip of it) through ``filters`` into ``dst``;
    with ``audio`` (its output options), ``src``'s sound goes along, else the file is silent."""
    window = {k: v for k, v in (("ss", start), ("t", length)) if v is not None}
    source = ffmpeg.input(str(src), **window)
    picture = _apply(source.video, filters)
    if audio is None:
        return ffmpeg_argv(picture.output(str(dst), **output, an=None))
    return ffmpeg_argv(ffmpeg.output(picture, source.audio, str(dst), **output, **audio))


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
    return ffmpeg_argv(mapped.output(str(dst), loop=0, f="gif"))


def frame_argv(
    src: Path, dst: Path, at: float, filters: tuple[Filter, ...], output: dict[str, Any]
) -> list[str]:
    """One still frame of ``src`` at ``at`` seconds, through ``filters``."""
    stream = _apply(ffmpeg.input(str(src), ss=f"{at:.3f}").video, filters)
    return ffmpeg_argv(stream.output(str(dst), vframes=1, **output))


def luma_ranges(path: Path) -> list[tuple[float, float]]:
    """Per frame, the darkest and brightest luma (signalstats YMIN, YMAX) on the 0-255 scale.

    A frame whose brightest and darkest pixels are nearly equal shows nothing but its background,
    whatever colour that is: unlike blackdetect's pixel-share threshold, this does not mistake a
    normal Manim frame (a few thin lines on a dark background) for a blank one.
    """
    stream = (
        ffmpeg.input(str(path))
        .video.filter("signalstats")
        .filter("metadata", mode="print", file="-")
    )
    text = run(ffmpeg_argv(stream.output("-", f="null")))
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
