"""Parsed SVGs come back from the store as Manim would have parsed them, and only bad ones again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from manim import MathTex, SVGMobject, Text
from manim.mobject.svg import svg_mobject

from render.engine.svg_store import svg_store

BUILT = {
    "text": lambda: Text("Needles cross a line", font_size=30),
    "tex": lambda: MathTex(r"\hat\pi = \frac{2lN}{tH}"),
}


def outlines(mob) -> list[bytes]:
    """Every glyph's points and colours, as bytes."""
    return [
        array.tobytes()
        for part in mob.family_members_with_points()
        for array in (part.points, part.fill_rgbas, part.stroke_rgbas)
    ]


@pytest.fixture()
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each SVG parse (Manim's generate_mobject) as it happens, with Manim's memory emptied."""
    monkeypatch.setattr(svg_mobject, "SVG_HASH_TO_MOB_MAP", {})
    seen: list[str] = []
    parse = SVGMobject.generate_mobject

    def counted(self):
        seen.append(type(self).__name__)
        return parse(self)

    monkeypatch.setattr(SVGMobject, "generate_mobject", counted)
    return seen


def forget_parsed() -> None:
    """What a new render process starts with: nothing parsed in memory."""
    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()


@pytest.mark.parametrize("name", BUILT)
def test_a_later_render_reads_the_parse_back(name: str, parses: list[str], tmp_path: Path) -> None:
    want = outlines(BUILT[name]())  # Manim alone
    forget_parsed()
    parses.clear()
    with svg_store(tmp_path):
        first = outlines(BUILT[name]())
        forget_parsed()
        again = outlines(BUILT[name]())
    assert len(parses) == 1  # parsed by the first, read back by the second
    assert first == want and again == want
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    assert not list(tmp_path.glob(".tmp-*"))


def test_a_damaged_entry_is_parsed_again_and_replaced(parses: list[str], tmp_path: Path) -> None:
    with svg_store(tmp_path):
        want = outlines(BUILT["text"]())
        (entry,) = tmp_path.glob("*.pickle")
        entry.write_bytes(entry.read_bytes()[:100])  # cut short
        forget_parsed()
        got = outlines(BUILT["text"]())
        forget_parsed()
        outlines(BUILT["text"]())
    assert got == want
    assert len(parses) == 2  # the first build and the one that found the entry damaged


def test_another_svg_is_another_entry(parses: list[str], tmp_path: Path) -> None:
    with svg_store(tmp_path):
        a = Text("one", font_size=30)
        b = Text("one", font_size=30, color="#FF0000")
        c = Text("two", font_size=30)
    assert len(list(tmp_path.glob("*.pickle"))) == 3
    assert not np.array_equal(a[0].points, c[0].points) or len(a) != len(c)
    assert b[0].fill_rgbas.tobytes() != a[0].fill_rgbas.tobytes()


def test_manim_is_given_back_its_own_method(tmp_path: Path) -> None:
    original = SVGMobject.__dict__["init_svg_mobject"]
    with svg_store(tmp_path):
        assert SVGMobject.__dict__["init_svg_mobject"] is not original
    assert SVGMobject.__dict__["init_svg_mobject"] is original


def test_a_store_that_cannot_be_written_only_costs_the_parse(
    parses: list[str], tmp_path: Path
) -> None:
    """A full disk or a folder in the way: the text is still built, and nothing half-written."""
    blocked = tmp_path / "store"
    blocked.write_text("a file where the store's folder should be")
    want = outlines(BUILT["text"]())
    forget_parsed()
    with svg_store(blocked):
        got = outlines(BUILT["text"]())
    assert got == want
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
