"""Fills and strokes Cairo has rasterized before, composited again from the coverage it computed.

Manim draws every shape that follows the first animated mobject again on every frame, moving or
not, and most of those draws repeat an earlier one exactly: gradient-descent's noise ball strokes
160 paths of 400 steps on each frame of its fades, and rasterizing them (Cairo's stroker and scan
converter, in C) is half of that scene's drawing. The pixels a fill or stroke changes depend on
its geometry only through its coverage, one byte per pixel, and Cairo computes that coverage the
same way on any image surface, so :func:`display_vectorized` keeps the coverage of a geometry it
has seen twice (an A8 mask over the pixels it touches, :class:`Coverage`) and composites later
draws from it, in the colour they ask for.

Compositing is exactly what Cairo's own draw would have written:

* a translucent colour goes through ``cairo_mask`` with the same source: Cairo's draw and the mask
  both end in pixman's ``over_n_8_8888`` with the same coverage;
* an opaque colour is written as Cairo's span filler writes it (``lerp8x4`` in
  ``cairo-image-compositor.c``: ``s a / 255 + d (255 - a) / 255``, each rounded with Cairo's
  0x7f bias, summed with saturation, full coverage copying the colour's pixel), on the covered
  pixels only, with numpy;
* a colour just below opaque (where Cairo's own test for opacity, at 1/256 below one, would have
  to be reproduced), a gradient (sheen) and anything drawn by a camera or mobject class that
  redefines drawing go to Manim's code.

The key holds everything the coverage depends on: the classes, the path as Cairo will hold it
(in fixed point, with Manim's subpaths: the frames of a fade move every point by a rounding step,
and still give Cairo the same path), the Cairo matrix, and the stroke's width, join and cap or
the fill rule, with the context's tolerance, antialiasing and miter limit.
``tests/engine/test_raster_store.py`` compares every kind of shape drawn through the store with
Manim's own pixels, byte for byte.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any, cast

import cairo
import numpy as np
import numpy.typing as npt

from render.engine import cairo_path

Pixels = npt.NDArray[np.uint8]
Indices = npt.NDArray[np.intp]
Wide = npt.NDArray[np.uint16]

BUDGET = 256 * 2**20  # bytes of coverage kept before the store starts again from empty
SHAPES_BUDGET = 64 * 2**20  # bytes of points whose coverage key is remembered
MARGIN = 2  # device pixels added around Cairo's extents (antialiasing reaches past them)
OPAQUE = 1.0
TRANSLUCENT_BELOW = 0.99  # well clear of Cairo's own opacity threshold (alpha_short >= 0xff00)


class Coverage:
    """The coverage of one fill or stroke: an A8 mask over its box, and the box's corner.

    The covered pixels' indices, and where each partly covered pixel finds its bytes in an opaque
    colour's table (:func:`_blend_table`), are read from the mask the first time an opaque colour
    is composited through it.
    """

    __slots__ = ("_covered", "mask", "x", "y")

    def __init__(self, mask: cairo.ImageSurface | None, x: int, y: int) -> None:
        self.mask, self.x, self.y = mask, x, y
        self._covered: tuple[Indices, Indices, Indices] | None = None

    @property
    def size(self) -> int:
        return 0 if self.mask is None else self.mask.get_stride() * self.mask.get_height()

    def opaque(self, row: int) -> tuple[Indices, Indices, Indices]:
        """What an opaque colour needs: indices into the frame's pixels (``row`` of them per
        line) of the fully and of the partly covered pixels, and for each byte of a partly covered
        pixel its place in the colour's table less the byte behind it (``channel 65536 +
        coverage 256``)."""
        if self._covered is None:
            assert self.mask is not None
            rows = _rows(self.mask)
            ys, xs = np.nonzero(rows)
            weights = rows[ys, xs].astype(np.intp)
            flat = (ys + self.y) * row + (xs + self.x)
            full = weights == 255
            places = _CHANNELS + (weights[~full] << 8)[:, None]
            self._covered = (flat[full], flat[~full], places)
        return self._covered


class RasterStore:
    """Coverages by key, kept from a geometry's second draw on, within :data:`BUDGET`."""

    def __init__(self) -> None:
        self.coverages: dict[tuple[Any, ...], Coverage] = {}
        self.seen: set[tuple[Any, ...]] = set()
        self.size = 0
        self.shapes: dict[tuple[Any, ...], int] = {}
        self.shapes_size = 0
        self.ends_seen: set[tuple[Any, ...]] = set()
        # A number for each path Cairo will hold: coverages are looked up by it several times per
        # frame, and a number hashes at once where the path's nested tuple is hashed anew. The
        # numbers outlive the points they were found from (a fade's frames have new points and
        # the same path) and go with the coverages they key.
        self.shape_numbers: dict[tuple[Any, ...], int] = {}
        self.shape_numbers_size = 0
        self.numbered = itertools.count()

    def keep(self, key: tuple[Any, ...], coverage: Coverage) -> None:
        if self.size + coverage.size > BUDGET:
            self.coverages.clear()
            self.seen.clear()
            self.shape_numbers.clear()
            self.shape_numbers_size = 0
            self.size = 0
        self.coverages[key] = coverage
        self.size += coverage.size

    def shape(
        self,
        drawn: tuple[Any, ...],
        geometry: Callable[[], Any],
        ends: Callable[[], tuple[int, ...] | None],
    ) -> int | None:
        """The key of a shape's coverage: a number standing for ``drawn`` (classes, points,
        tolerance for equal points, Cairo matrix, tolerance and antialiasing) with the points
        replaced by the path Cairo will hold, ``geometry()``, when there is one (see
        :func:`~render.engine.cairo_path.cairo_path_geometry`); the same number for the same
        path, and never again for another. Points drawn before are looked up, not converted
        again.

        None when the shape is certainly drawn for the first time: no shape drawn before had
        the same ``ends()`` (see :func:`~render.engine.cairo_path.cairo_path_ends`). A path
        that grows on every frame, as ``Create`` draws it, is new each time and is drawn once,
        so working out its whole geometry would be wasted. Such a shape is drawn by Cairo and
        its geometry is worked out the next time it is drawn, if ever.
        """
        shape = self.shapes.get(drawn)
        if shape is None:
            summary = ends()
            if summary is not None:
                mark = (drawn[0], summary, *drawn[3:])
                if mark not in self.ends_seen:
                    if len(self.ends_seen) > 4 * 2**16:
                        self.ends_seen.clear()
                    self.ends_seen.add(mark)
                    return None
            path = geometry()
            held = drawn if path is None else (drawn[0], path, *drawn[3:])
            if self.shapes_size > SHAPES_BUDGET:
                self.shapes.clear()
                self.shapes_size = 0
            shape = self.shape_numbers.get(held)
            if shape is None:
                if self.shape_numbers_size > SHAPES_BUDGET:
                    self.shape_numbers.clear()  # a path met again gets a new number
                    self.shape_numbers_size = 0
                shape = self.shape_numbers[held] = next(self.numbered)
                self.shape_numbers_size += len(held[1]) if path is None else len(path[1])
            self.shapes[drawn] = shape
            self.shapes_size += len(drawn[1])
        return shape

    def first_sight(self, key: tuple[Any, ...]) -> bool:
        """True the first time ``key`` is drawn (and remembered as seen), False after."""
        if key in self.seen:
            return False
        if len(self.seen) > 4 * 2**16:
            self.seen.clear()
        self.seen.add(key)
        return True


