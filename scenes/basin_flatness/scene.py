"""Sharp and flat minima, drawn from :mod:`scenes.basin_flatness.model`.

Beats: a 1-D sharp and flat minimum under parameter noise; a tiny ReLU network fitting 20 points
and its behavioral gradient J; the Hessian spectrum against 2 sigma(J)^2 with its zero tail; a walk
along the sharpest and a flat direction; power iteration; gradient descent's 2/lr limit; the ReLU
rescaling that makes the same function sharper; a summary.
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
    FadeOut,
    Rectangle,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
    smooth,
)

from scenes.basin_flatness.model import BasinData
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    EdgeAxes,
    follow_value,
    heading,
    legend,
    math,
    polyline,
    power_labels,
    readout,
    show_title,
    styled_axes,
    text,
)


def sci(value: float, digits: int = 1) -> str:
    """``1.5 \\times 10^{-28}`` for MathTex."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


HEATMAP_LEVELS = 16  # colour steps per sign


def heatmap(matrix: np.ndarray, width: float, height: float) -> VGroup:
    """One cell per entry: blue for positive, red for negative, brightness sqrt(|entry|).

    The square root keeps the many small entries visible next to the few large ones. Cells of the
    same colour step share one VMobject (one path per cell), so thousands of cells cost a few
    dozen mobjects per frame; exact zeros stay background.
    """
    rows, cols = matrix.shape
    strength = np.sqrt(np.abs(matrix) / np.abs(matrix).max())
    level = np.ceil(strength * HEATMAP_LEVELS).astype(int) * np.sign(matrix).astype(int)
    dx, dy = width / cols, height / rows
    group = VGroup()
    for value in np.unique(level[level != 0]):
        tint = theme.PRIMARY if value > 0 else theme.ACCENT
        color = theme.BACKGROUND.interpolate(tint, abs(value) / HEATMAP_LEVELS)
        cells = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        for i, j in zip(*np.nonzero(level == value), strict=True):
            x0, y0 = -width / 2 + j * dx, height / 2 - (i + 1) * dy
            cells.start_new_path(np.array([x0, y0, 0.0]))
            cells.add_points_as_corners(
                [[x0 + dx, y0, 0.0], [x0 + dx, y0 + dy, 0.0], [x0, y0 + dy, 0.0], [x0, y0, 0.0]]
            )
        group.add(cells)
    group.add(Rectangle(width=width, height=height, stroke_color=theme.GRID, stroke_width=1.5))
    return group


