"""The axis rule of the layout check: every axis number sits centred on a tick of its own axis.

A number half a step away from its tick reads as the wrong value, and nothing else in a frame
gives it away. Two kinds of axes are checked: Manim's ``NumberLine`` (every ``Axes`` is two), whose
``labels``/``numbers`` must each sit on one of its ``ticks``; and hand-drawn axes built with
:class:`TickedNumbers`, which keeps each axis's tick marks and numbers together so the check can
find them. Drawing axis numbers any other way is what this module exists to prevent.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from manim import DecimalNumber, Mobject, NumberLine, VGroup

TICK_TOLERANCE = 0.02  # scene units between a number's centre and its tick, along the axis


class TickedNumbers(VGroup):
    """Tick marks and their numbers along one direction of a hand-drawn axis.

    ``direction`` is the axis's direction on screen (RIGHT for an x axis, UP for a y axis); a
    number is on its tick when their centres agree along it.
    """

    def __init__(
        self, ticks: Sequence[Mobject], labels: Sequence[Mobject], direction: np.ndarray
    ) -> None:
        self.ticks = VGroup(*ticks)
        self.labels = VGroup(*labels)
        self.direction = np.asarray(direction, dtype=float) / np.linalg.norm(direction)
        super().__init__(self.ticks, self.labels)


def _axes_in(mob: Mobject) -> Iterator[Mobject]:
    if isinstance(mob, NumberLine | TickedNumbers):
        yield mob
    for child in mob.submobjects:
        yield from _axes_in(child)


def _shown(mob: Mobject) -> bool:
    for part in mob.family_members_with_points():
        opacity = max(float(part.get_fill_opacity()), float(part.get_stroke_opacity()))
        if opacity > 0.05:
            return True
    return False


def _label_text(mob: Mobject) -> str:
    if isinstance(mob, DecimalNumber):
        return f"{mob.get_value():g}"
    return str(getattr(mob, "tex_string", None) or getattr(mob, "text", None) or type(mob).__name__)


def _numbers_and_ticks(axis: Mobject) -> tuple[list[Mobject], list[float], np.ndarray]:
    """The axis's numbers, the positions of its visible ticks along it, and its direction."""
    if isinstance(axis, TickedNumbers):
        ticks = [_along(t, axis.direction) for t in axis.ticks if _shown(t)]
        return list(axis.labels), ticks, axis.direction
    direction = np.asarray(axis.get_unit_vector())
    labels = [*getattr(axis, "labels", []), *getattr(axis, "numbers", [])]
    ticks = [_along(t, direction) for t in getattr(axis, "ticks", []) if _shown(t)]
    crossed = getattr(axis, "exclude_origin_tick", False) and _shown(axis)
    if crossed and axis.x_range[0] <= 0 <= axis.x_range[1]:
        # an Axes leaves out the tick where the other axis crosses: that line is the tick there
        ticks.append(_along(axis.number_to_point(axis.scaling.function(0)), direction))
    return labels, ticks, direction


def _along(where: Mobject | np.ndarray, direction: np.ndarray) -> float:
    point = where.get_center() if isinstance(where, Mobject) else where
    return float(np.dot(point, direction))


def _centres(label: Mobject, direction: np.ndarray) -> list[float]:
    """Where the number sits along the axis: its centre, and for a negative number also the
    centre of its digits (Manim centres a negative number's digits on the tick and lets the
    minus sign hang to the left, which reads as correct)."""
    centres = [_along(label, direction)]
    negative = (
        label.get_value() < 0
        if isinstance(label, DecimalNumber)
        else str(getattr(label, "tex_string", "")).lstrip().startswith("-")
    )
    glyphs = label.family_members_with_points()
    if negative and len(glyphs) > 1:
        centres.append(_along(VGroup(*glyphs[1:]), direction))
    return centres


def axis_number_problems(roots: list[Mobject]) -> list[str]:
    """One sentence per visible axis number that is not centred on a tick of its own axis."""
    problems = []
    for root in roots:
        for axis in _axes_in(root):
            labels, ticks, direction = _numbers_and_ticks(axis)
            positions = np.array(ticks)
            for label in labels:
                if not _shown(label) or label.width == 0:
                    continue
                gaps = [np.min(np.abs(positions - c)) if len(positions) else np.inf
                        for c in _centres(label, direction)]  # fmt: skip
                gap = float(min(gaps))
                if gap > TICK_TOLERANCE:
                    problems.append(
                        f"axis number {_label_text(label)!r} is {gap:.2f} from the nearest tick"
                        " of its axis"
                    )
    return problems
