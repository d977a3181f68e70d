"""The path handed to Cairo for a VMobject: built with fewer steps, kept, and named as Cairo
holds it.

:func:`set_cairo_context_path` replaces ``Camera.set_cairo_context_path`` (installed by
:mod:`render.engine.manim_speedups`): the same Cairo calls with the same numbers, and a path
built before handed back in one call. :func:`cairo_path_geometry` says what that path is to
Cairo, in fixed point, which :mod:`render.engine.raster_store` keys coverages by.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from render.engine.manim_originals import (
    POINTS_PER_CURVE,
    RTOL,
    FloatArray,
    manim_original,
    vectorizable,
)


def _draws_plainly(camera_class: type, vmobject_class: type) -> bool:
    """True when Manim's Camera draws this kind of VMobject (nothing redefined on either)."""
    from manim import Camera, VMobject

    return (
        issubclass(vmobject_class, VMobject)
        and getattr(camera_class, "transform_points_pre_display", None)
        is Camera.transform_points_pre_display
        and vmobject_class.get_subpath_split_indices_from_points
        is VMobject.get_subpath_split_indices_from_points
        and vmobject_class.consider_points_equals_2d is VMobject.consider_points_equals_2d
    )


# (camera class, vmobject class) -> _draws_plainly, asked once per pair of classes.
_PLAIN_DRAWING: dict[tuple[type, type], bool] = {}


def _builds_the_path(camera: Any, vmobject: Any) -> bool:
    """True when :func:`set_cairo_context_path` builds ``vmobject``'s path itself: Manim's own
    classes draw it, from float64 points in three dimensions, in cubic curves."""
    kinds = (type(camera), type(vmobject))
    plain = _PLAIN_DRAWING.get(kinds)
    if plain is None:
        plain = _PLAIN_DRAWING[kinds] = _draws_plainly(*kinds)
    points = vmobject.points
    return (
        plain
        and vectorizable(points)
        and points.shape[1] == 3
        and vmobject.n_points_per_cubic_curve == POINTS_PER_CURVE
    )