STORE = RasterStore()


def _manim_draws(camera_class: type, vmobject_class: type) -> bool:
    """True when the camera draws this VMobject with Manim's own fill and stroke code."""
    from manim import Camera, VMobject

    return issubclass(vmobject_class, VMobject) and all(
        getattr(camera_class, name) is getattr(Camera, name)
        for name in ("apply_fill", "apply_stroke", "set_cairo_context_color", "get_cairo_context")
    )


_PLAIN: dict[tuple[type, type], bool] = {}


@functools.cache
def _camera_names() -> tuple[Any, Any, Any]:
    """Manim's ``Camera`` and its join and cap tables, imported once, not on every draw."""
    from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP, Camera

    return Camera, LINE_JOIN_MAP, CAP_STYLE_MAP


def display_vectorized(self: Any, vmobject: Any, ctx: Any) -> Any:
    """``Camera.display_vectorized``: the background stroke, the fill and the stroke, in that order,
    each drawn by Cairo or, when its geometry was drawn before, composited from its coverage."""
    Camera, LINE_JOIN_MAP, CAP_STYLE_MAP = _camera_names()
    kinds = (type(self), type(vmobject))
    plain = _PLAIN.get(kinds)
    if plain is None:
        plain = _PLAIN[kinds] = _manim_draws(*kinds)
    points = vmobject.points
    if not plain or points.dtype != np.float64:
        return Camera.display_vectorized(self, vmobject, ctx)
    if len(points) < 4:  # Manim's path is empty: nothing of the shape is drawn
        ctx.new_path()
        return self
    shape = STORE.shape(
        (
            kinds,
            points.tobytes(),
            vmobject.tolerance_for_point_equality,
            tuple(ctx.get_matrix()),
            ctx.get_tolerance(),
            ctx.get_antialias(),
        ),
        lambda: cairo_path.cairo_path_geometry(self, vmobject, ctx),
        lambda: cairo_path.cairo_path_ends(vmobject, ctx),
    )
    path_built = False
    for kind in ("background", "fill", "stroke"):
        if kind == "fill":
            rgbas = self.get_fill_rgbas(vmobject)
            key: tuple[Any, ...] = (shape, kind, ctx.get_fill_rule())
        else:
            background = kind == "background"
            width = vmobject.get_stroke_width(background)
            if width == 0:
                continue
            rgbas = self.get_stroke_rgbas(vmobject, background=background)
            line_width = width * self.cairo_line_width_multiple
            joint, cap = LINE_JOIN_MAP[vmobject.joint_type], CAP_STYLE_MAP[vmobject.cap_style]
            key = (shape, line_width, joint, cap, ctx.get_miter_limit())
        alpha = rgbas[0][3] if len(rgbas) == 1 else None
        if alpha == 0:  # Cairo draws nothing in a clear colour
            continue
        # A shape certainly drawn for the first time (no key) goes to Cairo, as any first draw.
        composable = (
            shape is not None
            and alpha is not None
            and (alpha == OPAQUE or alpha < TRANSLUCENT_BELOW)
        )
        coverage = STORE.coverages.get(key) if composable else None
        by_cairo = coverage is None and (not composable or STORE.first_sight(key))
        if coverage is None and not path_built:  # Cairo draws it, or rasterizes its coverage
            self.set_cairo_context_path(ctx, vmobject)
            path_built = True
        if by_cairo:
            if kind == "fill":
                Camera.apply_fill(self, ctx, vmobject)
            else:
                Camera.apply_stroke(self, ctx, vmobject, background=background)
            continue
        if coverage is None:
            stroke = None if kind == "fill" else (line_width, joint, cap)
            coverage = _rasterize(ctx, stroke)
            STORE.keep(key, coverage)
        _composite(self, ctx, vmobject, rgbas, coverage)
    if not path_built:
        ctx.new_path()  # no other shape's path is left in the context (every draw starts anew)
    return self


