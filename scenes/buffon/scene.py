"""Buffon's needle, drawn from :mod:`scenes.buffon.model`.

Beats: needles falling on ruled lines; why the chance is 2l/(t pi) (the distance-angle square);
the running estimate beside darts in a square; a thousand repeated experiments (and Lazzarini's
too-good result); long needles, where the naive formula fails; a summary.

Thousands of needles and points are drawn as one VMobject per colour (one subpath each), so the
renderer strokes or fills them in a single call instead of managing thousands of mobjects.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arc,
    Create,
    DashedLine,
    FadeIn,
    Line,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from scenes.buffon.model import BuffonData
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    band,
    follow_value,
    heading,
    histogram,
    log_spaced_indices,
    nice_range,
    polyline,
    readout,
    show_title,
    styled_axes,
    text,
)
from scenes.shared.widgets import (
    math as tex,
)

FIRST_N = 10  # running-estimate plots start here: below it pi_hat is mostly undefined or wild
LONG_NEEDLES_DRAWN = 250  # long needles drawn on the board (all of them are counted)
MARKS_DRAWN = 5000  # at most this many needles, points or darts drawn (all of them are counted)
PLOT_POINTS = 240  # log-spaced points per running-estimate path


def segments(
    starts: np.ndarray, ends: np.ndarray, color, width: float, opacity: float = 1.0
) -> VMobject:
    """Many straight segments as one VMobject: one subpath per segment, one stroke call to draw."""
    starts, ends = np.asarray(starts, float), np.asarray(ends, float)
    step = (ends - starts) / 3.0
    points = np.stack([starts, starts + step, starts + 2 * step, ends], axis=1).reshape(-1, 3)
    mob = VMobject(stroke_color=color, stroke_width=width, stroke_opacity=opacity, fill_opacity=0)
    mob.set_points(points)
    return mob


def dot_cloud(centres: np.ndarray, size: float, color, opacity: float = 1.0) -> VMobject:
    """Many small filled squares as one VMobject (one closed subpath each)."""
    corners = 0.5 * size * np.array([[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]], float)
    square = corners[None, :, :] + np.asarray(centres, float)[:, None, :]
    a, b = square, np.roll(square, -1, axis=1)
    step = (b - a) / 3.0
    points = np.stack([a, a + step, a + 2 * step, b], axis=2).reshape(-1, 3)
    mob = VMobject(stroke_width=0, fill_color=color, fill_opacity=opacity)
    mob.set_points(points)
    return mob


def capped_note(total: int) -> VGroup:
    """'first k of N drawn' when the picture shows only some of the throws, else nothing."""
    if total <= MARKS_DRAWN:
        return VGroup()
    return VGroup(text(f"first {MARKS_DRAWN} of {total} drawn", theme.SIZE_SMALL, theme.MUTED))


@dataclasses.dataclass(frozen=True)
class Board:
    """Where the model's board coordinates land on screen: a lower-left corner and a scale."""

    corner: np.ndarray
    scale: float

    @classmethod
    def fit(cls, width: float, height: float, box_w: float, box_h: float, centre) -> Board:
        scale = min(box_w / width, box_h / height)
        corner = np.asarray(centre, float) - scale * np.array([width / 2, height / 2, 0.0])
        return cls(corner, scale)

    def point(self, xy: np.ndarray) -> np.ndarray:
        xy = np.atleast_2d(xy)
        return self.corner + self.scale * np.column_stack([xy[:, 0], xy[:, 1], np.zeros(len(xy))])

    def needle_ends(self, rows: np.ndarray, length: float) -> tuple[np.ndarray, np.ndarray]:
        half = 0.5 * length * np.column_stack([np.cos(rows[:, 2]), np.sin(rows[:, 2])])
        return self.point(rows[:, :2] - half), self.point(rows[:, :2] + half)

    def ruled_lines(self, ys: np.ndarray, x0: float, x1: float, **style) -> VGroup:
        return VGroup(
            *(
                Line(self.point(np.array([x0, y]))[0], self.point(np.array([x1, y]))[0], **style)
                for y in ys
            )
        )


