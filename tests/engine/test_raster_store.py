"""Shapes composited from kept coverage leave exactly the pixels Manim's own draw leaves.

Each shape is drawn four times on the same frame (Cairo draws the first two, the third keeps the
coverage and is composited from it, so is the fourth) over a background of random opaque pixels,
and after every draw the frame is compared byte for byte with Manim drawing the same shape the
same number of times.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cairo
import numpy as np
import pytest
from manim import (
    BLUE,
    DOWN,
    LEFT,
    RED,
    RIGHT,
    UP,
    YELLOW,
    Camera,
    Circle,
    Line,
    Polygon,
    Rectangle,
    Square,
    VMobject,
)
from manim.constants import CapStyleType, LineJointType

from render.engine import cairo_path, manim_speedups, raster_store
from tests.engine.test_manim_speedups import SHAPES

WIDTH, HEIGHT = 427, 240


def zigzag() -> VMobject:
    """Sharp turns: miter joins cut off at Cairo's limit, the widest strokes get."""
    points = [[x, 1.5 * (-1) ** i, 0] for i, x in enumerate(np.linspace(-5, 5, 14))]
    return VMobject().set_points_as_corners(points)


def noisy_walk() -> VMobject:
    """A path like SGD's: hundreds of short segments crossing each other."""
    rng = np.random.default_rng(7)
    steps = np.column_stack([rng.normal(0, 0.08, (400, 2)), np.zeros(400)])
    return VMobject().set_points_as_corners(np.cumsum(steps, axis=0))


def contours() -> VMobject:
    """gradient-descent's level curves of Rosenbrock's valley, thousands of points each: the
    shapes where Cairo's coverage of a box drawn at an offset differs by one in a pixel."""
    from scenes.gradient_descent.landscapes import Rosenbrock
    from scenes.gradient_descent.model import ROSENBROCK_LEVELS, ROSENBROCK_VIEW, landscape
    from scenes.gradient_descent.scene import contour_map

    return contour_map(landscape(Rosenbrock(), ROSENBROCK_VIEW, ROSENBROCK_LEVELS))[1][2]


EXTRA_SHAPES: dict[str, Callable[[], VMobject]] = {
    "axis-aligned rectangle": lambda: Rectangle(width=4.0, height=2.5),
    "axis-aligned line": lambda: Line(3 * LEFT, 3 * RIGHT),
    "pixel-aligned square": lambda: Square(side_length=2.0).move_to(0.5 * UP),
    "off the frame": lambda: Circle(radius=2).move_to(7 * RIGHT + 3.5 * UP),
    "outside the frame": lambda: Circle(radius=0.5).move_to(20 * RIGHT),
    "zigzag": zigzag,
    "noisy walk": noisy_walk,
    "contours": contours,
    "star polygon": lambda: Polygon(*[[np.cos(2.4 * k), np.sin(2.4 * k), 0] for k in range(9)]),
}
ALL_SHAPES = {**SHAPES, **EXTRA_SHAPES}

STYLES: dict[str, Callable[[VMobject], VMobject]] = {
    "opaque": lambda m: m.set_stroke(BLUE, width=4, opacity=1).set_fill(RED, opacity=1),
    "translucent": lambda m: m.set_stroke(YELLOW, width=2.5, opacity=0.3).set_fill(
        BLUE, opacity=0.45
    ),
    "background stroke": lambda m: (
        m.set_stroke(RED, width=3, opacity=0.8, background=True)
        .set_stroke(BLUE, width=1.5, opacity=1)
        .set_fill(opacity=0)
    ),
    "nearly opaque": lambda m: m.set_stroke(BLUE, width=3, opacity=0.995).set_fill(
        RED, opacity=0.998
    ),
    "gradient": lambda m: m.set_stroke([BLUE, RED], width=3).set_fill([YELLOW, BLUE], opacity=0.6),
    "round caps and joins, thick": lambda m: (
        m.set_stroke(YELLOW, width=14, opacity=0.7)
        .set_cap_style(CapStyleType.ROUND)
        .set(joint_type=LineJointType.ROUND)
    ),
}


