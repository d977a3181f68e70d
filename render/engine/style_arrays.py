"""A VMobject's colour arrays built and blended without Manim's per-call detours, same floats.

Every VMobject that is constructed, and every ``set_fill``/``set_stroke`` an animation or updater
makes, ends in ``VMobject.generate_rgbas_array``: the colour is wrapped in a fresh ``ManimColor``
(a copy of itself), paired with its opacity through ``tuplify`` and ``make_even``, and turned
into a row by ``numpy.fromiter``. Building a caption's glyphs makes thousands of these calls (a
group per glyph, each with fill, stroke and background stroke), and almost all of them ask for
one plain colour (or none) and one plain opacity (or none). :func:`generate_rgbas_array` writes
those rows directly: the red, green and blue of the colour's own internal array and the opacity
as a float64, the very numbers ``fromiter`` would store. Anything else (a colour given as a
string or another colour space, opacities of other types, lists of unequal length, a sheen,
which adds a lighter second row) goes to Manim's code.

``VMobject.interpolate_color`` blends seven style attributes on every frame of a fade or
transform, and at ``alpha == 1`` (every animation's last frame) computes each blend only to
replace it with a copy of the target's value. :func:`interpolate_color` takes the copies at
once there, and blends with Manim's ``interpolate`` everywhere else.

Installed with the rest of :mod:`render.engine.manim_speedups`;
``tests/engine/test_style_arrays.py`` compares both with Manim's own methods, byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from manim import BLACK, ManimColor

from render.engine.manim_originals import FloatArray, manim_original

# Opacity types that numpy.fromiter stores in a float64 as float(value).
_PLAIN_OPACITIES = frozenset({float, int, np.float64})
_STYLE_ATTRIBUTES = (
    "fill_rgbas",
    "stroke_rgbas",
    "background_stroke_rgbas",
    "stroke_width",
    "background_stroke_width",
    "sheen_direction",
    "sheen_factor",
)


def _items(value: Any) -> Sequence[Any] | None:
    """The items ``tuplify(value)`` gives, for a list, tuple, 1-D array or single non-iterable
    value; None for anything else (a string, which ``ManimColor`` would have to parse)."""
    if type(value) in (list, tuple):
        return value  # type: ignore[no-any-return]
    if type(value) is np.ndarray:
        return list(value) if value.ndim == 1 else None
    if isinstance(value, (str, Iterable)):
        return None
    return (value,)


def _plain_rgba(color: Any, opacity: Any) -> FloatArray | None:
    """``[ManimColor(color).to_rgba_with_alpha(opacity)]`` as a 1 x 4 array, when ``color`` is a
    ``ManimColor`` or None (black) and ``opacity`` a plain number or None (0); else None."""
    if color is None:
        color = BLACK
    elif type(color) is not ManimColor:
        return None
    if opacity is None:
        opacity = 0.0
    elif type(opacity) not in _PLAIN_OPACITIES:
        return None
    rgba: FloatArray = color._internal_value.reshape(1, 4).copy()
    rgba[0, 3] = opacity
    return rgba


def generate_rgbas_array(self: Any, color: Any, opacity: Any) -> Any:
    """``VMobject.generate_rgbas_array``: plain colours and opacities written straight to rows."""
    if self.get_sheen_factor() == 0:
        rgba = _plain_rgba(color, opacity)
        if rgba is not None:
            return rgba
        colors, opacities = _items(color), _items(opacity)
        if colors and opacities is not None and len(colors) == len(opacities):
            rows = [_plain_rgba(c, o) for c, o in zip(colors, opacities, strict=True)]
            plain = [row for row in rows if row is not None]
            if len(plain) == len(rows):
                return np.concatenate(plain)
    return manim_original("generate_rgbas_array")(self, color, opacity)


def interpolate_color(self: Any, mobject1: Any, mobject2: Any, alpha: Any) -> Any:
    """``VMobject.interpolate_color``: at ``alpha == 1`` the target's values, without the blends
    Manim computes there and throws away (which would also raise for styles of different
    shapes; aligned mobjects, as every animation hands over, never have them)."""
    if alpha != 1.0:
        return manim_original("interpolate_color")(self, mobject1, mobject2, alpha)
    for name in _STYLE_ATTRIBUTES:
        value = getattr(mobject2, name)
        setattr(self, name, value.copy() if isinstance(value, np.ndarray) else value)
    return self
