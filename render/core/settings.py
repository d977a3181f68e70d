"""Where finished files and scratch files go.

Order, lowest first: built-in defaults < ``mathreel.toml`` in the working folder < environment
(``MATHREEL_OUT``, ``MATHREEL_CACHE``, ``MATHREEL_NARRATION``) < command-line flags. Recorded
narration takes live in ``narration/<scene>/`` of the working folder unless ``narration`` says
otherwise.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from pathlib import Path

from render.core.errors import UserError
from render.core.paths import CachePaths, OutPaths

PROJECT_FILE = "mathreel.toml"
DEFAULTS = {"out": "out", "cache": ".cache/mathreel", "narration": "narration"}


@dataclasses.dataclass(frozen=True)
class Settings:
    out_dir: Path
    cache_dir: Path
    narration_dir: Path = dataclasses.field(default_factory=lambda: Path("narration").resolve())

    @property
    def out(self) -> OutPaths:
        return OutPaths(self.out_dir)

    @property
    def cache(self) -> CachePaths:
        return CachePaths(self.cache_dir)


def load_settings(out: Path | None = None, cwd: Path | None = None) -> Settings:
    base = cwd or Path.cwd()
    values = dict(DEFAULTS)
    project = base / PROJECT_FILE
    if project.is_file():
        values.update(_project_values(project))
    values["out"] = os.environ.get("MATHREEL_OUT", values["out"])
    values["cache"] = os.environ.get("MATHREEL_CACHE", values["cache"])
    values["narration"] = os.environ.get("MATHREEL_NARRATION", values["narration"])
    out_dir = out if out is not None else Path(values["out"])
    return Settings(
        out_dir=(base / out_dir).resolve(),
        cache_dir=(base / values["cache"]).resolve(),
        narration_dir=(base / values["narration"]).resolve(),
    )


def _project_values(project: Path) -> dict[str, str]:
    """The keys of ``mathreel.toml``; a typo is refused rather than silently ignored."""
    try:
        table = tomllib.loads(project.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{project}: not valid TOML ({exc})") from None
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise UserError(f"{project}: unknown key '{unknown[0]}' (known: {', '.join(DEFAULTS)})")
    wrong = [k for k, v in table.items() if not isinstance(v, str)]
    if wrong:
        raise UserError(f"{project}: '{wrong[0]}' must be a string (a folder)")
    return {k: str(v) for k, v in table.items()}
