"""Gradient descent paths, drawn from :mod:`scenes.gradient_descent.model`.

Beats: Rosenbrock's valley and the Hessian's ellipse at its minimum; plain GD zig-zagging and then
crawling, with a step counter and a log-loss inset; heavy ball and Nesterov at the same learning
rate; Adam's first steps and its hovering; a learning-rate sweep around 2/lambda_max; SGD's noise
balls on a quadratic; a saddle that holds exact GD and lets noise through.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Create,
    Cross,
    DashedLine,
    DashedVMobject,
    DecimalNumber,
    Dot,
    Ellipse,
    FadeIn,
    FadeOut,
    GrowFromEdge,
    Integer,
    Line,
    Rectangle,
    Star,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    interpolate_color,
    linear,
)

from scenes.gradient_descent.convex_beat import play_convex_verdict
from scenes.gradient_descent.model import GradientDescentData, Landscape
from scenes.gradient_descent.optimizers import Run
from scenes.gradient_descent.verdict import Verdict
from scenes.shared import theme
from scenes.shared.axis_check import TickedNumbers
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    axis_points,
    follow_value,
    heading,
    math,
    polyline,
    show_title,
    text,
)

MAP_MAX_HEIGHT = 5.5
MAP_MAX_WIDTH = 6.75
MAP_LEFT = -6.55  # x of the contour map's left edge
PANEL_X = 0.6  # x where the right-hand panel starts
PANEL_TOP = 2.7
CHART_CENTER = (PANEL_X + 3.05, -1.4)
DENSE_STEPS = 120  # every early step is drawn (the zig-zag); later ones log-spaced
LATER_POINTS = 400
SUMMARY_BAR_WIDTH = 5.2  # the longest bar of the summary (arrival or staying), in scene units

COLORS = {
    "gd": theme.PRIMARY,
    "momentum": theme.SECONDARY,
    "nesterov": theme.VIOLET,
    "rmsprop": theme.ACCENT,
    "adam": theme.GOOD,
    "adam_hover": theme.TEXT,
}
OUTCOME_COLORS = {"converged": theme.GOOD, "stalled": theme.SECONDARY, "diverged": theme.ACCENT}


def drawn_steps(n_iterates: int) -> np.ndarray:
    """Which iterates to draw: all of the first DENSE_STEPS, then log-spaced up to the last."""
    later = np.geomspace(DENSE_STEPS, max(n_iterates - 1, DENSE_STEPS), LATER_POINTS)
    idx = np.concatenate([np.arange(min(DENSE_STEPS, n_iterates)), np.round(later)])
    return np.unique(np.clip(idx, 0, n_iterates - 1).astype(int))


def log_rate(first: float, last: float) -> Callable[[float], float]:
    """A rate function for a tracker going from ``first`` to ``last`` that spends equal time on
    every decade, so that both the first steps and the long crawl get their share."""
    return lambda t: (first * (last / first) ** t - first) / (last - first)


def panel_anchor(mob, y: float = PANEL_TOP):
    return mob.move_to([PANEL_X, y, 0], aligned_edge=LEFT)


def contour_map(land: Landscape) -> tuple[Axes, VGroup]:
    """Invisible axes for coordinates, a frame, integer tick labels and the clipped level curves."""
    x0, x1, y0, y1 = (float(v) for v in land.view)
    height = min(MAP_MAX_HEIGHT, MAP_MAX_WIDTH * (y1 - y0) / (x1 - x0))
    width = height * (x1 - x0) / (y1 - y0)
    axes = Axes(
        x_range=[x0, x1, 1],
        y_range=[y0, y1, 1],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"stroke_opacity": 0, "include_ticks": False},
    )
    axes.move_to([MAP_LEFT + width / 2, -0.05, 0])
    frame = Rectangle(width=width, height=height, stroke_color=theme.GRID, stroke_width=2)
    frame.move_to(axes.get_center())
    marks = {"x": ([], []), "y": ([], [])}  # tick marks into the frame, and their numbers
    for x in range(int(np.ceil(x0)), int(np.floor(x1)) + 1):
        at = axes.c2p(x, y0)
        marks["x"][0].append(Line(at, at + 0.1 * UP, color=theme.GRID, stroke_width=2))
        marks["x"][1].append(math(f"{x}", theme.SIZE_SMALL, theme.MUTED).next_to(at, DOWN, 0.12))
    for y in range(int(np.ceil(y0)), int(np.floor(y1)) + 1):
        at = axes.c2p(x0, y)
        marks["y"][0].append(Line(at, at + 0.1 * RIGHT, color=theme.GRID, stroke_width=2))
        marks["y"][1].append(math(f"{y}", theme.SIZE_SMALL, theme.MUTED).next_to(at, LEFT, 0.12))
    ticks = VGroup(TickedNumbers(*marks["x"], RIGHT), TickedNumbers(*marks["y"], UP))
    ranks = {float(level): i for i, level in enumerate(land.contour_levels)}
    top = max(len(ranks) - 1, 1)
    curves = VGroup()
    for piece, level in zip(land.contours.values(), land.contour_level_of, strict=True):
        share = ranks[float(level)] / top
        color = interpolate_color(theme.PRIMARY, theme.MUTED, share)
        curves.add(polyline(axes, piece[:, 0], piece[:, 1], color, 1.6, opacity=0.85 - 0.5 * share))
    return axes, VGroup(frame, ticks, curves)


def trace(axes: Axes, path: np.ndarray, idx: np.ndarray, color, width: float = 3.0) -> VMobject:
    return polyline(axes, path[idx, 0], path[idx, 1], color, width)


def growing_trace(
    axes: Axes, path: np.ndarray, step: ValueTracker, color, width: float = 3.0, head: bool = True
) -> VGroup:
    """A path drawn up to the tracker's step (at most its last iterate), with a dot at its head.

    On every frame it shows what ``always_redraw`` of a path through the drawn steps so far would
    show (the same points and styles, so the same pixels), without building that path anew and
    ``become``-ing it: a path through corners is one straight curve per pair of neighbours, each
    computed from its two corners alone, so the curves between drawn steps are worked out once,
    and a frame takes those before the step and adds the one from the last of them to the step.
    """
    idx = drawn_steps(len(path))
    last = len(path) - 1
    through_all = trace(axes, path, idx, color, width)  # every curve, and the path's style
    tail = VMobject()
    bare = VMobject()  # what is shown before the first step: no path, a plain style

    def draw_head(k: int) -> Dot:
        return Dot(axes.c2p(*path[k]), radius=0.06, color=color)

    def redraw(group: VGroup) -> None:
        k = int(min(step.get_value(), last))
        before = int(np.searchsorted(idx, k))  # drawn steps before k
        shown = group.submobjects[0]
        if before == 0:
            shown.points = np.array(bare.points)
            shown.interpolate_color(shown, bare, 1)
        else:
            tail.set_points_as_corners(
                axis_points(axes, path[[idx[before - 1], k], 0], path[[idx[before - 1], k], 1])
            )
            shown.points = np.concatenate((through_all.points[: 4 * (before - 1)], tail.points))
            shown.interpolate_color(shown, through_all, 1)
        if head:
            dot = draw_head(k)
            group.submobjects[1].points = np.array(dot.points)
            group.submobjects[1].interpolate_color(group.submobjects[1], dot, 1)

    group = VGroup(VMobject())
    if head:
        group.add(draw_head(0))
    redraw(group)
    return group.add_updater(redraw)


class LogChart(VGroup):
    """log10(x) against log10(y) with the origin at the lower-left corner, in powers of ten."""

    def __init__(
        self,
        x_decades: tuple[float, float],
        y_decades: tuple[int, int],
        size: tuple[float, float],
        x_ticks: dict[float, str],
        y_ticks: list[int],
        x_name: str,
        y_name: str,
    ) -> None:
        super().__init__()
        self.x0, self.y0 = x_decades[0], y_decades[0]
        self.y_top = y_decades[1]
        self.axes = Axes(
            x_range=[0, x_decades[1] - self.x0, 1],
            y_range=[0, y_decades[1] - self.y0, 1],
            x_length=size[0],
            y_length=size[1],
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        x_marks: tuple[list, list] = ([], [])
        for x, tex in x_ticks.items():
            at = self.point(x, 10.0**self.y0)
            x_marks[0].append(Line(at, at + 0.1 * DOWN, color=theme.MUTED, stroke_width=2))
            x_marks[1].append(math(tex, theme.SIZE_SMALL, theme.MUTED).next_to(at, DOWN, 0.15))
        y_marks: tuple[list, list] = ([], [])
        for k in y_ticks:
            at = self.point(10.0**self.x0, 10.0**k)
            y_marks[0].append(Line(at, at + 0.1 * LEFT, color=theme.MUTED, stroke_width=2))
            y_marks[1].append(
                math(f"10^{{{k}}}", theme.SIZE_SMALL, theme.MUTED).next_to(at, LEFT, 0.15)
            )
        labels = VGroup(TickedNumbers(*x_marks, RIGHT), TickedNumbers(*y_marks, UP))
        x_label = text(x_name, theme.SIZE_SMALL, theme.MUTED).next_to(self.axes, DOWN, buff=0.42)
        y_label = text(y_name, theme.SIZE_SMALL, theme.MUTED)
        y_label.next_to(self.axes, UP, buff=0.2).align_to(self.axes, LEFT)
        self.add(self.axes, labels, x_label, y_label)

    def point(self, x: float, y: float):
        return self.axes.c2p(np.log10(x) - self.x0, np.log10(y) - self.y0)

    def curve(self, xs: np.ndarray, ys: np.ndarray, color, width: float = 2.5) -> VMobject:
        """A polyline of the points, with y clamped to the chart's range (e.g. a loss of 0)."""
        ly = np.clip(np.log10(np.maximum(ys, 1e-300)), self.y0, self.y_top) - self.y0
        return polyline(self.axes, np.log10(xs) - self.x0, ly, color, width)

    def level(self, y: float, label: str) -> VGroup:
        """A dashed line across the chart at height y, named at its left end: the runs drawn on
        these charts reach a tolerance late, so the first steps leave room above the line."""
        left = self.axes.c2p(0, np.log10(y) - self.y0)
        right = self.axes.c2p(self.axes.x_range[1], np.log10(y) - self.y0)
        name = text(label, theme.SIZE_SMALL, theme.MUTED).next_to(left, UP, buff=0.08)
        return VGroup(
            DashedLine(left, right, color=theme.MUTED, stroke_width=1.5),
            name.align_to(left, LEFT).shift(0.15 * RIGHT),
        )

    def per_step(self, values: np.ndarray, upto: int, color, every: bool = False) -> VMobject:
        """values[t] against t for t = 1..upto: on every step, or on the drawn (log-spaced) ones."""
        idx = np.arange(upto + 1) if every else drawn_steps(upto + 1)
        idx = idx[idx >= 1]
        return self.curve(idx.astype(float), values[idx], color)


