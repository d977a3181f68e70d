"""The vectorized replacements give exactly what Manim's own functions give, on real mobjects.

Every comparison is bit for bit (the bytes of the arrays), not approximate: the replacements are
only worth installing if a render with them is the same render.
"""

from __future__ import annotations

import copy
import itertools
import math
from pathlib import Path
from typing import Any

import cairo
import numpy as np
import pytest
from manim import (
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Arc,
    Axes,
    Brace,
    Camera,
    Circle,
    DashedLine,
    DecimalNumber,
    Dot,
    Line,
    ManimColor,
    MathTex,
    Polygon,
    Square,
    Text,
    VGroup,
    VMobject,
)
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

from render.engine import cairo_path, manim_speedups

ORIGINAL_ALIGN = VMobject.__dict__["align_points"]
ORIGINAL_SUBPATHS = VMobject.__dict__["get_subpaths_from_points"]


@pytest.fixture(autouse=True)
def _manim_untouched_afterwards():
    yield
    manim_speedups.uninstall()
    assert VMobject.__dict__["align_points"] is ORIGINAL_ALIGN


def squares(count: int, seed: int, size: float = 0.05) -> VMobject:
    """Many small closed squares in one VMobject, the way the scenes draw dot clouds."""
    rng = np.random.default_rng(seed)
    centres = np.column_stack([rng.uniform(-6, 6, (count, 2)), np.zeros(count)])
    corners = 0.5 * size * np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], float)
    square = corners[None] + centres[:, None]
    a, b = square, np.roll(square, -1, axis=1)
    step = (b - a) / 3
    mob = VMobject(fill_opacity=0.8, stroke_width=0)
    mob.set_points(np.stack([a, a + step, a + 2 * step, b], axis=2).reshape(-1, 3))
    return mob


def segments(count: int, seed: int) -> VMobject:
    """Many separate straight segments in one VMobject (one subpath each), like needles."""
    rng = np.random.default_rng(seed)
    starts = np.column_stack([rng.uniform(-6, 6, (count, 2)), np.zeros(count)])
    ends = starts + np.column_stack([rng.normal(0, 0.3, (count, 2)), np.zeros(count)])
    step = (ends - starts) / 3
    mob = VMobject(stroke_width=2)
    mob.set_points(np.stack([starts, starts + step, starts + 2 * step, ends], 1).reshape(-1, 3))
    return mob


def with_degenerate_tail() -> VMobject:
    """A square followed by two null curves at its last point (what manim#1959 trims)."""
    mob = Square()
    mob.append_points(np.tile(mob.points[-1], (8, 1)))
    return mob


def with_tail_inside() -> VMobject:
    """A null curve in the middle of a subpath, then a real one: only the tail is trimmed."""
    mob = VMobject()
    line = Line(LEFT, RIGHT).points
    mob.set_points(np.concatenate([line, np.tile(line[-1], (4, 1)), Line(RIGHT, UP).points]))
    return mob


def with_dangling_point() -> VMobject:
    mob = Square()
    mob.start_new_path(ORIGIN)
    return mob


def with_partial_curve() -> VMobject:
    mob = Circle()
    mob.append_points(mob.points[:2])
    return mob


def with_nan() -> VMobject:
    mob = squares(5, 7)
    mob.points[9] = np.nan
    mob.points[20:24] = np.inf
    return mob


def loose_tolerance() -> VMobject:
    mob = segments(40, 8)
    mob.tolerance_for_point_equality = 0.5
    return mob


def barely_equal(a: float, atol: float = 1e-6, rtol: float = 1e-5) -> float:
    """b > a with |a - b| <= atol + rtol |b| but > atol + rtol |a|: equal only seen from b."""
    b = a + (atol + rtol * a) * (1 + rtol / 2)
    assert abs(a - b) <= atol + rtol * abs(b) and abs(a - b) > atol + rtol * abs(a)
    return b


