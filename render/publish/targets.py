"""Every export target as data: the files it makes, the ffmpeg encode of each, what each must meet.

Adding a target is one more :class:`Target` in :data:`TARGETS`. Each :class:`Output` knows how to
build its ffmpeg argv (through :mod:`render.tools.media`) and what :mod:`render.publish.verify`
expects of the file; both read the same :class:`~render.publish.context.ExportContext`, so the
check can never drift from the encode. The numbers are YouTube's and the browsers' published
requirements.
"""

from __future__ import annotations

import dataclasses
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.core.assets import brand
from render.core.errors import UserError
from render.publish.context import ExportContext
from render.tools import media

PREVIEW_SECONDS = 6.0
# The thumbnail wears the brand's colours, read from the same file the scenes use.
_BRAND = brand()
BRAND_BACKGROUND, BRAND_TEXT, BRAND_ACCENT = _BRAND["background"], _BRAND["text"], _BRAND["primary"]
THUMBNAIL_SIZE = (1280, 720)
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024
BT709 = {"colorspace": "bt709", "color_primaries": "bt709", "color_trc": "bt709"}
# The preview ladder: --max-bytes walks down it until the file fits.
PREVIEW_LADDER = ((15, 640), (12, 560), (12, 480), (10, 400), (8, 320), (6, 240), (5, 160))


@dataclasses.dataclass(frozen=True)
class Rung:
    """The frame rate and width one attempt encodes at."""

    fps: int
    width: int


@dataclasses.dataclass(frozen=True)
class Expect:
    """What a finished file must show under ffprobe (``None``: not checked)."""

    codec: str
    profile: str | None = None
    pix_fmt: str | None = None
    max_b_run: int | None = None
    keyframe_every: int | None = None
    faststart: bool = False
    size: tuple[int, int] | None = None
    width: int | None = None
    even_size: bool = False
    max_bytes: int | None = None
    fps: int | None = None
    duration: float | None = None
    check_blank: bool = False
    animated_webp: bool = False
    audio: AudioExpect | None = None


@dataclasses.dataclass(frozen=True)
class AudioExpect:
    """What a narrated file's sound must show: codec (and AAC profile), rate, channels."""

    codec: str
    sample_rate: int = 48_000
    channels: int = 2
    profile: str | None = None


# YouTube's recommended upload audio is the master's own (see render.tools.media.MASTER_AUDIO):
# copied, not re-encoded. The web files carry the usual web sound, AAC in MP4 and Opus in WebM.
YOUTUBE_AUDIO = WEB_MP4_AUDIO = AudioExpect("aac", profile="LC")
WEB_WEBM_AUDIO = AudioExpect("opus")
_AUDIO_OPTIONS: dict[str, dict[str, Any]] = {
    "youtube.mp4": {"c:a": "copy"},
    "web.mp4": {"c:a": "aac", "b:a": "128k", "ar": 48_000, "ac": 2},
    "web.webm": {"c:a": "libopus", "b:a": "128k", "ar": 48_000, "ac": 2},
}


def _audio(ctx: ExportContext, suffix: str) -> dict[str, Any] | None:
    """The audio output options of ``suffix`` for a narrated render (None: silent)."""
    return _AUDIO_OPTIONS[suffix] if ctx.narrated else None


Builder = Callable[[ExportContext, Path, Path, Rung], list[str]]


@dataclasses.dataclass(frozen=True)
class Output:
    """One file of a target: ``<id>.<suffix>`` in the scene's press kit."""

    suffix: str
    build: Builder
    expect: Callable[[ExportContext, Rung], Expect]
    rungs: Callable[[ExportContext], list[Rung]]
    fits_max_bytes: bool = False


@dataclasses.dataclass(frozen=True)
class Target:
    name: str
    help: str
    outputs: tuple[Output, ...]
    by_default: bool = True  # part of a plain ``mathreel export SCENE``