def _rasterize(ctx: Any, stroke: tuple[float, Any, Any] | None) -> Coverage:
    """The coverage of filling (``stroke`` None) or stroking the context's current path."""
    if stroke is not None:
        ctx.set_line_width(stroke[0])
        ctx.set_line_join(stroke[1])
        ctx.set_line_cap(stroke[2])
        extents = ctx.stroke_extents()
    else:
        extents = ctx.fill_extents()
    matrix = ctx.get_matrix()
    x0, y0, x1, y1 = extents
    corners = [matrix.transform_point(x, y) for x in (x0, x1) for y in (y0, y1)]
    target = ctx.get_target()
    left = max(0, int(np.floor(min(c[0] for c in corners))) - MARGIN)
    top = max(0, int(np.floor(min(c[1] for c in corners))) - MARGIN)
    right = min(target.get_width(), int(np.ceil(max(c[0] for c in corners))) + MARGIN)
    bottom = min(target.get_height(), int(np.ceil(max(c[1] for c in corners))) + MARGIN)
    if right <= left or bottom <= top:
        return Coverage(None, 0, 0)
    # Cairo's scan converter is not quite translation invariant (a box drawn at an offset can
    # round one pixel's coverage differently), so the shape is rasterized where the frame has it,
    # on a frame-sized mask, and only its box is kept.
    whole = cairo.ImageSurface(cairo.FORMAT_A8, target.get_width(), target.get_height())
    mctx = cairo.Context(whole)
    mctx.set_matrix(matrix)
    mctx.set_tolerance(ctx.get_tolerance())
    mctx.set_antialias(ctx.get_antialias())
    mctx.append_path(ctx.copy_path())
    mctx.set_source_rgba(1.0, 1.0, 1.0, 1.0)
    if stroke is not None:
        mctx.set_line_width(stroke[0])
        mctx.set_line_join(stroke[1])
        mctx.set_line_cap(stroke[2])
        mctx.set_miter_limit(ctx.get_miter_limit())
        mctx.stroke()
    else:
        mctx.set_fill_rule(ctx.get_fill_rule())
        mctx.fill()
    whole.flush()
    mask = cairo.ImageSurface(cairo.FORMAT_A8, right - left, bottom - top)
    _rows(mask)[:] = _rows(whole)[top:bottom, left:right]
    mask.mark_dirty()
    return Coverage(mask, left, top)


