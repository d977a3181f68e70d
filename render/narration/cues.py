"""Stable names for narration cues.

A recorded take is filed under its cue's id, so the id must not change when something *else* in
the scene changes. Numbering the cues (``cue-07``) fails that: inserting one line renumbers every
later take. Here an id is made of the cue's own words and the beat it belongs to, plus an ordinal
only among identical lines of one beat. Editing, adding, removing or moving any other line leaves an
id alone; editing a line's own words gives it a new id, which is right, because the old take says
the old words.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

OPENING = "opening"
SLUG_WORDS = 4


def slug(text: str, words: int | None = None) -> str:
    """Lower-case ASCII words joined by hyphens (at most ``words`` of them)."""
    found = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(found[:words] if words is not None else found)


def words_digest(text: str) -> str:
    """Six hex digits of the line's words, whitespace-insensitive."""
    normalized = " ".join(text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:6]


def cue_id(beat: str | None, text: str, repeat: int = 0) -> str:
    """``<beat>-<first words>-<digest>``, with ``-<n>`` for the n-th repeat of a line in its beat.

    >>> cue_id("The prior", "All possibilities fill a unit square.")
    'the-prior-all-possibilities-fill-a-ccc00a'
    """
    head = slug(beat) if beat else OPENING
    words = slug(text, SLUG_WORDS) or "cue"
    name = f"{head or OPENING}-{words}-{words_digest(text)}"
    return f"{name}-{repeat + 1}" if repeat else name


class CueNamer:
    """Hands out ids in the order a scene says its lines (one instance per render)."""

    def __init__(self) -> None:
        self._seen: Counter[tuple[str | None, str]] = Counter()

    def name(self, beat: str | None, text: str) -> str:
        key = (beat, " ".join(text.split()))
        repeat = self._seen[key]
        self._seen[key] += 1
        return cue_id(beat, text, repeat)
