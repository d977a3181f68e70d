"""An independent ear (pocketsphinx's own US English model, a lenient word comparison), and
recorded-looking takes made with ffmpeg.

The recognizer hears most content words of a sentence in Piper's voice but garbles short words and
endings, so captions and transcripts are compared on the first letters of their longer words.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from render.tools.media import FFMPEG_BASE

STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "at",
        "by",
        "is",
        "are",
        "be",
        "it",
        "its",
        "this",
        "that",
        "with",
        "from",
        "for",
        "as",
        "but",
        "not",
        "each",
        "every",
        "how",
        "what",
        "when",
        "then",
        "than",
        "just",
        "only",
        "one",
        "two",
    ]
)
STEM = 5
# Half the level and a little silence around the words: the recognizer mishears audio that peaks
# at full scale (about 0.54 of the content words heard on eight of the scenes' lines, 0.6 so).
EAR = "volume=0.5,adelay=300:all=1,apad=pad_dur=0.5"


def stems(text: str) -> set[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return {w[:STEM] for w in words if len(w) >= 4 and w not in STOP}


def transcribe(path: Path, start: float = 0.0, length: float | None = None) -> str:
    """What pocketsphinx hears in ``path`` (optionally a stretch of it)."""
    from pocketsphinx import Decoder

    window = ["-ss", f"{start:.3f}"] + (["-t", f"{length:.3f}"] if length is not None else [])
    pcm = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            *window,
            "-i",
            str(path),
            "-vn",
            "-af",
            EAR,
            "-ac",
            "1",
            "-ar",
            "16000",
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""


def recognition_rate(caption: str, heard: str) -> float:
    """Share of the caption's content words the transcript contains."""
    wanted = stems(caption)
    return len(wanted & stems(heard)) / len(wanted) if wanted else 0.0


def tone(path: Path, seconds: float, rate: int = 44100, frequency: int = 440) -> Path:
    """A take standing in for a recording: a sine at ``rate`` in whatever format ``path`` names."""
    sine = f"sine=frequency={frequency}:sample_rate={rate}"
    subprocess.run(
        [*FFMPEG_BASE, "-f", "lavfi", "-i", sine, "-t", str(seconds), str(path)], check=True
    )
    return path
