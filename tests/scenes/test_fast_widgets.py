"""The redraw-free widgets draw exactly what rebuilding the shapes on every frame draws."""

from __future__ import annotations

import numpy as np
from manim import Camera, Dot, VGroup

from scenes.shared import theme
from scenes.shared.widgets import DotRow, axis_points, polyline, styled_axes


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_axis_points_are_c2p_and_follow_the_axes() -> None:
    axes = styled_axes([0, 10, 1], [0, 5, 1], 8, 4, include_numbers=False)
    xs, ys = np.linspace(0, 10, 37), np.sqrt(np.linspace(0, 25, 37))
    for _ in range(2):  # the second time from memory
        got = axis_points(axes, xs, ys)
        want = [axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
        assert all(same_bits(g, w) for g, w in zip(got, want, strict=True))
    axes.shift([0.5, -0.25, 0])
    moved = axis_points(axes, xs, ys)
    assert same_bits(moved[3], axes.c2p(float(xs[3]), float(ys[3])))
    assert not same_bits(moved[3], got[3])


def test_polyline_points_are_unchanged() -> None:
    axes = styled_axes([0, 10, 1], [0, 5, 1], 8, 4, include_numbers=False)
    xs, ys = np.arange(12.0), np.abs(np.sin(np.arange(12.0))) * 4
    expected = [axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
    path = polyline(axes, xs, ys, theme.PRIMARY)
    reference = path.copy().set_points_as_corners(expected)
    assert same_bits(path.points, reference.points)


def rebuilt(centres: list[np.ndarray], colours: list) -> VGroup:
    return VGroup(*(Dot(c, radius=0.05, color=k) for c, k in zip(centres, colours, strict=True)))


def test_dot_row_draws_what_rebuilt_dots_draw() -> None:
    rng = np.random.default_rng(4)
    colours = (theme.ACCENT, theme.GOOD)
    camera = Camera(pixel_width=256, pixel_height=144)
    frames = []
    for count in (30, 30, 30):
        centres = [np.array([*rng.uniform(-6, 6, 2), 0.0]) for _ in range(count)]
        picks = [colours[i] for i in rng.integers(0, 2, count)]
        frames.append((centres, picks))
    redrawn = rebuilt(*frames[0])
    row = DotRow(30, 0.05, colours).place(*frames[0])
    for centres, picks in frames[1:]:
        redrawn.become(rebuilt(centres, picks))  # what always_redraw does on every frame
        row.place(centres, picks)
        for a, b in zip(row.get_family(), redrawn.get_family(), strict=True):
            for attr in ("points", "fill_rgbas", "stroke_rgbas", "background_stroke_rgbas"):
                assert same_bits(getattr(a, attr), getattr(b, attr))
        pictures = []
        for shown in (row, redrawn):
            camera.reset()
            camera.capture_mobjects([shown])
            pictures.append(camera.pixel_array.copy())
        assert pictures[0].any()
        assert same_bits(pictures[0], pictures[1])


def test_dot_row_hides_the_dots_not_placed() -> None:
    row = DotRow(5, 0.05, (theme.GOOD,)).place([np.zeros(3)] * 2, [theme.GOOD] * 2)
    assert [len(d.points) > 0 for d in row] == [True, True, False, False, False]
