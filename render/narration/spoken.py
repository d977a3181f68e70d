"""Caption text as the voice should read it.

Captions are written for the eye (``σ√n``, ``P(H|E)``, ``1 - p``); the phonemizer reads most of it
well but says "sigma two" for ``σ²``, drops the minus of ``1 - p``, reads ``/`` as "slash" and
odds of ``1:20`` as "one twenty". A few rewrites before synthesis fix what it gets wrong; everything
else is left to it.
"""

from __future__ import annotations

import re

_REWRITES: tuple[tuple[str, str], ...] = (
    (r"²", " squared"),
    (r"³", " cubed"),
    (r"√", " root "),
    (r"(?<=\w)\s*\|\s*(?=\w)", " given "),
    (r"(?<=[\w)])\s+-\s+(?=[\w(])", " minus "),
    (r"(?<=[\w)])\s*/\s*(?=[\w(])", " over "),
    (r"(?<=\d):(?=\d)", " to "),
    (r"≈", " about "),
    (r"×", " times "),
    (r"\s*=\s*", " equals "),
)


def spoken(text: str) -> str:
    """``text`` rewritten where the phonemizer would misread it, whitespace collapsed."""
    for pattern, replacement in _REWRITES:
        text = re.sub(pattern, replacement, text)
    return " ".join(text.split())
