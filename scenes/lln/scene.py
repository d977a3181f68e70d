"""The Law of Large Numbers, drawn from :mod:`scenes.lln.model`.

Beats: one die settling; many runs inside the 1/sqrt(n) funnel; histograms of the mean
narrowing; the share of runs outside a fixed margin against Chebyshev's bound; Cauchy, where the
law fails; a summary.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Line,
    ValueTracker,
    VGroup,
    Write,
    always_redraw,
    linear,
)

from scenes.lln.model import LLNData
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    add_shifted_y_labels,
    band,
    follow_value,
    heading,
    histogram,
    log_spaced_indices,
    math,
    moving_dots,
    polyline,
    readout,
    shifted_polyline,
    show_title,
    styled_axes,
    text,
)

PLOT_CENTER = 0.35 * UP
LOG_POINTS = 160  # points per drawn path: log-spaced n, enough to be exact at this size


class LawOfLargeNumbers(MathreelScene):
    def construct(self) -> None:
        data: LLNData = self.model
        self.one_die(data)
        self.funnel(data)
        self.histograms(data)
        self.chebyshev(data)
        self.cauchy(data)
        self.summary(data)

    # -- beats -------------------------------------------------------------------------------

    def one_die(self, data: LLNData) -> None:
        self.beat("One die")
        show_title(
            self, "The Law of Large Numbers", "why averages settle, how fast, and when they don't"
        )
        shown = min(100, len(data.n))
        axes = styled_axes([0, shown, 20], [1, 6, 1], 10.5, 4.6).move_to(PLOT_CENTER + 0.2 * DOWN)
        y_label = text("running mean", theme.SIZE_SMALL, theme.MUTED).rotate(np.pi / 2)
        y_label.next_to(axes.y_axis, LEFT, buff=0.45)
        x_label = math("n", theme.SIZE_LABEL, theme.MUTED).next_to(axes.x_axis, DOWN, buff=0.45)
        mu_line = DashedLine(axes.c2p(0, data.mu), axes.c2p(shown, data.mu), color=theme.SECONDARY)
        mu_label = math(rf"\mu = {data.mu:g}", theme.SIZE_LABEL, theme.SECONDARY)
        mu_label.next_to(axes.c2p(shown, data.mu), RIGHT, buff=0.15)
        self.play(Create(axes), FadeIn(y_label, x_label), run_time=1.2)
        self.play(Create(mu_line), FadeIn(mu_label), run_time=0.8)

        k = ValueTracker(1)
        path = data.paths[0]

        def current() -> int:
            return int(np.clip(round(k.get_value()), 1, shown))

        trace = always_redraw(
            lambda: (
                polyline(axes, data.n[: current()], path[: current()], theme.PRIMARY, 3)
                if current() > 1
                else Dot(axes.c2p(1, path[0]), radius=0.04, color=theme.PRIMARY)
            )
        )
        head = always_redraw(
            lambda: Dot(axes.c2p(current(), path[current() - 1]), radius=0.07, color=theme.PRIMARY)
        )
        n_read = readout("n", 1, decimals=0, size=theme.SIZE_LABEL)
        mean_read = readout(r"\bar X_n", path[0], decimals=3, size=theme.SIZE_LABEL)
        roll_read = readout(r"\text{roll}", data.rolls[0, 0], decimals=0, size=theme.SIZE_LABEL)
        panel = VGroup(n_read, roll_read, mean_read).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        panel.to_corner(UR, buff=0.45)
        follow_value(n_read[1], current)
        follow_value(roll_read[1], lambda: data.rolls[0, current() - 1])
        follow_value(mean_read[1], lambda: path[current() - 1])
        self.add(trace, head)
        self.play(FadeIn(panel), run_time=0.5)
        self.say("Roll a fair die and keep the running mean of all rolls so far.", 4.0)
        self.play(k.animate.set_value(12), run_time=3.5, rate_func=linear)
        self.say(f"Early on it swings wildly; as rolls pile up it settles near {data.mu:g}.", 6.5)
        self.play(k.animate.set_value(shown), run_time=6, rate_func=linear)
        self.wait(1)
        for m in (n_read[1], roll_read[1], mean_read[1]):
            m.clear_updaters()
        self.clear_stage()

    def log_axes(self, data: LLNData, y_range=(1, 6, 1), width=10.5, height=4.6, **kwargs):
        axes = styled_axes(
            [0, np.log10(len(data.n)), 1], list(y_range), width, height, x_log=True, **kwargs
        ).move_to(PLOT_CENTER + 0.2 * DOWN)
        x_label = math(r"n \ (\text{log scale})", theme.SIZE_LABEL, theme.MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45)
        return axes, x_label

    def faint_paths(self, axes, data: LLNData, idx: np.ndarray) -> VGroup:
        return VGroup(
            *(
                polyline(axes, data.n[idx], row[idx], theme.PRIMARY, 1.2, opacity=0.22)
                for row in data.paths
            )
        )

    def funnel(self, data: LLNData) -> None:
        self.beat(f"{len(data.paths)} runs, one funnel")
        title = heading(f"{len(data.paths)} runs of {len(data.n)} rolls")
        axes, x_label = self.log_axes(data)
        idx = log_spaced_indices(1, len(data.n), LOG_POINTS)
        low = np.clip(data.band_low[idx], 1, 6)
        high = np.clip(data.band_high[idx], 1, 6)
        funnel = band(axes, data.n[idx], low, high, theme.BAND, opacity=0.2)
        edges = VGroup(
            polyline(axes, data.n[idx], low, theme.BAND, 2.5),
            polyline(axes, data.n[idx], high, theme.BAND, 2.5),
        )
        paths = self.faint_paths(axes, data, idx)
        mu_line = DashedLine(
            axes.c2p(1, data.mu), axes.c2p(len(data.n), data.mu), color=theme.SECONDARY
        )
        self.play(FadeIn(title), Create(axes), FadeIn(x_label), run_time=1.2)
        self.say(f"Now {len(data.paths)} independent runs, with n on a log scale.", 5.0)
        self.play(Create(paths, lag_ratio=0.01), run_time=4)
        self.add(mu_line)
        formula = math(r"\mu \pm 1.96\,\frac{\sigma}{\sqrt{n}}", theme.SIZE_BODY, theme.BAND)
        formula.next_to(axes.c2p(len(data.n), float(high[-1])), UP + LEFT, buff=0.25)
        formula.shift(0.5 * UP)
        at_each_n = 1 - float(data.outside_band_fraction.mean())
        self.say(
            f"At each n about {at_each_n:.0%} of runs are inside the funnel,"
            f" {data.mu:g} ± 1.96 SE.",
            6.0,
        )
        self.play(FadeIn(funnel), Create(edges), Write(formula), run_time=2)
        share = 1 - data.outside_band_fraction[-1]
        note = VGroup(
            text(f"inside at n = {len(data.n)}: {share:.1%}", theme.SIZE_LABEL, theme.BAND),
            text(
                f"inside at every n up to {len(data.n)}: {data.always_inside_fraction:.0%}",
                theme.SIZE_LABEL,
                theme.ACCENT,
            ),
        ).arrange(DOWN, aligned_edge=RIGHT, buff=0.15)
        note.to_corner(UR, buff=0.5)
        self.play(FadeIn(note[0]), run_time=0.6)
        self.wait(2.0)
        left = [path for path, exit_n in zip(paths, data.first_exit, strict=True) if exit_n > 0]
        self.say(
            f"Only {data.always_inside_fraction:.0%} stay inside at every n up to {len(data.n)};"
            " in time every run leaves.",
            6.0,
        )
        self.play(
            FadeIn(note[1]),
            *(path.animate.set_stroke(theme.ACCENT, opacity=0.3) for path in left),
            run_time=1.2,
        )
        self.wait(3.5)
        self.clear_stage()

    def histograms(self, data: LLNData) -> None:
        self.beat("Histograms of the mean")
        title = heading(f"The mean of n rolls, {data.sample_means.shape[1]} times over")
        self.play(FadeIn(title), run_time=0.6)
        lowest = min(float(h["edges"][0]) for h in data.histograms.values())
        highest = max(float(h["edges"][-1]) for h in data.histograms.values())
        x_range = [np.floor(lowest * 2) / 2, np.ceil(highest * 2) / 2, 0.5]
        panels = VGroup()
        for k, sd in zip(data.hist_ns, data.sample_sd, strict=True):
            hist = data.histograms[str(k)]
            curve = data.normal_curves[str(k)]
            top = float(max(hist["density"].max(), curve["pdf"].max())) * 1.1
            axes = styled_axes(
                x_range, [0, top, top], 3.8, 2.5, x_numbers=range(2, 6), y_numbers=[]
            )
            bars = histogram(axes, hist["edges"], hist["density"], theme.PRIMARY, opacity=0.7)
            inside = (curve["x"] >= x_range[0]) & (curve["x"] <= x_range[1])
            normal = polyline(axes, curve["x"][inside], curve["pdf"][inside], theme.SECONDARY, 3)
            label = math(f"n = {k}", theme.SIZE_LABEL).next_to(axes, UP, buff=0.2)
            sd_line = math(
                rf"\text{{sd}} = {sd:.3f}\quad "
                rf"\tfrac{{\sigma}}{{\sqrt{{{k}}}}} = {data.sigma / np.sqrt(k):.3f}",
                theme.SIZE_SMALL,
            ).next_to(axes, DOWN, buff=0.55)
            panels.add(VGroup(axes, bars, normal, label, sd_line))
        panels.arrange(RIGHT, buff=0.55).move_to(0.1 * DOWN)
        self.say(self.narrowing(data), 6.0)
        for panel in panels:
            axes, bars, normal, label, sd_line = panel
            self.play(Create(axes), FadeIn(label), run_time=0.6)
            self.play(FadeIn(bars, lag_ratio=0.05), run_time=1.2)
            self.play(Create(normal), FadeIn(sd_line), run_time=0.8)
        legend = VGroup(
            text("simulated means", theme.SIZE_SMALL, theme.PRIMARY),
            math(r"\mathcal{N}\!\left(\mu, \sigma^2/n\right)", theme.SIZE_SMALL, theme.SECONDARY),
        ).arrange(RIGHT, buff=0.6)
        legend.next_to(title, DOWN, aligned_edge=LEFT, buff=0.3)
        scale_note = text("each panel has its own height scale", theme.SIZE_SMALL, theme.MUTED)
        scale_note.next_to(panels, DOWN, buff=0.3)
        self.say("Each histogram follows the normal curve with the predicted spread.", 5.0)
        self.play(FadeIn(legend), FadeIn(scale_note), run_time=0.6)
        self.wait(3.5)
        self.clear_stage()

    @staticmethod
    def narrowing(data: LLNData) -> str:
        """How much narrower each histogram is than the one before: sqrt of the ratio of n."""
        if len(data.hist_ns) < 2:
            return f"The mean of {data.hist_ns[0]} rolls, with its predicted spread."
        ratio = float(data.hist_ns[1] / data.hist_ns[0])
        return (
            f"{ratio:g} times more rolls make the spread about {np.sqrt(ratio):.1f} times narrower."
        )

    def chebyshev(self, data: LLNData) -> None:
        self.beat("Chebyshev's guarantee")
        eps = data.epsilon
        title = heading(rf"Runs off by at least {eps:g}")
        axes, x_label = self.log_axes(data, width=8.6)
        axes.to_edge(LEFT, buff=0.8)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45)
        idx = log_spaced_indices(1, len(data.n), LOG_POINTS)
        paths = self.faint_paths(axes, data, idx)
        corridor = band(
            axes,
            data.n[idx],
            np.full(len(idx), data.mu - eps),
            np.full(len(idx), data.mu + eps),
            theme.GOOD,
            opacity=0.18,
        )
        self.play(FadeIn(title), Create(axes), FadeIn(x_label), FadeIn(paths), run_time=1.2)
        self.say(
            f"Count the runs at least epsilon = {eps:g} away from {data.mu:g}.",
            5.0,
        )
        self.play(FadeIn(corridor), run_time=1)

        log_n = ValueTracker(0.0)

        def n_now() -> int:
            return int(np.clip(round(10 ** log_n.get_value()), 1, len(data.n)))

        sweep = always_redraw(
            lambda: Line(
                axes.c2p(n_now(), 1), axes.c2p(n_now(), 6), color=theme.TEXT, stroke_width=1.5
            )
        )

        def runs_now() -> tuple[np.ndarray, np.ndarray, list]:
            values = data.paths[:, n_now() - 1]
            off = np.abs(values - data.mu) >= eps
            colors = [theme.ACCENT if o else theme.GOOD for o in off]
            return np.full(len(values), n_now()), values, colors

        marks = moving_dots(axes, runs_now, radius=0.03)
        outside = readout(
            r"\text{outside}", data.outside_fraction[0], decimals=3, color=theme.ACCENT
        )
        bound = readout(
            r"\frac{\sigma^2}{n\varepsilon^2}",
            data.chebyshev_bound[0],
            decimals=3,
            color=theme.SECONDARY,
        )
        n_read = readout("n", 1, decimals=0)
        panel = VGroup(n_read, outside, bound).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        panel.next_to(axes, RIGHT, buff=0.7).shift(0.3 * UP)
        follow_value(n_read[1], n_now)
        follow_value(outside[1], lambda: data.outside_fraction[n_now() - 1])
        follow_value(bound[1], lambda: data.chebyshev_bound[n_now() - 1])
        caveat = text("(capped at 1)", theme.SIZE_SMALL, theme.MUTED).next_to(
            bound, DOWN, aligned_edge=LEFT
        )
        self.add(sweep, marks)
        self.play(FadeIn(panel), FadeIn(caveat), run_time=0.6)
        self.say("The share outside falls towards zero, and never above Chebyshev's bound.", 8.0)
        self.play(log_n.animate.set_value(np.log10(len(data.n))), run_time=8, rate_func=linear)
        self.wait(2)
        for m in (n_read[1], outside[1], bound[1]):
            m.clear_updaters()
        self.clear_stage()

    def cauchy(self, data: LLNData) -> None:
        self.beat("When the law fails")
        title = heading("Cauchy draws: no mean to settle on")
        limit = 8.0
        # Shifted by the limit, so the n axis runs along the bottom, not through y = 0.
        axes, x_label = self.log_axes(data, (0, 2 * limit, 4), height=4.0, y_numbers=[])
        add_shifted_y_labels(axes, (-8, -4, 0, 4, 8), -limit)
        axes.shift(0.3 * DOWN)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45)
        idx = log_spaced_indices(1, len(data.n), 2 * LOG_POINTS)
        colors = [theme.ACCENT, theme.SECONDARY, theme.VIOLET, theme.GOOD, theme.PRIMARY]
        paths = VGroup(
            *(
                shifted_polyline(
                    axes, data.n[idx], row[idx], -limit, limit, colors[i % len(colors)], 2.2
                )
                for i, row in enumerate(data.cauchy_paths)
            )
        )
        zero = DashedLine(axes.c2p(1, limit), axes.c2p(len(data.n), limit), color=theme.MUTED)
        density = math(
            r"f(x) = \frac{1}{\pi\,(1 + x^2)}, \qquad \mathbb{E}\,|X| = \infty", theme.SIZE_LABEL
        )
        density.to_corner(UR, buff=0.45)
        self.play(FadeIn(title), Create(axes), FadeIn(x_label), Create(zero), run_time=1.2)
        self.say("The law needs a finite mean. The Cauchy distribution has none.", 5.0)
        self.play(Write(density), run_time=1.2)
        self.play(Create(paths, lag_ratio=0.2), run_time=5)
        claim = math(
            r"\bar X_n \sim \text{Cauchy}(0, 1) \ \text{for every } n",
            theme.SIZE_LABEL,
            theme.ACCENT,
        ).next_to(density, DOWN, aligned_edge=RIGHT, buff=0.3)
        self.say("The mean of n Cauchy draws is again standard Cauchy: it never settles.", 6.0)
        self.play(FadeIn(claim), run_time=0.8)
        clipped = text(f"paths clipped at ±{limit:g}", theme.SIZE_SMALL, theme.MUTED)
        clipped.next_to(x_label, RIGHT, buff=1.5)
        self.play(FadeIn(clipped), run_time=0.4)
        self.wait(3.5)
        self.clear_stage()

    def summary(self, data: LLNData) -> None:
        self.beat("Summary")
        lines = VGroup(
            math(r"\operatorname{Var}\big(\bar X_n\big) = \frac{\sigma^2}{n}"),
            math(
                r"P\big(|\bar X_n - \mu| \ge \varepsilon\big) \le \frac{\sigma^2}{n\,\varepsilon^2}"
            ),
            math(r"\bar X_n \to \mu \ \text{needs } \mathbb{E}\,|X| < \infty"),
        ).arrange(DOWN, buff=0.55)
        notes = VGroup(
            math(
                r"\text{spread } \sigma/\sqrt{n}\text{, if } \sigma^2 < \infty",
                theme.SIZE_LABEL,
                theme.PRIMARY,
            ),
            text("Chebyshev: a guarantee, for finite variance", theme.SIZE_LABEL, theme.SECONDARY),
            text("finite mean only: slower; none: Cauchy", theme.SIZE_LABEL, theme.ACCENT),
        )
        column = max(line.get_right()[0] for line in lines) + 0.8
        for line, note in zip(lines, notes, strict=True):
            note.move_to(line.get_center()[1] * UP).align_to(column * RIGHT, LEFT)
        block = VGroup(*(VGroup(line, note) for line, note in zip(lines, notes, strict=True)))
        block.move_to(0.3 * UP)
        self.say("Means settle if E|X| is finite; at the rate σ/√n if the variance is too.", 8.0)
        for row in block:
            self.play(Write(row[0]), FadeIn(row[1], shift=0.2 * LEFT), run_time=1.2)
        self.wait(7)
