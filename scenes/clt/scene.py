"""The Central Limit Theorem, drawn from :mod:`scenes.clt.model`.

Beats: a Galton board filling its buckets; exact sums of a die; the same sums standardized
against N(0, 1); the measured gap against the Berry-Esseen bound on log-log axes; two failures
(infinite variance, one hidden choice shared by all draws); a summary.
"""

from __future__ import annotations

import itertools

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    LaggedStart,
    Line,
    MoveAlongPath,
    Polygon,
    Rectangle,
    ReplacementTransform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
)

from scenes.clt.model import BERRY_ESSEEN_C, CLTData, Standardized
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    axis_points,
    follow_value,
    heading,
    histogram,
    math,
    nice_step,
    polyline,
    readout,
    show_title,
    styled_axes,
    text,
)

PEG_DX = 0.46  # horizontal distance between neighbouring pegs (and buckets), at most
BOARD_WIDTH = 6.0  # the widest board that leaves room for the counter on the right
BOARD_TOP = 2.7
BUCKET_BASE = -2.75
BUCKET_HEIGHT = 2.0  # the tallest bucket bar (or expected dot)
DIE_WORDS = {"skewed": "lopsided", "uniform": "fair", "u-shaped": "U-shaped"}
Z_WINDOW = 4.0  # standardized plots show z in [-4, 4]


def in_window(s: Standardized, lo: float, hi: float) -> np.ndarray:
    """Which bars of a standardized law lie wholly inside [lo, hi]."""
    return (s.z - s.width / 2 >= lo) & (s.z + s.width / 2 <= hi)


def density_bars(axes: Axes, s: Standardized, color) -> VGroup:
    """A standardized lattice law as bars of area p over the window (few atoms: separate bars)."""
    keep = in_window(s, -Z_WINDOW, Z_WINDOW)
    z = s.z[keep]
    edges = np.concatenate((z - s.width / 2, [z[-1] + s.width / 2]))
    return histogram(axes, edges, s.density[keep], color, opacity=0.7)


def density_outline(
    axes: Axes, s: Standardized, lo: float, hi: float, top: float, color
) -> Polygon:
    """A standardized law as one filled step shape: fine lattices have thousands of atoms."""
    keep = in_window(s, lo, hi)
    z, d = s.z[keep], np.minimum(s.density[keep], top)
    xs = np.repeat(np.concatenate((z - s.width / 2, [z[-1] + s.width / 2])), 2)[1:-1]
    ys = np.repeat(d, 2)
    corners = axis_points(axes, [xs[0], *xs, xs[-1]], [0, *ys, 0])
    return Polygon(
        *corners, stroke_color=color, stroke_width=1.5, fill_color=color, fill_opacity=0.45
    )


def bell(axes: Axes, data: CLTData, lo: float, hi: float) -> VMobject:
    inside = (data.z_grid >= lo) & (data.z_grid <= hi)
    return polyline(axes, data.z_grid[inside], data.normal_density[inside], theme.SECONDARY, 3.5)