def _rows(surface: cairo.ImageSurface) -> Pixels:
    """An A8 surface's pixels as a (height, width) array over its data."""
    height, width = surface.get_height(), surface.get_width()
    return np.frombuffer(surface.get_data(), np.uint8).reshape(height, -1)[:, :width]


def _composite(camera: Any, ctx: Any, vmobject: Any, rgbas: Any, coverage: Coverage) -> None:
    """Write one colour through ``coverage`` as Cairo's fill or stroke would have."""
    if coverage.mask is None:
        return
    if rgbas[0][3] < OPAQUE:
        camera.set_cairo_context_color(ctx, rgbas, vmobject)
        ctx.save()
        ctx.identity_matrix()
        ctx.mask_surface(coverage.mask, coverage.x, coverage.y)
        ctx.restore()
        return
    target = ctx.get_target()
    target.flush()
    # One 32-bit word per pixel: a pixel is written or read in one step, not as four bytes.
    frame = np.frombuffer(target.get_data(), np.uint32)
    blue, green, red = rgbas[0][2::-1].tolist()
    pixel = _opaque_pixel((blue, green, red))  # Manim hands Cairo its colours reversed
    full, partial, places = coverage.opaque(target.get_stride() // 4)
    frame[full] = pixel.view(np.uint32)[0]
    if len(partial):
        behind = frame[partial].view(np.uint8).reshape(-1, 4)
        frame[partial] = _blend_table(pixel)[places + behind].view(np.uint32)[:, 0]
    target.mark_dirty()


def _times(x: Pixels | Wide, a: Wide) -> Wide:
    """``x a / 255`` for bytes ``x`` and ``a``, rounded as Cairo's ``mul8x2_8`` rounds it
    (``t = x a + 0x7f``, then ``(t + (t >> 8)) >> 8``); every step fits in 16 bits."""
    t = x * a + np.uint16(0x7F)
    return cast(Wide, (t + (t >> 8)) >> 8)


_CHANNELS = np.arange(4, dtype=np.intp) << 16  # where each byte's part of a table starts
_TABLES: dict[bytes, Pixels] = {}


def _blend_table(pixel: Pixels) -> Pixels:
    """Every byte an opaque ``pixel`` can leave on a partly covered pixel, at ``channel 65536 +
    coverage 256 + the byte behind``: ``s a / 255 + d (255 - a) / 255``, each rounded as Cairo's
    span filler rounds it (:func:`_times`), summed with saturation. Looking the bytes up costs one
    step where computing them costs eight, and a scene has few colours."""
    key = pixel.tobytes()
    table = _TABLES.get(key)
    if table is None:
        coverage = np.arange(256, dtype=np.uint16)[:, None]
        behind = _times(np.arange(256, dtype=np.uint16)[None, :], 255 - coverage)
        channels = [np.full(1, value, np.uint16) for value in pixel]
        parts = [np.minimum(_times(channel, coverage) + behind, 255) for channel in channels]
        table = _TABLES[key] = np.stack(parts).astype(np.uint8).ravel()
    return table


_PIXELS: dict[tuple[float, float, float], Pixels] = {}


def _opaque_pixel(rgb: tuple[float, float, float]) -> Pixels:
    """The four bytes Cairo writes for an opaque colour, as Cairo itself converts it."""
    pixel = _PIXELS.get(rgb)
    if pixel is None:
        surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 1, 1)
        paint = cairo.Context(surface)
        paint.set_operator(cairo.OPERATOR_SOURCE)
        paint.set_source_rgba(rgb[0], rgb[1], rgb[2], 1.0)
        paint.paint()
        surface.flush()
        pixel = _PIXELS[rgb] = np.frombuffer(surface.get_data(), np.uint8)[:4].copy()
    return pixel