def frames(mob: VMobject, times: int, store: bool) -> list[bytes]:
    """The frame after each of ``times`` draws of ``mob`` over the same random background."""
    camera = Camera(pixel_width=WIDTH, pixel_height=HEIGHT)
    rng = np.random.default_rng(3)
    camera.pixel_array[..., :3] = rng.integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    camera.pixel_array[..., 3] = 255
    ctx = camera.get_cairo_context(camera.pixel_array)
    draw = raster_store.display_vectorized if store else Camera.display_vectorized
    shots = []
    for _ in range(times):
        for member in mob.family_members_with_points() or [mob]:
            draw(camera, member, ctx)
        ctx.get_target().flush()
        shots.append(camera.pixel_array.tobytes())
    return shots


@pytest.fixture
def fresh_store(monkeypatch: pytest.MonkeyPatch) -> raster_store.RasterStore:
    store = raster_store.RasterStore()
    monkeypatch.setattr(raster_store, "STORE", store)
    return store


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("name", ALL_SHAPES)
def test_composited_draws_leave_manims_pixels(
    name: str, style: str, fresh_store: raster_store.RasterStore
) -> None:
    mob = STYLES[style](ALL_SHAPES[name]())
    try:
        want = frames(mob, 4, store=False)
    except (ValueError, TypeError) as error:  # Manim cannot shade a malformed shape with a gradient
        with manim_speedups.speedups(), pytest.raises(type(error)):
            frames(mob, 4, store=True)
        return
    with manim_speedups.speedups():
        got = frames(mob, 4, store=True)
    for draw, (a, b) in enumerate(zip(want, got, strict=True), start=1):
        assert a == b, f"draw {draw} differs"


FADE = (0.3, 0.3, 0.3, 0.997, 1.0, 1.0, 0.6, 0.0, 1.0)  # a shape fading in and out


@pytest.mark.parametrize("name", ["noisy walk", "circle", "axis-aligned rectangle", "squares 150"])
def test_one_geometry_in_changing_colours_leaves_manims_pixels(
    name: str, fresh_store: raster_store.RasterStore
) -> None:
    """The coverage kept for a colour is composited in the next one (Cairo just below opaque
    included, which the store leaves to Cairo), as an animation of the opacity draws it."""
    shape = ALL_SHAPES[name]()

    def fade(store: bool) -> list[bytes]:
        shots = []
        for opacity in FADE:
            mob = shape.copy().set_stroke(BLUE, width=3, opacity=opacity)
            shots += frames(mob.set_fill(RED, opacity=opacity), 1, store)
        return shots

    want = fade(store=False)
    with manim_speedups.speedups():
        got = fade(store=True)
    for step, (a, b) in enumerate(zip(want, got, strict=True)):
        assert a == b, f"opacity {FADE[step]} differs"


def test_repeated_draws_are_composited(fresh_store: raster_store.RasterStore) -> None:
    """The comparison above is not vacuous: the third draw of a shape comes from its coverage,
    with both an opaque and a translucent colour, and nothing is kept after two draws only."""
    opaque = STYLES["opaque"](noisy_walk())
    frames(opaque, 2, store=True)
    assert not fresh_store.coverages
    frames(opaque, 1, store=True)
    kept = dict(fresh_store.coverages)
    assert len(kept) == 2  # the fill and the stroke
    translucent = opaque.copy().set_stroke(opacity=0.3).set_fill(opacity=0.45)
    frames(translucent, 3, store=True)
    assert fresh_store.coverages.keys() == kept.keys()  # same geometry: the same coverages


