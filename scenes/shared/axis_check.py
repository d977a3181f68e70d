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
from manim import Mobject, NumberLine, VGroup

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
    return str(getattr(mob, "tex_string", None) or getattr(mob, "text", None) or type(mob).__name__)


def _numbers_and_ticks(axis: Mobject) -> tuple[list[Mobject], list[Mobject], np.ndarray]:
    if isinstance(axis, TickedNumbers):
        return list(axis.labels), list(axis.ticks), axis.direction
    labels = [*getattr(axis, "labels", []), *getattr(axis, "numbers", [])]
    ticks = list(getattr(axis, "ticks", []))
    return labels, ticks, np.asarray(axis.get_unit_vector())


def _visible_ticks(ticks: list[Mobject]) -> list[Mobject]:
    return [t for t in ticks if _shown(t)]


def axis_number_problems(roots: list[Mobject]) -> list[str]:
    """One sentence per visible axis number that is not centred on a tick of its own axis."""
    problems = []
    for root in roots:
        for axis in _axes_in(root):
            labels, ticks, direction = _numbers_and_ticks(axis)
            ticks = _visible_ticks(ticks)
            positions = np.array([float(np.dot(t.get_center(), direction)) for t in ticks])
            for label in labels:
                if not _shown(label) or label.width == 0:
                    continue
                at = float(np.dot(label.get_center(), direction))
                gap = float(np.min(np.abs(positions - at))) if len(positions) else np.inf
                if gap > TICK_TOLERANCE:
                    problems.append(
                        f"axis number {_label_text(label)!r} is {gap:.2f} from the nearest tick"
                        " of its axis"
                    )
    return problems
