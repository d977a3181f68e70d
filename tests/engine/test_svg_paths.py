"""SVG path data parsed once gives every glyph the points that parsing it again gives."""

from __future__ import annotations

from typing import Any

import pytest
import svgelements
from manim import MathTex, Text
from manim.mobject.svg import svg_mobject

from render.engine import manim_speedups, svg_paths

ORIGINAL_PARSE = svgelements.Path.__dict__["parse"]

BUILT = {
    "caption": lambda: Text("Needles cross a line: 2lN / tH, again and again.", font_size=30),
    "bold heading": lambda: Text("Noisy gradients end in a ball", weight="BOLD"),
    "formula": lambda: MathTex(r"\hat\pi = \frac{2lN}{tH}, \quad \sigma^2 \propto \eta"),
    "repeated letters": lambda: Text("aaaa bbbb aaaa", font_size=20),
}


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch):
    """Each build parses its SVG (no mobject kept in memory), from an empty memory of paths."""
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})
    monkeypatch.setattr(svg_paths, "_PARSED", {})
    yield
    manim_speedups.uninstall()
    assert svgelements.Path.__dict__["parse"] is ORIGINAL_PARSE


def outlines(mob: Any) -> list[bytes]:
    return [part.points.tobytes() for part in mob.family_members_with_points()]


@pytest.mark.parametrize("name", BUILT)
def test_glyphs_built_from_kept_paths_have_the_same_points(name: str) -> None:
    want = outlines(BUILT[name]())
    with manim_speedups.speedups():
        first = outlines(BUILT[name]())  # parses and keeps
        svg_mobject.SVG_HASH_TO_MOB_MAP.clear()
        again = outlines(BUILT[name]())  # copies
    assert len(want) > 5
    assert first == want
    assert again == want
    assert svg_paths._PARSED  # the second build did come from kept paths


def _segments(path: svgelements.Path) -> list[tuple[Any, ...]]:
    return [
        (type(s).__name__, s.relative, getattr(s, "smooth", None), *(tuple(p) for p in s if p))
        for s in path
    ]


PATH_DATA = [
    "M 0.421875 1.46875 L 0.421875 -5.875 L 4.578125 -5.875 Z M 0.875 1.015625 L 4.1 1 Z",
    "m 10 10 c 1 2 3 4 5 6 s 1 1 2 2 q 3 3 4 4 t 1 1 h 5 v -3 z",
    "M 5.328125 -4.25 C 5.234375 -4.757812 5.035156 -5.132812 4.734375 -5.375 Z",
]


@pytest.mark.parametrize("data", PATH_DATA)
def test_a_copied_parse_is_the_parse(data: str) -> None:
    """Segment by segment: kind, flags and every point, after a transform applied in place (as
    svgelements' reify does), which a copy sharing points with the kept parse would spoil."""
    plain = svgelements.Path()
    ORIGINAL_PARSE(plain, data)
    for _ in range(3):
        kept = svgelements.Path()
        svg_paths.parse(kept, data)
        assert _segments(kept) == _segments(plain)
        kept *= "scale(1.5) translate(3, -2)"
        kept.reify()
    assert _segments(svgelements.Path(data)) == _segments(plain)


def test_arcs_and_partial_paths_are_parsed_as_before() -> None:
    arc = "M 0 0 A 5 3 30 0 1 10 4"
    path = svgelements.Path()
    svg_paths.parse(path, arc)
    assert arc not in svg_paths._PARSED
    broken = "M 0 0 L 1"
    with pytest.raises(ValueError):
        svg_paths.parse(svgelements.Path(), broken)
    assert broken not in svg_paths._PARSED
    started = svgelements.Path("M 0 0 L 1 1")
    svg_paths.parse(started, "L 2 2")  # appends to a path with segments: parsed as before
    assert len(started) == 3
    assert "L 2 2" not in svg_paths._PARSED