def test_a_growing_path_is_drawn_without_working_out_its_geometry(
    fresh_store: raster_store.RasterStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each frame of a ``Create`` is a path never drawn before, whose end no shape drawn before
    had: Cairo draws it, as Manim does, and its whole geometry is never worked out."""
    walk = STYLES["translucent"](noisy_walk())

    def grow(store: bool) -> list[bytes]:
        shots = []
        for alpha in np.linspace(0.1, 1.0, 12):
            partial = walk.copy()
            partial.pointwise_become_partial(walk, 0.0, alpha)
            shots += frames(partial, 1, store)
        return shots

    want = grow(store=False)
    worked_out: list[VMobject] = []
    geometry = cairo_path.cairo_path_geometry

    def counted_geometry(camera: Camera, vmobject: VMobject, ctx: Any) -> Any:
        worked_out.append(vmobject)
        return geometry(camera, vmobject, ctx)

    monkeypatch.setattr(cairo_path, "cairo_path_geometry", counted_geometry)
    with manim_speedups.speedups():
        got = grow(store=True)
        assert not worked_out
        frames(walk, 1, store=True)  # the whole walk again: its ends were drawn before
    assert got == want
    assert len(worked_out) == 1


def test_geometry_differs_by_width_and_matrix(fresh_store: raster_store.RasterStore) -> None:
    """Another stroke width, or the same points under another camera, is a coverage of its own."""
    mob = STYLES["translucent"](Circle())
    frames(mob, 3, store=True)
    kept = len(fresh_store.coverages)
    frames(mob.copy().set_stroke(width=6), 3, store=True)
    assert len(fresh_store.coverages) == kept + 1
    camera = Camera(pixel_width=2 * WIDTH, pixel_height=2 * HEIGHT)
    ctx = camera.get_cairo_context(camera.pixel_array)
    for _ in range(3):
        raster_store.display_vectorized(camera, mob, ctx)
    assert len(fresh_store.coverages) == kept + 3


def test_the_store_starts_again_past_its_budget(
    fresh_store: raster_store.RasterStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(raster_store, "BUDGET", 40_000)
    for shift in range(6):
        frames(STYLES["opaque"](Circle(radius=1.5).shift(0.3 * shift * DOWN)), 3, store=True)
    assert 0 < fresh_store.size <= 40_000


TRANSFORM_TIMES = (0.0, 0.1, 1 / 3, 0.5, 0.7, 0.9, 1.0)


EQUAL_SHAPES = ["noisy walk", "circle", "star polygon", "squares 150", "contours"]


@pytest.mark.parametrize("name", EQUAL_SHAPES)
def test_the_frames_of_a_transform_between_equal_shapes_leave_manims_pixels(
    name: str, fresh_store: raster_store.RasterStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fade or ``.animate`` of a style moves every point by ``(1 - t) a + t a``, a rounding
    step away from ``a``: those frames are composited from one coverage and leave Manim's pixels.
    """
    from manim.utils.bezier import interpolate

    shape = ALL_SHAPES[name]()

    def transform(store: bool) -> list[bytes]:
        shots = []
        for t in TRANSFORM_TIMES:
            mob = shape.copy()
            for member, original in zip(mob.get_family(), shape.get_family(), strict=True):
                member.points = interpolate(original.points, original.points, t)
            mob.set_stroke(BLUE, width=3, opacity=0.3 + 0.5 * t).set_fill(RED, opacity=1 - t)
            shots += frames(mob, 1, store)
        return shots

    want = transform(store=False)
    by_cairo: list[VMobject] = []
    stroke = Camera.apply_stroke

    def counted_stroke(camera: Camera, ctx: Any, vmobject: VMobject, background: bool = False):
        by_cairo.append(vmobject)
        return stroke(camera, ctx, vmobject, background)

    monkeypatch.setattr(Camera, "apply_stroke", counted_stroke)
    with manim_speedups.speedups():
        got = transform(store=True)
    for t, a, b in zip(TRANSFORM_TIMES, want, got, strict=True):
        assert a == b, f"t = {t} differs"
    # Cairo stroked each member on the first two frames only (the first certainly new, the
    # second seen once); every later frame was composited.
    assert len(by_cairo) == 2 * len(shape.family_members_with_points())


def _cairo_fixed(matrix: Any, xy: np.ndarray) -> np.ndarray:
    """The fixed-point coordinates Cairo itself keeps for ``xy`` drawn under ``matrix``, read
    back in device space (where ``copy_path`` returns them as exact multiples of 1/256)."""
    surface = cairo.ImageSurface(cairo.FORMAT_A8, 8, 8)
    ctx = cairo.Context(surface)
    ctx.set_matrix(matrix)
    for x, y in xy.tolist():
        ctx.move_to(x, y)
        ctx.line_to(x, y)
    ctx.identity_matrix()
    device = [point for kind, point in ctx.copy_path() if kind == cairo.PATH_LINE_TO]
    return np.rint(np.array(device) * 256).astype(np.int32)


def assert_rounds_as_cairo(camera: Camera, ctx: Any, points: np.ndarray) -> None:
    """``cairo_path_geometry`` of a shape through ``points`` (each point a whole curve) holds the
    fixed-point coordinates Cairo itself keeps for them under the context's matrix, and so does
    ``cairo_path_ends`` of each point."""
    mob = VMobject()
    mob.points = np.repeat(points, 4, axis=0)
    geometry = cairo_path.cairo_path_geometry(camera, mob, ctx)
    assert geometry is not None
    ours = np.frombuffer(geometry[1], np.int32).reshape(-1, 2)[::4]
    cairos = _cairo_fixed(ctx.get_matrix(), points[:, :2])
    assert (ours == cairos).all()
    # So do the ends, worked out on their own for a shape of one curve through each point.
    one_curve = VMobject()
    for point, fixed in zip(points, cairos.tolist(), strict=True):
        one_curve.points = np.repeat(point[None], 4, axis=0)
        assert cairo_path.cairo_path_ends(one_curve, ctx) == (4, *fixed, *fixed)


@pytest.mark.parametrize(("width", "height"), [(854, 480), (1920, 1080), (427, 240)])
def test_the_geometry_rounds_every_coordinate_as_cairo_does(width: int, height: int) -> None:
    """The fixed-point coordinates of ``cairo_path_geometry`` are Cairo's own, ties included."""
    camera = Camera(pixel_width=width, pixel_height=height)
    ctx = camera.get_cairo_context(camera.pixel_array)
    matrix = ctx.get_matrix()
    rng = np.random.default_rng(11)
    xy = rng.uniform(-8, 8, (2000, 2))
    # Coordinates on a grid of 1/4096, among which some land exactly halfway between two
    # fixed-point steps, where rounding ties (ties to even, as Cairo's magic-number conversion).
    grid = np.arange(-8 * 4096, 8 * 4096) / 4096
    xx, _, _, yy, x0, y0 = matrix
    ties_x = grid[((xx * grid + x0) * 256) % 1 == 0.5][:300]
    ties_y = grid[((yy * grid + y0) * 256) % 1 == 0.5][:300]
    count = min(len(ties_x), len(ties_y))
    assert count > 20
    ties = np.column_stack([ties_x[:count], ties_y[:count]])
    points = np.column_stack([np.concatenate([xy, ties]), np.zeros(len(xy) + len(ties))])
    assert_rounds_as_cairo(camera, ctx, points)


def test_the_geometry_under_a_rotated_matrix_is_cairos() -> None:
    """A matrix that mixes x and y (a camera class could set one) rounds as Cairo does too."""
    camera = Camera(pixel_width=WIDTH, pixel_height=HEIGHT)
    ctx = camera.get_cairo_context(camera.pixel_array)
    ctx.rotate(0.3)
    matrix = ctx.get_matrix()
    assert matrix[1] != 0 and matrix[2] != 0
    points = np.column_stack([np.random.default_rng(5).uniform(-8, 8, (500, 2)), np.zeros(500)])
    assert_rounds_as_cairo(camera, ctx, points)


def test_the_geometry_tells_paths_apart() -> None:
    """Equal to the last rounding step is the same path; a 1/128 pixel, a split or a non-finite
    point is not (or not one this code builds)."""
    from manim.utils.bezier import interpolate

    camera = Camera(pixel_width=WIDTH, pixel_height=HEIGHT)
    ctx = camera.get_cairo_context(camera.pixel_array)

    def geometry(points: np.ndarray) -> Any:
        mob = VMobject()
        mob.points = points
        return cairo_path.cairo_path_geometry(camera, mob, ctx)

    walk = noisy_walk().points
    assert geometry(interpolate(walk, walk, 0.3)) == geometry(walk)
    pixel = 14.222222222222221 / WIDTH  # frame units per pixel
    assert geometry(walk + np.array([pixel / 128, 0, 0])) != geometry(walk)
    # On the centres of fixed-point steps, a shift of 1/5 step rounds to the same coordinates,
    # but it is far above the tolerance for equal points: the path splits in two there.
    xx, _, _, yy, x0, y0 = ctx.get_matrix()
    centred = walk.copy()
    centred[:, 0] = (np.rint((xx * walk[:, 0] + x0) * 256) / 256 - x0) / xx
    centred[:, 1] = (np.rint((yy * walk[:, 1] + y0) * 256) / 256 - y0) / yy
    split = centred.copy()
    split[8:] += [pixel / 256 / 5, 0, 0]
    assert geometry(split)[1] == geometry(centred)[1]
    assert geometry(split) != geometry(centred)
    broken = walk.copy()
    broken[5, 2] = np.nan
    assert geometry(broken) is None
