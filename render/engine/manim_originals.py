"""What the Manim replacements share: Manim's own methods while they are installed, and the
conventions of the points they handle.

:mod:`render.engine.manim_speedups` installs the replacements and keeps each method it replaced
in :data:`ORIGINALS`; the modules with replacements of their own (the Cairo path, the colour
rows) fall back to Manim's code through :func:`manim_original`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

POINTS_PER_CURVE = 4  # cubic Bézier curves: anchor, handle, handle, anchor
RTOL = 1.0e-5  # numpy.allclose's default, which VMobject.consider_points_equals relies on

FloatArray = npt.NDArray[np.float64]

# (class, attribute) -> what it was before install (or a marker for "not defined there").
ORIGINALS: dict[tuple[type, str], Any] = {}


def manim_original(name: str, owner: str = "VMobject") -> Any:
    """Manim's own method ``name`` of ``owner`` (VMobject, Camera or CairoRenderer), installed
    or not."""
    import manim

    cls = getattr(manim, owner)
    return ORIGINALS.get((cls, name), cls.__dict__[name])


def vectorizable(points: Any) -> bool:
    """Points the vectorized code handles: a 2-D float64 array (anything else goes to Manim)."""
    return isinstance(points, np.ndarray) and points.dtype == np.float64 and points.ndim == 2
