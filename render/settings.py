"""Where finished files and scratch files go.

Order, lowest first: built-in defaults < ``mathreel.toml`` in the working folder < environment
(``MATHREEL_OUT``, ``MATHREEL_CACHE``) < command-line flags.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

from render.errors import UserError

PROJECT_FILE = "mathreel.toml"


@dataclasses.dataclass(frozen=True)
class Settings:
    out_dir: Path
    cache_dir: Path


def load_settings(out: Path | None = None, cwd: Path | None = None) -> Settings:
    base = cwd or Path.cwd()
    values = {"out": "out", "cache": ".cache/mathreel"}
    project = base / PROJECT_FILE
    if project.is_file():
        try:
            values.update({k: str(v) for k, v in tomllib.loads(project.read_text()).items()})
        except tomllib.TOMLDecodeError as exc:
            raise UserError(f"{project}: not valid TOML ({exc})") from None
    values["out"] = os.environ.get("MATHREEL_OUT", values["out"])
    values["cache"] = os.environ.get("MATHREEL_CACHE", values["cache"])
    out_dir = out if out is not None else Path(values["out"])
    return Settings(out_dir=(base / out_dir).resolve(), cache_dir=(base / values["cache"]).resolve())