def step_chart(y_name: str) -> LogChart:
    x_ticks = {1: "1", 100: "10^{2}", 10_000: "10^{4}"}
    chart = LogChart((0.0, 4.5), (-15, 1), (5.4, 2.2), x_ticks, [-12, -8, -4, 0], "step", y_name)
    return chart.move_to([*CHART_CENTER, 0])


def count(n: int) -> str:
    return f"{n:,}"


class GradientDescentPaths(MathreelScene):
    def construct(self) -> None:
        data: GradientDescentData = self.model
        axes, backdrop = contour_map(data.landscape)
        self.valley(data, axes, backdrop)
        chart, gd_line = self.plain_descent(data, axes)
        self.momentum(data, axes, chart, gd_line)
        self.adam(data, axes)
        self.sweep(data, axes)
        self.play(FadeOut(backdrop, self.markers), run_time=0.5)
        self.noise_ball(data)
        self.saddle(data)
        self.convex_verdict(data)
        self.summary(data)

    # -- beats -------------------------------------------------------------------------------

    def valley(self, data: GradientDescentData, axes: Axes, backdrop: VGroup) -> None:
        self.beat("Rosenbrock's valley")
        show_title(
            self, "Gradient Descent Paths", "why the obvious algorithm crawls, and what helps"
        )
        self.title = heading("Rosenbrock's valley")
        formula = panel_anchor(math(r"f(x, y) = (1 - x)^2 + 100\,(y - x^2)^2", theme.SIZE_LABEL))
        self.play(FadeIn(self.title), Create(backdrop, lag_ratio=0.05), FadeIn(formula), run_time=2)
        self.say("A curved valley with a nearly flat floor; the contours are log-spaced.", 2.9)
        start = Dot(axes.c2p(*data.start), radius=0.08, color=theme.TEXT)
        start_label = text(f"start {_point(data.start)}", theme.SIZE_SMALL)
        start_label.next_to(start, UP, buff=0.15)
        goal = Star(n=5, outer_radius=0.13, color=theme.SECONDARY, fill_opacity=1)
        goal.move_to(axes.c2p(*data.minimum))
        goal_label = text(f"minimum {_point(data.minimum)}", theme.SIZE_SMALL, theme.SECONDARY)
        goal_label.next_to(goal, LEFT, buff=0.35)
        self.play(FadeIn(start, start_label, goal, goal_label), run_time=1)
        self.wait(1.5)

        ellipse = polyline(axes, *data.hessian_ellipse.T, theme.SECONDARY, 3)
        lo, hi = data.hessian_eigenvalues
        h = data.hessian_at_minimum
        hessian = VGroup(
            math(
                rf"H{_point(data.minimum)} = \begin{{pmatrix}} {h[0, 0]:g} & {h[0, 1]:g} \\"
                rf" {h[1, 0]:g} & {h[1, 1]:g} \end{{pmatrix}}",
                theme.SIZE_LABEL,
            ),
            math(
                rf"\lambda_{{\min}} = {lo:.4f}, \quad \lambda_{{\max}} = {hi:.1f}", theme.SIZE_LABEL
            ),
            math(
                rf"\kappa = \lambda_{{\max}} / \lambda_{{\min}} = {data.condition_number:,.0f}",
                theme.SIZE_LABEL,
                theme.SECONDARY,
            ),
            text(
                f"ellipse axes 1 : {np.sqrt(data.condition_number):.0f}: steep across, flat along",
                theme.SIZE_SMALL,
                theme.MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.28)
        hessian.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.5)
        self.say(
            "Near the minimum f is a quadratic bowl, and its Hessian's ellipse is a needle.", 5.5
        )
        self.play(Create(ellipse), Write(hessian[0]), run_time=1.5)
        self.play(FadeIn(hessian[1:], lag_ratio=0.3), run_time=1.5)
        self.wait(2.5)
        self.play(FadeOut(hessian, formula, ellipse, start_label, goal_label), run_time=0.5)
        self.markers = VGroup(start, goal)

    def plain_descent(self, data: GradientDescentData, axes: Axes) -> tuple[LogChart, VGroup]:
        self.beat("Gradient descent")
        gd = data.optimizers["gd"]
        lr = gd.hyperparameters["lr"]
        last = _shown_until(gd)
        self.swap_title("Plain gradient descent")
        rule = math(
            rf"x \leftarrow x - \alpha\,\nabla f(x), \quad \alpha = {lr:g}", theme.SIZE_LABEL
        )
        panel_anchor(rule)
        step = ValueTracker(0)
        line = growing_trace(axes, gd.path, step, COLORS["gd"])
        readouts = self.step_readouts(gd, step)
        readouts.next_to(rule, DOWN, aligned_edge=LEFT, buff=0.35)
        chart = step_chart("loss f (log scale)")
        curve = always_redraw(
            lambda: chart.per_step(gd.loss, max(int(step.get_value()), 2), COLORS["gd"])
        )
        self.add(line)
        self.play(FadeIn(rule, readouts, chart), run_time=0.8)
        # What the tracker moves goes on top (it overlaps nothing), so Manim, which redraws
        # everything added after the first mobject that changes, draws the rule and chart once.
        self.bring_to_front(readouts, line)
        self.add(curve)
        self.say(f"Step against the gradient, with learning rate {lr:g}.", 4.4)
        self.play(step.animate.set_value(40), run_time=4, rate_func=linear)
        self.say(
            "Its first step overshoots across the steep valley; then it crawls along the floor.",
            6.4,
        )
        self.play(step.animate.set_value(last), run_time=6, rate_func=log_rate(40, last))
        for mob in (line, curve, *readouts):
            mob.clear_updaters()  # the tracker stays put: they are drawn as they are from here
        done = text(
            f"within {data.tolerance:g} of the minimum after {count(gd.steps_to_tolerance)} steps",
            theme.SIZE_SMALL,
            COLORS["gd"],
        ).next_to(readouts, DOWN, aligned_edge=LEFT, buff=0.25)
        self.say(f"{count(gd.steps_to_tolerance)} steps to get within {data.tolerance:g}.", 3.0)
        self.play(FadeIn(done), run_time=0.5)
        self.wait(2)
        self.play(FadeOut(rule, readouts, done), run_time=0.5)
        return chart, VGroup(line, curve)

    def momentum(
        self, data: GradientDescentData, axes: Axes, chart: LogChart, gd_line: VGroup
    ) -> None:
        self.beat("Momentum")
        self.swap_title("Momentum, same learning rate")
        runs = {k: data.optimizers[k] for k in ("momentum", "nesterov")}
        gd = data.optimizers["gd"]
        beta = runs["momentum"].hyperparameters["beta"]
        rules = VGroup(
            math(
                r"z \leftarrow \beta z + \nabla f(x), \quad x \leftarrow x - \alpha z",
                theme.SIZE_LABEL,
            ),
            math(
                rf"\text{{Nesterov: the same, with }} \nabla f \text{{ at }} x - \alpha\beta z,"
                rf"\quad \beta = {beta:g}",
                theme.SIZE_LABEL,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        panel_anchor(rules, PANEL_TOP - 0.15)
        trail, head = gd_line[0]
        self.play(trail.animate.set_stroke(opacity=0.3), FadeOut(head), FadeIn(rules), run_time=0.8)
        step = ValueTracker(0)
        gd_head = always_redraw(
            lambda: Dot(axes.c2p(*gd.path[int(step.get_value())]), radius=0.07, color=COLORS["gd"])
        )
        traces = [growing_trace(axes, run.path, step, COLORS[k]) for k, run in runs.items()]
        longest = max(_shown_until(r) for r in runs.values())
        names = {"gd": "gradient descent", "momentum": "heavy ball", "nesterov": "Nesterov"}
        table = VGroup()
        for key, name in names.items():
            run = data.optimizers[key]
            row = VGroup(
                text(name, theme.SIZE_SMALL, COLORS[key]),
                text(f"{count(run.steps_to_tolerance)} steps", theme.SIZE_SMALL, COLORS[key]),
            )
            row[1].move_to(row[0].get_left() + 2.5 * RIGHT, aligned_edge=LEFT)
            table.add(row)
        table.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        table.next_to(rules, DOWN, aligned_edge=LEFT, buff=0.35)
        counter = VGroup(text("step", theme.SIZE_SMALL, theme.MUTED), _integer(0, theme.SIZE_SMALL))
        counter.arrange(RIGHT, buff=0.15).next_to(table, RIGHT, buff=0.6, aligned_edge=UP)
        follow_value(counter[1], lambda: int(step.get_value()))
        self.add(*traces, gd_head)
        self.play(FadeIn(table[0], counter), run_time=0.5)
        self.say(
            f"Heavy ball keeps a velocity: a fraction beta = {beta:g} carries over each step.", 6.0
        )
        self.play(step.animate.set_value(longest), run_time=6, rate_func=linear)
        for mob in (counter[1], *traces, gd_head):
            mob.clear_updaters()  # the tracker stays put: they are drawn as they are from here
        curves = VGroup(
            *(chart.per_step(r.loss, _shown_until(r), COLORS[k]) for k, r in runs.items())
        )
        ratio = gd.steps_to_tolerance / runs["momentum"].steps_to_tolerance
        self.say(
            f"Momentum arrives in {count(runs['momentum'].steps_to_tolerance)} steps, "
            f"{ratio:.1f} times fewer than plain descent.",
            4.5,
        )
        self.play(FadeIn(table[1:], lag_ratio=0.3), Create(curves), run_time=1.5)
        self.wait(3)
        self.play(
            FadeOut(rules, table, counter, chart, curves, gd_head, *traces, gd_line), run_time=0.5
        )

    def adam(self, data: GradientDescentData, axes: Axes) -> None:
        self.beat("Adam")
        self.swap_title("Adam: about lr per coordinate")
        adam, hover, rms = (data.optimizers[k] for k in ("adam", "adam_hover", "rmsprop"))
        lr = adam.hyperparameters["lr"]
        first = adam.path[1] - adam.path[0]
        nearest = int(np.argmin(hover.distance))
        closest, farther = hover.distance[nearest], hover.distance[nearest:].max()
        g0 = data.start_gradient
        facts = VGroup(
            math(rf"\nabla f(\text{{start}}) = ({g0[0]:.1f},\ {g0[1]:.1f})", theme.SIZE_LABEL),
            math(
                rf"\text{{first step}} = ({first[0]:+.4f},\ {first[1]:+.4f})",
                theme.SIZE_LABEL,
                COLORS["adam"],
            ),
            math(
                r"\hat m_1 / \sqrt{\hat v_1} = g / |g| = \pm 1 \ \text{per coordinate}",
                theme.SIZE_LABEL,
                theme.MUTED,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        panel_anchor(facts, PANEL_TOP - 0.3)
        zoom = self.first_steps_zoom(data, adam)
        zoom.move_to([PANEL_X, -1.0, 0], aligned_edge=LEFT)
        self.say(
            f"Adam divides each coordinate by its gradient's size: a first step of {lr:g} in each.",
            5.5,
        )
        self.play(FadeIn(facts, lag_ratio=0.2), FadeIn(zoom), run_time=1.5)
        self.wait(4)
        self.play(FadeOut(facts, zoom), run_time=0.5)

        step = ValueTracker(0)
        traced = growing_trace(axes, adam.path, step, COLORS["adam"])
        rms_traced = growing_trace(axes, rms.path, step, COLORS["rmsprop"], 2.0)
        chart = step_chart("distance to the minimum")
        rows = VGroup(
            two_lines(f"Adam, lr {lr:g}:", arrive_and_stay(adam), COLORS["adam"]),
            two_lines(
                f"RMSprop, lr {rms.hyperparameters['lr']:g}:",
                arrive_and_stay(rms),
                COLORS["rmsprop"],
            ),
            text(
                f"Adam, lr {hover.hyperparameters['lr']:g}: down to {closest:.0e}, "
                f"then back out to {farther:.2f}",
                theme.SIZE_SMALL,
                COLORS["adam_hover"],
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        panel_anchor(rows, PANEL_TOP - 0.1)
        self.add(rms_traced, traced)
        self.play(FadeIn(chart, rows[:2]), run_time=0.6)
        self.bring_to_front(rms_traced, traced)  # as in plain descent: the chart is drawn once
        self.say("Down the valley, Adam and RMSprop each keep their own pace.", 4.5)
        horizon = len(rms.path) - 1
        self.play(step.animate.set_value(horizon), run_time=3.5, rate_func=linear)
        for mob in (traced, rms_traced):
            mob.clear_updaters()  # the tracker stays put: they are drawn as they are from here
        dist = VGroup(
            chart.per_step(adam.distance, horizon, COLORS["adam"]),
            chart.per_step(rms.distance, horizon, COLORS["rmsprop"]),
        )
        ball = chart.level(data.tolerance, f"tolerance {data.tolerance:g}")
        self.play(Create(dist), FadeIn(ball), run_time=1)
        self.say(
            f"Arriving is not staying: Adam leaves the ball {adam.exits:,} times,"
            f" RMSprop {rms.exits:,}.",
            4.0,
        )
        self.wait(3.0)
        last = len(hover.distance) - 1
        hover_curve = chart.per_step(hover.distance, last, COLORS["adam_hover"], every=True)
        hover_curve.set_stroke(width=1.5, opacity=0.8)
        self.say(
            f"At lr {hover.hyperparameters['lr']:g} it gets to {closest:.0e}, then is thrown out: "
            "its steps scale with lr.",
            5.5,
        )
        self.play(FadeIn(rows[2]), Create(hover_curve), run_time=2)
        self.wait(3)
        self.play(FadeOut(traced, rms_traced, chart, rows, dist, hover_curve, ball), run_time=0.5)

    def first_steps_zoom(self, data: GradientDescentData, adam: Run) -> VGroup:
        """A magnified square at the start: Adam's first steps against the downhill direction."""
        x, y = data.start
        side, size = 0.08, 2.6
        zoom = Axes(
            x_range=[x - 0.01, x + side - 0.01, 0.02],
            y_range=[y - 0.01, y + side - 0.01, 0.02],
            x_length=size,
            y_length=size,
            tips=False,
            axis_config={"stroke_opacity": 0, "include_ticks": False},
        )
        frame = Rectangle(width=size, height=size, stroke_color=theme.GRID, stroke_width=2).move_to(
            zoom
        )
        shown = adam.path[:7]
        dots = VGroup(*(Dot(zoom.c2p(*p), radius=0.05, color=COLORS["adam"]) for p in shown))
        steps = polyline(zoom, shown[:, 0], shown[:, 1], COLORS["adam"], 2.5)
        downhill = -data.start_gradient / np.linalg.norm(data.start_gradient)
        arrow = Arrow(
            zoom.c2p(x, y), zoom.c2p(*(data.start + 0.06 * downhill)), buff=0, color=COLORS["gd"],
            stroke_width=3, max_tip_length_to_length_ratio=0.12,
        )  # fmt: skip
        note = VGroup(
            text(f"Adam's first {len(shown) - 1} steps", theme.SIZE_SMALL, COLORS["adam"]),
            text("arrow: steepest descent", theme.SIZE_SMALL, COLORS["gd"]),
            text(f"magnified: side {side:g}", theme.SIZE_SMALL, theme.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        note.next_to(frame, RIGHT, buff=0.3, aligned_edge=DOWN)
        return VGroup(frame, steps, dots, arrow, note)

    def sweep(self, data: GradientDescentData, axes: Axes) -> None:
        self.beat("Learning-rate sweep")
        self.swap_title("A learning-rate sweep")
        sweep = data.sweep
        steps = sweep.runs.path.shape[0] - 1
        view = data.landscape.view
        finals = VGroup()
        for i, outcome in enumerate(sweep.outcome):
            color = OUTCOME_COLORS[outcome]
            path = sweep.runs.path[:, i]
            if outcome == "diverged":  # its steps inside the view, then an arrow to the edge
                out = int(np.argmax(~_in_view(path, view)))
                edge = exit_point(path[out - 1], path[out], view)
                if out > 1:
                    finals.add(trace(axes, path, np.arange(out), color, 2.5))
                finals.add(
                    Arrow(
                        axes.c2p(*path[out - 1]),
                        axes.c2p(*edge),
                        buff=0,
                        color=color,
                        stroke_width=2.5,
                    )
                )
                continue
            # the last two iterates: a stalled run bounces across the valley between them
            finals.add(trace(axes, path, np.array([-2, -1]), color, 2.5))
            finals.add(Dot(axes.c2p(*path[-1]), radius=0.07, color=color))
        chart, points, limit = self.sweep_chart(data)
        self.say(
            f"Gradient descent at {len(sweep.lrs)} learning rates: where is each after "
            f"{count(steps)} steps?",
            5.0,
        )
        self.play(FadeIn(chart), run_time=0.6)
        self.play(FadeIn(finals, lag_ratio=0.15), FadeIn(points, lag_ratio=0.15), run_time=3)
        self.wait(1)
        self.say("Below 2/λmax every run converges; above it, the minimum pushes GD away.", 4.4)
        self.play(Create(limit), run_time=1)
        self.wait(3)
        self.say(
            "Stalled runs bounce where the valley's λmax ≈ 2/lr; faster rates blow up.",
            6.0,
        )
        legend = VGroup(
            *(text(name, theme.SIZE_SMALL, color) for name, color in OUTCOME_COLORS.items())
        )
        legend.arrange(RIGHT, buff=0.45).next_to(chart, UP, buff=0.3).align_to(chart, RIGHT)
        self.play(FadeIn(legend), run_time=0.5)
        self.wait(4)
        self.play(FadeOut(finals, chart, points, limit, legend), run_time=0.5)

    def sweep_chart(self, data: GradientDescentData) -> tuple[LogChart, VGroup, VGroup]:
        """Loss after the run against the learning rate, with 2/lambda_max; crosses for blow-ups."""
        sweep = data.sweep
        lo, hi = np.log10(sweep.lrs[0]) - 0.05, np.log10(sweep.lrs[-1]) + 0.05
        ticks = {v: f"{v:g}" for v in (1e-3, 2e-3, 4e-3, 8e-3) if lo <= np.log10(v) <= hi}
        chart = LogChart(
            (lo, hi),
            (-14, 4),
            (5.4, 4.0),
            ticks,
            [-12, -8, -4, 0],
            "learning rate",
            "loss after the run",
        )
        chart.move_to([CHART_CENTER[0], -0.55, 0])
        points = VGroup()
        for lr, loss, outcome in zip(sweep.lrs, sweep.final_loss, sweep.outcome, strict=True):
            color = OUTCOME_COLORS[outcome]
            if outcome == "diverged":
                points.add(
                    Cross(stroke_color=color, stroke_width=4, scale_factor=0.12).move_to(
                        chart.point(lr, 1e3)
                    )
                )
            else:
                points.add(Dot(chart.point(lr, loss), radius=0.08, color=color))
        bottom, top = chart.point(data.lr_limit, 1e-14), chart.point(data.lr_limit, 1e4)
        line = DashedLine(bottom, top, color=theme.TEXT, stroke_width=2)
        label = math(rf"2 / \lambda_{{\max}} = {data.lr_limit:.6f}", theme.SIZE_LABEL)
        label.next_to(chart.point(data.lr_limit, 1e-11), RIGHT, buff=0.15)
        return chart, points, VGroup(line, label)

    def noise_ball(self, data: GradientDescentData) -> None:
        self.beat("SGD's noise ball")
        self.swap_title("Noisy gradients end in a ball")
        ball = data.noise_ball
        axes, backdrop = contour_map(ball.landscape)
        colors = (theme.PRIMARY, theme.SECONDARY)
        lam = ball.eigenvalues
        formula = math(
            rf"f = \tfrac12\left({lam[0]:g}\,x^2 + {lam[1]:g}\,y^2\right), \quad "
            rf"g = \nabla f + \sigma\xi, \ \ \sigma = {ball.noise:g}",
            theme.SIZE_LABEL,
        )
        panel_anchor(formula)
        self.play(FadeIn(backdrop, formula), run_time=0.8)
        batches = list(ball.runs.values())
        every = np.arange(len(batches[0].path))
        runs = VGroup(
            *(
                VGroup(
                    *(
                        trace(axes, run.path[:, i], every, color, 1.0)
                        for i in range(run.path.shape[1])
                    )
                )
                for run, color in zip(batches, colors, strict=True)
            )
        ).set_stroke(opacity=0.3)
        ends = VGroup(
            *(
                VGroup(*(Dot(axes.c2p(*p), radius=0.035, color=color) for p in finals))
                for finals, color in zip(ball.final_points, colors, strict=True)
            )
        )
        unit_x = axes.c2p(1, 0)[0] - axes.c2p(0, 0)[0]
        unit_y = axes.c2p(0, 1)[1] - axes.c2p(0, 0)[1]
        ellipses = VGroup(
            *(
                DashedVMobject(
                    Ellipse(
                        width=4 * sd[0] * unit_x,
                        height=4 * sd[1] * unit_y,
                        color=color,
                        stroke_width=4,
                    ),
                    num_dashes=36,
                ).move_to(axes.c2p(0, 0))
                for sd, color in zip(ball.predicted_std, colors, strict=True)
            )
        )
        table = self.noise_table(data)
        table.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.45)
        n_steps, n_runs = batches[0].path.shape[0] - 1, batches[0].path.shape[1]
        self.say(
            f"SGD with noisy gradients: {n_runs} runs of {n_steps} steps at each of two "
            "learning rates.",
            5.4,
        )
        self.play(Create(runs[0], lag_ratio=0.02), Create(runs[1], lag_ratio=0.02), run_time=4.5)
        self.play(FadeIn(ends), runs.animate.set_stroke(opacity=0.08), run_time=1)
        self.say(
            "None settles: each ends in a ball, and its variance grows with the learning rate.", 6.5
        )
        self.play(Create(ellipses), FadeIn(table), ends.animate.set_opacity(0.5), run_time=1.5)
        self.wait(3.5)
        self.play(FadeOut(backdrop, formula, runs, ends, ellipses, table), run_time=0.5)

    def noise_table(self, data: GradientDescentData) -> VGroup:
        ball = data.noise_ball
        colors = (theme.PRIMARY, theme.SECONDARY)
        rows = VGroup(
            math(
                r"\text{sd}_i = \sigma\sqrt{\frac{\alpha}{\lambda_i(2 - \alpha\lambda_i)}}",
                theme.SIZE_LABEL,
            ),
            text("dashed: 2 sd from this formula", theme.SIZE_SMALL, theme.MUTED),
        )
        for lr, emp, pred, color in zip(
            ball.lrs, ball.empirical_std, ball.predicted_std, colors, strict=True
        ):
            rows.add(
                math(
                    rf"\alpha = {lr:g}:\ \ \text{{sd}}_x = {emp[0]:.3f}\ ({pred[0]:.3f}),"
                    rf"\ \ \text{{sd}}_y = {emp[1]:.3f}\ ({pred[1]:.3f})",
                    theme.SIZE_SMALL,
                    color,
                )
            )
        rows.add(
            text("measured at the runs' ends (formula in brackets)", theme.SIZE_SMALL, theme.MUTED)
        )
        return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22)

    def saddle(self, data: GradientDescentData) -> None:
        self.beat("A saddle")
        self.swap_title("A saddle: stuck, late, or pushed off")
        sad = data.saddle
        axes, backdrop = contour_map(sad.landscape)
        formula = panel_anchor(
            math(r"f = \tfrac12 x^2 + \tfrac14 y^4 - \tfrac12 y^2", theme.SIZE_LABEL)
        )
        saddle_point = Dot(axes.c2p(0, 0), radius=0.07, color=theme.TEXT)
        self.play(FadeIn(backdrop, formula, saddle_point), run_time=0.8)
        step = ValueTracker(0)
        noisy = [
            growing_trace(axes, sad.noisy.path[:, i], step, theme.GOOD, 1.5, head=False)
            for i in range(sad.noisy.path.shape[1])
        ]
        on_ridge = growing_trace(axes, sad.on_ridge.path, step, COLORS["gd"])
        nudged = growing_trace(axes, sad.nudged.path, step, COLORS["momentum"])
        escapes = sad.escape_step["noisy"]
        rows = VGroup(
            text("exactly on the ridge y = 0: stops at the saddle", theme.SIZE_SMALL, COLORS["gd"]),
            text(
                f"started {sad.nudge:g} off it: escapes at step {sad.escape_step['nudged']}",
                theme.SIZE_SMALL,
                COLORS["momentum"],
            ),
            text(
                f"gradient noise (sd {sad.noise:g}): escapes at steps "
                f"{escapes.min()} to {escapes.max()}",
                theme.SIZE_SMALL,
                theme.GOOD,
            ),
            text("(escaped: |y| > 0.5)", theme.SIZE_SMALL, theme.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        rows.next_to(formula, DOWN, aligned_edge=LEFT, buff=0.45)
        self.add(*noisy, on_ridge, nudged)
        self.say(f"Gradient descent from (2, 0) with learning rate {sad.lr:g}, three ways.", 7.0)
        self.play(
            FadeIn(rows, lag_ratio=0.4),
            step.animate.set_value(len(sad.on_ridge.path) - 1),
            run_time=7,
            rate_func=linear,
        )
        for mob in (*noisy, on_ridge, nudged):
            mob.clear_updaters()  # the tracker stays put: they are drawn as they are from here
        self.say(
            "A saddle holds only runs exactly on its ridge; noise pushes them off.",
            5.5,
        )
        self.wait(4)
        self.play(
            FadeOut(backdrop, formula, saddle_point, *noisy, on_ridge, nudged, rows), run_time=0.6
        )

    def summary(self, data: GradientDescentData) -> None:
        self.beat("Summary")
        self.swap_title(f"Steps to reach, and to stay within, {data.tolerance:g} of the minimum")
        names = {
            "gd": "gradient descent",
            "rmsprop": "RMSprop",
            "adam": "Adam",
            "nesterov": "Nesterov",
            "momentum": "heavy ball",
        }
        runs = {k: data.optimizers[k] for k in names}
        longest = max(max(r.steps_to_tolerance, r.steps_to_stay) for r in runs.values())
        scale = SUMMARY_BAR_WIDTH / longest
        rows = VGroup()
        for i, (key, run) in enumerate(runs.items()):
            y = 2.0 - 0.62 * i
            hyper = ", ".join(
                f"{k} {v:g}" for k, v in run.hyperparameters.items() if k in ("lr", "beta")
            )
            label = text(f"{names[key]} ({hyper})", theme.SIZE_SMALL, COLORS[key])
            label.move_to([-2.5, y, 0], aligned_edge=RIGHT)
            bar = Rectangle(
                width=scale * run.steps_to_tolerance, height=0.4, stroke_width=0,
                fill_color=COLORS[key], fill_opacity=0.8,
            )  # fmt: skip
            bar.move_to([-2.3, y, 0], aligned_edge=LEFT)
            shown = VGroup(bar)
            said = count(run.steps_to_tolerance)
            if run.exits:  # the hollow part: arrived, but still leaving the ball
                stay_end = run.steps_to_stay if run.steps_to_stay >= 0 else len(run.path) - 1
                hollow = Rectangle(
                    width=scale * (stay_end - run.steps_to_tolerance), height=0.4,
                    stroke_color=COLORS[key], stroke_width=1.5, fill_opacity=0,
                )  # fmt: skip
                shown.add(hollow.next_to(bar, RIGHT, buff=0))
                said += (
                    f", stays from {count(run.steps_to_stay)}"
                    if run.steps_to_stay >= 0
                    else ", never stays"
                )
            steps = text(said, theme.SIZE_SMALL).next_to(shown, RIGHT, 0.15)
            rows.add(VGroup(label, shown, steps))
        lessons = VGroup(
            math(
                r"\text{GD: stable only for } \alpha < 2/\lambda_{\max}; "
                r"\ \text{its crawl is set by } \lambda_{\min}",
                theme.SIZE_LABEL,
            ),
            math(r"\text{momentum: stable for } \alpha\lambda < 2 + 2\beta", theme.SIZE_LABEL),
            math(
                r"\text{gradient noise: a ball of variance }"
                r"\frac{\alpha\sigma^2}{\lambda\,(2 - \alpha\lambda)}",
                theme.SIZE_LABEL,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        lessons.next_to(rows, DOWN, buff=0.6).set_x(0)
        arrivals = sorted(r.steps_to_tolerance for r in runs.values() if r.steps_to_tolerance >= 0)
        self.say(
            f"Same valley, same start: the optimizer makes it {count(arrivals[0])} steps"
            f" or {count(arrivals[-1])}.",
            5.0,
        )
        self.play(
            *(FadeIn(r[0]) for r in rows),
            *(GrowFromEdge(r[1], LEFT) for r in rows),
            *(FadeIn(r[2]) for r in rows),
            run_time=2,
        )
        self.wait(3)
        self.say(
            "The valley's curvature sets the rules; the optimizer decides how to play them.", 5.0
        )
        self.play(FadeIn(lessons, lag_ratio=0.3), run_time=1.5)
        self.wait(3.5)
        self.unsay()
        self.wait(0.5)

    def convex_verdict(self, data: GradientDescentData) -> None:
        self.beat("When each optimizer wins")
        self.swap_title("Convex bowls: who wins where")
        play_convex_verdict(self, Verdict.of(data.convex), len(data.convex.lr_grid), COLORS)

    # -- helpers -----------------------------------------------------------------------------

    def swap_title(self, content: str) -> None:
        new = heading(content)
        # On top first, like the caption in ``say``: the picture below is drawn once, not on
        # every frame of the swap (the title band is kept clear of it, so the pixels are the same).
        self.bring_to_front(self.title)
        self.play(FadeOut(self.title), FadeIn(new), run_time=0.5)
        self.bring_to_back(new)  # then below the picture, so it is not redrawn on its frames
        self.title = new

    def step_readouts(self, run: Run, step: ValueTracker) -> VGroup:
        """'step k' and the distance to the minimum of the run's iterate at the tracker's step."""
        last = len(run.path) - 1
        steps = _integer(0, theme.SIZE_LABEL)
        distance = DecimalNumber(run.distance[0], num_decimal_places=4, font_size=theme.SIZE_LABEL)
        group = VGroup(
            text("step", theme.SIZE_LABEL, theme.MUTED),
            steps,
            math(r"\lVert x - x^* \rVert =", theme.SIZE_LABEL),
            distance,
        )
        group[1].next_to(group[0], RIGHT, buff=0.15)
        group[2].next_to(group[1], RIGHT, buff=1.4)
        group[3].next_to(group[2], RIGHT, buff=0.15)
        follow_value(steps, lambda: min(int(step.get_value()), last))
        follow_value(distance, lambda: run.distance[min(int(step.get_value()), last)])
        return group


def _point(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:g}" for v in p) + ")"


def _shown_until(run: Run) -> int:
    """The last step a beat animates: the first arrival (the runs go on to the horizon)."""
    return run.steps_to_tolerance if run.steps_to_tolerance >= 0 else len(run.path) - 1


def two_lines(first: str, second: str, color) -> VGroup:
    """A name and, indented below it, what it did."""
    name = text(first, theme.SIZE_SMALL, color)
    detail = text(second, theme.SIZE_SMALL, color).next_to(name, DOWN, buff=0.1)
    return VGroup(name, detail.align_to(name, LEFT).shift(0.3 * RIGHT))


def arrive_and_stay(run: Run) -> str:
    """'arrives 4,409, stays from 19,799 (left 214 times)' or the shorter forms."""
    if run.steps_to_tolerance < 0:
        return f"not within the ball in {count(len(run.path) - 1)} steps"
    if run.exits == 0:
        return f"{count(run.steps_to_tolerance)} steps, and stays"
    stay = f"stays from {count(run.steps_to_stay)}" if run.steps_to_stay >= 0 else "never stays"
    return f"arrives {count(run.steps_to_tolerance)}, {stay} (left {run.exits:,} times)"


def _integer(value: int, size: int) -> Integer:
    return Integer(value, font_size=size, color=theme.TEXT, group_with_commas=True)


def exit_point(inside: np.ndarray, outside: np.ndarray, view: np.ndarray) -> np.ndarray:
    """Where the segment from a point inside the view box to one outside it crosses the box."""
    d = outside - inside
    bounds = ((view[0], view[1]), (view[2], view[3]))
    fractions = [1.0]
    for k, (lo, hi) in enumerate(bounds):
        if d[k] != 0:
            fractions.append(((hi if d[k] > 0 else lo) - inside[k]) / d[k])
    return inside + min(fractions) * d


def _in_view(path: np.ndarray, view: np.ndarray) -> np.ndarray:
    x0, x1, y0, y1 = view
    return (path[:, 0] >= x0) & (path[:, 0] <= x1) & (path[:, 1] >= y0) & (path[:, 1] <= y1)