def set_cairo_context_path(self: Any, ctx: Any, vmobject: Any) -> Any:
    """``Camera.set_cairo_context_path``: the same Cairo calls with the same numbers, fewer steps.

    Manim finds the subpaths with about twenty small numpy operations, reads every coordinate
    as a numpy scalar (six per curve) and tests each subpath for closing on its own. Here the
    points drawn are finite (Manim's ``transform_points_pre_display`` replaces any shape with a
    non-finite point by one point at the origin), so a curve boundary splits exactly where
    ``|a - b| <= atol + rtol |b|`` fails for x or y, and a subpath closes exactly where it holds
    for its first and last point: the formula of ``consider_points_equals_2d`` and of Manim's
    vectorized split, evaluated here on whole arrays. The coordinates reach Cairo as the same
    doubles, from Python lists.

    Most shapes drawn on a frame were drawn with the same points on the frame before (whatever
    follows the first animated mobject is redrawn on every frame, moving or not), so the path
    Cairo built for them is kept (:class:`_CairoPaths`) and handed back in one call.
    """
    if not _builds_the_path(self, vmobject):
        return manim_original("set_cairo_context_path", "Camera")(self, ctx, vmobject)
    points = vmobject.points
    count = len(points)
    if count == 0:
        return self
    ctx.new_path()
    if count < POINTS_PER_CURVE:  # nothing to draw, whether Manim replaced the points or not
        return self
    atol = vmobject.tolerance_for_point_equality
    key = (points.tobytes(), atol, tuple(ctx.get_matrix()))
    known = _CAIRO_PATHS.get(key)
    if known is not None:  # only finite points are ever kept, so Manim would keep these too
        ctx.append_path(known)
        return self
    points = self.transform_points_pre_display(vmobject, points)
    if len(points) < POINTS_PER_CURVE:  # a non-finite point: Manim draws nothing of the shape
        return self
    xy = points[:, :2]
    # Each curve's two handles and end, as the six numbers curve_to takes.
    whole = count - count % POINTS_PER_CURVE
    curves = xy[:whole].reshape(-1, POINTS_PER_CURVE, 2)[:, 1:].reshape(-1, 6).tolist()
    move_to, curve_to, close_path = ctx.move_to, ctx.curve_to, ctx.close_path
    new_sub_path = ctx.new_sub_path
    for start, end, (x0, y0), closes in _subpaths(xy, atol):
        if end - start < POINTS_PER_CURVE:
            continue
        new_sub_path()
        move_to(x0, y0)
        first = start // POINTS_PER_CURVE
        for curve in curves[first : first + (end - start) // POINTS_PER_CURVE]:
            curve_to(*curve)
        if closes:
            close_path()
    _CAIRO_PATHS.keep(key, ctx.copy_path())
    return self


# Coordinates Cairo can hold in its 24.8 fixed point, with room to spare.
_FIXED_RANGE = 2.0**20


def cairo_path_geometry(self: Any, vmobject: Any, ctx: Any) -> tuple[Any, ...] | None:
    """What the path :func:`set_cairo_context_path` builds for ``vmobject`` is to Cairo.

    Cairo takes each coordinate through the context's matrix (``(xx x + xy y) + x0``, as
    ``cairo_matrix_transform_point`` computes it) and keeps it in fixed point, rounded to the
    nearest 1/256 of a device pixel (``_cairo_fixed_from_double``, ties to even); everything it
    rasterizes is computed from that fixed-point path. So two point arrays that round to the same
    fixed-point coordinates and split into the same subpaths, closed alike, give Cairo the same
    path, and the same pixels, even when their doubles differ: as the frames of a fade or a
    transform between equal shapes do, where ``(1 - t) a + t a`` is not quite ``a``.

    Returns the number of points, their fixed-point coordinates and the subpaths (range and
    closing), or None where this drawing code would not build the path (a class that redefines
    drawing, a non-finite point) or a coordinate lies outside Cairo's fixed-point range.
    """
    points = vmobject.points
    if not (
        _builds_the_path(self, vmobject)
        and len(points) >= POINTS_PER_CURVE
        and np.isfinite(points).all()
    ):
        return None
    fixed = _device_fixed(points, ctx.get_matrix())
    if fixed is None:
        return None
    atol = vmobject.tolerance_for_point_equality
    subpaths = _subpaths(points[:, :2], atol)
    return len(points), fixed.tobytes(), tuple((s[0], s[1], s[3]) for s in subpaths)


def cairo_path_ends(vmobject: Any, ctx: Any) -> tuple[int, ...] | None:
    """The number of points and the fixed-point device coordinates of the first and the last:
    a summary of the path, in a few microseconds, that tells most new paths from every path seen.

    Equal paths to Cairo (equal :func:`cairo_path_geometry`, or the same points where there is
    none) have equal ends, so a shape whose ends were never drawn is certainly drawn for the first
    time. The two points go through the very operations of :func:`_device_fixed`, on Python
    floats (the same doubles; ``round`` rounds ties to even as ``numpy.rint`` does), since numpy
    costs more per call than two points are worth. None where the ends are not finite or lie
    outside Cairo's fixed-point range.
    """
    points = vmobject.points
    if len(points) < POINTS_PER_CURVE:
        return None
    xx, yx, xy, yy, x0, y0 = ctx.get_matrix()
    plain = xy == 0.0 and yx == 0.0
    fixed: list[int] = []
    for x, y in (points[0, :2].tolist(), points[-1, :2].tolist()):
        if not (math.isfinite(x) and math.isfinite(y)):
            return None
        if plain:
            u, v = xx * x + x0, yy * y + y0
        else:
            u, v = (xx * x + xy * y) + x0, (yx * x + yy * y) + y0
        if not (abs(u) < _FIXED_RANGE and abs(v) < _FIXED_RANGE):
            return None
        fixed += (round(u * 256.0), round(v * 256.0))
    return (len(points), *fixed)


def _device_fixed(points: FloatArray, matrix: Any) -> Any:
    """``points`` in device space as Cairo holds them, in 24.8 fixed point, or None where a
    coordinate lies outside its range."""
    xx, yx, xy, yy, x0, y0 = matrix
    if xy == 0.0 and yx == 0.0:
        # Manim's camera matrix: a scale and a shift. (xx x + 0 y) + x0 is (xx x) + x0 (adding
        # a zero changes at most a zero's sign, which rounds to the same fixed point).
        device = points[:, :2] * np.array([xx, yy])
        device += np.array([x0, y0])
    else:
        x, y = points[:, 0], points[:, 1]
        device = np.stack(((xx * x + xy * y) + x0, (yx * x + yy * y) + y0), axis=1)
    if not np.abs(device).max() < _FIXED_RANGE:
        return None
    device *= 256.0
    return np.rint(device, out=device).astype(np.int32)


class _CairoPaths(dict[tuple[bytes, float, tuple[float, ...]], Any]):
    """Cairo paths already built, by the points, tolerance and Cairo matrix they were built from.

    ``append_path`` of a path ``copy_path`` returned gives Cairo the very path it held: Cairo
    keeps paths in fixed point (1/256 of a pixel) and ``copy_path`` maps them back through the
    inverse matrix, which ``append_path`` undoes to within far less than half a step, so every
    coordinate rounds to the same fixed-point value (tests compare the paths and the pixels).
    The key holds everything the path depends on, so a hit is right whichever mobject asks;
    past a budget the whole store is dropped, which costs only the next frame's rebuilds.
    """

    BUDGET = 64 * 2**20  # bytes of point data kept

    def __init__(self) -> None:
        super().__init__()
        self.size = 0

    def keep(self, key: tuple[bytes, float, tuple[float, ...]], path: Any) -> None:
        if self.size + len(key[0]) > self.BUDGET:
            self.clear()
            self.size = 0
        self[key] = path
        self.size += len(key[0])


_CAIRO_PATHS = _CairoPaths()


# Up to this many curves, testing boundaries one by one in Python beats numpy's overhead.
_FEW_CURVES = 32


def _subpaths(xy: FloatArray, atol: float) -> list[tuple[int, int, list[float], bool]]:
    """Each subpath's point range, first point and whether Manim closes it.

    A curve boundary splits where the previous curve's end and the next curve's start differ in
    x or y by more than ``atol + rtol |start|``; a subpath closes where its first and last point
    do not (the threshold from the last). The same doubles whichever way it is evaluated: in
    Python for few curves or few subpaths, where numpy's overhead per call would dominate.
    """
    count = len(xy)
    if count <= POINTS_PER_CURVE * _FEW_CURVES:
        coords = xy.tolist()
        edges = [0]
        for b in range(POINTS_PER_CURVE, count, POINTS_PER_CURVE):
            (ax, ay), (bx, by) = coords[b - 1], coords[b]
            if abs(ax - bx) > atol + RTOL * abs(bx) or abs(ay - by) > atol + RTOL * abs(by):
                edges.append(b)
        edges.append(count)
        return _closing(edges, coords.__getitem__, atol)
    starts = xy[POINTS_PER_CURVE::POINTS_PER_CURVE]
    ends = xy[POINTS_PER_CURVE - 1 : count - 1 : POINTS_PER_CURVE][: len(starts)]
    apart = np.abs(ends - starts) > atol + RTOL * np.abs(starts)
    splits = np.flatnonzero(apart[:, 0] | apart[:, 1])
    if len(splits) < _FEW_CURVES:
        edges = [0, *((splits + 1) * POINTS_PER_CURVE).tolist(), count]
        return _closing(edges, lambda k: xy[k].tolist(), atol)
    bounds = np.concatenate(([0], (splits + 1) * POINTS_PER_CURVE, [count]))
    firsts, lasts = xy[bounds[:-1]], xy[bounds[1:] - 1]
    closed = (np.abs(firsts - lasts) <= atol + RTOL * np.abs(lasts)).all(axis=1)
    return list(
        zip(
            bounds[:-1].tolist(), bounds[1:].tolist(), firsts.tolist(), closed.tolist(), strict=True
        )
    )


def _closing(
    edges: list[int], point: Callable[[int], list[float]], atol: float
) -> list[tuple[int, int, list[float], bool]]:
    """The subpaths between consecutive ``edges``, each with its first point (``point(k)`` is
    point k's x and y) and whether its first and last point are equal, as Manim tests them."""
    subpaths = []
    for start, end in itertools.pairwise(edges):
        (x0, y0), (x1, y1) = point(start), point(end - 1)
        closes = abs(x0 - x1) <= atol + RTOL * abs(x1) and abs(y0 - y1) <= atol + RTOL * abs(y1)
        subpaths.append((start, end, [x0, y0], closes))
    return subpaths