class BuffonsNeedle(MathreelScene):
    def construct(self) -> None:
        data: BuffonData = self.model
        self.needles_on_lines(data)
        self.why_two_over_pi(data)
        self.needles_against_darts(data)
        self.repeated_experiments(data)
        self.long_needles(data)
        self.summary(data)

    # -- beats -------------------------------------------------------------------------------

    def needles_on_lines(self, data: BuffonData) -> None:
        self.beat("Needles on ruled lines")
        show_title(
            self, "Buffon's Needle", "estimating pi by dropping needles, and how far to trust it"
        )
        total = len(data.crosses)
        length, t = data.needle_length, data.line_spacing
        title = heading("Drop needles on a ruled floor")
        board = Board.fit(
            data.board_width + length, data.board_height + length, 8.3, 5.6, [-2.3, -0.3, 0]
        )
        shifted = data.needles.copy()
        shifted[:, :2] += 0.5 * length  # the margin half a needle wide around the board
        starts, ends = board.needle_ends(shifted, length)
        ys = 0.5 * length + t * np.arange(round(data.board_height / t) + 1)
        lines = board.ruled_lines(
            ys, 0.0, data.board_width + length, color=theme.MUTED, stroke_width=2
        )

        spacing_mark = self.spacing_marker(board, ys[0], ys[1])
        k = ValueTracker(0)

        def shown() -> int:
            return int(np.clip(round(k.get_value()), 0, total))

        def needle_picture() -> VGroup:
            n = min(shown(), MARKS_DRAWN)
            hit = data.crosses[:n]
            width = 2.6 if n < 100 else 1.2
            return VGroup(
                segments(starts[:n][~hit], ends[:n][~hit], theme.PRIMARY, width, 0.5),
                segments(starts[:n][hit], ends[:n][hit], theme.SECONDARY, width, 0.8),
            )

        needles = always_redraw(needle_picture)
        n_read = readout("N", 0, decimals=0)
        h_read = readout(r"H \ (\text{crossing})", 0, decimals=0, color=theme.SECONDARY)
        pi_read = readout(r"\hat\pi = \frac{2lN}{tH}", 0.0, decimals=4)
        undefined = text("undefined while H = 0", theme.SIZE_SMALL, theme.MUTED)
        panel = VGroup(n_read, h_read, pi_read).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        panel.next_to(lines, RIGHT, buff=0.7).align_to(lines, UP)
        undefined.next_to(pi_read[0], RIGHT, buff=0.15)
        follow_value(n_read[1], shown)
        follow_value(h_read[1], lambda: int(data.hits[shown() - 1]) if shown() else 0)

        def estimate_or_blank(m) -> None:
            n = shown()
            value = data.running_estimate[n - 1] if n else math.nan
            if np.isfinite(value):
                m.set_value(float(value)).set_opacity(1)
            else:
                m.set_opacity(0)

        def blank_until_defined(m) -> None:
            n = shown()
            m.set_opacity(0 if n and np.isfinite(data.running_estimate[n - 1]) else 1)

        pi_read[1].add_updater(estimate_or_blank)
        undefined.add_updater(blank_until_defined)
        self.play(FadeIn(title), Create(lines, lag_ratio=0.1), FadeIn(spacing_mark), run_time=1.5)
        self.add(needles)
        self.play(FadeIn(panel), FadeIn(undefined), run_time=0.5)
        ratio = "t" if length == t else f"{length / t:g} t"
        self.say(f"Drop needles of length l on lines t apart; here l = {ratio}.", 4.0)
        for i in range(1, 7):
            self.play(k.animate.set_value(i), run_time=0.55)
        self.say("Gold needles cross a line. Count H crossings among N needles.", 5.0)
        self.play(k.animate.set_value(80), run_time=4.5, rate_func=linear)
        law = tex(r"P(\text{cross}) = \frac{2l}{t\pi}", theme.SIZE_BODY, theme.SECONDARY)
        law.next_to(panel, DOWN, aligned_edge=LEFT, buff=0.6)
        self.say("A needle crosses with probability 2l/(t pi), so 2lN/(tH) estimates pi.", 7.0)
        self.play(Write(law), run_time=1.0)
        self.play(k.animate.set_value(total), run_time=6.5, rate_func=lambda s: s**2.2)
        error = data.running_estimate[-1] - np.pi
        se = data.standard_error[-1]
        verdict = VGroup(
            text(f"off by {error:+.3f}, that is", theme.SIZE_LABEL, theme.MUTED),
            text(f"{error / se:+.1f} standard errors ({se:.3f})", theme.SIZE_LABEL, theme.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        verdict.next_to(law, DOWN, aligned_edge=LEFT, buff=0.45)
        verdict.add(*capped_note(total).next_to(verdict, DOWN, aligned_edge=LEFT, buff=0.2))
        self.play(FadeIn(verdict), run_time=0.6)
        self.wait(2.5)
        for m in (n_read[1], h_read[1], pi_read[1], undefined):
            m.clear_updaters()
        self.clear_stage()

    def spacing_marker(self, board: Board, y0: float, y1: float) -> VGroup:
        """A bracket left of the board between two neighbouring lines, labelled t."""
        bottom = board.point(np.array([0.0, y0]))[0] + 0.25 * LEFT
        top = board.point(np.array([0.0, y1]))[0] + 0.25 * LEFT
        bar = Line(bottom, top, color=theme.TEXT, stroke_width=2)
        ticks = VGroup(
            Line(bottom + 0.08 * LEFT, bottom + 0.08 * RIGHT, color=theme.TEXT, stroke_width=2),
            Line(top + 0.08 * LEFT, top + 0.08 * RIGHT, color=theme.TEXT, stroke_width=2),
        )
        label = tex("t", theme.SIZE_LABEL).next_to(bar, LEFT, buff=0.12)
        return VGroup(bar, ticks, label)

    def why_two_over_pi(self, data: BuffonData) -> None:
        self.beat("Why 2l/(t pi)")
        length, t = data.needle_length, data.line_spacing
        title = heading("One needle, two numbers")
        diagram = self.one_needle_diagram(length, t).move_to([-4.3, 0.3, 0])
        rule = tex(
            r"\text{crosses} \iff x \le \tfrac{l}{2}\sin\theta", theme.SIZE_LABEL, theme.SECONDARY
        ).next_to(diagram, DOWN, buff=0.45)
        self.play(FadeIn(title), FadeIn(diagram), run_time=1.2)
        self.say("Only two numbers matter: the distance x to the nearest line and the angle.", 5.0)
        self.play(Write(rule), run_time=1.0)
        self.wait(3.0)

        axes = styled_axes(
            [0, np.pi, np.pi / 2], [0, t / 2, t / 4], 6.0, 3.0, include_numbers=False
        )
        axes.move_to([3.0, 1.0, 0])
        axes.x_axis.add_labels(
            {
                0: tex("0", theme.SIZE_SMALL, theme.MUTED),
                np.pi / 2: tex(r"\pi/2", theme.SIZE_SMALL, theme.MUTED),
                np.pi: tex(r"\pi", theme.SIZE_SMALL, theme.MUTED),
            },
        )
        axes.y_axis.add_labels({t / 2: tex(r"t/2", theme.SIZE_SMALL, theme.MUTED)})
        x_label = tex(r"\theta", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.x_axis, RIGHT, buff=0.15
        )
        y_label = tex("x", theme.SIZE_LABEL, theme.MUTED).next_to(axes.y_axis, UP, buff=0.1)
        thetas = np.linspace(0, np.pi, 181)
        curve_y = 0.5 * length * np.sin(thetas)
        curve = polyline(axes, thetas, curve_y, theme.SECONDARY, 3.5)
        under = band(axes, thetas, np.zeros_like(thetas), curve_y, theme.SECONDARY, opacity=0.25)
        square = Rectangle(
            width=axes.x_length, height=axes.y_length, stroke_color=theme.TEXT, stroke_width=2
        ).move_to(axes.c2p(np.pi / 2, t / 4))
        dots = np.asarray(axes.c2p(data.needles[:, 2], data.distance_to_line)).T  # (N, 3)
        k = ValueTracker(0)

        def cloud() -> VGroup:
            n = min(round(k.get_value()), MARKS_DRAWN)
            hit = data.crosses[:n]
            return VGroup(
                dot_cloud(dots[:n][~hit], 0.035, theme.PRIMARY, 0.6),
                dot_cloud(dots[:n][hit], 0.035, theme.SECONDARY, 0.9),
            )

        points = always_redraw(cloud)
        self.play(Create(axes), FadeIn(x_label, y_label), Create(square), run_time=1.2)
        self.add(points)
        self.say(
            "Each needle is one point in this box; it crosses when the point is under the curve.",
            5.0,
        )
        self.play(Create(curve), run_time=0.8)
        self.play(k.animate.set_value(len(data.crosses)), run_time=4.0, rate_func=linear)
        areas = tex(
            r"\frac{\int_0^\pi \tfrac{l}{2}\sin\theta\,d\theta}{\pi \cdot t/2}"
            r" = \frac{l}{\pi t/2} = \frac{2l}{t\pi}",
            theme.SIZE_LABEL,
        ).next_to(axes, DOWN, buff=0.6)
        self.say("The chance is the shaded area over the box: l / (pi t/2) = 2l/(t pi).", 6.5)
        self.play(FadeIn(under), Write(areas), run_time=1.5)
        share = VGroup(
            text(
                f"share under the curve: {data.crosses.mean():.3f}"
                f"   2l/(tπ) = {data.cross_probability:.3f}",
                theme.SIZE_SMALL,
                theme.MUTED,
            ),
            *capped_note(len(data.crosses)),
        ).arrange(DOWN, buff=0.1)
        share.next_to(areas, DOWN, buff=0.25)
        self.play(FadeIn(share), run_time=0.6)
        self.wait(4.0)
        self.clear_stage()

    def one_needle_diagram(self, length: float, t: float) -> VGroup:
        """One needle between two lines with its distance x, angle theta and half-rise."""
        unit = 3.2 / t
        theta = np.radians(52)
        centre = np.array([0.0, 0.34 * t * unit, 0.0])
        half = 0.5 * length * unit * np.array([np.cos(theta), np.sin(theta), 0.0])
        lines = VGroup(
            Line([-2.2, 0, 0], [2.2, 0, 0], color=theme.MUTED, stroke_width=2.5),
            Line([-2.2, t * unit, 0], [2.2, t * unit, 0], color=theme.MUTED, stroke_width=2.5),
        )
        needle = Line(centre - half, centre + half, color=theme.SECONDARY, stroke_width=5)
        foot = np.array([centre[0], 0.0, 0.0])
        distance = DashedLine(centre, foot, color=theme.TEXT, stroke_width=2.5)
        x_label = tex("x", theme.SIZE_LABEL).next_to(distance, LEFT, buff=0.1)
        low_end = centre - half
        rise = DashedLine(
            low_end + (centre[0] - low_end[0] + 0.55) * RIGHT,
            np.array([centre[0] + 0.55, centre[1], 0.0]),
            color=theme.PRIMARY,
            stroke_width=2.5,
        )
        rise_label = tex(r"\tfrac{l}{2}\sin\theta", theme.SIZE_LABEL, theme.PRIMARY)
        rise_label.next_to(rise, RIGHT, buff=0.1)
        arc = Arc(radius=0.45, start_angle=0, angle=theta, arc_center=centre, color=theme.TEXT)
        theta_label = tex(r"\theta", theme.SIZE_LABEL).move_to(
            centre + 0.72 * np.array([np.cos(theta / 2), np.sin(theta / 2), 0])
        )
        horizon = DashedLine(centre, centre + 0.7 * RIGHT, color=theme.MUTED, stroke_width=1.5)
        return VGroup(lines, needle, distance, x_label, rise, rise_label, horizon, arc, theta_label)

    def estimate_axes(self, data: BuffonData, y_range, width: float, height: float, y_numbers):
        axes = styled_axes(
            [np.log10(FIRST_N), np.log10(len(data.n)), 1],
            y_range,
            width,
            height,
            x_log=True,
            x_numbers=[10**k for k in range(1, int(np.log10(len(data.n))) + 1)],
            y_numbers=y_numbers,
        )
        x_label = tex(r"N \ (\text{log scale})", theme.SIZE_SMALL, theme.MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.4)
        return axes, x_label

    def needles_against_darts(self, data: BuffonData) -> None:
        self.beat("Needles against darts")
        total = len(data.n)
        title = heading("The running estimate, with ±2 standard errors")
        side = 3.0
        square_corner = np.array([-6.55, -1.25, 0.0])
        square = Rectangle(width=side, height=side, stroke_color=theme.TEXT, stroke_width=2)
        square.move_to(square_corner + side / 2 * (RIGHT + UP))
        quarter = Arc(
            radius=side, start_angle=0, angle=np.pi / 2, arc_center=square_corner, color=theme.GOOD
        )
        dart_xy = square_corner + side * np.column_stack([data.dart_points, np.zeros(total)])
        dart_label = tex(r"\hat\pi = 4\,\frac{\text{inside}}{N}", theme.SIZE_LABEL, theme.GOOD)
        dart_label.next_to(square, UP, buff=0.3)

        lo, hi = 2.6, 3.8
        axes, x_label = self.estimate_axes(data, [lo, hi, 0.2], 7.6, 4.4, [2.8, 3.0, 3.2, 3.4, 3.6])
        axes.move_to([2.55, 0.0, 0])
        x_label.next_to(axes.x_axis, DOWN, buff=0.4)
        idx = log_spaced_indices(FIRST_N, total, PLOT_POINTS)
        n = data.n[idx]
        needle_band = self.two_se_band(axes, n, data.standard_error[idx], (lo, hi), theme.BAND)
        dart_band = self.two_se_band(axes, n, data.dart_standard_error[idx], (lo, hi), theme.GOOD)
        pi_line = DashedLine(
            axes.c2p(FIRST_N, np.pi), axes.c2p(total, np.pi), color=theme.TEXT, stroke_width=2
        )
        pi_label = tex(r"\pi", theme.SIZE_LABEL).next_to(pi_line, RIGHT, buff=0.12)
        needle_est = np.clip(data.running_estimate[idx], lo, hi)
        dart_est = np.clip(data.dart_running_estimate[idx], lo, hi)
        log_n = ValueTracker(np.log10(FIRST_N))

        def n_now() -> int:
            return int(np.clip(round(10 ** log_n.get_value()), FIRST_N, total))

        def paths() -> VGroup:
            upto = max(2, int(np.searchsorted(n, n_now(), side="right")))
            finite = np.isfinite(needle_est[:upto])
            return VGroup(
                polyline(axes, n[:upto][finite], needle_est[:upto][finite], theme.PRIMARY, 3),
                polyline(axes, n[:upto], dart_est[:upto], theme.GOOD, 3),
            )

        def darts() -> VGroup:
            m = min(n_now(), MARKS_DRAWN)
            inside = data.dart_inside[:m]
            return VGroup(
                dot_cloud(dart_xy[:m][~inside], 0.03, theme.MUTED, 0.8),
                dot_cloud(dart_xy[:m][inside], 0.03, theme.GOOD, 0.85),
            )

        key = (
            VGroup(
                tex(r"\text{needles} \pm 2\,\text{SE}", theme.SIZE_SMALL, theme.PRIMARY),
                tex(r"\text{darts} \pm 2\,\text{SE}", theme.SIZE_SMALL, theme.GOOD),
            )
            .arrange(RIGHT, buff=0.6)
            .next_to(axes, UP, buff=0.2)
        )
        self.play(
            FadeIn(title),
            Create(axes),
            FadeIn(x_label),
            Create(square),
            Create(quarter),
            run_time=1.2,
        )
        self.play(FadeIn(dart_label), FadeIn(key), Create(pi_line), FadeIn(pi_label), run_time=0.8)
        self.say("Darts in a square estimate pi too: the quarter circle covers pi/4 of it.", 4.5)
        self.play(FadeIn(needle_band), FadeIn(dart_band), run_time=1.0)
        self.wait(1.5)
        self.add(always_redraw(paths), always_redraw(darts))
        self.say(
            f"The needles are outside their band at {data.outside_band_share:.0%} of the N,"
            f" the darts at {data.dart_outside_band_share:.0%}.",
            8.0,
        )
        self.play(log_n.animate.set_value(np.log10(total)), run_time=8, rate_func=linear)
        final = VGroup(
            tex(
                rf"\hat\pi = {data.running_estimate[-1]:.3f} \pm {2 * data.standard_error[-1]:.3f}",
                theme.SIZE_LABEL,
                theme.PRIMARY,
            ),
            tex(
                rf"\hat\pi = {data.dart_running_estimate[-1]:.3f}"
                rf" \pm {2 * data.dart_standard_error[-1]:.3f}",
                theme.SIZE_LABEL,
                theme.GOOD,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        final.add(*capped_note(total)).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        final.next_to(square, DOWN, buff=0.3).align_to(square, LEFT)
        self.say(
            f"At N = {total}: standard errors {data.standard_error[0]:.2f}/sqrt(N) for needles,"
            f" {data.dart_standard_error[0]:.2f}/sqrt(N) for darts.",
            5.0,
        )
        self.play(FadeIn(final), run_time=0.8)
        self.wait(3.5)
        self.clear_stage()

    def two_se_band(self, axes, n: np.ndarray, se: np.ndarray, clip, color) -> VGroup:
        """pi -+ 2 SE as a translucent fill with solid edges (clipped to the plot)."""
        low, high = np.clip(np.pi - 2 * se, *clip), np.clip(np.pi + 2 * se, *clip)
        return VGroup(
            band(axes, n, low, high, color, opacity=0.14),
            polyline(axes, n, low, color, 1.5, opacity=0.8),
            polyline(axes, n, high, color, 1.5, opacity=0.8),
        )

    def repeated_experiments(self, data: BuffonData) -> None:
        total, repeats = len(data.n), len(data.repeated_estimates)
        self.beat(f"{repeats:,} experiments")
        title = heading(f"{repeats} experiments of {total} throws each")
        hist, curves = data.repeated_histogram, data.repeated_normal
        edges = hist["edges"]
        top = 1.1 * float(max(hist["dart_density"].max(), curves["dart_pdf"].max()))
        start, stop, step = nice_range(float(edges[0]), float(edges[-1]))
        ticks = [round(v, 12) for v in np.arange(start + step, stop - step / 2, step)]
        rows = (
            ("needle", data.repeated_estimates, data.standard_error[-1], theme.PRIMARY, "needles"),
            (
                "dart",
                data.repeated_dart_estimates,
                data.dart_standard_error[-1],
                theme.GOOD,
                "darts",
            ),
        )
        panels = VGroup()
        for (key, values, se, color, name), y in zip(rows, (1.5, -0.85), strict=True):
            axes = styled_axes(
                [start, stop, step], [0, top, top], 7.4, 1.6, x_numbers=ticks, y_numbers=[]
            )
            axes.move_to([-1.2, y, 0])
            bars = histogram(axes, edges, hist[f"{key}_density"], color, opacity=0.7)
            normal = polyline(axes, curves["x"], curves[f"{key}_pdf"], theme.SECONDARY, 3)
            pi_mark = DashedLine(
                axes.c2p(np.pi, 0), axes.c2p(np.pi, top), color=theme.TEXT, stroke_width=1.5
            )
            label = text(name, theme.SIZE_LABEL, color).next_to(axes, LEFT, buff=0.35)
            spread = tex(
                rf"\text{{sd}} = {np.std(values, ddof=1):.4f} \\ \text{{SE}} = {se:.4f}",
                theme.SIZE_LABEL,
            ).next_to(axes, RIGHT, buff=0.45)
            panels.add(VGroup(axes, bars, normal, pi_mark, label, spread))
        legend = tex(
            r"\text{curve: } \mathcal{N}(\pi, \text{SE}^2) \text{ from the delta method}",
            theme.SIZE_SMALL,
            theme.SECONDARY,
        ).next_to(title, DOWN, aligned_edge=LEFT, buff=0.25)
        self.play(FadeIn(title), run_time=0.6)
        self.say(
            "Repeat the whole experiment many times and look at the spread of the answers.", 5.0
        )
        for axes, bars, _, pi_mark, label, _ in panels:
            self.play(Create(axes), FadeIn(label), Create(pi_mark), run_time=0.6)
            self.play(FadeIn(bars, lag_ratio=0.04), run_time=1.2)
        self.say(
            "The delta-method standard error predicts the spread; darts really are tighter.", 5.5
        )
        self.play(
            *(Create(p[2]) for p in panels),
            *(FadeIn(p[5]) for p in panels),
            FadeIn(legend),
            run_time=1.2,
        )
        self.wait(3.0)
        laz = data.lazzarini
        note = VGroup(
            text(
                f"Lazzarini (1901) reported {laz['crossings']} crossings in {laz['throws']} tosses:"
                f" pi = 355/113, off by {abs(laz['estimate'] - np.pi):.0e}.",
                theme.SIZE_SMALL,
            ),
            text(
                f"An honest run of that size has SE {laz['standard_error']:.3f}; "
                + (
                    f"his count is the likeliest one, yet comes up only"
                    f" {laz['probability_of_count']:.1%} of the time: no tell."
                    if np.isclose(
                        laz["probability_of_count"], laz["probability_of_likeliest_count"]
                    )
                    else f"his count comes up {laz['probability_of_count']:.1%} of the time,"
                    f" the likeliest {laz['probability_of_likeliest_count']:.1%}."
                ),
                theme.SIZE_SMALL,
            ),
            text(
                f"The tell: 355/113 is reachable only if {laz['reachable_every']} divides N,"
                f" and {laz['throws']} = {laz['throws_over_reachable_every']:g}"
                f" x {laz['reachable_every']}.",
                theme.SIZE_SMALL,
                theme.ACCENT,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.move_to([0, -2.55, 0])
        digits = int(np.floor(-np.log10(abs(laz["estimate"] - np.pi)))) + 1
        self.say(
            f"{digits} right digits from {laz['throws']} tosses, a multiple of"
            f" {laz['reachable_every']}: tuned, not lucky.",
            6.0,
        )
        self.play(FadeIn(note), run_time=0.8)
        self.wait(4.5)
        self.clear_stage()

    def long_needles(self, data: BuffonData) -> None:
        self.beat("Long needles")
        t, long_l = data.line_spacing, data.long_needle_length
        total = len(data.n)
        ratio = long_l / t
        title = heading(f"Needles {ratio:g} times as long as the gap")
        formula = tex(
            r"P(\text{cross}) = \frac{2}{\pi}\Big(\arccos\frac{t}{l}"
            r" + \frac{l}{t}\Big(1 - \sqrt{1 - t^2/l^2}\Big)\Big)"
            rf" = {data.long_cross_probability:.4f} \ne \frac{{2l}}{{t\pi}}",
            theme.SIZE_LABEL,
            theme.SECONDARY,
        ).next_to(title, DOWN, aligned_edge=LEFT, buff=0.3)
        margin = math.ceil(ratio / 2) * t  # lines beyond the board that long needles can reach
        board = Board.fit(
            data.board_width + long_l, data.board_height + 2 * margin, 5.6, 3.7, [-3.9, -0.1, 0]
        )
        shown = data.long_needles[:LONG_NEEDLES_DRAWN].copy()
        shown[:, 0] += 0.5 * long_l
        shown[:, 1] += margin
        starts, ends = board.needle_ends(shown, long_l)
        count = data.long_crossings[:LONG_NEEDLES_DRAWN]
        ys = t * np.arange(round((data.board_height + 2 * margin) / t) + 1)
        lines = board.ruled_lines(
            ys, 0.0, data.board_width + long_l, color=theme.MUTED, stroke_width=1.5
        )
        needles = VGroup(
            segments(starts[count == 0], ends[count == 0], theme.PRIMARY, 1.8, 0.5),
            segments(starts[count == 1], ends[count == 1], theme.SECONDARY, 1.8, 0.85),
            segments(starts[count >= 2], ends[count >= 2], theme.ACCENT, 1.8, 0.95),
        )
        board_key = VGroup(
            text("0 lines", theme.SIZE_SMALL, theme.PRIMARY),
            text("1 line", theme.SIZE_SMALL, theme.SECONDARY),
            text("2 or more", theme.SIZE_SMALL, theme.ACCENT),
            text(f"(first {LONG_NEEDLES_DRAWN} of {total})", theme.SIZE_SMALL, theme.MUTED),
        ).arrange(RIGHT, buff=0.35)
        board_key.next_to(lines, DOWN, buff=0.3)

        # room above the naive estimate's limit, so its whole path shows
        hi = max(5.0, 1.3 * float(data.long_naive_estimate[-1]))
        _, _, step = nice_range(3.0, hi)
        lo = 3.0 - step * math.ceil(0.4 / step)  # on a tick, at least 0.4 below pi
        y_numbers = [round(v, 12) for v in np.arange(3.0, hi, step)]
        axes, x_label = self.estimate_axes(data, [lo, hi, step], 4.4, 3.9, y_numbers)
        axes.move_to([1.7, -0.1, 0])
        x_label.next_to(axes.x_axis, DOWN, buff=0.4)
        idx = log_spaced_indices(FIRST_N, total, PLOT_POINTS)
        n = data.n[idx]
        pi_line = DashedLine(
            axes.c2p(FIRST_N, np.pi), axes.c2p(total, np.pi), color=theme.TEXT, stroke_width=2
        )
        pi_label = tex(r"\pi", theme.SIZE_LABEL).next_to(pi_line, RIGHT, buff=0.12)
        estimates = (
            (data.long_naive_estimate, theme.ACCENT, r"\frac{2lN}{tH}"),
            (data.long_corrected_estimate, theme.SECONDARY, r"\frac{c}{H/N - a}"),
            (data.long_barbier_estimate, theme.GOOD, r"\frac{2lN}{t\,C}"),
        )
        paths = VGroup()
        for values, color, _ in estimates:
            finite = np.isfinite(values[idx])
            paths.add(polyline(axes, n[finite], np.clip(values[idx][finite], lo, hi), color, 3))
        honest_band = self.long_band(data, axes, idx, (lo, hi))
        two_se = 2 * data.long_corrected_standard_error[-1]
        ends_text = VGroup()
        for values, color, label in estimates:
            ends_text.add(VGroup(tex(rf"{label} \to {values[-1]:.2f}", theme.SIZE_LABEL, color)))
        # only the honest estimate's band is drawn: its width, under its end value
        ends_text[1].add(
            tex(rf"\pm {two_se:.2f}\ (2\,\text{{SE}})", theme.SIZE_SMALL, theme.SECONDARY)
        )
        ends_text[1][1].next_to(ends_text[1][0], DOWN, buff=0.1).align_to(ends_text[1][0], RIGHT)
        ends_text.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        ends_text.next_to(axes, RIGHT, buff=0.4)
        barbier_note = VGroup(
            tex(
                rf"a = \tfrac{{2}}{{\pi}}\arccos\tfrac{{t}}{{l}} = {data.long_angle_share:.4f}",
                theme.SIZE_SMALL,
                theme.SECONDARY,
            ),
            tex(rf"c = {data.long_slope:.4f}", theme.SIZE_SMALL, theme.SECONDARY),
            text("C: all crossings", theme.SIZE_SMALL, theme.GOOD),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        barbier_note.next_to(ends_text, DOWN, aligned_edge=LEFT, buff=0.3)

        self.play(FadeIn(title), Create(lines, lag_ratio=0.05), run_time=1.2)
        self.say(
            f"Now make the needle {ratio:g} times the gap: one needle can cross two lines.", 5.0
        )
        self.play(FadeIn(needles, lag_ratio=0.02), FadeIn(board_key), run_time=2.0)
        self.wait(1.5)
        self.play(Create(axes), FadeIn(x_label), Create(pi_line), FadeIn(pi_label), run_time=1.0)
        self.say("The short-needle formula now overshoots: its probability is wrong here.", 5.5)
        self.play(Create(paths[0]), FadeIn(ends_text[0]), run_time=2.5)
        self.wait(1.0)
        widening = data.long_corrected_standard_error[-1] / data.standard_error[-1]
        self.say(
            f"P solved for pi fits, in a band {widening:.1f} times as wide; so does Barbier's C.",
            7.0,
        )
        self.play(Write(formula), run_time=1.2)
        self.play(
            FadeIn(honest_band),
            Create(paths[1]),
            Create(paths[2]),
            FadeIn(ends_text[1:]),
            FadeIn(barbier_note),
            run_time=2.5,
        )
        self.wait(3.5)
        self.clear_stage()

    def long_band(self, data: BuffonData, axes, idx: np.ndarray, clip) -> VGroup:
        """pi -+ 2 SE of the honest long-needle estimate, where that estimate exists."""
        n = data.n[idx]
        return self.two_se_band(
            axes, n, data.long_corrected_standard_error[idx], clip, theme.SECONDARY
        )

    def summary(self, data: BuffonData) -> None:
        self.beat("Summary")
        lines = VGroup(
            tex(r"P(\text{cross}) = \frac{2l}{t\pi} \quad (l \le t)"),
            tex(
                rf"\text{{SE}}(\hat\pi) \approx \frac{{{data.standard_error[0]:.2f}}}{{\sqrt N}}"
                r"\ \text{needles},"
                rf"\quad \frac{{{data.dart_standard_error[0]:.2f}}}{{\sqrt N}}\ \text{{darts}}"
            ),
            tex(r"l > t:\ \mathbb{E}[\text{crossings}] = \frac{2l}{t\pi}\ \text{still}"),
        ).arrange(DOWN, buff=0.75, aligned_edge=LEFT)
        notes = VGroup(
            text("geometry turns a count into pi", theme.SIZE_SMALL, theme.SECONDARY),
            text("every estimate comes with its error bar", theme.SIZE_SMALL, theme.PRIMARY),
            text("the formula has a domain: check it", theme.SIZE_SMALL, theme.ACCENT),
        )
        for line, note in zip(lines, notes, strict=True):
            note.next_to(line, DOWN, aligned_edge=LEFT, buff=0.12)
        VGroup(lines, notes).scale(1.15).move_to(0.35 * UP)
        self.say(
            "A count becomes pi; its error bar says how far to trust it.",
            9.0,
        )
        for line, note in zip(lines, notes, strict=True):
            self.play(Write(line), FadeIn(note, shift=0.2 * LEFT), run_time=1.2)
        self.wait(6.0)
