"""Captions and chapters from a render's timeline (``<id>.timeline.json``).

The scene's ``say()`` cues become an SRT file (what YouTube takes) and a WebVTT file (what a
``<track>`` element takes) with the same cues; its ``beat()`` sections become the chapters block of
a YouTube description, which YouTube only honours under its rules (first at 0:00, at least three,
ascending, each at least ten seconds long), so those rules are checked here, not discovered later.
"""

from __future__ import annotations

import html

from render.core.errors import UserError
from render.core.records import Chapter, Cue, Timeline
from render.core.spec import SceneSpec

__all__ = [
    "Chapter", "Cue", "Timeline", "chapter_problems", "chapters_block", "description",
    "parse_chapters", "parse_srt", "parse_vtt", "to_srt", "to_vtt", "youtube_timestamp",
]  # fmt: skip

MIN_CHAPTERS = 3
MIN_CHAPTER_SECONDS = 10.0


def _clock(seconds: float, separator: str) -> str:
    millis = round(seconds * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{separator}{ms:03d}"


def to_srt(cues: tuple[Cue, ...]) -> str:
    """SubRip: numbered blocks, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, a blank line after each."""
    blocks = [
        f"{i}\n{_clock(c.start, ',')} --> {_clock(c.end, ',')}\n{c.text}\n"
        for i, c in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def to_vtt(cues: tuple[Cue, ...]) -> str:
    """WebVTT: the ``WEBVTT`` header, then cues whose text has ``&``, ``<`` and ``>`` escaped
    (in a cue they would start entities and tags; ``-->`` in a text would end the timing line)."""
    blocks = [
        f"{_clock(c.start, '.')} --> {_clock(c.end, '.')}\n{html.escape(c.text, quote=False)}\n"
        for c in cues
    ]
    return "\n".join(["WEBVTT\n", *blocks])


def parse_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file as this module writes them (used by verify to compare with SRT)."""
    return _parse_blocks(text.split("\n\n")[1:], ".", unescape=True)


def parse_srt(text: str) -> list[Cue]:
    return _parse_blocks([b.split("\n", 1)[1] for b in text.split("\n\n") if b.strip()], ",")


def _parse_blocks(blocks: list[str], separator: str, *, unescape: bool = False) -> list[Cue]:
    cues = []
    for block in blocks:
        if not block.strip():
            continue
        timing, _, text = block.strip("\n").partition("\n")
        start, _, end = timing.partition(" --> ")
        cues.append(
            Cue(_seconds(start, separator), _seconds(end, separator),
                html.unescape(text) if unescape else text)
        )  # fmt: skip
    return cues


def _seconds(clock: str, separator: str) -> float:
    hms, _, ms = clock.strip().partition(separator)
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s + int(ms) / 1000


def youtube_timestamp(seconds: float) -> str:
    """``M:SS`` (``H:MM:SS`` past an hour), rounded down, as YouTube's chapter parser wants."""
    whole = int(seconds)
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def chapter_problems(chapters: tuple[Chapter, ...], duration: float) -> list[str]:
    """Why YouTube would ignore these chapters (empty: it will show them)."""
    problems = []
    if len(chapters) < MIN_CHAPTERS:
        problems.append(f"{len(chapters)} chapters, YouTube needs at least {MIN_CHAPTERS}")
    if chapters and int(chapters[0].start) != 0:
        problems.append(f"the first chapter starts at {chapters[0].start:g} s, not 0:00")
    ends = [c.start for c in chapters[1:]] + [duration]
    for chapter, end in zip(chapters, ends, strict=True):
        # YouTube reads whole seconds, so that is what the 10-second rule applies to.
        if int(end) - int(chapter.start) < MIN_CHAPTER_SECONDS:
            problems.append(
                f"chapter '{chapter.name}' lasts {end - chapter.start:.1f} s "
                f"(at least {MIN_CHAPTER_SECONDS:g} s, in ascending order)"
            )
    return problems


def chapters_block(chapters: tuple[Chapter, ...], duration: float, scene_id: str) -> str:
    problems = chapter_problems(chapters, duration)
    if problems:
        raise UserError(f"scene {scene_id}: its beats do not make YouTube chapters: {problems[0]}")
    return "\n".join(f"{youtube_timestamp(c.start)} {c.name}" for c in chapters)


def parse_chapters(description: str) -> tuple[Chapter, ...]:
    """The chapter lines (``M:SS name``) of a description, as YouTube finds them."""
    chapters = []
    for line in description.splitlines():
        stamp, _, name = line.partition(" ")
        parts = stamp.split(":")
        if 2 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and name:
            seconds = sum(int(p) * 60**i for i, p in enumerate(reversed(parts)))
            chapters.append(Chapter(float(seconds), name))
    return tuple(chapters)


def description(spec: SceneSpec, timeline: Timeline) -> str:
    """``description.txt``: title, summary, chapters, tags; plain text as YouTube shows it."""
    parts = [
        spec.title,
        spec.summary or spec.description,
        "Chapters:\n" + chapters_block(timeline.sections, timeline.duration, spec.id),
    ]
    if spec.tags:
        parts.append(" ".join(f"#{t.replace(' ', '')}" for t in spec.tags))
    return "\n\n".join(parts) + "\n"
