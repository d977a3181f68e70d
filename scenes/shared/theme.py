"""The brand: colours, font and sizes from ``assets/brand.json``, and the LaTeX template.

Scenes take every colour and size from here so that a re-brand is one file, and so that contrast
against the dark background is decided once.
"""

from __future__ import annotations

from manim import ManimColor, TexTemplate

from render.core import assets

_BRAND = assets.brand()

BACKGROUND = ManimColor(_BRAND["background"])
TEXT = ManimColor(_BRAND["text"])
MUTED = ManimColor(_BRAND["muted"])
GRID = ManimColor(_BRAND["grid"])
PRIMARY = ManimColor(_BRAND["primary"])
SECONDARY = ManimColor(_BRAND["secondary"])
ACCENT = ManimColor(_BRAND["accent"])
GOOD = ManimColor(_BRAND["good"])
VIOLET = ManimColor(_BRAND["violet"])
BAND = ManimColor(_BRAND["band"])

FONT: str = _BRAND["font"]
SIZE_TITLE: int = _BRAND["font_sizes"]["title"]
SIZE_HEADING: int = _BRAND["font_sizes"]["heading"]
SIZE_BODY: int = _BRAND["font_sizes"]["body"]
SIZE_LABEL: int = _BRAND["font_sizes"]["label"]
SIZE_SMALL: int = _BRAND["font_sizes"]["small"]


def tex_template() -> TexTemplate:
    """Manim's TexTemplate filled from ``assets/tex_template.tex`` (Latin Modern, amsmath)."""
    source = assets.asset(assets.TEX_TEMPLATE).read_text()
    preamble, _, _document = source.partition(r"\begin{document}")
    documentclass, _, packages = preamble.partition("\n")
    return TexTemplate(
        documentclass=documentclass,
        preamble=packages.strip(),
        placeholder_text="YourTextHere",
    )
