"""Reusable drawing pieces: titles, axes, paths, histograms, bands and live counters.

Each takes numbers the model computed and returns Manim mobjects styled by the theme; none of them
computes anything a reviewer would need to check. The few helpers that choose *what* to draw
(which indices of a long path, round tick steps) live here too, so that scenes do not each carry a
slightly different copy.
"""

from __future__ import annotations

import math as _math
import weakref
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Axes,
    ChangeDecimalToValue,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    MathTex,
    NumberLine,
    Polygon,
    Rectangle,
    Text,
    VGroup,
    VMobject,
    Write,
)
from manim.typing import Vector3D

from scenes.shared import theme


def text(content: str, size: int = theme.SIZE_BODY, color=theme.TEXT, **kwargs) -> Text:
    return Text(content, font=theme.FONT, font_size=size, color=color, **kwargs)


def math(tex: str, size: int = theme.SIZE_BODY, color=theme.TEXT, **kwargs) -> MathTex:
    return MathTex(tex, font_size=size, color=color, **kwargs)


def title_card(title: str, subtitle: str) -> VGroup:
    head = text(title, theme.SIZE_TITLE, weight="BOLD")
    sub = text(subtitle, theme.SIZE_BODY, theme.MUTED)
    return VGroup(head, sub).arrange(DOWN, buff=0.35)


def show_title(scene, title: str, subtitle: str, hold: float = 1.5) -> None:
    card = title_card(title, subtitle)
    scene.play(Write(card[0]), FadeIn(card[1], shift=0.2 * UP), run_time=1.5)
    scene.wait(hold)
    scene.play(FadeOut(card), run_time=0.6)


def heading(content: str) -> Text:
    """A beat's heading, pinned to the top-left corner."""
    return text(content, theme.SIZE_HEADING, weight="BOLD").to_corner(UP + LEFT, buff=0.4)


def styled_axes(
    x_range: Sequence[float],
    y_range: Sequence[float],
    width: float,
    height: float,
    *,
    x_log: bool = False,
    include_numbers: bool = True,
    x_numbers: Sequence[float] | None = None,
    y_numbers: Sequence[float] | None = None,
) -> Axes:
    """Axes in the theme's colours; ``x_log`` puts the x axis on log10 scale with 10^k labels."""
    x_config: dict = {"include_numbers": False, "font_size": theme.SIZE_SMALL}
    if x_log:
        from manim import LogBase

        x_config["scaling"] = LogBase(custom_labels=True)
    axes = Axes(
        x_range=list(x_range),
        y_range=list(y_range),
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": True},
        x_axis_config=x_config,
        y_axis_config={"include_numbers": False, "font_size": theme.SIZE_SMALL},
    )
    if include_numbers:
        if x_numbers is not None or x_log:
            xs = (
                x_numbers
                if x_numbers is not None
                else [10**k for k in range(int(x_range[0]), int(x_range[1]) + 1)]
            )
            labels = {x: _number_label(x, x_log) for x in xs}
            axes.x_axis.add_labels(labels, font_size=theme.SIZE_SMALL)
            if x_numbers is not None:
                ticks_at(axes.x_axis, x_numbers)
        else:
            axes.x_axis.add_numbers(font_size=theme.SIZE_SMALL, color=theme.MUTED)
        if y_numbers is not None:
            axes.y_axis.add_labels(
                {y: _number_label(y, False) for y in y_numbers}, font_size=theme.SIZE_SMALL
            )
            ticks_at(axes.y_axis, y_numbers)
        else:
            axes.y_axis.add_numbers(font_size=theme.SIZE_SMALL, color=theme.MUTED)
    return axes


def ticks_at(axis: NumberLine, numbers: Sequence[float]) -> None:
    """Tick the axis exactly at its numbers instead of at ``x_min + k step``: a range that starts
    half a step off a multiple of the step (bars centred on integers) would otherwise put every
    number half a step from its tick."""
    axis.remove(axis.ticks)
    axis.ticks = VGroup(*(axis.get_tick(x) for x in numbers))
    axis.add(axis.ticks)


