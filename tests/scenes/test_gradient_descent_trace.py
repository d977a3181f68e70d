"""A growing trace shows, at every step, the path through the drawn steps so far and its head."""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Dot, ValueTracker, VMobject

from scenes.gradient_descent.scene import drawn_steps, growing_trace, trace
from scenes.shared import theme
from scenes.shared.widgets import styled_axes


def drawn(mob: Any) -> list[tuple[bytes, bytes, float]]:
    """What the camera draws of ``mob``: each member with points, its points and stroke."""
    return [
        (m.points.tobytes(), m.stroke_rgbas.tobytes(), float(m.stroke_width))
        for m in mob.family_members_with_points()
    ]


def test_a_growing_trace_is_the_path_built_anew_at_every_step() -> None:
    """Against a path built from scratch through ``idx < k`` and ``k``, for every step of a run
    long enough to be drawn at log-spaced steps after the dense ones (and past its end)."""
    rng = np.random.default_rng(4)
    path = np.cumsum(rng.normal(0, 0.05, (700, 2)), axis=0)
    axes = styled_axes([-5, 5, 1], [-5, 5, 1], 6, 6, include_numbers=False)
    idx = drawn_steps(len(path))
    assert len(idx) < len(path)  # some steps are skipped, so the curves are not simply all
    step = ValueTracker(0)
    grown = growing_trace(axes, path, step, theme.PRIMARY, 2.0)
    for value in [*np.linspace(0, len(path) - 1, 97), 0.5, len(path) + 3.0]:
        step.set_value(value)
        grown.update(0)
        k = int(min(value, len(path) - 1))
        shown = np.append(idx[idx < k], k)
        head = Dot(axes.c2p(*path[k]), radius=0.06, color=theme.PRIMARY)
        line = trace(axes, path, shown, theme.PRIMARY, 2.0) if len(shown) > 1 else VMobject()
        assert drawn(grown) == drawn(line) + drawn(head), f"step {k}"
