"""What a scene's ``say()`` asks for: the speech of one cue, from its take or the voice.

The render worker builds one narrator per render from the job (the voice's name, the speech store,
the prepared takes); a scene rendered without one stays silent, as scenes did before narration.

Speech is made while the picture is drawn. A scene needs a line's length only at its next wait
point (the next ``say()``, ``beat()``, ``clear_stage()`` or the end), not when the line starts, so
:meth:`Narrator.start` hands the synthesis to a thread of its own and returns at once; Manim draws
the line's animations meanwhile. ONNX Runtime releases the GIL while it runs the voice, so on a
machine with a second core the voice costs the render almost no wall time. One thread, in the
order the lines are said: the lines and their bytes are exactly those of a serial render.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Future, ThreadPoolExecutor
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
        self._synthesis: ThreadPoolExecutor | None = None

    @classmethod
    def for_job(cls, voice: str, speech_dir: Path, takes: dict[str, str]) -> Narrator | None:
        """The narrator a render job asks for; None for ``--voice none``."""
        if check_voice(voice) != BUNDLED:
            return None
        return cls(BundledVoice(speech_dir), {cue: Path(p) for cue, p in takes.items()})

    def start(self, cue_id: str, text: str) -> Future[Spoken] | None:
        """Begin making a cue's speech; ``result()`` waits for it. None when there is no voice."""
        take = self.takes.get(cue_id)
        if take is not None:
            done: Future[Spoken] = Future()
            done.set_result(Spoken(Speech(take, wav_seconds(take)), TAKE))
            return done
        if self.voice is None:
            return None
        if self._synthesis is None:
            self._synthesis = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech")
        return self._synthesis.submit(self._voiced, self.voice, text)

    def close(self) -> None:
        """Drop lines not yet begun (a render that stops early needs them no more)."""
        if self._synthesis is not None:
            self._synthesis.shutdown(wait=False, cancel_futures=True)
            self._synthesis = None

    @staticmethod
    def _voiced(voice: BundledVoice, text: str) -> Spoken:
        return Spoken(voice.speak(text), voice.name)
