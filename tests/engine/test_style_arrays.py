"""The colour-array replacements give byte for byte what Manim's own VMobject methods give."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest
from manim import BLUE, RED, WHITE, Circle, ManimColor, Square, Text, VMobject

from render.engine import manim_speedups, style_arrays

MANIM_GENERATE = VMobject.__dict__["generate_rgbas_array"]
MANIM_INTERPOLATE = VMobject.__dict__["interpolate_color"]

COLORS: list[Any] = [
    None,
    BLUE,
    ManimColor("#12345678"),  # an alpha of its own, which the opacity replaces
    "#FF8800",
    "red",
    [RED],
    [BLUE, None],
    (WHITE, RED, BLUE),
    [RED, "#00FF00"],
    [],
]
OPACITIES: list[Any] = [
    None,
    0.0,
    0.35,
    1,
    0,
    np.float64(0.7),
    np.float32(0.7),
    True,
    float("nan"),
    [0.25],
    [0.5, None],
    np.array([0.1, 0.9]),
    np.array([0.1, 0.5, 0.9]),
    np.array([[0.3]]),
    (0.2, 0.4, 0.6),
]


@pytest.fixture(autouse=True)
def _manim_untouched_afterwards():
    yield
    manim_speedups.uninstall()
    assert VMobject.__dict__["generate_rgbas_array"] is MANIM_GENERATE


def _outcome(function: Any, *args: Any) -> tuple[Any, ...]:
    """What a call gives: the array's bytes, shape, dtype and ownership, or the error's type."""
    try:
        rgbas = function(*args)
    except Exception as error:  # both sides must fail alike
        return ("raised", type(error))
    return (rgbas.tobytes(), rgbas.shape, rgbas.dtype, rgbas.flags.c_contiguous, rgbas.base is None)


@pytest.mark.parametrize("sheen", [0.0, 0.2])
@pytest.mark.parametrize(("color", "opacity"), list(itertools.product(COLORS, OPACITIES)))
def test_generate_rgbas_array_matches_manim(color: Any, opacity: Any, sheen: float) -> None:
    mob = VMobject(sheen_factor=sheen)
    assert _outcome(style_arrays.generate_rgbas_array, mob, color, opacity) == _outcome(
        MANIM_GENERATE, mob, color, opacity
    )


def test_generate_rgbas_array_returns_fresh_arrays() -> None:
    """Every call gives an array of its own: writing to one changes neither the colour nor the
    next call's result."""
    mob = VMobject()
    first = style_arrays.generate_rgbas_array(mob, BLUE, 0.5)
    first[:] = 0.0
    assert (
        style_arrays.generate_rgbas_array(mob, BLUE, 0.5).tobytes()
        == MANIM_GENERATE(mob, BLUE, 0.5).tobytes()
    )
    assert BLUE.to_rgba()[3] == 1.0


def _styles(mob: VMobject) -> list[bytes]:
    return [np.asarray(getattr(mob, name)).tobytes() for name in style_arrays._STYLE_ATTRIBUTES]


def _style_types(mob: VMobject) -> list[type]:
    return [type(getattr(mob, name)) for name in style_arrays._STYLE_ATTRIBUTES]


def _pair() -> tuple[VMobject, VMobject]:
    start = Square().set_fill(BLUE, 0.3).set_stroke(RED, 2.5, 0.8)
    end = Circle().set_fill([RED, WHITE], 0.9).set_stroke(WHITE, 6)
    end.set_sheen(0.3)
    start.align_data(end)
    return start, end


@pytest.mark.parametrize("alpha", [0, 0.0, 0.25, 0.999, 1, 1.0, np.float64(1.0), np.float64(0.5)])
def test_interpolate_color_matches_manim(alpha: Any) -> None:
    start, end = _pair()
    ours, theirs = start.copy(), start.copy()
    style_arrays.interpolate_color(ours, start, end, alpha)
    MANIM_INTERPOLATE(theirs, start, end, alpha)
    assert _styles(ours) == _styles(theirs)
    assert _style_types(ours) == _style_types(theirs)


def test_interpolate_color_at_the_end_copies_the_targets_arrays() -> None:
    """At alpha 1 the mobject gets copies: changing it later leaves the target as it was."""
    start, end = _pair()
    before = _styles(end)
    mob = start.copy()
    style_arrays.interpolate_color(mob, start, end, 1.0)
    mob.fill_rgbas[:] = 0.0
    mob.stroke_rgbas[:] = 0.0
    assert _styles(end) == before


def test_a_caption_builds_the_same_with_the_replacements() -> None:
    """A real Text (hundreds of VMobjects, each with fill, stroke and background colours)."""
    words = "Gradient descent, 0.001"
    plain = Text(words, font_size=30, color=BLUE)
    with manim_speedups.speedups():
        fast = Text(words, font_size=30, color=BLUE)
    pairs = list(zip(plain.get_family(), fast.get_family(), strict=True))
    assert len(pairs) > 20
    for a, b in pairs:
        assert _styles(a) == _styles(b)
        assert a.points.tobytes() == b.points.tobytes()