def even(n: float) -> int:
    """libx264/libvpx with 4:2:0 need even dimensions: round down to the nearest even number."""
    return max(2, int(n) // 2 * 2)


def _native(ctx: ExportContext) -> list[Rung]:
    return [Rung(ctx.fps, ctx.width)]


def _web_rung(ctx: ExportContext) -> list[Rung]:
    return [Rung(ctx.fps, even(min(ctx.web_width, ctx.width)))]


def _preview_rungs(ctx: ExportContext) -> list[Rung]:
    """The ladder, never above the source's frame rate or width, without repeats."""
    rungs: list[Rung] = []
    for fps, width in PREVIEW_LADDER:
        rung = Rung(min(fps, ctx.fps), even(min(width, ctx.width)))
        if rung not in rungs:
            rungs.append(rung)
    return rungs


def _preview_window(ctx: ExportContext) -> tuple[float, float]:
    """A short loop that ends on the hero moment: the build-up to the scene's key picture.

    Ending there (rather than starting there) keeps the loop inside the beat the hero moment
    belongs to, instead of running on into the blank start of the next one.
    """
    length = min(PREVIEW_SECONDS, ctx.duration)
    start = min(max(0.0, ctx.hero - length), ctx.duration - length)
    return round(start, 3), length


def _to_bt709(ctx: ExportContext) -> tuple[media.Filter, ...]:
    """Convert the pixels to the BT.709 matrix the outputs are tagged with.

    Manim's movie carries no colour tags and its RGB-to-YUV step used swscale's default BT.601
    matrix; tagging those pixels BT.709 without converting them would shift every colour a
    little. Only the matrix differs, so primaries and transfer are left alone.
    """
    if ctx.source_color_space == "bt709":
        return ()
    convert = {"ispace": "bt470bg", "iprimaries": "bt709", "itrc": "bt709", "irange": "tv"}
    target = {"space": "bt709", "primaries": "bt709", "trc": "bt709", "range": "tv"}
    return (("colorspace", (), {**convert, **target, "format": "yuv420p"}),)


def _scaled(rung: Rung) -> tuple[media.Filter, ...]:
    return (("scale", (rung.width, -2), {"flags": "lanczos"}),)


def _h264(crf: int, **extra: Any) -> dict[str, Any]:
    return {
        "c:v": "libx264", "preset": "slow", "crf": crf, "profile:v": "high",
        "pix_fmt": "yuv420p", "movflags": "+faststart", **BT709, **extra,
    }  # fmt: skip


def _youtube(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    gop = max(1, rung.fps // 2)
    # A fixed GOP of half the frame rate, closed (no references across it), no scene-cut IDRs.
    closed_gop = {"g": gop, "keyint_min": gop, "sc_threshold": 0, "flags": "+cgop", "bf": 2}
    return media.encode_argv(
        src,
        dst,
        _to_bt709(ctx),
        _h264(17, r=rung.fps, **closed_gop),
        audio=_audio(ctx, "youtube.mp4"),
    )


def _web_mp4(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    return media.encode_argv(
        src, dst, _to_bt709(ctx) + _scaled(rung), _h264(23), audio=_audio(ctx, "web.mp4")
    )


def _web_webm(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    vp9 = {"c:v": "libvpx-vp9", "crf": 32, "b:v": 0, "row-mt": 1, "pix_fmt": "yuv420p"}
    return media.encode_argv(
        src, dst, _to_bt709(ctx) + _scaled(rung), {**vp9, **BT709}, audio=_audio(ctx, "web.webm")
    )


def _preview_filters(rung: Rung) -> tuple[media.Filter, ...]:
    return (("fps", (rung.fps,), {}), *_scaled(rung))


def _gif(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    start, length = _preview_window(ctx)
    return media.paletted_gif_argv(src, dst, _preview_filters(rung), start=start, length=length)


def _webp(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    start, length = _preview_window(ctx)
    webp = {"c:v": "libwebp_anim", "lossless": 0, "quality": 70, "preset": "drawing", "loop": 0}
    return media.encode_argv(
        src, dst, _preview_filters(rung), {**webp, "f": "webp"}, start=start, length=length
    )


def _poster(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    return media.frame_argv(src, dst, ctx.hero, (), {"f": "image2", "c:v": "png"})


def title_file(ctx: ExportContext) -> Path:
    """Where the thumbnail's title text is written for drawtext (outside the press kit).

    drawtext reads the text from a file with expansion off, so no character of a title (quotes,
    colons, percent signs, backslashes) needs filter-graph escaping.
    """
    return ctx.work_dir / f"{ctx.scene_id}.title.txt"


def write_title_file(ctx: ExportContext) -> None:
    path = title_file(ctx)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(title_lines(ctx.title)), encoding="utf-8")


def title_lines(title: str, width: int = 26) -> list[str]:
    """The title broken into at most three lines of about ``width`` characters."""
    lines = textwrap.wrap(title, width=width) or [""]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), width=width, placeholder="…")]
    return lines


def _thumbnail(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    w, h = THUMBNAIL_SIZE
    lines = title_lines(ctx.title)
    # Big enough to read at YouTube's smallest thumbnail size, small enough for the longest line.
    size = int(min(96, 0.85 * w / (0.62 * max(len(line) for line in lines))))
    block = len(lines) * size + (len(lines) - 1) * (size // 4)
    band = max(h * 3 // 10, block + size)  # a solid band under the title hides busy detail
    filters: tuple[media.Filter, ...] = (
        ("scale", (w, h), {"force_original_aspect_ratio": "decrease", "flags": "lanczos"}),
        ("pad", (w, h, "(ow-iw)/2", "(oh-ih)/2"), {"color": BRAND_BACKGROUND}),
        ("drawbox", (), {"x": 0, "y": h - band, "w": w, "h": band,
                         "color": BRAND_BACKGROUND, "t": "fill"}),
        ("drawbox", (), {"x": 0, "y": h - band, "w": w, "h": 6,
                         "color": BRAND_ACCENT, "t": "fill"}),
        ("drawtext", (), {
            "textfile": str(title_file(ctx)), "fontfile": media.font_file(), "expansion": "none",
            "fontsize": size, "fontcolor": BRAND_TEXT, "line_spacing": size // 4,
            "x": "(w-text_w)/2", "y": f"{h - band}+({band}-text_h)/2",
        }),
    )  # fmt: skip
    return media.frame_argv(src, dst, ctx.hero, filters, {"f": "image2", "q:v": 3})


def _chapter(ctx: ExportContext, src: Path, dst: Path, rung: Rung) -> list[str]:
    """One beat as its own upload-ready clip (Shorts, social posts): the YouTube encode, cut."""
    gop = max(1, rung.fps // 2)
    closed_gop = {"g": gop, "keyint_min": gop, "sc_threshold": 0, "flags": "+cgop", "bf": 2}
    return media.encode_argv(
        src, dst, _to_bt709(ctx), _h264(17, r=rung.fps, **closed_gop),
        start=ctx.clip_start, length=ctx.clip_length,
    )  # fmt: skip


def _chapter_expect(ctx: ExportContext, rung: Rung) -> Expect:
    return dataclasses.replace(
        _h264_expect(youtube=True)(ctx, rung), duration=ctx.clip_length or ctx.duration
    )


def _h264_expect(youtube: bool) -> Callable[[ExportContext, Rung], Expect]:
    """Both MP4s are H.264 High 4:2:0 fast-start; only the upload master fixes B-frames and GOP."""

    def expect(ctx: ExportContext, rung: Rung) -> Expect:
        return Expect(
            codec="h264", profile="High", pix_fmt="yuv420p", faststart=True, even_size=True,
            max_b_run=2 if youtube else None,
            keyframe_every=max(1, rung.fps // 2) if youtube else None,
            width=rung.width, fps=rung.fps, duration=ctx.duration, check_blank=True,
            audio=(YOUTUBE_AUDIO if youtube else WEB_MP4_AUDIO) if ctx.narrated else None,
        )  # fmt: skip

    return expect


def _webm_expect(ctx: ExportContext, rung: Rung) -> Expect:
    return Expect(
        codec="vp9", pix_fmt="yuv420p", even_size=True, width=rung.width, fps=rung.fps,
        duration=ctx.duration, audio=WEB_WEBM_AUDIO if ctx.narrated else None,
    )  # fmt: skip


def _preview_expect(codec: str) -> Callable[[ExportContext, Rung], Expect]:
    def expect(ctx: ExportContext, rung: Rung) -> Expect:
        return Expect(
            codec=codec, width=rung.width, max_bytes=ctx.max_bytes, animated_webp=codec == "webp"
        )

    return expect


def _still_expect(
    codec: str, size: tuple[int, int] | None, max_bytes: int | None = None
) -> Callable[[ExportContext, Rung], Expect]:
    def expect(ctx: ExportContext, rung: Rung) -> Expect:
        return Expect(codec=codec, size=size or (ctx.width, ctx.height), max_bytes=max_bytes)

    return expect


# The chapters target's one output stands for a clip per beat: export names each copy
# ``chapter-NN.mp4`` (see :func:`chapter_suffix`) and gives it that beat's window.
CHAPTER = Output("chapter.mp4", _chapter, _chapter_expect, _native)
CHAPTER_SUFFIX = re.compile(r"chapter-\d+\.mp4")


def chapter_suffix(number: int) -> str:
    return f"chapter-{number:02d}.mp4"


TARGETS: dict[str, Target] = {
    t.name: t
    for t in (
        Target("youtube", "H.264 High 4:2:0 upload master: CRF 17, 2 B-frames, closed GOP", (
            Output("youtube.mp4", _youtube, _h264_expect(youtube=True), _native),
        )),
        Target("web", "H.264 MP4 (CRF 23, fast start) and VP9 WebM for a blog column", (
            Output("web.mp4", _web_mp4, _h264_expect(youtube=False), _web_rung),
            Output("web.webm", _web_webm, _webm_expect, _web_rung),
        )),
        Target("gif", "short looping GIF preview (palette, dithering)", (
            Output("gif", _gif, _preview_expect("gif"), _preview_rungs, fits_max_bytes=True),
        )),
        Target("webp", "short looping animated WebP preview", (
            Output("webp", _webp, _preview_expect("webp"), _preview_rungs, fits_max_bytes=True),
        )),
        Target("poster", "PNG still at the scene's hero moment", (
            Output("poster.png", _poster, _still_expect("png", None), _native),
        )),
        Target("chapters", "one H.264 clip per beat, <id>.chapter-NN.mp4, for Shorts and posts", (
            CHAPTER,
        ), by_default=False),
        Target("thumbnail", "1280x720 JPG under 2 MB with the title on it", (
            Output("thumbnail.jpg", _thumbnail,
                   _still_expect("mjpeg", THUMBNAIL_SIZE, THUMBNAIL_MAX_BYTES), _native),
        )),
        # Not an encode: render.publish.interactive writes the page from the model, not the video.
        Target("interactive", "self-contained explorable page (buffon, lln, clt, bayes)", ()),
    )
}  # fmt: skip


def parse_targets(spec: str) -> list[Target]:
    """``youtube,web`` -> those targets, in the order given; unknown names are a UserError."""
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown or not names:
        raise UserError(
            f"unknown target '{','.join(unknown) or spec}' (choose from {', '.join(TARGETS)})"
        )
    return [TARGETS[n] for n in dict.fromkeys(names)]


def output_by_suffix(suffix: str) -> tuple[Target, Output]:
    if CHAPTER_SUFFIX.fullmatch(suffix):
        return TARGETS["chapters"], CHAPTER
    for target in TARGETS.values():
        for output in target.outputs:
            if output.suffix == suffix:
                return target, output
    raise KeyError(suffix)
