"""The layout check: every visible label inside the frame, no two labels on top of each other.

Run after every animation of every scene by the test suite (through ``play_observers``), because a
clipped or overlapping label is a bug a viewer sees at once and a reviewer easily misses.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from manim import DecimalNumber, Integer, MarkupText, Mobject, SingleStringMathTex, Text, config

TEXT_TYPES = (Text, MarkupText, SingleStringMathTex, DecimalNumber, Integer)
OVERLAP_TOLERANCE = 0.02
FRAME_TOLERANCE = 1e-3


def text_mobjects(roots: list[Mobject]) -> Iterator[Mobject]:
    """Visible text-like mobjects, outermost first (a MathTex counts once, not glyph by glyph)."""
    for root in roots:
        yield from _walk(root)


def _walk(mob: Mobject) -> Iterator[Mobject]:
    if isinstance(mob, TEXT_TYPES):
        if _visible(mob) and mob.width > 0 and mob.height > 0:
            yield mob
        return
    for child in mob.submobjects:
        yield from _walk(child)


def _visible(mob: Mobject) -> bool:
    for part in mob.family_members_with_points():
        fill = part.get_fill_opacity() if hasattr(part, "get_fill_opacity") else 1.0
        stroke = part.get_stroke_opacity() if hasattr(part, "get_stroke_opacity") else 0.0
        if max(float(fill), float(stroke)) > 0.05:
            return True
    return False


def _box(mob: Mobject) -> tuple[float, float, float, float]:
    lo = mob.get_corner(np.array([-1.0, -1.0, 0.0]))
    hi = mob.get_corner(np.array([1.0, 1.0, 0.0]))
    return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])


def _describe(mob: Mobject) -> str:
    text = getattr(mob, "text", None) or getattr(mob, "tex_string", None)
    if text is None and isinstance(mob, DecimalNumber):
        text = f"{mob.get_value():g}"
    return f"{type(mob).__name__}({text!r})"


def layout_problems(roots: list[Mobject]) -> list[str]:
    """Problems of the current picture, one sentence each; empty when the layout is clean."""
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    texts = list(text_mobjects(roots))
    boxes = [_box(m) for m in texts]
    problems = []
    for mob, (x0, y0, x1, y1) in zip(texts, boxes, strict=True):
        t = FRAME_TOLERANCE
        if x0 < -half_w - t or x1 > half_w + t or y0 < -half_h - t or y1 > half_h + t:
            problems.append(
                f"{_describe(mob)} leaves the frame: x {x0:.2f}..{x1:.2f}, y {y0:.2f}..{y1:.2f}"
            )
    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            a, b = boxes[i], boxes[j]
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > OVERLAP_TOLERANCE and dy > OVERLAP_TOLERANCE:
                problems.append(f"{_describe(texts[i])} overlaps {_describe(texts[j])}")
    return problems
