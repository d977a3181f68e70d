"""Option declarations reused across commands, so each flag means the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Folder of finished files (default out/, or MATHREEL_OUT)."),
]
SeedOption = Annotated[
    int | None, typer.Option("--seed", help="Seed of the scene's random Generator.")
]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", help="Override a scene parameter: --set key=value (repeatable)."),
]
QualityOption = Annotated[
    str, typer.Option("--quality", "-q", help="preview | 720p | 1080p | 1440p | 4k")
]
FpsOption = Annotated[
    int | None, typer.Option("--fps", help="Frame rate (default: the quality's).")
]
JobsOption = Annotated[
    int,
    typer.Option("--jobs", "-j", min=1, max=64, help="Worker processes (render: shards)."),
]
BeatOption = Annotated[
    str | None,
    typer.Option("--beat", help="Only this beat: its number (1 = the first) or its name."),
]
VoiceOption = Annotated[
    str,
    typer.Option(
        "--voice", help="Narration: joe (the bundled en_US-joe-medium voice) or none (silent)."
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option("--strict", help="A cue without a recorded take is an error, not a warning."),
]