def on_the_threshold(subpaths: int, curves: int) -> VMobject:
    """Curve boundaries and closing points exactly where it matters which point sets the scale.

    Far from the origin (x near 1e5) a gap can be within tolerance of the larger point and not
    of the smaller one. Manim measures a boundary from the next curve's start and a closing from
    the subpath's last point, and here those are the larger ones: no boundary inside a subpath
    splits it and every subpath closes, while measuring from the other point would do neither.
    """
    a = 1.0e5
    b = barely_equal(a)
    points = []
    for j in range(subpaths):
        heights = [j + 0.05 * k for k in range(curves + 1)]
        for k in range(curves):
            start = [a if k == 0 else b, heights[k], 0.0]
            end = [b, heights[0], 0.0] if k == curves - 1 else [a, heights[k + 1], 0.0]
            start, end = np.array(start), np.array(end)
            points += [start, start + (end - start) / 3, start + 2 * (end - start) / 3, end]
    mob = VMobject()
    mob.set_points(np.array(points))
    return mob


def glyph(mob: VMobject) -> VMobject:
    return mob.family_members_with_points()[0]


def graph() -> VMobject:
    axes = Axes(x_range=[0, 10], y_range=[-1, 1])
    return axes.plot(np.sin, x_range=[0, 10])


SHAPES = {
    "circle": Circle,
    "square": Square,
    "line": lambda: Line(LEFT, RIGHT),
    "arc": Arc,
    "dot": Dot,
    "polygon": lambda: Polygon(*[[np.cos(t), np.sin(t), 0] for t in np.linspace(0, 6, 13)]),
    "dashes": lambda: glyph(DashedLine(LEFT, RIGHT)),
    "text glyph": lambda: glyph(Text("g")),
    "tex glyph": lambda: glyph(MathTex(r"\pi")),
    "graph": graph,
    "empty": VMobject,
    "one point": lambda: VMobject().set_points([[1.0, 2.0, 0.0]]),
    "squares 12": lambda: squares(12, 1),
    "squares 150": lambda: squares(150, 2),
    "segments 9": lambda: segments(9, 3),
    "segments 120": lambda: segments(120, 4),
    "degenerate tail": with_degenerate_tail,
    "null curve inside": with_tail_inside,
    "dangling point": with_dangling_point,
    "partial curve": with_partial_curve,
    "nan and inf": with_nan,
    "loose tolerance": loose_tolerance,
    "on the threshold, few curves": lambda: on_the_threshold(1, 6),
    "on the threshold, many curves": lambda: on_the_threshold(3, 20),
    "on the threshold, many subpaths": lambda: on_the_threshold(40, 4),
}


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def state(mob: VMobject) -> list[np.ndarray]:
    return [
        mob.points,
        mob.fill_rgbas,
        mob.stroke_rgbas,
        mob.background_stroke_rgbas,
    ]


@pytest.mark.parametrize("name", SHAPES)
def test_subpaths_are_the_same_slices(name: str) -> None:
    mob = SHAPES[name]()
    expected = ORIGINAL_SUBPATHS(mob, mob.points)
    actual = manim_speedups.get_subpaths_from_points(mob, mob.points)
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert same_bits(got, want)
        assert got.base is mob.points or got.base is mob.points.base  # views, as Manim returns


def test_subpaths_exist_to_compare() -> None:
    """The shapes above really have many subpaths (else the comparison would prove little)."""
    assert len(SHAPES["squares 150"]().get_subpaths()) == 150
    assert len(SHAPES["segments 120"]().get_subpaths()) == 120
    assert len(SHAPES["nan and inf"]().get_subpaths()) > 5


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")  # the NaN shape
@pytest.mark.parametrize(("first", "second"), list(itertools.product(SHAPES, SHAPES)))
def test_align_points_gives_both_shapes_the_same_points(first: str, second: str) -> None:
    original_a, original_b = SHAPES[first](), SHAPES[second]()
    fast_a, fast_b = original_a.copy(), original_b.copy()
    ORIGINAL_ALIGN(original_a, original_b)
    manim_speedups.align_points(fast_a, fast_b)
    expected = state(original_a) + state(original_b)
    for got, want in zip(state(fast_a) + state(fast_b), expected, strict=True):
        assert same_bits(got, want)


