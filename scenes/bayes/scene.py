"""Bayesian updating, drawn from :mod:`scenes.bayes.model`.

Beats: Bayes' theorem as shaded area in the unit square; the odds form as an arrow on a log-odds
line; a flat Beta prior multiplied by p or 1 - p at every flip and renormalized; a stubborn prior
against a flat one on the same flips; a drifting coin that makes the posterior confidently wrong;
a summary.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Brace,
    Circle,
    Create,
    CurvedArrow,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    NumberLine,
    Rectangle,
    ReplacementTransform,
    Transform,
    VGroup,
    Write,
    linear,
)

from scenes.bayes.model import BayesData, BetaPath
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    ChangeReadout,
    band,
    heading,
    math,
    polyline,
    readout,
    show_title,
    styled_axes,
    text,
)

SQUARE = 4.6  # side of the unit square on screen
SQUARE_CENTER = np.array([-1.9, 0.15, 0.0])
STEP_TIME = 0.15
PLOT_CENTER = np.array([-2.3, -0.1, 0.0])  # density plots on the left, readouts on the right
PLOT_WIDTH, PLOT_HEIGHT = 8.4, 4.8  # seconds per fast-forwarded density step


def frac_tex(exact: str, command: str = "tfrac") -> str:
    """``"2/105"`` as ``\\tfrac{2}{105}`` (or ``\\frac``); whole numbers stay as they are."""
    value = Fraction(exact)
    if value.denominator == 1:
        return str(value.numerator)
    return rf"\{command}{{{value.numerator}}}{{{value.denominator}}}"


def odds_tex(exact: str) -> str:
    """Odds ``"1/20"`` written the way people say them, ``1:20``."""
    return odds_text(exact).replace(":", "{:}")


def odds_text(exact: str) -> str:
    value = Fraction(exact)
    return f"{value.numerator}:{value.denominator}"


def percent(exact: str) -> str:
    """A probability as a percentage with as many decimals as it needs (1%, 9.2%)."""
    value = 100 * float(Fraction(exact))
    return f"{value:.0f}%" if abs(value - round(value)) < 0.05 else f"{value:.1f}%"


def density_curve(axes, grid: np.ndarray, ys: np.ndarray, color, opacity: float = 0.3) -> VGroup:
    """A density as a filled area under a stroked curve (fill first, so the stroke sits on top)."""
    fill = band(axes, grid, np.zeros_like(ys), ys, color, opacity=opacity)
    return VGroup(fill, polyline(axes, grid, ys, color, 3))


def density_axes(y_max: float, width: float, height: float):
    """Axes for densities on [0, 1] with a few round y numbers and a p label."""
    top = float(np.ceil(y_max * 1.1))
    step = 1 if top <= 6 else 2 if top <= 12 else 5
    axes = styled_axes(
        [0, 1, 0.1],
        [0, top, step],
        width,
        height,
        x_numbers=[0, 0.5, 1],
        y_numbers=list(range(step, int(top) + 1, step)),
    )
    return axes


def truth_marker(axes, p: float) -> VGroup:
    """The coin's true p: a dashed vertical line with its value on top."""
    line = DashedLine(
        axes.c2p(p, 0), axes.c2p(p, axes.y_range[1]), color=theme.ACCENT, stroke_width=2.5
    )
    label = math(rf"\text{{true }} p = {p:g}", theme.SIZE_LABEL, theme.ACCENT)
    return VGroup(line, label.next_to(line, UP, buff=0.1))


