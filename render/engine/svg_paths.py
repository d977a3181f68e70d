"""SVG path data parsed once per process: a glyph's outline is read from its text once.

Building a ``Text`` or ``MathTex`` on a cold render is a tenth of a scene's CPU, and half of that
is svgelements reading SVG path data. Pango and dvisvgm write every glyph once, as a path under
``<defs>``, and place it with ``<use>``; svgelements resolves each ``<use>`` by parsing the
referenced path's ``d`` text again, so a caption of forty letters parses forty outlines, most
of them the same few letters, and every caption after it parses them again.

:func:`parse` (``svgelements.Path.parse``) keeps the segments a ``d`` text parses into and
gives a path that starts empty copies of them: ``Move``, ``Line``, ``Close`` and Bézier segments
copied by their own ``__copy__``, which rebuilds the same points from the same floats, with the
same ``relative`` and ``smooth`` flags. Parsing depends on nothing but the text when the path
starts empty, so the copies are what parsing would have built; anything else (a path that
already has segments, data with arcs, whose copies recompute their geometry) is parsed as
before. Installed with :mod:`render.engine.manim_speedups`, for the svgelements release it was
checked against; ``tests/engine/test_svg_paths.py`` compares every glyph's points with and
without it.
"""

from __future__ import annotations

import copy
from typing import Any

import svgelements

PINNED_SVGELEMENTS_VERSION = "1.9.6"
MAX_KEPT = 50_000  # path texts kept before the memory starts again from empty

_COPIED_EXACTLY = (
    svgelements.Move,
    svgelements.Line,
    svgelements.Close,
    svgelements.QuadraticBezier,
    svgelements.CubicBezier,
)
_ORIGINAL_PARSE = svgelements.Path.parse
_PARSED: dict[str, list[Any]] = {}


def supported() -> bool:
    return bool(svgelements.SVGELEMENTS_VERSION == PINNED_SVGELEMENTS_VERSION)


def parse(self: Any, pathdef: Any) -> None:
    """``svgelements.Path.parse``: a path text parsed before is copied, not parsed again."""
    if self._segments or not isinstance(pathdef, str):
        _ORIGINAL_PARSE(self, pathdef)
        return
    kept = _PARSED.get(pathdef)
    if kept is None:
        _ORIGINAL_PARSE(self, pathdef)
        if all(type(segment) in _COPIED_EXACTLY for segment in self._segments):
            if len(_PARSED) >= MAX_KEPT:
                _PARSED.clear()
            _PARSED[pathdef] = [copy.copy(segment) for segment in self._segments]
        return
    self._segments.extend([copy.copy(segment) for segment in kept])
    self._length = None
