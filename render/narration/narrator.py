"""What a scene's ``say()`` asks for: the speech of one cue, from its take or the voice.

The render worker builds one narrator per render from the job (the voice's name, the speech store,
the prepared takes); a scene rendered without one stays silent, as scenes did before narration.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from render.narration.voice import BUNDLED, BundledVoice, Speech, check_voice, wav_seconds

TAKE = "take"


@dataclasses.dataclass(frozen=True)
class Spoken:
    """A cue's speech and where it came from (``take`` or the voice's name)."""

    speech: Speech
    source: str


class Narrator:
    """Speech for cues: a prepared take when the cue has one, else the voice (None: silent)."""

    def __init__(self, voice: BundledVoice | None, takes: dict[str, Path] | None = None) -> None:
        self.voice = voice
        self.takes = takes or {}

    @classmethod
    def for_job(cls, voice: str, speech_dir: Path, takes: dict[str, str]) -> Narrator | None:
        """The narrator a render job asks for; None for ``--voice none``."""
        if check_voice(voice) != BUNDLED:
            return None
        return cls(BundledVoice(speech_dir), {cue: Path(p) for cue, p in takes.items()})

    def speak(self, cue_id: str, text: str) -> Spoken | None:
        take = self.takes.get(cue_id)
        if take is not None:
            return Spoken(Speech(take, wav_seconds(take)), TAKE)
        if self.voice is None:
            return None
        return Spoken(self.voice.speak(text), self.voice.name)