class CentralLimitTheorem(MathreelScene):
    def construct(self) -> None:
        data: CLTData = self.model
        self.galton(data)
        self.dice_sums(data)
        standardized = self.standardize(data)
        self.berry_esseen(data, standardized)
        self.failures(data)
        self.summary(data)

    # -- the Galton board ------------------------------------------------------------------------

    def galton(self, data: CLTData) -> None:
        self.beat("A Galton board")
        show_title(
            self,
            "The Central Limit Theorem",
            "why sums pile up into a bell, how fast, and when they don't",
        )
        rows = data.galton_rows
        dy = min(0.3, (BOARD_TOP - BUCKET_BASE - BUCKET_HEIGHT - 0.5) / rows)
        dx = min(PEG_DX, BOARD_WIDTH / rows)
        x0 = -1.2

        def peg_x(row: int, j: int) -> float:
            return x0 + (2 * j - row) * dx / 2

        pegs = VGroup(
            *(
                Dot([peg_x(i, j), BOARD_TOP - i * dy, 0], radius=0.035, color=theme.MUTED)
                for i in range(rows)
                for j in range(i + 1)
            )
        )
        bucket_x = np.array([peg_x(rows, j) for j in range(rows + 1)])
        walls = VGroup(
            *(
                Line([x, BUCKET_BASE, 0], [x, BUCKET_BASE + BUCKET_HEIGHT, 0], stroke_width=1.5)
                for x in np.append(bucket_x - dx / 2, bucket_x[-1] + dx / 2)
            )
        ).set_color(theme.GRID)
        floor = VGroup(
            Line(
                [bucket_x[0] - dx / 2, BUCKET_BASE, 0],
                [bucket_x[-1] + dx / 2, BUCKET_BASE, 0],
                color=theme.MUTED,
            ),
            walls,
        )
        bucket_labels = VGroup(
            *(
                text(str(j), theme.SIZE_SMALL, theme.MUTED).move_to([x, BUCKET_BASE - 0.22, 0])
                for j, x in enumerate(bucket_x)
                if rows <= 16 or j % 2 == 0  # narrow buckets: label every other one
            )
        )
        title = heading(f"A Galton board: {rows} rows of pegs")
        self.play(
            FadeIn(title),
            FadeIn(pegs, lag_ratio=0.01),
            Create(floor),
            FadeIn(bucket_labels),
            run_time=1.5,
        )

        scale = BUCKET_HEIGHT / max(data.galton_counts.max(), data.galton_expected.max())

        def bars_for(k: int) -> VGroup:
            counts = np.bincount(data.galton_buckets[:k], minlength=rows + 1)
            return VGroup(
                *(
                    Rectangle(
                        width=dx * 0.8,
                        height=c * scale,
                        stroke_width=0,
                        fill_color=theme.PRIMARY,
                        fill_opacity=0.75,
                    ).move_to([x, BUCKET_BASE + c * scale / 2, 0])
                    for x, c in zip(bucket_x, counts, strict=True)
                    if c > 0
                )
            )

        def fall(bounces: np.ndarray) -> MoveAlongPath:
            rights = np.concatenate(([0], np.cumsum(bounces)))
            corners = [[x0, BOARD_TOP + 0.35, 0]]
            corners += [[peg_x(i, rights[i]), BOARD_TOP - i * dy + 0.09, 0] for i in range(rows)]
            corners.append([peg_x(rows, rights[rows]), BUCKET_BASE + 0.08, 0])
            path = VMobject().set_points_smoothly(corners)
            ball = Circle(radius=0.07, stroke_width=0, fill_color=theme.SECONDARY, fill_opacity=1)
            ball.move_to(corners[0])
            return MoveAlongPath(ball, path, rate_func=linear, remover=True)

        shown = len(data.galton_paths)
        self.say(
            "At every peg a ball bounces left or right, like a fair coin, and lands in a bucket.",
            7.0,
        )
        self.play(LaggedStart(*(fall(b) for b in data.galton_paths), lag_ratio=0.15), run_time=6)
        dropped = ValueTracker(shown)
        bars = always_redraw(lambda: bars_for(int(dropped.get_value())))
        counter = readout(r"\text{balls}", shown, decimals=0)
        counter.move_to([3.0, 2.0, 0], aligned_edge=LEFT)
        follow_value(counter[1], lambda: int(dropped.get_value()))
        self.play(FadeIn(bars), FadeIn(counter), run_time=0.6)
        total = len(data.galton_buckets)
        self.say(f"The bucket is the number of right bounces. Now all {total} balls.", 5.0)
        self.play(dropped.animate.set_value(total), run_time=5, rate_func=linear)
        counter[1].clear_updaters()
        expected = VGroup(
            *(
                Dot([x, BUCKET_BASE + e * scale, 0], radius=0.06, color=theme.SECONDARY)
                for x, e in zip(bucket_x, data.galton_expected, strict=True)
            )
        )
        law = math(
            rf"{total}\cdot\binom{{{rows}}}{{k}}\frac{{1}}{{2^{{{rows}}}}}",
            theme.SIZE_BODY,
            theme.SECONDARY,
        ).next_to(counter, DOWN, buff=0.5, aligned_edge=LEFT)
        law_note = text("expected count in bucket k", theme.SIZE_SMALL, theme.SECONDARY)
        law_note.next_to(law, DOWN, buff=0.2, aligned_edge=LEFT)
        self.say("A sum of coin flips is binomial, and its histogram is already a bell.", 6.0)
        self.play(FadeIn(expected, lag_ratio=0.1), Write(law), FadeIn(law_note), run_time=1.5)
        self.wait(3)
        self.clear_stage()

    # -- exact sums of the die -------------------------------------------------------------------

    def sum_panel(self, data: CLTData, index: int) -> VGroup:
        n = int(data.ns[index])
        support, pmf = data.sum_supports[str(n)], data.sum_pmfs[str(n)]
        step = nice_step(float(pmf.max()))
        top = step * np.ceil(pmf.max() * 1.08 / step)
        # the middle of n..6n: beyond mean + 5.5 sd the bars are too thin to see at any n shown
        sd = data.sigma * np.sqrt(n)
        lo = max(n, int(np.floor(n * data.mu - 4.5 * sd)))
        hi = min(6 * n, int(np.ceil(n * data.mu + 5.5 * sd)))
        keep = (support >= lo) & (support <= hi)
        support, pmf = support[keep], pmf[keep]
        x_step = max(1, int(nice_step(hi - lo)))
        axes = styled_axes(
            [lo - 0.5, hi + 0.5, x_step],
            [0, top, step],
            8.6,
            3.9,
            x_numbers=list(range(-(-lo // x_step) * x_step, hi + 1, x_step)),
            y_numbers=list(np.arange(step, top + step / 2, step).round(10)),
        ).move_to([-1.9, -0.2, 0])
        edges = np.concatenate((support - 0.5, [support[-1] + 0.5]))
        bars = histogram(axes, edges, pmf, theme.PRIMARY, opacity=0.8)
        mean_line = Line(
            axes.c2p(n * data.mu, 0),
            axes.c2p(n * data.mu, top),
            color=theme.SECONDARY,
            stroke_width=2,
        )
        x_label = math(
            rf"s \ \ (\text{{sum of }} {n} \text{{ roll{'s' if n > 1 else ''}}})",
            theme.SIZE_LABEL,
            theme.MUTED,
        )
        x_label.next_to(axes.x_axis, DOWN, buff=0.5)
        y_label = math(r"P(S_n = s)", theme.SIZE_LABEL, theme.MUTED).next_to(axes, UP, buff=0.15)
        y_label.align_to(axes, LEFT)
        return VGroup(axes, bars, mean_line, x_label, y_label)

    def sum_readouts(self, data: CLTData, index: int) -> VGroup:
        n = int(data.ns[index])
        rows = VGroup(
            math(rf"n = {n}", theme.SIZE_BODY),
            math(rf"n\mu = {n * data.mu:.1f}", theme.SIZE_LABEL, theme.SECONDARY),
            math(rf"\sigma\sqrt{{n}} = {data.sigma * np.sqrt(n):.2f}", theme.SIZE_LABEL),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        return rows.move_to([3.9, -1.45, 0], aligned_edge=LEFT)

    def dice_sums(self, data: CLTData) -> None:
        self.beat(f"Sums of a {DIE_WORDS[data.die]} die")
        title = heading(f"Sums of a {DIE_WORDS[data.die]} die, computed exactly")
        die_axes = styled_axes(
            [0.5, 6.5, 1], [0, 0.5, 0.25], 3.0, 1.5, x_numbers=list(range(1, 7)), y_numbers=[]
        )
        die_axes.move_to([5.0, 2.0, 0])
        die_bars = histogram(die_axes, np.arange(0.5, 7), data.die_pmf, theme.VIOLET, opacity=0.85)
        probs = ", ".join(f"{p:.2f}".lstrip("0") for p in data.die_pmf)
        die_label = text("one roll", theme.SIZE_SMALL, theme.VIOLET).next_to(
            die_axes, UP, buff=0.15
        )
        die_probs = math(rf"p = ({probs})", theme.SIZE_SMALL, theme.MUTED).next_to(
            die_axes, DOWN, buff=0.45
        )
        conv = math(r"P(S_n = s) = \underbrace{p * p * \cdots * p}_{n}\,(s)", theme.SIZE_LABEL)
        conv.next_to(die_probs, DOWN, buff=0.35)
        self.play(
            FadeIn(title),
            Create(die_axes),
            FadeIn(die_bars, lag_ratio=0.1),
            FadeIn(die_label, die_probs),
            run_time=1.5,
        )
        self.say(
            f"Now a {DIE_WORDS[data.die]} die: a 1 comes up {data.die_pmf[0]:.0%} of the time, "
            f"a 6 {data.die_pmf[5]:.0%} of the time.",
            4.0,
        )
        panel = self.sum_panel(data, 0)
        numbers = self.sum_readouts(data, 0)
        self.play(
            Create(panel[0]),
            FadeIn(panel[1], lag_ratio=0.1),
            FadeIn(*panel[2:], numbers),
            run_time=1.5,
        )
        self.wait(1)
        self.say("The exact law of a sum of n rolls is n-fold convolution: no simulation.", 5.0)
        self.play(Write(conv), run_time=1.2)
        self.wait(1.5)
        self.say("Mean nμ, spread σ√n, and the shape of one roll fades as n grows.", 8.0)
        for index in range(1, len(data.ns)):
            new_panel, new_numbers = self.sum_panel(data, index), self.sum_readouts(data, index)
            self.swap(
                panel[1],
                new_panel[1],
                VGroup(panel[0], *panel[2:], numbers),
                VGroup(new_panel[0], *new_panel[2:], new_numbers),
            )
            self.wait(0.6)
            panel, numbers = new_panel, new_numbers
        note = text("rescaled to fit", theme.SIZE_SMALL, theme.MUTED)
        note.next_to(numbers, DOWN, buff=0.35, aligned_edge=LEFT)
        self.play(FadeIn(note), run_time=0.5)
        self.wait(2)
        self.clear_stage()

    # -- standardized sums against the bell -------------------------------------------------------

    def standardize(self, data: CLTData) -> tuple[Axes, VGroup]:
        self.beat("Standardize and compare")
        title = heading("Standardized, every sum lands on one scale")
        axes = styled_axes([-Z_WINDOW, Z_WINDOW, 1], [0, 0.6, 0.2], 7.4, 4.4, y_numbers=[])
        axes.move_to([-2.9, -0.15, 0])
        z_label = math("z", theme.SIZE_LABEL, theme.MUTED).next_to(axes.x_axis, DOWN, buff=0.5)
        formula = math(r"Z_n = \frac{S_n - n\mu}{\sigma\sqrt{n}}", theme.SIZE_BODY).move_to(
            [3.9, 2.0, 0]
        )
        curve = bell(axes, data, -Z_WINDOW, Z_WINDOW)
        curve_label = math(r"\mathcal{N}(0,1)", theme.SIZE_LABEL, theme.SECONDARY)
        curve_label.next_to(axes.c2p(1.0, 0.3), RIGHT, buff=0.3)
        self.play(FadeIn(title), Create(axes), FadeIn(z_label), Write(formula), run_time=1.5)
        self.say("Subtract nμ and divide by σ√n: every sum gets mean 0 and spread 1.", 5.0)

        def step(index: int) -> tuple[VGroup, VGroup]:
            s = data.standardized[str(int(data.ns[index]))]
            bars = density_bars(axes, s, theme.PRIMARY)
            read = VGroup(
                math(rf"n = {int(data.ns[index])}", theme.SIZE_BODY),
                readout(r"\sup |F_n - \Phi|", s.ks, decimals=3, size=theme.SIZE_LABEL),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            read.move_to([2.0, 0.6, 0], aligned_edge=LEFT)
            return bars, read

        bars, read = step(0)
        self.play(FadeIn(bars), FadeIn(read), run_time=1.0)
        self.play(Create(curve), FadeIn(curve_label), run_time=1.2)
        self.wait(1.2)
        self.say("Area is probability, and the bars close in on the bell, N(0, 1).", 10.0)
        for index in range(1, len(data.ns)):
            new_bars, new_read = step(index)
            self.swap(bars, new_bars, read, new_read)
            self.wait(0.8)
            bars, read = new_bars, new_read
        self.wait(1.5)
        self.play(FadeOut(read), FadeOut(formula), run_time=0.6)
        return axes, VGroup(title, axes, z_label, curve, curve_label, bars)

    # -- how fast: the gap against Berry-Esseen --------------------------------------------------

    def berry_esseen(self, data: CLTData, standardized: tuple[Axes, VGroup]) -> None:
        self.beat("How fast: Berry-Esseen")
        _, left = standardized
        new_title = heading("How fast? The largest gap against Berry-Esseen")
        ns, ks, bound = data.ks_ns, data.ks_distance, data.berry_esseen_bound
        y_lo = np.floor(np.log10(ks.min()))
        y_hi = max(0.0, np.ceil(np.log10(bound.max())))
        # y is log10(distance) - y_lo, so that the n axis runs along the bottom
        inset = styled_axes(
            [0, np.log10(ns[-1]), 1],
            [0, y_hi - y_lo, 1],
            4.6,
            3.2,
            x_log=True,
            include_numbers=False,
        )
        inset.move_to([4.1, 0.2, 0])
        decades = [10**k for k in range(int(np.log10(ns[-1])) + 1)]
        inset.x_axis.add_labels(
            {x: math(f"{x:g}", theme.SIZE_SMALL, theme.MUTED) for x in decades},
            font_size=theme.SIZE_SMALL,
        )
        inset.y_axis.add_labels(
            {
                y - y_lo: math(f"{10**y:g}", theme.SIZE_SMALL, theme.MUTED)
                for y in np.arange(y_lo, y_hi + 0.5)
            },
            font_size=theme.SIZE_SMALL,
        )
        measured = polyline(inset, ns, np.log10(ks) - y_lo, theme.PRIMARY, 3)
        be_line = polyline(inset, ns, np.log10(bound) - y_lo, theme.SECONDARY, 3)
        marks = VGroup(
            *(
                Dot(inset.c2p(n, np.log10(ks[n - 1]) - y_lo), radius=0.05, color=theme.PRIMARY)
                for n in data.ns
            )
        )
        n_label = math(r"n", theme.SIZE_LABEL, theme.MUTED).next_to(inset.x_axis, DOWN, buff=0.45)
        be_tex = math(r"\frac{C\,\rho}{\sigma^3\sqrt{n}}", theme.SIZE_LABEL, theme.SECONDARY)
        be_tex.next_to(inset, UP, buff=0.2).align_to(inset, RIGHT)
        ks_tex = math(r"\sup |F_n - \Phi|", theme.SIZE_LABEL, theme.PRIMARY)
        ks_tex.next_to(be_tex, LEFT, buff=0.5)
        self.play(
            FadeOut(left[0]),
            FadeIn(new_title),
            Create(inset),
            FadeIn(n_label),
            run_time=1.2,
        )
        self.say(
            f"Measure the largest gap between the two cdfs, exactly, for n = 1 to {ns[-1]}.", 5.0
        )
        self.play(Create(measured), FadeIn(marks), FadeIn(ks_tex), run_time=2.5)
        self.wait(1.5)
        self.say(
            f"Berry–Esseen: the gap is never above C ρ / (σ³ √n), with C = {BERRY_ESSEEN_C:g}.",
            5.0,
        )
        self.play(Create(be_line), FadeIn(be_tex), run_time=2)
        self.wait(2)
        last = len(ns)
        fact = math(rf"n = {last}:\ \ {ks[-1]:.3f} \le {bound[-1]:.3f}", theme.SIZE_LABEL).next_to(
            n_label, DOWN, buff=0.25
        )
        fact.align_to(inset, RIGHT)
        self.say("Both fall like 1/√n: a guarantee, a few times larger than the truth.", 6.0)
        self.play(FadeIn(fact), run_time=0.6)
        self.wait(3.5)
        self.clear_stage()

    # -- when it fails ---------------------------------------------------------------------------

    def failure_panel(
        self,
        laws: list[Standardized],
        ns: np.ndarray,
        lo: float,
        hi: float,
        top: float,
        x: float,
        color,
    ) -> tuple[Axes, list[VGroup]]:
        axes = styled_axes(
            [lo, hi, 1],
            [0, top, top],
            5.6,
            2.9,
            x_numbers=list(range(int(lo), int(hi) + 1, 2)),
            y_numbers=[],
        )
        axes.move_to([x, -0.6, 0])
        steps = []
        for n, s in zip(ns, laws, strict=True):
            shape = density_outline(axes, s, lo, hi, top, color)
            read = VGroup(
                math(rf"n = {int(n)}", theme.SIZE_LABEL),
                readout(r"\sup|F_n - \Phi|", s.ks, decimals=3, size=theme.SIZE_LABEL),
            ).arrange(RIGHT, buff=0.5)
            read.next_to(axes, DOWN, buff=0.55)
            steps.append(VGroup(shape, read))
        return axes, steps

    def failures(self, data: CLTData) -> None:
        self.beat("When it fails")
        title = heading("When the theorem does not apply")
        heavy_axes, heavy_steps = self.failure_panel(
            list(data.heavy_tail.values()), data.heavy_tail_ns, -3, 7, 0.6, -3.5, theme.ACCENT
        )
        dep_axes, dep_steps = self.failure_panel(
            list(data.dependent.values()), data.dependent_ns, -3, 3, 1.1, 3.5, theme.VIOLET
        )
        heavy_head = (
            VGroup(
                text("infinite variance", theme.SIZE_LABEL, theme.ACCENT),
                math(rf"P(X = k) \propto k^{{-{data.heavy_tail_exponent:g}}}", theme.SIZE_LABEL),
            )
            .arrange(RIGHT, buff=0.3)
            .next_to(heavy_axes, UP, buff=0.35)
        )
        dep_head = (
            VGroup(
                text("dependent draws", theme.SIZE_LABEL, theme.VIOLET),
                text("one hidden die for all n rolls", theme.SIZE_SMALL, theme.MUTED),
            )
            .arrange(DOWN, buff=0.12)
            .next_to(dep_axes, UP, buff=0.3)
        )
        bells = VGroup(bell(heavy_axes, data, -3, 7), bell(dep_axes, data, -3, 3))
        self.play(
            FadeIn(title),
            Create(heavy_axes),
            Create(dep_axes),
            FadeIn(heavy_head, dep_head),
            run_time=1.5,
        )
        self.play(FadeIn(heavy_steps[0]), FadeIn(dep_steps[0]), Create(bells), run_time=1.2)
        self.say(
            "Left: no finite variance, so scale by median and quartiles. It stays skewed.", 8.6
        )
        self.step_through(heavy_steps)
        self.wait(1.5)
        self.say("Right: a die or its mirror image is picked once. The sum splits in two.", 8.6)
        self.step_through(dep_steps)
        self.wait(1.5)
        self.clear_stage()

    def step_through(self, steps: list[VGroup]) -> None:
        """Replace each shape and readout by the next n's."""
        for before, after in itertools.pairwise(steps):
            self.swap(before[0], after[0], before[1], after[1])
            self.wait(1.0)

    def swap(self, shape, new_shape, labels, new_labels) -> None:
        """Morph one distribution into the next and cross-fade the labels (morphed digits blur)."""
        self.play(
            ReplacementTransform(shape, new_shape),
            FadeOut(labels),
            FadeIn(new_labels),
            run_time=1.2,
        )

    def summary(self, data: CLTData) -> None:
        self.beat("Summary")
        failures = VGroup(
            text("σ² = ∞: a skewed stable law instead", theme.SIZE_LABEL, theme.ACCENT),
            text("one shared hidden cause: a mixture, not a bell", theme.SIZE_LABEL, theme.VIOLET),
        ).arrange(RIGHT, buff=0.9)
        lines = (
            VGroup(
                math(
                    r"X_1, X_2, \dots\ \text{independent, identically distributed},"
                    r"\ \sigma^2 < \infty",
                    theme.SIZE_HEADING,
                ),
                math(
                    r"\frac{S_n - n\mu}{\sigma\sqrt{n}} \;\longrightarrow\; \mathcal{N}(0, 1)",
                    theme.SIZE_TITLE,
                ),
                math(
                    r"\sup_x |F_n(x) - \Phi(x)| \le"
                    rf" \frac{{{BERRY_ESSEEN_C:g}\,\rho}}{{\sigma^3\sqrt{{n}}}}"
                    r",\quad \rho = \mathbb{E}|X - \mu|^3 < \infty",
                    theme.SIZE_HEADING,
                    theme.SECONDARY,
                ),
                failures,
            )
            .arrange(DOWN, buff=0.55)
            .move_to(0.25 * UP)
        )
        self.say(
            "Independent, alike, finite variance: a bell. A finite third moment: the rate.",
            9.0,
        )
        for line in lines:
            self.play(Write(line), run_time=1.2)
        self.wait(7)
