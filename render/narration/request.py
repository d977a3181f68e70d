"""What a render asks of narration, and what it does with a finished render's cues.

The engine holds one :class:`NarrationRequest` (the voice, where takes live, ``--strict``). Before a
render it names the inputs the cache key needs (the voice and its version, each take's hash) and
prepares the takes; the worker's scenes then speak at every ``say()``. After the render (whole or
sharded and joined) :func:`narration_track` places every cue's speech at the cue's start in the
joined movie and masters the track, and :func:`review` reports cues spoken by the voice for lack of
a take and takes that match no cue.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from render.core.errors import UserError
from render.narration.master import Mastered, Placed, master, mix
from render.narration.narrator import TAKE
from render.narration.takes import Take, find_takes, prepare, unmatched
from render.narration.voice import BUNDLED, SILENT, check_voice, voice_version

# What turns a render's cues into its sound: the mix and master, and the AAC options in media.
MASTERING_MODULES = ("render.narration.master", "render.tools.media")


@dataclasses.dataclass(frozen=True)
class NarrationRequest:
    """``voice`` is a name from :data:`render.narration.voice.VOICES`; ``takes_root`` holds one
    folder of takes per scene; ``strict`` makes a cue without a take an error."""

    voice: str = SILENT
    takes_root: Path | None = None
    strict: bool = False

    def __post_init__(self) -> None:
        check_voice(self.voice)

    @property
    def silent(self) -> bool:
        return self.voice == SILENT

    def takes(self, scene_id: str) -> dict[str, Take]:
        if self.silent or self.takes_root is None:
            return {}
        return find_takes(self.takes_root / scene_id)

    def key_inputs(self, scene_id: str) -> dict[str, str]:
        """The cache key's narration inputs: the voice, its version, every take's content, and the
        sources of the mastering, whose sound a stored render carries.

        A silent render adds none, so its key is the key renders had before narration existed.
        """
        if self.silent:
            return {}
        inputs = {"voice": self.voice, **_mastering_sources()}
        if self.voice == BUNDLED:
            inputs["version voice"] = voice_version()
        for cue, take in self.takes(scene_id).items():
            inputs[f"take {cue}"] = take.sha256[:16]
        return inputs

    def prepare_takes(self, scene_id: str, speech_dir: Path, longest: float) -> dict[str, str]:
        """Every take checked and decoded into ``speech_dir``: ``{cue id: prepared file}``."""
        return {
            cue: str(prepare(take, speech_dir, longest).path)
            for cue, take in self.takes(scene_id).items()
        }

    def review(self, scene_id: str, timeline: dict[str, Any]) -> list[str]:
        """Warnings about a render's cues; :class:`UserError` if ``strict`` and one lacks a take."""
        if self.silent:
            return []
        cues = timeline.get("cues", [])
        voiced = [c for c in cues if c.get("source") not in (None, TAKE)]
        if self.strict and voiced:
            raise UserError(
                f"{scene_id}: cue {voiced[0]['id']} has no take in "
                f"{self._folder(scene_id)} ({len(voiced)} of {len(cues)} cues lack one; "
                "see mathreel narration script)"
            )
        warnings = []
        if voiced and self.takes(scene_id):
            names = ", ".join(c["id"] for c in voiced)
            warnings.append(f"{scene_id}: no take for {names}; spoken by the {self.voice} voice")
        for take in unmatched(self.takes(scene_id), {c["id"] for c in cues}):
            warnings.append(f"{take.path}: matches no cue of {scene_id} (edited line or misnamed)")
        return warnings

    def _folder(self, scene_id: str) -> Path:
        return (self.takes_root or Path("narration")) / scene_id


def _mastering_sources() -> dict[str, str]:
    """``source <file>`` inputs of the modules that mix, master and encode the narration."""
    from render.engine.sources import PROJECT_ROOT, import_closure
    from render.tools.hashing import file_sha256

    modules = import_closure(MASTERING_MODULES)
    return {
        f"source {path.relative_to(PROJECT_ROOT).as_posix()}": file_sha256(path)[:16]
        for path in modules.values()
    }


def narration_track(
    timeline: dict[str, Any], speech_dir: Path, seconds: float, dst: Path
) -> Mastered | None:
    """Master the speech of ``timeline``'s cues (files in ``speech_dir``) into ``dst``, ``seconds``
    long; None when no cue has speech."""
    cues = [Placed(c["start"], speech_dir / c["speech"]) for c in timeline["cues"] if "speech" in c]
    if not cues:
        return None
    return master(mix(cues, seconds), dst)
