"""Paths redrawn on every frame get exactly the points they got before they were remembered."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT, ChangeDecimalToValue, DecimalNumber, Dot, VGroup, always_redraw, linear

from scenes.shared import theme
from scenes.shared.widgets import (
    ChangeReadout,
    axis_points,
    follow_value,
    moving_dots,
    polyline,
    styled_axes,
)


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


@pytest.mark.parametrize("x_log", [False, True])
def test_points_found_together_are_the_points_found_one_by_one(x_log: bool) -> None:
    """Thousands of new points (noisy paths) go through one ``c2p``: still the same floats."""
    rng = np.random.default_rng(5)
    axes = styled_axes([0, 4, 1], [-3, 3, 1], 7.3, 5.1, x_log=x_log, include_numbers=False)
    axes.move_to([-1.234, -0.05, 0])
    xs = rng.uniform(1.0, 9000.0, 3000) if x_log else rng.uniform(-1, 5, 3000)
    ys = rng.normal(0, 2, 3000)
    xs[::7] = xs[0]  # repeated pairs are found once and handed out each time
    ys[::7] = ys[0]
    got = axis_points(axes, xs, ys)
    want = [axes.c2p(x, y) for x, y in zip(xs.tolist(), ys.tolist(), strict=True)]
    assert all(same_bits(g, w) for g, w in zip(got, want, strict=True))


def test_polyline_points_are_unchanged() -> None:
    axes = styled_axes([0, 10, 1], [0, 5, 1], 8, 4, include_numbers=False)
    xs, ys = np.arange(12.0), np.abs(np.sin(np.arange(12.0))) * 4
    expected = [axes.c2p(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]
    path = polyline(axes, xs, ys, theme.PRIMARY)
    reference = path.copy().set_points_as_corners(expected)
    assert same_bits(path.points, reference.points)


STYLE = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "sheen_direction")


def test_moving_dots_are_what_always_redraw_of_dots_gives() -> None:
    """Frame after frame the same points and colours as rebuilding the dots; copies keep theirs."""
    axes = styled_axes([0, 3, 1], [-2, 2, 1], 6, 4, x_log=True, include_numbers=False)
    rng = np.random.default_rng(9)
    frames = [rng.normal(0, 1, 40) for _ in range(4)]
    frame = [0]

    def place():
        ys = frames[frame[0]]
        colors = [theme.ACCENT if abs(y) > 1 else theme.GOOD for y in ys]
        return np.full(len(ys), 10 * (frame[0] + 1)), ys, colors

    def rebuilt() -> VGroup:
        xs, ys, colors = place()
        return VGroup(
            *(
                Dot(axes.c2p(float(x), float(y)), radius=0.03, color=c)
                for x, y, c in zip(xs, ys, colors, strict=True)
            )
        )

    fast, slow = moving_dots(axes, place, radius=0.03), always_redraw(rebuilt)
    for step in range(len(frames)):
        frame[0] = step
        fast.update()
        slow.update()
        for got, want in zip(fast, slow, strict=True):
            assert same_bits(got.points, want.points)
            assert all(same_bits(getattr(got, a), getattr(want, a)) for a in STYLE)
            assert (got.stroke_width, got.sheen_factor) == (want.stroke_width, want.sheen_factor)
    faded = fast.copy().fade(1)  # what FadeOut makes, updater included, and then updates
    faded.update()
    assert all(dot.get_fill_opacity() == 0 for dot in faded)


def test_a_followed_number_shows_what_setting_it_every_frame_shows() -> None:
    """The same points and colours frame after frame; glyphs are rebuilt only when it changes."""
    values = [1.0, 1.0, 1.04, 2.0, 2.0, 1.96, 3.5, 3.5, 0.0]  # 1.04 shows 1.0
    frame = [0]
    fast = DecimalNumber(values[0], num_decimal_places=1, color=theme.ACCENT).shift(2 * RIGHT)
    slow = fast.copy()
    follow_value(fast, lambda: values[frame[0]])
    slow.add_updater(lambda m: m.set_value(values[frame[0]]))
    rebuilt = 0
    for step in range(len(values)):
        frame[0] = step
        glyphs = list(fast.submobjects)
        fast.update()
        slow.update()
        rebuilt += any(a is not b for a, b in zip(fast.submobjects, glyphs, strict=False))
        got, want = fast.family_members_with_points(), slow.family_members_with_points()
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            assert same_bits(g.points, w.points)
            assert all(same_bits(getattr(g, a), getattr(w, a)) for a in STYLE)
    assert rebuilt == 3  # 1 -> 2 -> 3.5 -> 0


def assert_same_glyphs(got: DecimalNumber, want: DecimalNumber) -> None:
    got_family, want_family = got.family_members_with_points(), want.family_members_with_points()
    assert len(got_family) == len(want_family)
    for g, w in zip(got_family, want_family, strict=True):
        assert same_bits(g.points, w.points)
        assert all(same_bits(getattr(g, a), getattr(w, a)) for a in STYLE)


@pytest.mark.parametrize(("start", "end", "decimals"), [(3, 7, 0), (0.412, 0.4135, 3), (2, 2, 1)])
def test_a_changing_readout_shows_what_manims_animation_shows(
    start: float, end: float, decimals: int
) -> None:
    """Frame by frame the same glyphs as ChangeDecimalToValue, rebuilt only when digits change."""
    fast = DecimalNumber(start, num_decimal_places=decimals, color=theme.ACCENT).shift(RIGHT)
    slow = fast.copy()
    ours = ChangeReadout(fast, end, rate_func=linear)
    manims = ChangeDecimalToValue(slow, end, rate_func=linear)
    ours.begin()
    manims.begin()
    shown, rebuilt = {fast._get_num_string(start)}, 0
    for alpha in np.linspace(0, 1, 41):
        glyphs = list(fast.submobjects)
        ours.interpolate(alpha)
        manims.interpolate(alpha)
        rebuilt += any(a is not b for a, b in zip(fast.submobjects, glyphs, strict=False))
        shown.add(fast._get_num_string(fast.get_value()))
        assert fast.get_value() == slow.get_value()
        assert_same_glyphs(fast, slow)
    assert rebuilt == len(shown) - 1  # once per new string of digits, not once per frame
