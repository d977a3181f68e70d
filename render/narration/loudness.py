"""Measuring a file's audio: loudness and true peak (ebur128), and where the speech is.

These measure what a listener gets from the published file, decoded, rather than trusting the
numbers the mastering step reported: a lossy encode moves true peaks, and a wrong map or a broken
mux loses the speech entirely.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from render.tools.probe import audio_stream, probe, stream_seconds
from render.tools.proc import ToolFailed, run

# Quieter than this for at least SILENCE_SECONDS counts as a pause between words or lines.
SILENCE_DB = -45
SILENCE_SECONDS = 0.25


@dataclasses.dataclass(frozen=True)
class Loudness:
    """EBU R128 figures: integrated loudness, its gating threshold, loudness range, true peak."""

    integrated_lufs: float
    threshold_lufs: float
    range_lu: float
    true_peak_dbtp: float


def _summary_value(summary: str, label: str) -> float:
    match = re.search(rf"{label}:\s+(-?inf|-?[\d.]+)", summary)
    if match is None:
        raise ToolFailed(f"ebur128 reported no {label}")
    return float(match.group(1))


def measure(inputs: list[str], filters: str = "", dual_mono: bool = False) -> Loudness:
    """ebur128's summary of the audio ``inputs`` (ffmpeg input arguments) after ``filters``;
    ``dual_mono`` measures a mono signal as the stereo programme that carries it in both channels
    (3 dB louder than the one channel alone)."""
    meter = "ebur128=peak=true" + (":dualmono=true" if dual_mono else "")
    chain = f"{filters},{meter}" if filters else meter
    log = run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            *inputs,
            "-af",
            chain,
            "-f",
            "null",
            "-",
        ],
        read_stderr=True,
    )
    summary = log[log.rfind("Summary:") :]
    return Loudness(
        integrated_lufs=_summary_value(summary, "I"),
        threshold_lufs=_summary_value(summary, "Threshold"),
        range_lu=_summary_value(summary, "LRA"),
        true_peak_dbtp=_summary_value(summary, "Peak"),
    )


def loudness(path: Path) -> Loudness:
    """The EBU R128 figures of the first audio stream of ``path``."""
    return measure(["-i", str(path), "-map", "0:a:0"])


def speech_spans(path: Path) -> list[tuple[float, float]]:
    """The stretches of ``path``'s audio that are not silence, as (start, end) seconds."""
    log = run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-nostats",
            "-i",
            str(path),
            "-map",
            "0:a:0",
            "-af",
            f"silencedetect=noise={SILENCE_DB}dB:d={SILENCE_SECONDS}",
            "-f",
            "null",
            "-",
        ],
        read_stderr=True,
    )
    spans: list[tuple[float, float]] = []
    sound_from: float | None = 0.0
    for kind, value in re.findall(r"silence_(start|end): (-?[\d.]+)", log):
        at = max(0.0, float(value))
        if kind == "start" and sound_from is not None:
            if at > sound_from:
                spans.append((sound_from, at))
            sound_from = None
        elif kind == "end":
            sound_from = at
    sound = audio_stream(probe(path))
    duration = (stream_seconds(sound) if sound is not None else None) or 0.0
    if sound_from is not None and duration > sound_from:
        spans.append((sound_from, duration))
    return spans


def speech_within(spans: list[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of speech inside ``[start, end]``."""
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in spans)
