"""Where finished files and scratch files go.

Order, lowest first: built-in defaults < ``mathreel.toml`` in the working folder < environment
(``MATHREEL_OUT``, ``MATHREEL_CACHE``, ``MATHREEL_NARRATION``) < command-line flags. An empty
environment variable counts as unset (``MATHREEL_OUT=`` would otherwise mean the working folder
itself). Recorded narration takes live in ``narration/<scene>/`` of the working folder unless
``narration`` says otherwise.
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
ENVIRONMENT = {"out": "MATHREEL_OUT", "cache": "MATHREEL_CACHE", "narration": "MATHREEL_NARRATION"}


@dataclasses.dataclass(frozen=True)
class Settings:
    out_dir: Path
    cache_dir: Path
    narration_dir: Path = dataclasses.field(default_factory=lambda: Path("narration").resolve())
    # Where each folder was chosen (a flag, a variable, the project file), for error messages.
    out_origin: str = "--out"
    cache_origin: str = "MATHREEL_CACHE"

    @property
    def out(self) -> OutPaths:
        return OutPaths(self.out_dir)

    @property
    def cache(self) -> CachePaths:
        return CachePaths(self.cache_dir)


def load_settings(out: Path | None = None, cwd: Path | None = None) -> Settings:
    base = cwd or Path.cwd()
    values = dict(DEFAULTS)
    origins = {"out": "the default out folder", "cache": "the default cache folder"}
    project = base / PROJECT_FILE
    if project.is_file():
        for key, value in _project_values(project).items():
            values[key], origins[key] = value, f"{PROJECT_FILE} '{key}'"
    for key, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            values[key], origins[key] = os.environ[variable], variable
    if out is not None:
        values["out"], origins["out"] = str(out), "--out"
    return Settings(
        out_dir=(base / values["out"]).resolve(),
        cache_dir=(base / values["cache"]).resolve(),
        narration_dir=(base / values["narration"]).resolve(),
        out_origin=origins["out"],
        cache_origin=origins["cache"],
    )


def _project_values(project: Path) -> dict[str, str]:
    """The keys of ``mathreel.toml``; a typo or a value that is not a folder name is refused."""
    try:
        table = tomllib.loads(project.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{project}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{project}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise UserError(f"{project}: cannot be read ({exc.strerror})") from None
    unknown = sorted(set(table) - set(DEFAULTS))
    if unknown:
        raise UserError(f"{project}: unknown key '{unknown[0]}' (known: {', '.join(DEFAULTS)})")
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            shown = type(value).__name__ if not isinstance(value, str) else repr(value)
            raise UserError(f"{project}: '{key}' must be a string (a folder name), got {shown}")
    return {k: str(v) for k, v in table.items()}
