"""The files passed between stages, each read and checked in one place.

A render leaves a timeline (``<id>.timeline.json``) and a play record (``<id>.plays.json``); the
cache stores entries (``entry.json``) and shard plans; export keeps its state
(``.export-state.json``) and writes ``meta.json``. Every reader goes through :func:`load_json`
and :func:`require`, so a truncated or hand-edited file is one clear :class:`CorruptRecord`
naming its path and the field at fault, never a ``KeyError`` deep inside a stage.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from render.core.errors import CorruptRecord

Kind = type | tuple[type, ...]
Fields = Mapping[str, Kind]
Number: Kind = (int, float)


def load_json(path: Path) -> Any:
    """The JSON in ``path``; :class:`CorruptRecord` if it cannot be read or parsed."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorruptRecord(f"{path}: unreadable ({exc})") from None


def require(path: Path, data: Any, fields: Fields, what: str = "") -> dict[str, Any]:
    """``data`` as a dict holding every one of ``fields`` with a value of its type."""
    where = f"{path}{f' ({what})' if what else ''}"
    if not isinstance(data, dict):
        raise CorruptRecord(f"{where}: expected an object, found {type(data).__name__}")
    for name, kind in fields.items():
        if name not in data:
            raise CorruptRecord(f"{where}: no '{name}'")
        value = data[name]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise CorruptRecord(f"{where}: '{name}' is {value!r}")
        if not isinstance(value, kind):
            raise CorruptRecord(f"{where}: '{name}' is {type(value).__name__}, not {_name(kind)}")
    return data


def _name(kind: Kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


# --- The render's timeline: chapters (beats) and captions (say cues) -----------------------------


@dataclasses.dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclasses.dataclass(frozen=True)
class Chapter:
    start: float
    name: str


@dataclasses.dataclass(frozen=True)
class Timeline:
    """``<id>.timeline.json`` as export reads it (cues clipped to the video, one block each)."""

    duration: float
    sections: tuple[Chapter, ...]
    cues: tuple[Cue, ...]
    params: dict[str, Any] | None = None

    @classmethod
    def load(cls, path: Path) -> Timeline:
        raw = require(path, load_json(path), {"duration": Number}, "timeline")
        duration = float(raw["duration"])
        if not (math.isfinite(duration) and duration > 0):
            raise CorruptRecord(f"{path} (timeline): 'duration' is {duration}")
        for name in ("cues", "sections"):
            if not isinstance(raw.get(name, []), list):
                raise CorruptRecord(f"{path} (timeline): '{name}' is not a list")
        cues = []
        for i, cue in enumerate(raw.get("cues", [])):
            c = require(path, cue, {"start": Number, "end": Number, "text": str}, f"cue {i}")
            if not (math.isfinite(c["start"]) and math.isfinite(c["end"])):
                raise CorruptRecord(f"{path} (timeline): cue {i} is not timed")
            # A cue may be timed past the last frame; a blank line inside one would end an SRT
            # block.
            if c["start"] < duration:
                cues.append(Cue(float(c["start"]), min(float(c["end"]), duration), _one_block(c)))
        sections = []
        for i, section in enumerate(raw.get("sections", [])):
            s = require(path, section, {"start": Number, "name": str}, f"section {i}")
            sections.append(Chapter(float(s["start"]), s["name"]))
        params = raw.get("params")
        if params is not None and not isinstance(params, dict):
            raise CorruptRecord(f"{path} (timeline): 'params' is not an object")
        return cls(duration, tuple(sections), tuple(cues), params)


def _one_block(cue: dict[str, Any]) -> str:
    return "\n".join(line for line in str(cue["text"]).splitlines() if line.strip())


# --- What a worker recorded about every play ------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PlayRecord:
    """``<id>.plays.json``: each play's run time, the scene clock after it, whether it was drawn,
    and whether any time-based updater was live (then the scene must not be sharded)."""

    durations: tuple[float, ...]
    ends: tuple[float, ...]
    rendered: tuple[bool, ...]
    time_based: bool

    @classmethod
    def load(cls, path: Path) -> PlayRecord:
        fields = {"durations": list, "ends": list, "rendered": list, "time_based": bool}
        raw = require(path, load_json(path), fields, "play record")
        numbers = [*raw["durations"], *raw["ends"]]
        if not all(isinstance(x, Number) and not isinstance(x, bool) for x in numbers):
            raise CorruptRecord(f"{path} (play record): a run time or clock is not a number")
        if not all(isinstance(x, bool) for x in raw["rendered"]):
            raise CorruptRecord(f"{path} (play record): 'rendered' holds a non-boolean")
        if not len(raw["durations"]) == len(raw["ends"]) == len(raw["rendered"]):
            raise CorruptRecord(f"{path} (play record): its lists differ in length")
        return cls(
            tuple(map(float, raw["durations"])),
            tuple(map(float, raw["ends"])),
            tuple(raw["rendered"]),
            raw["time_based"],
        )

    def save(self, path: Path) -> None:
        write_json(path, dataclasses.asdict(self))
