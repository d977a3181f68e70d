"""The recording script of a scene: what to record, under which file name, in how much time.

It is made from a silent render's timeline (cue ids depend only on a line's beat and words, so
they are the same with any voice). "Time" is how long the picture gives the line before the next
one starts; a longer take is fine, the picture waits for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def recording_script(scene_id: str, timeline: dict[str, Any], takes_folder: Path) -> str:
    """Markdown: one row per cue with its take's file name, its beat, its time and its words."""
    cues = timeline["cues"]
    ends = [c["start"] for c in cues[1:]] + [timeline["duration"]]
    lines = [
        f"# Narration of {scene_id}",
        "",
        f"Record each line as `{takes_folder}/<cue id>.wav` (any format ffmpeg reads).",
        "",
        "| cue id | beat | time | words |",
        "|---|---|---|---|",
    ]
    for cue, end in zip(cues, ends, strict=True):
        words = cue["text"].replace("|", "\\|")
        lines.append(
            f"| `{cue['id']}` | {cue.get('beat') or ''} | {end - cue['start']:.1f} s | {words} |"
        )
    return "\n".join(lines) + "\n"
