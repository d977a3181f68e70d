"""The files shipped with the package: brand colours and font, and the LaTeX template.

They live in the repository's top-level ``assets/`` folder and are installed as the package data
of ``render.assets`` (see ``setup.py``), so an editable and a regular install find them the same
way, whatever the working folder.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

BRAND = "brand.json"
TEX_TEMPLATE = "tex_template.tex"


def assets_dir() -> Path:
    """The installed assets folder (a real folder: the package is never zipped)."""
    return Path(str(resources.files("render.assets")))


def asset(name: str) -> Path:
    return assets_dir() / name


@functools.cache
def brand() -> dict[str, Any]:
    """``brand.json``: colours, the font family and the font sizes."""
    data: dict[str, Any] = json.loads(asset(BRAND).read_text(encoding="utf-8"))
    return data