def _number_label(x: float, power_of_ten: bool) -> MathTex:
    if power_of_ten and x > 0 and float(np.log10(x)).is_integer():
        tex = f"10^{{{int(np.log10(x))}}}" if x >= 10 else f"{x:g}"
    else:
        tex = f"{x:g}"
    return MathTex(tex, font_size=theme.SIZE_SMALL, color=theme.MUTED)


def polyline(
    axes: Axes, xs: np.ndarray, ys: np.ndarray, color, width: float = 2.0, opacity: float = 1.0
) -> VMobject:
    """A path through data points in axis coordinates (straight segments: exactly the data)."""
    points = axis_points(axes, xs, ys)
    path = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity)
    path.set_points_as_corners(points)
    return path


# Per axes: the geometry of its axis lines and the scene point of every (x, y) asked for so far.
_AXIS_POINTS: weakref.WeakKeyDictionary[Axes, tuple[bytes, dict]] = weakref.WeakKeyDictionary()


def axis_points(axes: Axes, xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    """``axes.c2p(x, y)`` of every pair, remembered while the axes stay where they are.

    Paths redrawn on every frame (``always_redraw``) ask for the same data points again and again,
    and one ``c2p`` costs far more than the drawing of its point; the points not remembered yet
    are found with one ``c2p`` of all of them, which does the same arithmetic element by element
    (the same floats) at a tenth of the cost per point. Moving or scaling the axes changes their
    lines' points, which forgets everything remembered for them.
    """
    geometry = b"".join(axis.points.tobytes() for axis in axes.axes)
    known, memo = _AXIS_POINTS.get(axes, (None, {}))
    if known != geometry:
        memo = {}
        _AXIS_POINTS[axes] = (geometry, memo)
    pairs = list(zip(np.asarray(xs, float).tolist(), np.asarray(ys, float).tolist(), strict=True))
    missing = [pair for pair in dict.fromkeys(pairs) if pair not in memo]
    if missing:
        found = axes.c2p(*np.array(missing).T).T.reshape(len(missing), 3)
        memo.update(zip(missing, found, strict=True))
    return [memo[pair] for pair in pairs]


def moving_dots(
    axes: Axes, place: Callable[[], tuple[np.ndarray, np.ndarray, Sequence]], radius: float
) -> VGroup:
    """Dots that follow ``place() -> (xs, ys, colours)`` on every frame, a fixed number of them.

    The same picture as ``always_redraw`` of a VGroup of ``Dot``s, built once: a redraw would
    construct every dot anew and ``become`` would copy it into the old one, each frame. Here each
    dot is given what ``become`` would give it, the points of a new ``Dot`` (a dot of its radius
    and colour at the origin, moved to its centre: the same floats as one built there) and a copy
    of that dot's colours, stroke and sheen.
    """
    prototypes: dict[str, Dot] = {}

    def prototype(color) -> Dot:
        key = str(color)
        if key not in prototypes:
            prototypes[key] = Dot(ORIGIN, radius=radius, color=color)
        return prototypes[key]

    def build() -> VGroup:
        xs, ys, colors = place()
        centres = axis_points(axes, xs, ys)
        return VGroup(
            *(Dot(c, radius=radius, color=k) for c, k in zip(centres, colors, strict=True))
        )

    def follow(_: VGroup) -> None:
        # Like always_redraw's updater, this one moves the group it was made for, whichever
        # mobject runs it: a FadeOut's copies of the group carry it and Manim runs it on them
        # every frame, and redrawing a copy (the faded target) would undo the fade.
        xs, ys, colors = place()
        centres = axis_points(axes, xs, ys)
        for dot, centre, color in zip(group.submobjects, centres, colors, strict=True):
            model = prototype(color)
            dot.points = model.points + centre
            dot.interpolate_color(dot, model, 1)

    group = build()
    group.add_updater(follow)
    return group


def band(
    axes: Axes, xs: np.ndarray, low: np.ndarray, high: np.ndarray, color, opacity: float = 0.18
) -> Polygon:
    """The filled region between two curves, e.g. a confidence funnel."""
    upper = axis_points(axes, xs, high)
    lower = axis_points(axes, xs[::-1], low[::-1])
    return Polygon(*upper, *lower, stroke_width=0, fill_color=color, fill_opacity=opacity)


def histogram(
    axes: Axes, edges: np.ndarray, heights: np.ndarray, color, opacity: float = 0.75
) -> VGroup:
    """Bars of the given heights between consecutive ``edges`` (density or counts, as computed)."""
    bars = VGroup()
    for left, right, h in zip(edges[:-1], edges[1:], heights, strict=True):
        if h <= 0:
            continue
        corner_lo = axes.c2p(float(left), 0.0)
        corner_hi = axes.c2p(float(right), float(h))
        bar = Rectangle(
            width=max(corner_hi[0] - corner_lo[0], 1e-3),
            height=max(corner_hi[1] - corner_lo[1], 1e-3),
            stroke_width=0.5,
            stroke_color=theme.BACKGROUND,
            fill_color=color,
            fill_opacity=opacity,
        )
        bar.move_to((corner_lo + corner_hi) / 2)
        bars.add(bar)
    return bars


def readout(
    label_tex: str, value: float, decimals: int = 2, color=theme.TEXT, size: int = theme.SIZE_BODY
) -> VGroup:
    """``label = value`` with a live DecimalNumber (readout[1]) that updaters can change."""
    label = math(label_tex + "=", size, color)
    number = DecimalNumber(value, num_decimal_places=decimals, font_size=size, color=color)
    number.next_to(label, RIGHT, buff=0.15)
    return VGroup(label, number)


def follow_value(number: DecimalNumber, value: Callable[[], float]) -> DecimalNumber:
    """Keep ``number`` showing ``value()`` on every frame, rebuilding its glyphs only on a change.

    ``DecimalNumber.set_value`` copies a glyph per character and lays them out again, and a
    counter updated every frame mostly shows the digits it already shows (a step number holds
    for many frames); see :func:`show_value`.
    """

    number.add_updater(lambda m: show_value(m, value()))
    return number


def show_value(number: DecimalNumber, value: float) -> None:
    """``number.set_value(value)``, except that glyphs showing the same digits are kept.

    A rebuild depends only on the digits shown (``value`` itself is just stored), and rebuilding
    the digits already shown gives back the same points and colours; so when the digits stay, only
    the value is stored, and the next change or animation starts from it.
    """
    if number._get_num_string(value) == number._get_num_string(number.get_value()):
        number.number = value
    else:
        number.set_value(value)


class ChangeReadout(ChangeDecimalToValue):
    """``ChangeDecimalToValue`` that rebuilds the glyphs only when the digits shown change.

    Manim's animation calls ``set_value`` on every frame: a count from 3 to 4 rebuilds "3" for half
    its frames, and a mean shown to three decimals keeps its digits for several (bayes spent a
    quarter of its CPU there).
    """

    def interpolate_mobject(self, alpha: float) -> None:
        show_value(self.mobject, self.number_update_func(self.rate_func(alpha)))


def legend(entries: Sequence[tuple[str, object]], size: int = theme.SIZE_LABEL) -> VGroup:
    """A vertical legend: a short coloured line and a text label per entry."""
    rows = VGroup()
    for label, color in entries:
        swatch = VMobject(stroke_color=color, stroke_width=5)
        swatch.set_points_as_corners([LEFT * 0.2, RIGHT * 0.2])
        rows.add(VGroup(swatch, text(label, size)).arrange(RIGHT, buff=0.2))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.15)