def test_align_points_of_growing_clouds_inserts_curves_like_manim() -> None:
    """Squares (4 curves) against segments (1 curve): every subpath gains curves on one side."""
    a, b = squares(30, 5), segments(45, 6)
    a2, b2 = a.copy(), b.copy()
    ORIGINAL_ALIGN(a, b)
    manim_speedups.align_points(a2, b2)
    assert len(b.points) > 45 * 4  # curves were inserted, so the subdivision path ran
    assert same_bits(a2.points, a.points) and same_bits(b2.points, b.points)


def redraw_frames(enabled: bool) -> list[np.ndarray]:
    """A growing cloud redrawn by ``become`` each frame, as ``always_redraw`` does; Cairo draws."""
    with manim_speedups.speedups(enabled):
        camera = Camera(pixel_width=256, pixel_height=144)
        shown = VGroup(squares(0, 9), segments(0, 9))
        frames = []
        for count in (1, 2, 5, 40, 41, 200, 120):
            shown.become(VGroup(squares(count, 9), segments(count // 2 + 1, 10)))
            camera.reset()
            camera.capture_mobjects([shown])
            frames.append(camera.pixel_array.copy())
        return frames


def test_become_draws_the_same_pixels() -> None:
    with_speedups, without = redraw_frames(True), redraw_frames(False)
    assert any(frame.any() for frame in without)  # something is drawn
    for got, want in zip(with_speedups, without, strict=True):
        assert same_bits(got, want)


def aliased_group() -> VGroup:
    """A group holding one square twice and an updater: the copy must keep both facts."""
    square = Square()
    group = VGroup(square, Circle())
    group.submobjects.append(square)
    group.add_updater(lambda m: m)
    return group


def cyclic_group() -> VGroup:
    """A group that holds itself further down (Manim skips a member already on the path)."""
    inner = VGroup(Square(), Circle())
    outer = VGroup(inner, Dot())
    inner.submobjects.append(outer)
    return outer


def deep_chain() -> VGroup:
    """Groups nested deeper than the plain walk goes (Manim's walk takes over there)."""
    root = VGroup(Square())
    for _ in range(manim_speedups._UNGUARDED_DEPTH + 5):
        root = VGroup(root, Dot())
    return root


class Overcounted(VMobject):
    """A class that counts its points its own way: one, though its array is empty."""

    def get_num_points(self) -> int:
        return 1


def counted_its_own_way() -> VGroup:
    """Members with points, without (an empty path, groups) and one that counts its own."""
    return VGroup(Square(), VMobject(), VGroup(Overcounted(), Circle()), VGroup())


FAMILIES = {
    "axes": lambda: Axes(x_range=[0, 5], y_range=[0, 2]).add_coordinates(),
    "counted its own way": counted_its_own_way,
    "text": lambda: Text("Drop needles"),
    "aliased group": aliased_group,
    "cycle": cyclic_group,
    "deep": deep_chain,
    "alone": Square,
}


@pytest.mark.parametrize("walk", ["get_family", "family_members_with_points"])
@pytest.mark.parametrize("name", FAMILIES)
def test_family_is_the_same_list(name: str, walk: str) -> None:
    """The whole family and the members with points: the same members in the same order."""
    mob = FAMILIES[name]()
    with manim_speedups.speedups(False):
        want = getattr(mob, walk)()
    with manim_speedups.speedups():
        got = getattr(mob, walk)()
    assert [id(m) for m in got] == [id(m) for m in want]
    if walk == "family_members_with_points" and name not in ("alone", "cycle", "deep"):
        assert 0 < len(want) < len(mob.get_family())  # some members have no points


def cairo_path_and_pixels(mob: VMobject) -> tuple[list[Any], bytes]:
    """The path Manim's Camera hands to Cairo for ``mob``, and the pixels it then paints."""
    camera = Camera(pixel_width=160, pixel_height=90)
    ctx = camera.get_cairo_context(camera.pixel_array)
    camera.set_cairo_context_path(ctx, mob)
    path = list(ctx.copy_path())
    camera.display_vectorized(mob, ctx)
    return path, camera.pixel_array.tobytes()


@pytest.mark.parametrize("name", SHAPES)
def test_cairo_gets_the_same_path(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Built, and then again from the kept path (the same points): Manim's path and pixels."""
    mob = SHAPES[name]().set_stroke(width=3).set_fill(opacity=0.5)
    with manim_speedups.speedups(False):
        want = cairo_path_and_pixels(mob)
    kept = cairo_path._CairoPaths()
    monkeypatch.setattr(cairo_path, "_CAIRO_PATHS", kept)
    with manim_speedups.speedups():
        built = cairo_path_and_pixels(mob)
        stored = len(kept)
        again = cairo_path_and_pixels(mob.copy())
    assert len(kept) == stored  # found, not built again
    assert built[0] == want[0] and again[0] == want[0]
    assert built[1] == want[1] and again[1] == want[1]


def test_a_cairo_path_is_kept_per_matrix() -> None:
    """The same points under another Cairo matrix (another frame or resolution) are drawn anew."""
    mob = Circle().set_stroke(width=3)
    with manim_speedups.speedups(False):
        want_path, want_pixels = cairo_path_and_pixels(mob)
    with manim_speedups.speedups():
        other = Camera(pixel_width=320, pixel_height=180)
        other.set_cairo_context_path(other.get_cairo_context(other.pixel_array), mob)
        got_path, got_pixels = cairo_path_and_pixels(mob)
    assert got_path == want_path
    assert got_pixels == want_pixels


def test_cairo_paths_are_dropped_past_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    store = cairo_path._CairoPaths()
    monkeypatch.setattr(cairo_path._CairoPaths, "BUDGET", 100)
    store.keep((bytes(60), 1e-8, ()), "first")
    store.keep((bytes(30), 1e-8, ()), "second")
    store.keep((bytes(20), 1e-8, ()), "third")  # 110 bytes: the first two go
    assert list(store.values()) == ["third"]
    assert store.size == 20


def test_cairo_paths_exist_to_compare() -> None:
    """The shapes above really draw subpaths, closed and open (the comparison is not empty)."""
    kinds = {kind for name in SHAPES for kind, _ in cairo_path_and_pixels(SHAPES[name]())[0]}
    assert {cairo.PATH_MOVE_TO, cairo.PATH_CURVE_TO, cairo.PATH_CLOSE_PATH} <= kinds


def arrays_of_every_kind() -> VMobject:
    """Arrays a copy must treat as copy.deepcopy does: a transposed view (its layout kept), one
    array held twice, a read-only one, and an object array (its items deep-copied)."""
    mob = Square()
    mob.transposed = mob.points.T
    mob.alias = mob.points
    frozen = np.arange(6.0)
    frozen.flags.writeable = False
    mob.frozen = frozen
    mob.objects = np.array([Dot(), 3, "x"], dtype=object)
    return mob


COPIED = {
    "text": lambda: Text("Drop needles"),
    "tex": lambda: MathTex(r"\hat\pi = \frac{2lN}{tH}"),
    "decimal": lambda: DecimalNumber(3.14159, num_decimal_places=3),
    "axes": lambda: Axes(x_range=[0, 5], y_range=[0, 2]).add_coordinates(),
    "aliased group": aliased_group,
    "cloud": lambda: squares(50, 3),
    "colour": lambda: ManimColor("#58C4DD"),
    "brace": lambda: Brace(Square(), direction=RIGHT),
    "arrays": arrays_of_every_kind,
}


def assert_same_copies(source: Any, old: Any, new: Any, pairs: dict[int, int]) -> None:
    """``new`` is built exactly like ``old`` from ``source``: types, values, sharing, aliasing."""
    assert type(new) is type(old)
    assert (new is source) == (old is source)  # shared with the source in one copy: in both
    if id(old) in pairs:
        assert pairs[id(old)] == id(new)  # the same object twice in one copy: so in the other
        return
    pairs[id(old)] = id(new)
    if isinstance(old, np.ndarray):
        layout = (old.strides, old.flags.writeable, old.dtype)
        assert (new.strides, new.flags.writeable, new.dtype) == layout
        if old.dtype.hasobject:  # items deep-copied one by one
            for s, o, n in zip(source.ravel(), old.ravel(), new.ravel(), strict=True):
                assert_same_copies(s, o, n, pairs)
        else:
            assert same_bits(new, old)
    elif isinstance(old, float):
        assert new == old or (math.isnan(new) and math.isnan(old))
    elif isinstance(old, list | tuple):
        assert len(new) == len(old)
        for s, o, n in zip(source, old, new, strict=True):
            assert_same_copies(s, o, n, pairs)
    elif isinstance(old, dict):
        assert list(new) == list(old)
        for key in old:
            assert_same_copies(source.get(key), old[key], new[key], pairs)  # original_id: new
    elif isinstance(old, VMobjectFromSVGPath):
        # The one intended difference: the glyph's copy shares the parsed path it was built from,
        # where Manim's copy rebuilt it; Manim's copy of it draws the same outline.
        assert new.path_obj is source.path_obj
        assert old.path_obj.d() == source.path_obj.d()
        rest = {key: value for key, value in vars(old).items() if key != "path_obj"}
        assert_same_copies(vars(source), rest, {key: vars(new)[key] for key in rest}, pairs)
    elif hasattr(old, "__dict__") and not callable(old) and not isinstance(old, type):
        assert_same_copies(vars(source), vars(old), vars(new), pairs)
    else:
        assert new == old


@pytest.mark.parametrize("name", COPIED)
def test_deepcopy_builds_the_same_copy(name: str) -> None:
    source = COPIED[name]()
    with manim_speedups.speedups(False):
        old = copy.deepcopy(source)
    with manim_speedups.speedups():
        new = copy.deepcopy(source)
    assert_same_copies(source, old, new, {})


def test_plain_copy_covers_colours() -> None:
    """ManimColor is copied by the plain-class copy (not left to ``copy.deepcopy``)."""
    assert manim_speedups.reconstructs_plainly(ManimColor)


def test_manim_only_reads_a_glyphs_parsed_path_while_building_it() -> None:
    """What makes sharing ``path_obj`` between copies safe, checked in the installed Manim.

    Every mention of ``path_obj`` in Manim's source is the constructor storing it, Brace
    handing a freshly parsed one to that constructor, or ``generate_points`` reading it.
    """
    import manim

    root = Path(manim.__file__).parent
    mentions = sorted(
        (str(path.relative_to(root)), line.strip())
        for path in root.rglob("*.py")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "path_obj" in line and not line.strip().startswith("#")
    )
    allowed = {
        "path_obj: se.Path,",  # the constructor's parameter
        "path_obj.approximate_arcs_with_quads()",  # in the constructor, before it is stored
        "self.path_obj = path_obj",
        "for segment in self.path_obj:",  # generate_points
        "path_obj=path,",  # Brace
        "path_obj",  # the docstring's parameter list
    }
    unexpected = [mention for mention in mentions if mention[1] not in allowed]
    assert not unexpected, unexpected
    assert any(line == "for segment in self.path_obj:" for _, line in mentions)


def test_install_replaces_and_uninstall_restores() -> None:
    assert manim_speedups.install()
    assert VMobject.align_points is manim_speedups.align_points
    assert VMobject.get_subpaths_from_points is manim_speedups.get_subpaths_from_points
    assert ManimColor.__deepcopy__ is manim_speedups.plain_deepcopy
    assert manim_speedups.install()  # twice is harmless
    manim_speedups.uninstall()
    assert "__deepcopy__" not in vars(ManimColor)
    assert VMobject.__dict__["align_points"] is ORIGINAL_ALIGN
    assert VMobject.__dict__["get_subpaths_from_points"] is ORIGINAL_SUBPATHS


@pytest.mark.parametrize(
    ("value", "wanted"), [(None, True), ("", True), ("on", True), ("off", False), (" OFF ", False)]
)
def test_switch_turns_the_speedups_off_only_when_asked(monkeypatch, value, wanted) -> None:
    if value is None:
        monkeypatch.delenv(manim_speedups.SWITCH, raising=False)
    else:
        monkeypatch.setenv(manim_speedups.SWITCH, value)
    assert manim_speedups.wanted() is wanted


def test_install_refuses_another_manim_version(monkeypatch, capsys) -> None:
    import manim

    monkeypatch.setattr(manim, "__version__", "0.99.0")
    assert not manim_speedups.install()
    assert VMobject.__dict__["align_points"] is ORIGINAL_ALIGN
    assert "0.99.0" in capsys.readouterr().err


def test_pinned_version_is_the_installed_one() -> None:
    """When Manim is upgraded this fails: re-check the originals, then move the pin."""
    import manim

    assert manim.__version__ == manim_speedups.PINNED_MANIM_VERSION


def test_subclass_with_its_own_equality_gets_manims_code() -> None:
    class Coarse(VMobject):
        def consider_points_equals(self, p0, p1) -> bool:  # everything is one subpath
            return True

    mob = Coarse()
    mob.set_points(segments(20, 11).points)
    with manim_speedups.speedups():
        assert len(mob.get_subpaths()) == 1
        other = squares(3, 12)
        mob.align_points(other)
    reference = Coarse()
    reference.set_points(segments(20, 11).points)
    ORIGINAL_ALIGN(reference, squares(3, 12))
    assert same_bits(mob.points, reference.points)


class _CountingSquare(Square):
    """A class with an ``update`` of its own, which must still be called."""

    def update(self, dt: float = 0, recursive: bool = True) -> Any:
        self.log.append(("own update", dt))
        return super().update(dt, recursive)


def updating_tree(log: list[tuple[str, float]]) -> VGroup:
    """Updaters at every level: time-based and not, one that rebuilds its mobject's submobjects
    (as ``always_redraw`` does), one under a suspended group, one on a class of its own."""
    rebuilt = VGroup(Square())

    def rebuild(mob: VGroup) -> None:
        log.append(("rebuild", 0.0))
        leaf = Square().add_updater(lambda m, dt: log.append(("new leaf", dt)))
        mob.submobjects = [leaf, Circle()]

    rebuilt.add_updater(rebuild)
    moving = Dot().add_updater(lambda m, dt: (log.append(("dot", dt)), m.shift(dt * RIGHT)))
    suspended = VGroup(Square().add_updater(lambda m: log.append(("suspended", 0.0))))
    suspended.suspend_updating()
    own = _CountingSquare()
    own.log = log
    bare = VGroup(*(VGroup(Square(), Circle()) for _ in range(3)))
    root = VGroup(bare, rebuilt, VGroup(moving, suspended), own)
    root.add_updater(lambda m, dt: log.append(("root", dt)))
    return root


def test_update_calls_the_same_updaters_in_the_same_order() -> None:
    """Bare members are skipped, and only they: the log of updater calls and the points after
    three frames are Manim's."""

    def run(enabled: bool) -> tuple[list[tuple[str, float]], list[bytes]]:
        log: list[tuple[str, float]] = []
        with manim_speedups.speedups(enabled):
            tree = updating_tree(log)
            for dt in (0.0, 1 / 60, 1 / 30):
                tree.update(dt)
        return log, [m.points.tobytes() for m in tree.get_family()]

    want, got = run(False), run(True)
    assert got == want
    names = {name for name, _ in want[0]}
    assert {"root", "rebuild", "new leaf", "dot", "own update"} <= names
    assert "suspended" not in names


def test_the_kind_of_drawing_is_manims_for_every_class() -> None:
    from manim import ImageMobject, Mobject, PointCloudDot

    mobjects = [Square(), Text("a"), ImageMobject(np.zeros((4, 4, 4), np.uint8))]
    mobjects += [PointCloudDot(), Mobject(), VGroup(), Square()]
    with manim_speedups.speedups(False):
        want = [Camera(pixel_width=16, pixel_height=9).type_or_raise(m) for m in mobjects]
    with manim_speedups.speedups():
        camera = Camera(pixel_width=16, pixel_height=9)
        got = [camera.type_or_raise(m) for m in mobjects]
        assert camera.display_funcs[got[0]] == camera.display_multiple_vectorized_mobjects
        with pytest.raises(TypeError):
            camera.type_or_raise("not a mobject")
    assert got == want and len(set(want)) == 4