class BasinFlatness(MathreelScene):
    def construct(self) -> None:
        data: BasinData = self.model
        self.sharp_and_flat(data)
        self.network(data)
        self.spectrum(data)
        self.walk(data)
        self.power_iteration(data)
        self.stability(data)
        self.rescaling(data)
        self.summary(data)

    # -- beats -------------------------------------------------------------------------------

    def sharp_and_flat(self, data: BasinData) -> None:
        self.beat("Sharp and flat")
        show_title(
            self, "Sharp and Flat Minima", "what a network's loss looks like where it fits the data"
        )
        toy = data.toy
        title = heading("Two minima, both at zero loss")
        barrier = float(toy.loss[(toy.theta > toy.minima[0]) & (toy.theta < toy.minima[1])].max())
        top = float(np.ceil(max(toy.cloud_loss.max(), barrier)))
        axes = styled_axes([-2.4, 2.4, 0.6], [0, top, 1.0], 11.0, 4.0, include_numbers=False)
        axes.move_to(0.55 * UP)
        theta_label = math(r"\theta", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.x_axis, RIGHT, buff=0.2
        )
        loss_label = text("loss", theme.SIZE_SMALL, theme.MUTED).next_to(axes.y_axis, UP, buff=0.15)
        shown = toy.loss <= top
        curve = polyline(axes, toy.theta[shown], toy.loss[shown], theme.TEXT, 3)
        self.play(FadeIn(title), Create(axes), FadeIn(theta_label, loss_label), run_time=1.0)
        self.say("Two minima of one loss, both at zero: one sharp, one flat.", 3.5)
        self.play(Create(curve), run_time=2.0)

        colors = (theme.ACCENT, theme.GOOD)
        clouds = VGroup(
            *(
                VGroup(
                    *(
                        Dot(axes.c2p(float(t), float(loss)), radius=0.045, color=color).set_opacity(
                            0.75
                        )
                        for t, loss in zip(toy.cloud_theta[i], toy.cloud_loss[i], strict=True)
                    )
                )
                for i, color in enumerate(colors)
            )
        )
        self.say(f"Jiggle the parameter with noise of sd {toy.noise:g} around each minimum.", 4.0)
        self.play(FadeIn(clouds, lag_ratio=0.01), run_time=2.5)
        notes = VGroup()
        for i, (name, color) in enumerate(zip(("sharp", "flat"), colors, strict=True)):
            note = VGroup(
                text(f"{name}:  λ = {toy.curvatures[i]:g}", theme.SIZE_LABEL, color),
                math(rf"\text{{mean loss}} = {toy.mean_increase[i]:.3f}", theme.SIZE_LABEL),
                math(
                    rf"\tfrac12 \lambda \sigma^2 = {toy.quadratic_increase[i]:.3f}",
                    theme.SIZE_LABEL,
                    theme.MUTED,
                ),
            ).arrange(DOWN, buff=0.14)
            note.next_to(axes.c2p(float(toy.minima[i]), 0), DOWN, buff=0.35)
            notes.add(note)
        self.say("The sharp one loses far more: on average about ½ λ σ², λ the curvature.", 6.0)
        self.play(FadeIn(notes, lag_ratio=0.3), run_time=1.5)
        self.wait(3.0)
        self.clear_stage()

    @staticmethod
    def data_axes(width: float, height: float):
        """Axes for the training points and the fitted curve (x in [-1.1, 1.1])."""
        return styled_axes(
            [-1.1, 1.1, 0.5],
            [-1.5, 1.5, 0.5],
            width,
            height,
            x_numbers=[-1, 0, 1],
            y_numbers=[-1, 1],
        )

    @staticmethod
    def data_points(axes, data: BasinData) -> VGroup:
        """The training points on axes already in place (dots do not follow later moves)."""
        return VGroup(
            *(
                Dot(axes.c2p(float(x), float(y)), radius=0.06, color=theme.SECONDARY)
                for x, y in zip(data.x, data.y, strict=True)
            )
        )

    def network(self, data: BasinData) -> None:
        self.beat("A tiny network")
        title = heading(f"A ReLU network fits {data.n_points} points exactly")
        axes = self.data_axes(5.6, 4.2).to_edge(LEFT, buff=0.9).shift(0.2 * DOWN)
        points = self.data_points(axes, data)
        curve = polyline(axes, data.x_plot, data.curve, theme.PRIMARY, 3)
        formula = VGroup(
            math(rf"f(x) = \sum_{{j=1}}^{{{data.hidden}}} v_j\,\mathrm{{relu}}(w_j x + b_j) + c"),
            math(
                rf"N = 3 \cdot {data.hidden} + 1 = {data.n_params} \text{{ parameters}}",
                theme.SIZE_LABEL,
            ),
            math(
                rf"L = \sum_{{i=1}}^{{{data.n_points}}} \big(f(x_i) - y_i\big)^2", theme.SIZE_LABEL
            ),
            math(rf"L = {sci(data.final_loss)}", theme.SIZE_LABEL, theme.GOOD),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        formula.next_to(axes, RIGHT, buff=0.9)
        self.play(FadeIn(title), Create(axes), run_time=1.0)
        self.say(
            f"A network with {data.n_params} parameters and {data.n_points} training points.", 4.0
        )
        self.play(FadeIn(points, lag_ratio=0.05), Write(formula[0]), run_time=1.5)
        self.play(Create(curve), FadeIn(formula[1], formula[2]), run_time=1.5)
        self.say("Its loss is the sum of squared misses, here zero to rounding error.", 4.0)
        self.play(FadeIn(formula[3]), run_time=0.8)
        self.wait(1.5)
        self.play(*map(FadeOut, (axes, points, curve, formula)), run_time=0.8)

        pixels = heatmap(data.jacobian, 12.0, 3.2).move_to(0.1 * UP)
        h = data.hidden
        groups = VGroup()
        for name, start, stop in (
            ("w", 0, h),
            ("b", h, 2 * h),
            ("v", 2 * h, 3 * h),
            ("c", 3 * h, 3 * h + 1),
        ):
            left = pixels.get_left()[0] + 12.0 * start / data.n_params
            right = pixels.get_left()[0] + 12.0 * stop / data.n_params
            label = math(name, theme.SIZE_LABEL, theme.MUTED)
            label.move_to([(left + right) / 2, pixels.get_bottom()[1] - 0.3, 0])
            groups.add(label)
        rows = text(f"{data.n_points} outputs", theme.SIZE_SMALL, theme.MUTED).rotate(np.pi / 2)
        rows.next_to(pixels, LEFT, buff=0.15)
        definition = (
            math(r"J_{ij} = \frac{\partial f(x_i)}{\partial \theta_j}", theme.SIZE_BODY)
            .next_to(pixels, UP, buff=0.35)
            .align_to(pixels, LEFT)
        )
        size = text(f"{data.n_points} × {data.n_params}", theme.SIZE_LABEL, theme.MUTED)
        size.next_to(definition, RIGHT, buff=0.6)
        key = legend([("positive", theme.PRIMARY), ("negative", theme.ACCENT)], theme.SIZE_SMALL)
        key.arrange(RIGHT, buff=0.5).next_to(pixels, UP, buff=0.35).align_to(pixels, RIGHT)
        hessian = math(
            r"H = 2J^{\mathsf T}J + 2\sum_i r_i \nabla^2 f(x_i) \;=\; 2J^{\mathsf T}J"
            r"\quad \text{when every residual } r_i = 0",
            theme.SIZE_LABEL,
        ).next_to(groups, DOWN, buff=0.35)
        self.say(f"J: how each of the {data.n_points} outputs moves when one parameter moves.", 5.0)
        self.play(FadeIn(pixels), FadeIn(groups, rows, definition, size, key), run_time=1.5)
        self.wait(2.5)
        self.say("At zero loss the Hessian is exactly 2 J-transpose J.", 5.0)
        self.play(Write(hessian), run_time=1.5)
        self.wait(2.5)
        self.clear_stage()

    def spectrum(self, data: BasinData) -> None:
        self.beat("The spectrum")
        title = heading(f"All {data.n_params} Hessian eigenvalues")
        floor = -20
        plot = EdgeAxes(
            [0, data.n_params + 1, 10],
            [floor, 4, 4],
            10.4,
            4.3,
            {k: str(k) for k in (1, 20, 50, 100, 150)},
            power_labels(range(floor, 5, 4)),
        )
        axes = plot.axes.move_to(0.25 * UP + 0.5 * RIGHT)
        x_label = text("eigenvalues, largest first", theme.SIZE_SMALL, theme.MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = math(r"|\lambda|", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )
        # sorted by size: the tail holds rounding noise of both signs
        sizes = np.sort(np.abs(data.hessian_eigenvalues))[::-1]
        magnitudes = np.log10(np.maximum(sizes, 10.0**floor))
        eigen_dots = VGroup(
            *(
                Dot(plot.point(i + 1, m), radius=0.04, color=theme.PRIMARY)
                for i, m in enumerate(magnitudes)
            )
        )
        singular = 2 * data.jacobian_singular_values**2
        rings = VGroup(
            *(
                Dot(plot.point(i + 1, np.log10(s)), radius=0.085, color=theme.SECONDARY)
                .set_fill(opacity=0)
                .set_stroke(theme.SECONDARY, width=2)
                for i, s in enumerate(singular)
            )
        )
        key = legend(
            [("eigenvalues of H", theme.PRIMARY), ("2 σ(J)²", theme.SECONDARY)], theme.SIZE_SMALL
        ).to_corner(UR, buff=0.5)
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say("Every eigenvalue of the Hessian, on a log scale.", 3.5)
        self.play(FadeIn(eigen_dots, lag_ratio=0.02), FadeIn(key[0]), run_time=2.5)
        self.say(
            f"Lay 2σ² of J's {data.rank_j} singular values on top: they match one for one.", 5.0
        )
        self.play(FadeIn(rings, lag_ratio=0.1), FadeIn(key[1]), run_time=2.0)
        self.wait(1.5)
        rank = data.rank_j
        bound = int(np.ceil(np.log10(sizes[rank:].max())))
        bracket_y = bound + 1.0
        bracket = DashedLine(
            plot.point(rank + 1, bracket_y), plot.point(data.n_params, bracket_y), color=theme.GOOD
        )
        count = math(
            rf"{data.null_count} = {data.n_params} - \operatorname{{rank}} J"
            rf"\ \text{{eigenvalues}},\ |\lambda| < 10^{{{bound}}}",
            theme.SIZE_LABEL,
            theme.GOOD,
        ).next_to(plot.point((rank + data.n_params) / 2, bracket_y), UP, buff=0.15)
        note = text("zero up to rounding", theme.SIZE_SMALL, theme.GOOD).next_to(
            count, UP, buff=0.12
        )
        self.say(
            f"The other {data.null_count} are zero: directions in which the loss does not curve.",
            6.0,
        )
        self.play(Create(bracket), Write(count), FadeIn(note), run_time=1.5)
        self.wait(3.0)
        self.clear_stage()

    def walk(self, data: BasinData) -> None:
        self.beat("Two directions")
        title = heading("Walking away from the minimum")
        top, null = data.slices["top"], data.slices["null"]
        reach = float(top.t.max())
        peak = float(top.loss.max())
        loss_axes = styled_axes(
            [-reach, reach, reach / 2],
            [0, peak * 1.1, peak / 2],
            5.6,
            4.0,
            x_numbers=[],
            y_numbers=[round(peak / 2, 2), round(peak, 2)],
        )
        loss_axes.to_edge(LEFT, buff=0.9).shift(0.2 * UP)
        t_label = math(r"t", theme.SIZE_LABEL, theme.MUTED).next_to(
            loss_axes.x_axis, RIGHT, buff=0.15
        )
        reach_labels = VGroup(
            math(f"{-reach:.3f}", theme.SIZE_SMALL, theme.MUTED).next_to(
                loss_axes.c2p(-reach, 0), DOWN, buff=0.2
            ),
            math(f"{reach:.3f}", theme.SIZE_SMALL, theme.MUTED).next_to(
                loss_axes.c2p(reach, 0), DOWN, buff=0.2
            ),
        )
        loss_name = math(r"L(\theta^* + t\,d)", theme.SIZE_LABEL, theme.MUTED)
        loss_name.next_to(loss_axes, UP, buff=0.25)
        top_curve = polyline(loss_axes, top.t, top.loss, theme.ACCENT, 3)
        null_curve = polyline(loss_axes, null.t, null.loss, theme.GOOD, 3)
        key = legend(
            [("d = top eigenvector", theme.ACCENT), ("d = a null direction", theme.GOOD)],
            theme.SIZE_SMALL,
        )
        key.arrange(RIGHT, buff=0.5).next_to(loss_axes, DOWN, buff=0.5)

        fit_axes = self.data_axes(5.4, 4.0).to_edge(RIGHT, buff=0.6).shift(0.2 * UP)
        points = self.data_points(fit_axes, data)
        fit_name = text("the network's function", theme.SIZE_LABEL, theme.MUTED)
        fit_name.next_to(fit_axes, UP, buff=0.25)

        step = ValueTracker(0.0)  # position along the slice, in samples from the middle
        direction = {"slice": top, "color": theme.ACCENT}
        middle = (len(top.t) - 1) / 2

        def sample() -> tuple[float, float, np.ndarray]:
            """Linear interpolation between the model's samples at the tracker's position."""
            s = float(np.clip(middle + step.get_value(), 0, len(top.t) - 1))
            i = min(int(s), len(top.t) - 2)
            frac = s - i
            piece = direction["slice"]
            t = (1 - frac) * piece.t[i] + frac * piece.t[i + 1]
            loss = (1 - frac) * piece.loss[i] + frac * piece.loss[i + 1]
            return t, loss, (1 - frac) * piece.curves[i] + frac * piece.curves[i + 1]

        marker = always_redraw(
            lambda: Dot(
                loss_axes.c2p(sample()[0], sample()[1]), radius=0.08, color=direction["color"]
            )
        )
        moving = always_redraw(
            lambda: polyline(fit_axes, data.x_plot, sample()[2], direction["color"], 3)
        )
        loss_read = readout("L", 0.0, decimals=4, size=theme.SIZE_LABEL)
        loss_read.next_to(loss_name, RIGHT, buff=0.6)
        follow_value(loss_read[1], lambda: sample()[1])

        self.play(
            FadeIn(title), Create(loss_axes), FadeIn(t_label, reach_labels, loss_name), run_time=1.0
        )
        self.play(Create(fit_axes), FadeIn(points, fit_name), run_time=1.0)
        self.add(moving, marker)
        self.play(FadeIn(loss_read), FadeIn(key[0]), Create(top_curve), run_time=1.0)
        self.say("Along the top eigenvector the loss climbs and the curve leaves the points.", 6.5)
        for target in (middle, -middle, 0.0):
            self.play(step.animate.set_value(target), run_time=2.0, rate_func=smooth)
        direction.update(slice=null, color=theme.GOOD)
        self.play(FadeIn(key[1]), Create(null_curve), run_time=1.0)
        self.say("Along a null direction, just as far, nothing visible moves.", 6.5)
        for target in (middle, -middle, 0.0):
            self.play(step.animate.set_value(target), run_time=2.0, rate_func=smooth)
        loss_read[1].clear_updaters()
        self.wait(0.5)
        self.clear_stage()

    def power_iteration(self, data: BasinData) -> None:
        self.beat("Power iteration")
        title = heading("Finding the sharpest direction without the Hessian")
        estimates = data.power_iteration
        count = len(estimates)
        top = data.lambda_max * 1.15
        axes = styled_axes(
            [0, count, 5],
            [0, top, 1000],
            8.0,
            4.4,
            x_numbers=list(range(0, count + 1, 10)),
            y_numbers=list(range(0, int(top), 1000)),
        )
        axes.to_edge(LEFT, buff=1.0).shift(0.1 * UP)
        x_label = text("iteration", theme.SIZE_SMALL, theme.MUTED).next_to(
            axes.x_axis, DOWN, buff=0.45
        )
        exact = DashedLine(
            axes.c2p(0, data.lambda_max), axes.c2p(count, data.lambda_max), color=theme.SECONDARY
        )
        exact_label = (
            math(rf"\lambda_{{\max}} = {data.lambda_max:.2f}", theme.SIZE_LABEL, theme.SECONDARY)
            .next_to(exact, UP, buff=0.15)
            .align_to(exact, RIGHT)
        )
        rule = VGroup(
            math(r"v \leftarrow \frac{Hv}{\lVert Hv \rVert}"),
            math(r"\hat\lambda = v^{\mathsf T} H v", theme.SIZE_LABEL),
            text("needs only Hessian-vector", theme.SIZE_SMALL, theme.MUTED),
            text("products, never H itself", theme.SIZE_SMALL, theme.MUTED),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        rule.next_to(axes, RIGHT, buff=0.8).shift(0.8 * UP)
        shown = ValueTracker(1.0)
        dots = always_redraw(
            lambda: VGroup(
                *(
                    Dot(axes.c2p(i + 1, float(v)), radius=0.055, color=theme.PRIMARY)
                    for i, v in enumerate(estimates[: int(shown.get_value())])
                )
            )
        )
        estimate = readout(r"\hat\lambda", estimates[0], decimals=3, size=theme.SIZE_LABEL)
        estimate.next_to(rule, DOWN, buff=0.6).align_to(rule, LEFT)
        follow_value(estimate[1], lambda: estimates[int(shown.get_value()) - 1])
        self.play(FadeIn(title), Create(axes), FadeIn(x_label), run_time=1.0)
        self.say(
            "Multiply a vector by H again and again: it lines up with the top one.",
            6.0,
        )
        self.play(Write(rule), Create(exact), FadeIn(exact_label), run_time=1.5)
        self.add(dots)
        self.play(FadeIn(estimate), run_time=0.4)
        self.play(shown.animate.set_value(count), run_time=5.0, rate_func=linear)
        estimate[1].clear_updaters()
        error = abs(estimates[-1] - data.lambda_max) / data.lambda_max
        verdict = VGroup(
            text(f"after {count} steps", theme.SIZE_SMALL, theme.GOOD),
            math(rf"\text{{relative error }} {sci(error)}", theme.SIZE_LABEL, theme.GOOD),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        verdict.next_to(estimate, DOWN, buff=0.35).align_to(estimate, LEFT)
        self.say("This, or Lanczos, is how sharpness is measured in real networks.", 4.5)
        self.play(FadeIn(verdict), run_time=0.6)
        self.wait(2.5)
        self.clear_stage()

    def stability(self, data: BasinData) -> None:
        self.beat("The 2/lr limit")
        title = heading("Gradient descent and the 2 / lr limit")
        runs = data.gd
        steps = max(len(run.loss) for run in runs.values()) - 1
        low, high = -12, 4
        plot = EdgeAxes(
            [0, steps, 5],
            [low, high, 4],
            7.0,
            4.4,
            {k: str(k) for k in range(0, steps + 1, 10)},
            power_labels(range(low, high + 1, 4)),
        )
        axes = plot.axes.to_edge(LEFT, buff=1.0).shift(0.1 * UP)
        x_label = text("step", theme.SIZE_SMALL, theme.MUTED).next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = text("loss", theme.SIZE_SMALL, theme.MUTED).next_to(axes.y_axis, UP, buff=0.2)
        colors = {"stable": theme.GOOD, "unstable": theme.ACCENT}
        factors = {"stable": 1 - self.params.lr_margin, "unstable": 1 + self.params.lr_margin}
        curves = VGroup(
            *(
                plot.line(
                    np.arange(len(run.loss)), np.clip(np.log10(run.loss), low, high), colors[name]
                )
                for name, run in runs.items()
            )
        )
        key = VGroup(
            *(
                math(
                    rf"\mathrm{{lr}} = {factors[name]:g} \cdot 2/\lambda_{{\max}}"
                    rf" = {sci(run.lr, 2)}",
                    theme.SIZE_LABEL,
                    colors[name],
                )
                for name, run in runs.items()
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        rule = VGroup(
            math(r"\delta \leftarrow (1 - \mathrm{lr}\,\lambda_{\max})\,\delta"),
            math(
                r"|1 - \mathrm{lr}\,\lambda_{\max}| < 1 \iff \mathrm{lr} < 2/\lambda_{\max}",
                theme.SIZE_LABEL,
            ),
            math(rf"2/\lambda_{{\max}} = {sci(2 / data.lambda_max, 2)}", theme.SIZE_LABEL),
            key,
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        rule.next_to(axes, RIGHT, buff=0.6).shift(0.5 * UP)
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say("Step off the minimum along the top eigenvector and run gradient descent.", 5.5)
        self.play(Write(rule[0]), FadeIn(rule[1]), run_time=1.5)
        self.play(FadeIn(rule[2]), run_time=0.6)
        self.wait(1.0)
        self.say("Just below 2/λmax it settles back; just above, it is thrown out.", 7.0)
        self.play(FadeIn(key), Create(curves[0]), Create(curves[1]), run_time=4.0, rate_func=linear)
        self.wait(2.5)
        self.clear_stage()

    def rescaling(self, data: BasinData) -> None:
        self.beat("Same function, sharper minimum")
        title = heading("Same function, sharper minimum")
        scale = data.rescaling
        exponents = np.log2(scale["factor"])
        values = np.log10(scale["lambda_max"])
        low, high = int(np.floor(values.min())), int(np.ceil(values.max()))
        left, right = int(np.floor(exponents.min())), int(np.ceil(exponents.max()))
        plot = EdgeAxes(
            [left, right, 1],
            [low, high, 1],
            7.0,
            4.2,
            {k: f"{2.0**k:g}" for k in range(left, right + 1)},
            power_labels(range(low, high + 1)),
        )
        axes = plot.axes.to_edge(LEFT, buff=1.0).shift(0.1 * UP)
        x_label = math(r"a", theme.SIZE_LABEL, theme.MUTED).next_to(axes.x_axis, DOWN, buff=0.5)
        y_label = math(r"\lambda_{\max}", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )
        curve = plot.line(exponents, values, theme.VIOLET)
        dots = VGroup(
            *(
                Dot(plot.point(e, v), radius=0.05, color=theme.VIOLET)
                for e, v in zip(exponents, values, strict=True)
            )
        )
        trained = Dot(
            plot.point(0.0, np.log10(data.lambda_max)), radius=0.09, color=theme.SECONDARY
        )
        trained_label = text("as fitted", theme.SIZE_SMALL, theme.SECONDARY)
        trained_label.next_to(trained, DOWN, buff=0.2)
        side = VGroup(
            math(r"(w, b, v) \to (a\,w,\ a\,b,\ v/a)"),
            math(r"\mathrm{relu}(a z) = a\,\mathrm{relu}(z),\ a > 0", theme.SIZE_LABEL),
            math(
                rf"\max_x |\Delta f| = {sci(scale['max_output_change'].max())}",
                theme.SIZE_LABEL,
                theme.GOOD,
            ),
            math(
                rf"\lambda_{{\max}}:\ {scale['lambda_max'].min():.0f}"
                rf" \text{{ to }} {scale['lambda_max'].max():.0f}",
                theme.SIZE_LABEL,
                theme.VIOLET,
            ),
            math(
                rf"\lambda_{{\max}} \ge 2k = {scale['floor']:g}\ \text{{at every }} a",
                theme.SIZE_LABEL,
                theme.ACCENT,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.4)
        side.next_to(axes, RIGHT, buff=0.7)
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say("Scale each unit's input weights by a and its output weight by 1/a.", 4.5)
        self.play(Write(side[0]), FadeIn(side[1]), run_time=1.5)
        self.play(FadeIn(side[2]), run_time=0.6)
        self.wait(1.5)
        ratio = scale["lambda_max"].max() / scale["lambda_max"].min()
        self.say(
            f"The function is the same to rounding error, yet λmax changes {ratio:.0f}-fold.", 6.0
        )
        self.play(
            Create(curve),
            FadeIn(dots, lag_ratio=0.1),
            FadeIn(trained, trained_label),
            FadeIn(side[3]),
            run_time=2.5,
        )
        self.wait(1.0)
        self.say(
            f"As sharp as we like, never flatter: the bias keeps λmax ≥ 2k = {scale['floor']:g}.",
            5.0,
        )
        self.play(FadeIn(side[4]), run_time=0.6)
        self.wait(3.0)
        self.clear_stage()

    def summary(self, data: BasinData) -> None:
        self.beat("Summary")
        title = heading("What the Hessian of a fitted network says")
        formulas = VGroup(
            math(r"H = 2J^{\mathsf T}J", color=theme.PRIMARY),
            math(
                rf"N - \operatorname{{rank}} J"
                rf" = {data.n_params} - {data.rank_j} = {data.null_count}",
                color=theme.GOOD,
            ),
            math(r"\lambda_{\max} < 2/\mathrm{lr}", color=theme.ACCENT),
            math(r"(w, b, v) \to (a\,w,\ a\,b,\ v/a)", color=theme.VIOLET),
        )
        notes = VGroup(
            text("at zero loss: curvature only where outputs move", theme.SIZE_LABEL),
            text("flat directions the data cannot see", theme.SIZE_LABEL),
            text("the minima gradient descent can stay in", theme.SIZE_LABEL),
            text("same function, arbitrarily sharper", theme.SIZE_LABEL),
        )
        rows = VGroup()
        for formula, note in zip(formulas, notes, strict=True):
            rows.add(VGroup(formula, note))
        formulas.arrange(DOWN, aligned_edge=RIGHT, buff=0.6)
        for formula, note in zip(formulas, notes, strict=True):
            note.next_to(formula, RIGHT, buff=0.6)
            note.align_to(formulas.get_right() + 0.6 * RIGHT, LEFT)
        rows.move_to(0.2 * UP)
        self.play(FadeIn(title), run_time=0.6)
        self.say("Flat in every direction the data cannot see; sharp only where it can.", 7.0)
        self.play(FadeIn(rows, lag_ratio=0.4), run_time=2.5)
        self.wait(6.0)
        self.unsay()
        self.wait(1.0)