# --- Choosing what to draw -----------------------------------------------------------------------


def log_spaced_indices(first: int, last: int, count: int) -> np.ndarray:
    """0-based indices of about ``count`` log-spaced n in ``first..last``, without repeats.

    A path over n = 1..N drawn against log n needs only a few hundred of its points to be exact at
    screen size, but they must be spread evenly in log n, not in n.
    """
    return np.unique(np.round(np.geomspace(first, last, count)).astype(int)) - 1


def nice_step(top: float) -> float:
    """A 1-2-5 tick step giving two to five ticks below ``top``."""
    exponent = np.floor(np.log10(top / 3))
    for mantissa in (1, 2, 5, 10):
        step = mantissa * 10**exponent
        if top / step <= 5:
            return float(step)
    return float(10 ** (exponent + 1))


def nice_range(low: float, high: float) -> tuple[float, float, float]:
    """An axis range covering [low, high] with 4 to 10 round ticks: (start, stop, step)."""
    raw = (high - low) / 5
    step = min(
        (m * 10 ** _math.floor(_math.log10(raw)) for m in (1, 2, 5, 10)),
        key=lambda s: abs(s - raw),
    )
    start, stop = _math.floor(low / step) * step, _math.ceil(high / step) * step
    return round(start, 12), round(stop, 12), step


