"""The verdict beat of gradient-descent: steps to tolerance against kappa, axis-aligned and rotated.

Drawn from :mod:`scenes.gradient_descent.convex` (the tuned runs) and worded by
:mod:`scenes.gradient_descent.verdict` (who wins where, computed from those runs).
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    Triangle,
    VGroup,
)

from scenes.gradient_descent.convex import OPTIMIZERS, ConvexProblem
from scenes.gradient_descent.verdict import NAMES, Verdict, steps
from scenes.shared import theme
from scenes.shared.axis_check import TickedNumbers
from scenes.shared.widgets import math as tex
from scenes.shared.widgets import polyline, text

CHART_SIZE = (5.2, 3.3)


class StepsChart(VGroup):
    """log10(steps) against log10(kappa), the step budget dashed across the top."""

    def __init__(self, kappas: list[float], budget: int, name: str) -> None:
        super().__init__()
        self.x_lo, self.x_hi = math.log10(min(kappas)), math.log10(max(kappas))
        self.y_hi = math.ceil(math.log10(budget) + 0.15)
        self.axes = Axes(
            x_range=[self.x_lo - 0.25, self.x_hi + 0.25, 1],
            y_range=[0, self.y_hi, 1],
            x_length=CHART_SIZE[0],
            y_length=CHART_SIZE[1],
            tips=False,
            axis_config={"color": theme.MUTED, "stroke_width": 2, "include_ticks": False},
        )
        x_ticks, x_numbers, y_ticks, y_numbers = [], [], [], []
        for k in kappas:
            at = self.point(k, 1)
            x_ticks.append(Line(at, at + 0.1 * DOWN, color=theme.MUTED, stroke_width=2))
            x_numbers.append(tex(_power(k), theme.SIZE_SMALL, theme.MUTED).next_to(at, DOWN, 0.15))
        for e in range(0, self.y_hi + 1):
            at = self.point(10.0**self.x_lo / 10**0.25, 10.0**e)
            y_ticks.append(Line(at, at + 0.1 * LEFT, color=theme.MUTED, stroke_width=2))
            y_numbers.append(
                tex(_power(10.0**e), theme.SIZE_SMALL, theme.MUTED).next_to(at, LEFT, 0.15)
            )
        left, right = (
            self.point(min(kappas) / 10**0.25, budget),
            self.point(max(kappas) * 10**0.25, budget),
        )
        self.budget_line = DashedLine(left, right, color=theme.MUTED, stroke_width=1.5)
        budget_label = text(f"budget {budget:,}", theme.SIZE_SMALL, theme.MUTED)
        budget_label.next_to(self.budget_line, UP, buff=0.1).align_to(self.budget_line, LEFT)
        budget_label.shift(0.1 * RIGHT)
        title = text(name, theme.SIZE_LABEL).next_to(self.axes, UP, buff=0.45)
        kappa_label = tex(r"\kappa", theme.SIZE_LABEL, theme.MUTED)
        kappa_label.next_to(self.axes.x_axis, DOWN, buff=0.5)
        self.add(
            self.axes,
            TickedNumbers(x_ticks, x_numbers, RIGHT),
            TickedNumbers(y_ticks, y_numbers, UP),
            self.budget_line,
            budget_label,
            title,
            kappa_label,
        )

    def point(self, kappa: float, count: float) -> np.ndarray:
        return self.axes.c2p(math.log10(kappa), math.log10(count))

    def runs(self, problems: list[ConvexProblem], colors: dict[str, object], budget: int) -> VGroup:
        """One line per optimizer through its counts; a run that never arrived is a triangle
        pointing up from the budget line (side by side where several missed at one kappa)."""
        group = VGroup()
        missed_at: dict[float, int] = {}
        for name in OPTIMIZERS:
            color = colors[name]
            arrived = [(p.kappa, steps(p, name)) for p in problems if steps(p, name) >= 0]
            marks = VGroup(*(Dot(self.point(k, n), radius=0.06, color=color) for k, n in arrived))
            for p in problems:
                if steps(p, name) >= 0:
                    continue
                slot = missed_at.get(p.kappa, 0)
                missed_at[p.kappa] = slot + 1
                marker = Triangle(color=color, fill_opacity=1, stroke_width=0).scale(0.08)
                marks.add(
                    marker.move_to(self.point(p.kappa, budget) + 0.14 * UP + 0.2 * slot * LEFT)
                )
            line = VGroup()
            if len(arrived) > 1:
                xs = np.log10([k for k, _ in arrived])
                ys = np.log10([n for _, n in arrived])
                line = polyline(self.axes, xs, ys, color, 2.5)
            group.add(VGroup(line, marks))
        return group


def _power(value: float) -> str:
    exponent = round(math.log10(value))
    if math.isclose(value, 10.0**exponent):
        return "1" if exponent == 0 else "10" if exponent == 1 else f"10^{{{exponent}}}"
    return f"{value:g}"


def legend_row(colors: dict[str, object]) -> VGroup:
    return VGroup(*(text(NAMES[n], theme.SIZE_SMALL, colors[n]) for n in OPTIMIZERS)).arrange(
        RIGHT, buff=0.45
    )


def convex_charts(verdict: Verdict, colors: dict[str, object]) -> tuple[VGroup, VGroup, VGroup]:
    """Both charts (axes only) and their runs, placed side by side."""
    kappas = [p.kappa for p in verdict.aligned]
    aligned = StepsChart(kappas, verdict.budget, "ill-conditioned along the axes")
    rotated = StepsChart(kappas, verdict.budget, "the same bowls, rotated")
    charts = VGroup(aligned, rotated).arrange(RIGHT, buff=1.6).move_to([0.2, -0.35, 0])
    aligned_runs = aligned.runs(verdict.aligned, colors, verdict.budget)
    rotated_runs = rotated.runs(verdict.rotated, colors, verdict.budget)
    return charts, aligned_runs, rotated_runs


def verdict_card(verdict: Verdict) -> VGroup:
    """Regime on the left, what wins there on the right, one row each; the failures below."""
    rules = verdict.rules()
    regimes = [text(regime, theme.SIZE_LABEL, theme.MUTED) for regime, _ in rules]
    outcomes = [text(outcome, theme.SIZE_LABEL, theme.SECONDARY) for _, outcome in rules]
    column = max(r.width for r in regimes) + 0.5
    card = VGroup()
    for i, (regime, outcome) in enumerate(zip(regimes, outcomes, strict=True)):
        y = -0.62 * i
        regime.move_to([0, y, 0], aligned_edge=LEFT)
        outcome.move_to([column, y, 0], aligned_edge=LEFT)
        card.add(VGroup(regime, outcome))
    failures = verdict.failures()
    if failures:
        said = "; ".join(f"{NAMES[n]} on {_problem_words(p)}" for n, p in failures)
        note = text(f"not within {verdict.budget:,} steps: {said}", theme.SIZE_SMALL, theme.ACCENT)
        card.add(note.next_to(card, DOWN, buff=0.55, aligned_edge=LEFT))
    if card.width > 13.0:
        card.scale_to_fit_width(13.0)
    return card.move_to([0, 0.2, 0])


def _problem_words(problem: ConvexProblem) -> str:
    if problem.kind == "logistic":
        return "the logistic regression"
    return f"{'rotated ' if problem.rotated else ''}κ = {problem.kappa:,.0f}"


def play_convex_verdict(scene, verdict: Verdict, grid_size: int, colors: dict[str, object]) -> None:
    """The beat's animations and words, in order; it leaves the stage as it found it."""
    charts, aligned_runs, rotated_runs = convex_charts(verdict, colors)
    legend = legend_row(colors).move_to([0.2, 2.65, 0])
    lines = verdict.lines()
    scene.play(FadeIn(charts), FadeIn(legend), run_time=0.8)
    scene.say(verdict.intro(grid_size), 3.5)
    scene.wait(0.6)
    scene.say(lines["aligned"], 5.5)
    scene.play(Create(aligned_runs, lag_ratio=0.2), run_time=2.0)
    scene.wait(1.5)
    scene.say(lines["rotated"], 5.5)
    scene.play(Create(rotated_runs, lag_ratio=0.2), run_time=2.0)
    scene.wait(1.5)
    scene.say(lines["theory"], 3.5)
    scene.wait(2.5)
    scene.say(lines["theory_momentum"], 3.5)
    scene.wait(2.5)
    scene.say(lines["easy"], 4.0)
    scene.wait(2.5)
    scene.play(FadeOut(charts, legend, aligned_runs, rotated_runs), run_time=0.5)
    card = verdict_card(verdict)
    scene.say(lines.get("logistic", lines["easy"]), 5.5)
    scene.play(FadeIn(card, lag_ratio=0.25), run_time=1.5)
    scene.wait(4.5)
    scene.play(FadeOut(card), run_time=0.5)