class BayesianUpdating(MathreelScene):
    def construct(self) -> None:
        data: BayesData = self.model
        self.area(data)
        self.odds(data)
        self.flips(data)
        self.stubborn(data)
        self.misspecified(data)
        self.summary(data)

    # -- beats -------------------------------------------------------------------------------

    def area(self, data: BayesData) -> None:
        self.beat("Bayes' theorem as area")
        show_title(self, "Bayesian Updating", "how evidence reshapes belief, and when it misleads")
        am = data.area_model
        prior, l_h, l_not_h = (
            float(Fraction(v)) for v in (am.prior, am.p_e_given_h, am.p_e_given_not_h)
        )
        title = heading("Bayes' theorem as area")
        square = Rectangle(width=SQUARE, height=SQUARE, stroke_color=theme.MUTED, stroke_width=2)
        square.move_to(SQUARE_CENTER)
        left, bottom = square.get_left()[0], square.get_bottom()[1]
        split = left + prior * SQUARE

        def block(x0: float, x1: float, height: float, color, opacity: float) -> Rectangle:
            rect = Rectangle(
                width=x1 - x0,
                height=height,
                stroke_width=1,
                stroke_color=theme.BACKGROUND,
                fill_color=color,
                fill_opacity=opacity,
            )
            return rect.move_to([(x0 + x1) / 2, bottom + height / 2, 0])

        col_h = block(left, split, SQUARE, theme.PRIMARY, 0.18)
        col_not = block(split, left + SQUARE, SQUARE, theme.MUTED, 0.12)
        he = block(left, split, l_h * SQUARE, theme.PRIMARY, 0.9)
        not_he = block(split, left + SQUARE, l_not_h * SQUARE, theme.SECONDARY, 0.9)

        brace_h = Brace(col_h, DOWN, buff=0.08, color=theme.PRIMARY)
        label_h = math(rf"P(H) = {frac_tex(am.prior)}", theme.SIZE_LABEL, theme.PRIMARY)
        label_h.next_to(brace_h, DOWN, buff=0.1).align_to(square, LEFT).shift(0.35 * LEFT)
        brace_not = Brace(col_not, DOWN, buff=0.08, color=theme.MUTED)
        label_not = math(
            rf"P(\neg H) = {frac_tex(str(1 - Fraction(am.prior)))}", theme.SIZE_LABEL, theme.MUTED
        )
        label_not.next_to(brace_not, DOWN, buff=0.1)
        brace_eh = Brace(he, LEFT, buff=0.08, color=theme.PRIMARY)
        label_eh = math(
            rf"P(E\mid H) = {frac_tex(am.p_e_given_h)}", theme.SIZE_LABEL, theme.PRIMARY
        )
        label_eh.next_to(brace_eh, LEFT, buff=0.1)
        brace_enh = Brace(not_he, RIGHT, buff=0.08, color=theme.SECONDARY)
        label_enh = math(
            rf"P(E\mid \neg H) = {frac_tex(am.p_e_given_not_h)}", theme.SIZE_LABEL, theme.SECONDARY
        )
        label_enh.next_to(brace_enh, RIGHT, buff=0.1)

        self.play(FadeIn(title), Create(square), run_time=1)
        self.say("All possibilities fill a unit square. The prior P(H) is a width.", 3.0)
        self.play(
            FadeIn(col_h),
            FadeIn(col_not),
            FadeIn(brace_h, label_h, brace_not, label_not),
            run_time=1.5,
        )
        self.wait(1.0)
        self.say("The likelihoods are heights: how often the evidence E shows up under each.", 3.5)
        self.play(FadeIn(he), FadeIn(brace_eh, label_eh), run_time=1.2)
        self.play(FadeIn(not_he), FadeIn(brace_enh, label_enh), run_time=1.2)
        self.wait(1.0)

        self.say(
            "Seeing E rules out everything unshaded. The posterior is a share of what is left.", 3.5
        )
        self.play(
            col_h.animate.set_fill(opacity=0.04), col_not.animate.set_fill(opacity=0.03), run_time=1
        )
        joint_h, joint_not = (float(Fraction(v)) for v in (am.joint_h, am.joint_not_h))
        bar_len = 5.4
        bar_left = np.array([1.0, 2.1, 0.0])
        w_h = bar_len * joint_h / (joint_h + joint_not)
        bar_h = Rectangle(
            width=w_h, height=0.6, stroke_width=1, fill_color=theme.PRIMARY, fill_opacity=0.9
        )
        bar_h.move_to(bar_left + np.array([w_h / 2, 0, 0]))
        bar_not = Rectangle(
            width=bar_len - w_h,
            height=0.6,
            stroke_width=1,
            fill_color=theme.SECONDARY,
            fill_opacity=0.9,
        )
        bar_not.next_to(bar_h, RIGHT, buff=0)
        bar_h.set_stroke(theme.BACKGROUND)
        bar_not.set_stroke(theme.BACKGROUND)
        # both areas over one denominator, so the posterior reads as a count: 2 of 2 + 10
        den = lcm(Fraction(am.joint_h).denominator, Fraction(am.joint_not_h).denominator)
        n_h, n_not = (int(Fraction(v) * den) for v in (am.joint_h, am.joint_not_h))
        area_h = math(rf"\tfrac{{{n_h}}}{{{den}}}", theme.SIZE_BODY, theme.PRIMARY)
        area_h.next_to(bar_h, UP, buff=0.15)
        area_not = math(rf"\tfrac{{{n_not}}}{{{den}}}", theme.SIZE_BODY, theme.SECONDARY)
        area_not.next_to(bar_not, UP, buff=0.15)
        self.play(
            ReplacementTransform(he.copy(), bar_h),
            ReplacementTransform(not_he.copy(), bar_not),
            run_time=1.5,
        )
        self.play(FadeIn(area_h, area_not), run_time=0.6)
        formula = math(
            r"P(H\mid E) = \frac{P(H)\,P(E\mid H)}{P(H)\,P(E\mid H) + P(\neg H)\,P(E\mid \neg H)}",
            theme.SIZE_LABEL,
        )
        numbers = math(
            rf"= \frac{{{n_h}}}{{{n_h} + {n_not}}} = {frac_tex(am.posterior, 'frac')}",
            theme.SIZE_HEADING,
            theme.GOOD,
        )
        VGroup(formula, numbers).arrange(DOWN, buff=0.35, aligned_edge=LEFT).next_to(
            bar_h, DOWN, buff=0.7, aligned_edge=LEFT
        )
        self.say(f"Blue over all shaded: P(H|E) = {am.posterior}, from a prior of {am.prior}.", 5.0)
        self.play(Write(formula), run_time=2)
        self.play(Write(numbers), run_time=1.5)
        self.wait(2.0)
        self.clear_stage(run_time=0.8)

    def odds(self, data: BayesData) -> None:
        self.beat("The odds form")
        title = heading("The odds form: one multiplication")
        rule = math(
            r"\underbrace{\frac{P(H\mid E)}{P(\neg H\mid E)}}_{\text{posterior odds}}"
            r" = \underbrace{\frac{P(H)}{P(\neg H)}}_{\text{prior odds}}"
            r" \times \underbrace{\frac{P(E\mid H)}{P(E\mid \neg H)}}_{\text{Bayes factor}}",
            theme.SIZE_BODY,
        ).move_to(1.75 * UP)
        self.play(FadeIn(title), run_time=0.6)
        self.say("In odds, Bayes' theorem is one multiplication by the Bayes factor.", 4.0)
        self.play(Write(rule), run_time=2)
        self.wait(1.4)

        examples = ((data.area_model, "the square above"), (data.medical_test, "a medical test"))
        logs = [
            np.log10(float(Fraction(v)))
            for am, _ in examples
            for v in (am.prior_odds, am.posterior_odds)
        ]
        span = (float(np.floor(min(logs))) - 0.5, float(np.ceil(max(logs))) + 0.5)
        rows = VGroup(
            *(
                self.odds_row(am, name, y, span)
                for (am, name), y in zip(examples, (-0.55, -2.35), strict=True)
            )
        )

        am, med = data.area_model, data.medical_test
        captions = (
            f"Prior odds {odds_text(am.prior_odds)} times Bayes factor {am.bayes_factor}: "
            f"odds {odds_text(am.posterior_odds)}, the same {am.posterior}.",
            f"A test with Bayes factor {med.bayes_factor} for a {percent(med.prior)} disease: "
            f"a positive means only {percent(med.posterior)}.",
        )
        for row, caption, hold in zip(rows, captions, (1.5, 2.6), strict=True):
            self.say(caption, 3.4 + hold)
            self.play(*(FadeIn(m) for m in row[:4]), run_time=1)
            self.play(Create(row[4]), FadeIn(row[5]), run_time=1.2)
            self.play(FadeIn(row[6]), Write(row[7]), run_time=1.2)
            self.wait(hold)
        self.clear_stage(run_time=0.8)

    def odds_row(self, am, name: str, y: float, span: tuple[float, float]) -> VGroup:
        """A log-odds line with the prior odds, the Bayes-factor arrow and the posterior odds."""
        line = NumberLine(
            x_range=[span[0], span[1], 1], length=8.5, color=theme.MUTED, include_numbers=False
        ).move_to([0.9, y, 0])
        powers = range(int(np.ceil(span[0])), int(np.floor(span[1])) + 1)
        ticks = VGroup(
            *(
                math(odds_tex(str(Fraction(10) ** k)), theme.SIZE_SMALL, theme.MUTED).next_to(
                    line.n2p(k), DOWN, buff=0.18
                )
                for k in powers
            )
        )
        before, after = (np.log10(float(Fraction(v))) for v in (am.prior_odds, am.posterior_odds))
        start = Dot(line.n2p(before), color=theme.MUTED)
        end = Dot(line.n2p(after), color=theme.GOOD)
        arrow = CurvedArrow(
            line.n2p(before) + 0.12 * UP,
            line.n2p(after) + 0.12 * UP,
            angle=-1.2,
            color=theme.SECONDARY,
        )
        factor = math(rf"\times {frac_tex(am.bayes_factor)}", theme.SIZE_LABEL, theme.SECONDARY)
        factor.next_to(arrow, UP, buff=0.08)
        result = math(
            rf"{odds_tex(am.prior_odds)} \;\to\; {odds_tex(am.posterior_odds)} \;=\; "
            rf"P(H\mid E) = {frac_tex(am.posterior)} \approx {percent(am.posterior)}".replace(
                "%", r"\%"
            ),
            theme.SIZE_BODY,
            theme.GOOD,
        )
        result.next_to(line, UP, buff=0.85).align_to(line, RIGHT)
        label = text(name, theme.SIZE_SMALL, theme.MUTED).next_to(line, LEFT, buff=0.3)
        return VGroup(line, ticks, label, start, arrow, factor, end, result)

    def flips(self, data: BayesData) -> None:
        self.beat("Flip by flip")
        title = heading("A coin of unknown bias p")
        grid, dens = data.grid, data.posterior_density
        shown = len(data.unnormalized)
        # the first flips on a low axis, so a flat prior is visible; then zoom out for the rest
        early_top = max(float(dens[: shown + 1].max()), float(data.unnormalized.max()), 1.0)
        axes = density_axes(early_top, PLOT_WIDTH, PLOT_HEIGHT).move_to(PLOT_CENTER)
        wide = density_axes(float(dens.max()), PLOT_WIDTH, PLOT_HEIGHT).move_to(PLOT_CENTER)
        p_label = math("p", theme.SIZE_LABEL, theme.MUTED).next_to(axes.x_axis, RIGHT, buff=0.2)
        truth = truth_marker(axes, data.true_p)
        curve = density_curve(axes, grid, dens[0], theme.PRIMARY)

        a0, b0 = data.prior
        panel = (
            VGroup(
                math(
                    rf"\text{{Beta}}({a0:g} + \text{{heads}},\ {b0:g} + \text{{tails}})",
                    theme.SIZE_LABEL,
                ),
                readout(r"\text{flips}", 0, decimals=0, size=theme.SIZE_LABEL),
                readout(r"\text{heads}", 0, decimals=0, size=theme.SIZE_LABEL),
                readout(r"\text{mean}", data.posterior_mean[0], decimals=3, size=theme.SIZE_LABEL),
                readout(r"\text{sd}", data.posterior_sd[0], decimals=3, size=theme.SIZE_LABEL),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.22)
            .to_edge(RIGHT, buff=0.5)
            .shift(1.2 * UP)
        )
        heads_total = np.concatenate([[0], np.cumsum(data.flips)])

        def panel_to(step: int, run_time: float) -> list:
            values = (step, heads_total[step], data.posterior_mean[step], data.posterior_sd[step])
            return [
                ChangeReadout(row[1], float(v), run_time=run_time)
                for row, v in zip(panel[1:], values, strict=True)
            ]

        self.play(FadeIn(title), Create(axes), FadeIn(p_label), run_time=1)
        self.say("Start flat: before any flip, every bias p is equally plausible.", 3.0)
        self.play(FadeIn(curve), FadeIn(panel), run_time=1)
        self.play(FadeIn(truth), run_time=0.8)
        self.wait(1.2)

        tokens = VGroup()
        self.say("A head multiplies the curve by p, a tail by 1 - p; then rescale to area 1.", 12.5)
        for k in range(shown):
            head = bool(data.flips[k])
            token = VGroup(
                Circle(0.2, color=theme.GOOD if head else theme.VIOLET, fill_opacity=0.25),
                text("H" if head else "T", theme.SIZE_SMALL),
            )
            token.move_to(panel.get_corner(DOWN + LEFT) + np.array([0.2 + 0.5 * k, -0.55, 0]))
            tokens.add(token)
            slow = k < 2
            like = polyline(axes, grid, data.likelihood[k], theme.SECONDARY, 3)
            like_label = math(
                r"\times\, p" if head else r"\times\,(1-p)", theme.SIZE_BODY, theme.SECONDARY
            )
            like_label.next_to(axes.c2p(0.9 if head else 0.1, 1.0), UP, buff=0.3)
            self.play(
                FadeIn(token, scale=1.4),
                Create(like),
                FadeIn(like_label),
                run_time=0.8 if slow else 0.4,
            )
            product = density_curve(axes, grid, data.unnormalized[k], theme.SECONDARY, opacity=0.3)
            area = math(
                rf"\text{{area left}} = {data.predictive[k]:.3f}", theme.SIZE_LABEL, theme.SECONDARY
            ).next_to(panel, DOWN, aligned_edge=LEFT, buff=1.0)
            self.play(Transform(curve, product), FadeIn(area), run_time=1.2 if slow else 0.5)
            if slow:
                self.wait(0.6)
            rescaled = density_curve(axes, grid, dens[k + 1], theme.PRIMARY)
            self.play(
                Transform(curve, rescaled),
                FadeOut(like),
                FadeOut(like_label),
                FadeOut(area),
                *panel_to(k + 1, 1.0 if slow else 0.5),
                run_time=1.0 if slow else 0.5,
            )

        self.say("The area left is the chance the model gave that flip. Now faster.", 2.3)
        self.play(
            ReplacementTransform(axes, wide),
            Transform(curve, density_curve(wide, grid, dens[shown], theme.PRIMARY)),
            Transform(truth, truth_marker(wide, data.true_p)),
            FadeOut(tokens),
            run_time=1.2,
        )
        self.wait(0.7)
        self.say(f"{len(data.flips)} flips, each one a multiply and a rescale.", 7.0)
        for row, step in enumerate(data.density_steps):
            if step <= shown:
                continue
            self.play(
                Transform(curve, density_curve(wide, grid, dens[row], theme.PRIMARY)),
                *panel_to(int(step), STEP_TIME),
                run_time=STEP_TIME,
                rate_func=linear,
            )
        low, high = data.credible_low[-1], data.credible_high[-1]
        inside = (grid >= low) & (grid <= high)
        interval = band(
            wide, grid[inside], np.zeros(inside.sum()), dens[-1][inside], theme.PRIMARY, 0.55
        )
        interval_label = math(
            rf"95\%\ \text{{credible}}:\ [{low:.2f},\ {high:.2f}]", theme.SIZE_LABEL, theme.PRIMARY
        ).next_to(panel, DOWN, aligned_edge=LEFT, buff=0.5)
        verdict = "contains" if low <= data.true_p <= high else "misses (as 5% of them do)"
        self.say(f"Concentrated near the truth: its 95% interval {verdict} the true p.", 3.3)
        self.play(FadeIn(interval), FadeIn(interval_label), run_time=0.8)
        self.wait(2.5)
        self.clear_stage(run_time=0.8)

    def stubborn(self, data: BayesData) -> None:
        self.beat("A stubborn prior")
        flat, stiff = data, data.stubborn
        title = heading("Same flips, two priors")
        grid = data.grid
        top = max(float(flat.posterior_density.max()), float(stiff.posterior_density.max()))
        axes = density_axes(top, PLOT_WIDTH, PLOT_HEIGHT).move_to(PLOT_CENTER)
        p_label = math("p", theme.SIZE_LABEL, theme.MUTED).next_to(axes.x_axis, RIGHT, buff=0.2)
        truth = truth_marker(axes, data.true_p)

        def pair(row: int) -> VGroup:
            return VGroup(
                density_curve(axes, grid, flat.posterior_density[row], theme.PRIMARY, 0.2),
                density_curve(axes, grid, stiff.posterior_density[row], theme.VIOLET, 0.2),
            )

        curves = pair(0)
        count = readout(r"\text{flips}", 0, decimals=0, size=theme.SIZE_LABEL)
        rows = VGroup(count)
        for path, color in ((flat, theme.PRIMARY), (stiff, theme.VIOLET)):
            a, b = path.prior
            rows.add(math(rf"\text{{prior Beta}}({a:g}, {b:g})", theme.SIZE_LABEL, color))
            rows.add(
                readout(
                    r"\quad\text{mean}",
                    path.posterior_mean[0],
                    decimals=3,
                    color=color,
                    size=theme.SIZE_LABEL,
                )
            )
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.22).to_edge(RIGHT, buff=0.5).shift(0.6 * UP)

        self.play(
            FadeIn(title),
            Create(axes),
            FadeIn(p_label),
            FadeIn(truth),
            run_time=1,
        )
        a, b = stiff.prior
        self.say(
            f"A Beta({a:g}, {b:g}) prior counts like {a + b:g} imaginary flips, "
            f"{a:g} of them heads.",
            2.6,
        )
        self.play(FadeIn(curves), FadeIn(rows), run_time=1.2)
        self.wait(1.5)
        self.say("Fed the same flips, it moves, but slowly; the flat prior gets there first.", 8.0)
        for row, step in enumerate(flat.density_steps[1:], start=1):
            self.play(
                Transform(curves, pair(row)),
                ChangeReadout(count[1], float(step)),
                ChangeReadout(rows[2][1], float(flat.posterior_mean[step])),
                ChangeReadout(rows[4][1], float(stiff.posterior_mean[step])),
                run_time=STEP_TIME,
                rate_func=linear,
            )
        self.wait(1.0)
        gap = abs(flat.posterior_mean[-1] - stiff.posterior_mean[-1])
        self.say(
            f"After {len(data.flips)} flips the two still differ by {gap:.2f}; "
            "more data would wash the prior out.",
            3.0,
        )
        self.wait(3.0)
        self.clear_stage(run_time=0.8)

    def misspecified(self, data: BayesData) -> None:
        self.beat("Confidently wrong")
        drift: BetaPath = data.drift
        n = len(data.drift_flips)
        title = heading("When the model is wrong")
        steps = np.arange(n + 1)
        time_axes = styled_axes([0, n, n // 4], [0, 1, 0.25], 6.0, 3.9, y_numbers=[0, 0.5, 1])
        time_axes.move_to([-3.4, -0.2, 0])
        flip_label = text("flip", theme.SIZE_SMALL, theme.MUTED).next_to(
            time_axes.x_axis, DOWN, buff=0.45
        )
        dens_axes = density_axes(float(drift.posterior_density.max()), 5.0, 3.9).move_to(
            [3.6, -0.2, 0]
        )
        p_label = math("p", theme.SIZE_LABEL, theme.MUTED).next_to(
            dens_axes.x_axis, RIGHT, buff=0.2
        )
        truth_path = polyline(time_axes, steps[1:], data.drift_p, theme.ACCENT, 3)
        legend = (
            VGroup(
                text("coin's true p", theme.SIZE_SMALL, theme.ACCENT),
                text("posterior mean, 95% interval", theme.SIZE_SMALL, theme.PRIMARY),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.12)
            .next_to(time_axes, UP, buff=0.25)
            .align_to(time_axes, LEFT)
        )

        def upto(step: int) -> VGroup:
            s = steps[: step + 1]
            return VGroup(
                band(
                    time_axes,
                    s,
                    drift.credible_low[: step + 1],
                    drift.credible_high[: step + 1],
                    theme.PRIMARY,
                    0.3,
                ),
                polyline(time_axes, s, drift.posterior_mean[: step + 1], theme.PRIMARY, 2.5),
            )

        def now_marker(step: int) -> DashedLine:
            p_now = data.drift_p[max(step - 1, 0)]
            return DashedLine(
                dens_axes.c2p(p_now, 0),
                dens_axes.c2p(p_now, dens_axes.y_range[1]),
                color=theme.ACCENT,
                stroke_width=2.5,
            )

        history = upto(1)
        curve = density_curve(dens_axes, data.grid, drift.posterior_density[0], theme.PRIMARY)
        marker = now_marker(0)
        self.play(
            FadeIn(title),
            Create(time_axes),
            FadeIn(flip_label),
            Create(dens_axes),
            FadeIn(p_label),
            FadeIn(legend),
            run_time=1,
        )
        self.say(
            f"Our model says p is fixed. This coin drifts from {data.drift_p[0]:g} "
            f"to {data.drift_p[-1]:g}.",
            4.0,
        )
        self.play(Create(truth_path), FadeIn(curve), FadeIn(marker), FadeIn(history), run_time=2)
        self.wait(1.0)
        self.say("The posterior narrows anyway, around the average p, not the p of now.", 7.0)
        for row, step in enumerate(drift.density_steps[1:], start=1):
            self.play(
                Transform(history, upto(int(step))),
                Transform(
                    curve,
                    density_curve(
                        dens_axes, data.grid, drift.posterior_density[row], theme.PRIMARY
                    ),
                ),
                Transform(marker, now_marker(int(step))),
                run_time=STEP_TIME,
                rate_func=linear,
            )
        low, high = drift.credible_low[-1], drift.credible_high[-1]
        verdict = (
            math(
                rf"95\%\ \text{{interval}}\ [{low:.2f},\ {high:.2f}],"
                rf"\quad \text{{true }} p = {data.drift_p[-1]:.2f}",
                theme.SIZE_LABEL,
                theme.ACCENT,
            )
            .next_to(dens_axes, UP, buff=0.35)
            .align_to(dens_axes, RIGHT)
        )
        self.play(Write(verdict), run_time=1.2)
        sure, wrong = 2 * drift.posterior_sd[-1], abs(data.drift_p[-1] - drift.posterior_mean[-1])
        self.say(
            f"Sure to within ±{sure:.2f}, and off by {wrong:.2f}: "
            "its certainty is only as good as its model.",
            4.5,
        )
        self.wait(4.5)
        self.clear_stage(run_time=0.8)

    def summary(self, data: BayesData) -> None:
        self.beat("Summary")
        lines = (
            VGroup(
                math(r"P(H\mid E) = \frac{P(H)\,P(E\mid H)}{P(E)}", theme.SIZE_HEADING),
                math(
                    r"\text{posterior odds} = \text{prior odds} \times \text{Bayes factor}",
                    theme.SIZE_HEADING,
                ),
                math(
                    r"\text{Beta}(a, b) \;\xrightarrow{\;k \text{ heads in } n\;}\;"
                    r" \text{Beta}(a + k,\ b + n - k)",
                    theme.SIZE_HEADING,
                ),
                text(
                    "a confident posterior is only as right as its model",
                    theme.SIZE_HEADING,
                    theme.ACCENT,
                ),
            )
            .arrange(DOWN, buff=0.5)
            .move_to(0.4 * UP)
        )
        self.say("Evidence rescales belief; the model decides what the evidence can mean.", 10.0)
        for line in lines:
            self.play(FadeIn(line, shift=0.2 * UP), run_time=1.0)
        self.wait(6.2)