# --- Axes whose ranges do not contain zero -------------------------------------------------------
# Manim draws each axis through the other's zero, so a plot of y in [-8, 8], or of log10 values in
# [-12, 4], would have its x axis across the middle. The fix is always the same: draw the axes on
# [0, high - low] and shift the data by ``low``. These helpers do the shifting in one place.


def power_labels(powers: Sequence[int], base: int = 10) -> dict[float, str]:
    """Tick labels ``base^k`` for a log-valued axis, keyed by k."""
    return {k: f"{base}^{{{k}}}" for k in powers}


def shifted_polyline(
    axes: Axes, xs: np.ndarray, ys: np.ndarray, low: float, high: float, color, width: float = 2.0
) -> VMobject:
    """``ys`` clipped to [low, high], drawn on axes whose y range is [0, high - low]."""
    return polyline(axes, xs, np.clip(ys, low, high) - low, color, width)


def add_shifted_y_labels(axes: Axes, values: Sequence[float], low: float) -> None:
    """Label the y axis of shifted axes (see :func:`shifted_polyline`) with the data's values."""
    small = {"size": theme.SIZE_SMALL, "color": theme.MUTED}
    axes.y_axis.add_labels({v - low: math(f"{v:g}", **small) for v in values})
    ticks_at(axes.y_axis, [v - low for v in values])


class EdgeAxes:
    """Axes along the bottom and left edges of a plot whose ranges need not contain zero.

    The drawn coordinates are shifted so both axes start at the corner; :meth:`point` and
    :meth:`line` take data coordinates, and the labels are keyed by data values.
    """

    def __init__(
        self,
        x_range: Sequence[float],
        y_range: Sequence[float],
        width: float,
        height: float,
        x_labels: Mapping[float, str],
        y_labels: Mapping[float, str],
    ) -> None:
        self.x0, self.y0 = x_range[0], y_range[0]
        self.axes = styled_axes(
            [0, x_range[1] - self.x0, x_range[2]],
            [0, y_range[1] - self.y0, y_range[2]],
            width,
            height,
            include_numbers=False,
        )
        small = {"size": theme.SIZE_SMALL, "color": theme.MUTED}
        self.axes.x_axis.add_labels({x - self.x0: math(t, **small) for x, t in x_labels.items()})
        self.axes.y_axis.add_labels({y - self.y0: math(t, **small) for y, t in y_labels.items()})

    def point(self, x: float, y: float) -> Vector3D:
        return self.axes.c2p(float(x) - self.x0, float(y) - self.y0)

    def line(self, xs, ys, color, width: float = 3.0) -> VMobject:
        return polyline(self.axes, np.asarray(xs) - self.x0, np.asarray(ys) - self.y0, color, width)
