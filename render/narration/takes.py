"""Recorded takes: ``narration/<scene>/<cue-id>.<ext>``, in any format ffmpeg decodes.

Takes are checked and converted before a render starts, so a bad file stops the run with one line
naming it before any work is done: a file that cannot be read, does not decode, holds no sound, or
runs longer than the whole scene (a wrong file, most likely). A good take is stored decoded (mono,
one sample rate) under the hash of its bytes, so changing a take changes the render's key and an
unchanged one is converted once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import wave
from pathlib import Path

import numpy as np

from render.core.errors import ToolFailed, UserError
from render.narration.master import RATE, decode
from render.narration.voice import Speech, wav_seconds
from render.tools.atomic import atomic_path

# A take quieter than this everywhere (-60 dBFS) has no speech in it.
SILENT_PEAK = 0.001


@dataclasses.dataclass(frozen=True)
class Take:
    """A take file in the narration folder and the hash of its bytes."""

    cue_id: str
    path: Path
    sha256: str


def _sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise UserError(f"{path}: cannot read the take ({exc.strerror})") from None


def find_takes(folder: Path) -> dict[str, Take]:
    """Every take in ``folder`` (one scene's), keyed by cue id (the file name without suffix)."""
    if not folder.is_dir():
        return {}
    takes: dict[str, Take] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.stem in takes:
            raise UserError(f"{path}: a second take for cue {path.stem} ({takes[path.stem].path})")
        takes[path.stem] = Take(path.stem, path, _sha256(path))
    return takes


def prepare(take: Take, speech_dir: Path, longest: float) -> Speech:
    """The take decoded to a mono WAV at :data:`RATE` in ``speech_dir`` (converted once)."""
    stored = speech_dir / f"take-{take.sha256[:24]}.wav"
    if stored.is_file():
        return Speech(stored, wav_seconds(stored))
    try:
        samples = decode(take.path)
    except ToolFailed:
        raise UserError(f"{take.path}: not an audio file ffmpeg can decode") from None
    seconds = len(samples) / RATE
    if samples.size == 0 or float(np.max(np.abs(samples))) < SILENT_PEAK:
        raise UserError(f"{take.path}: the take is empty (no sound in it)")
    if seconds > longest:
        raise UserError(
            f"{take.path}: the take lasts {seconds:.1f} s, longer than the whole scene "
            f"({longest:.0f} s); is it the right file?"
        )
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with atomic_path(stored) as tmp, wave.open(str(tmp), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm.tobytes())
    return Speech(stored, seconds)


def unmatched(takes: dict[str, Take], cue_ids: set[str]) -> list[Take]:
    """Takes whose name is no cue of the scene (the line was edited, or the file misnamed)."""
    return [take for cue, take in sorted(takes.items()) if cue not in cue_ids]
