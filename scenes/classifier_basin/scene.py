"""What a trained classifier's Hessian measures, drawn from :mod:`scenes.classifier_basin.model`.

Beats: digits and what the network says about them; J as an image and H = Gauss-Newton +
residual; the two spectra on a log scale; the directions that cost nothing, counted by cause;
power iteration against Lanczos; the sharpness of three runs against 2/lr (the edge of
stability); its fall as the network grows confident; the rescaling that keeps the function;
the failure case, a collapsed network that is the flattest of all; a summary.
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
    Rectangle,
    Square,
    VGroup,
    VMobject,
    Write,
)

from scenes.classifier_basin.model import RARE_PIXEL_IMAGES, ClassifierData
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import (
    EdgeAxes,
    heading,
    legend,
    math,
    power_labels,
    show_title,
    text,
)

RUN_COLORS = {"slow": theme.GOOD, "main": theme.PRIMARY, "fast": theme.SECONDARY}


HEATMAP_LEVELS = 12  # colour steps per sign
J_COLUMN_BLOCK = 10  # J is drawn with each run of this many columns pooled into one cell


def cell_picture(levels: np.ndarray, colors: dict, width: float, height: float) -> VGroup:
    """A picture of an integer array, one cell per entry, drawn as vectors.

    Cells with the same level share one VMobject, and each horizontal run of equal levels is a
    single rectangle, so a picture of thousands of cells costs a few dozen paths. Levels
    missing from ``colors`` (zero, say) stay background.
    """
    rows, cols = levels.shape
    dx, dy = width / cols, height / rows
    group = VGroup()
    for value, color in colors.items():
        cells = VMobject(fill_color=color, fill_opacity=1.0, stroke_width=0)
        for i in range(rows):
            hit = np.concatenate([[0], (levels[i] == value).astype(int), [0]])
            starts = np.flatnonzero(np.diff(hit) == 1)
            stops = np.flatnonzero(np.diff(hit) == -1)
            for j0, j1 in zip(starts, stops, strict=True):
                x0, x1 = -width / 2 + j0 * dx, -width / 2 + j1 * dx
                y0 = height / 2 - (i + 1) * dy
                cells.start_new_path(np.array([x0, y0, 0.0]))
                cells.add_points_as_corners(
                    [[x1, y0, 0.0], [x1, y0 + dy, 0.0], [x0, y0 + dy, 0.0], [x0, y0, 0.0]]
                )
        if cells.has_points():
            group.add(cells)
    return group


def signed_picture(matrix: np.ndarray, width: float, height: float) -> VGroup:
    """Blue for positive entries, red for negative, brightness sqrt(|entry|); zeros background.

    Each run of J_COLUMN_BLOCK columns is drawn as one cell holding its entry of largest size.
    """
    rows, cols = matrix.shape
    padded = np.zeros((rows, -(-cols // J_COLUMN_BLOCK) * J_COLUMN_BLOCK))
    padded[:, :cols] = matrix
    blocks = padded.reshape(rows, -1, J_COLUMN_BLOCK)
    pooled = np.take_along_axis(blocks, np.abs(blocks).argmax(axis=2)[:, :, None], 2)[:, :, 0]
    strength = np.sqrt(np.abs(pooled) / np.abs(pooled).max())
    levels = np.ceil(strength * HEATMAP_LEVELS).astype(int) * np.sign(pooled).astype(int)
    colors = {}
    for level in range(1, HEATMAP_LEVELS + 1):
        colors[level] = theme.BACKGROUND.interpolate(theme.PRIMARY, level / HEATMAP_LEVELS)
        colors[-level] = theme.BACKGROUND.interpolate(theme.ACCENT, level / HEATMAP_LEVELS)
    picture = cell_picture(levels, colors, width, height)
    picture.add(Rectangle(width=width, height=height, stroke_color=theme.GRID, stroke_width=1.5))
    return picture


def digit_picture(image: np.ndarray, size: float) -> VGroup:
    """An 8x8 digit, ink in the text colour on the background, 16 grey levels."""
    levels = np.round(image * 16).astype(int)
    colors = {k: theme.BACKGROUND.interpolate(theme.TEXT, k / 16) for k in range(1, 17)}
    return cell_picture(levels, colors, size, size)


def sci(value: float, digits: int = 1) -> str:
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


class ClassifierBasin(MathreelScene):
    def construct(self) -> None:
        data: ClassifierData = self.model
        self.digits(data)
        self.jacobian(data)
        self.spectra(data)
        self.zero_directions(data)
        self.power_iteration(data)
        self.edge_of_stability(data)
        self.confidence(data)
        self.rescaling(data)
        self.collapse(data)
        self.summary(data)

    # -- beats -------------------------------------------------------------------------------

    def digits(self, data: ClassifierData) -> None:
        self.beat("A digits classifier")
        show_title(self, "What the Hessian Measures", "a trained digits classifier, up close", 1.0)
        n_train, n_test = len(data.train_index), len(data.test_index)
        title = heading(f"{data.n_params} parameters read handwritten digits")
        cards = VGroup()
        for image, label, probabilities in zip(
            data.example_images, data.example_labels, data.example_probabilities, strict=True
        ):
            guess = int(np.argmax(probabilities))
            color = theme.GOOD if guess == label else theme.ACCENT
            picture = digit_picture(image, 1.5)
            frame = Square(1.6, stroke_color=color, stroke_width=3)
            bars = VGroup(
                *(
                    Rectangle(
                        width=0.11,
                        height=max(1.1 * float(p), 0.01),
                        stroke_width=0,
                        fill_color=color if c == guess else theme.MUTED,
                        fill_opacity=1.0,
                    )
                    for c, p in enumerate(probabilities)
                )
            ).arrange(RIGHT, buff=0.04, aligned_edge=DOWN)
            says = text(f"says {guess}: {probabilities[guess]:.0%}", theme.SIZE_SMALL, color)
            card = VGroup(VGroup(frame, picture), bars, says).arrange(DOWN, buff=0.25)
            cards.add(card)
        cards.arrange(RIGHT, buff=0.55).move_to(0.3 * UP)
        architecture = math(
            rf"64 \to {data.layers[1]} \to 10,\ \ \mathrm{{relu}},\ \ "
            rf"\text{{softmax cross-entropy, plain gradient descent at lr}} = {data.lr:g}",
            theme.SIZE_LABEL,
            theme.MUTED,
        ).next_to(cards, DOWN, buff=0.45)
        self.play(FadeIn(title), run_time=0.8)
        self.say(
            f"A network trained by plain gradient descent on {n_train} handwritten digits.", 4.0
        )
        self.play(FadeIn(cards, lag_ratio=0.15), run_time=2.5)
        self.play(FadeIn(architecture), run_time=0.8)
        correct = round(data.test_accuracy * n_test)
        self.say(
            f"It reads {correct} of {n_test} unseen digits right ({data.test_accuracy:.1%}).", 4.0
        )
        self.wait(3.0)
        last = data.example_probabilities[-1]
        if np.argmax(last) != data.example_labels[-1]:
            self.say(
                f"Its most confident mistake: a {data.example_labels[-1]} it calls a "
                f"{np.argmax(last)}, at {last.max():.0%}.",
                4.0,
            )
            self.wait(3.0)
        self.clear_stage()

    def jacobian(self, data: ClassifierData) -> None:
        self.beat("J and the Hessian")
        rows, cols = data.jacobian.shape
        title = heading("How every logit moves with every parameter")
        picture = signed_picture(data.jacobian, 11.6, 3.0).move_to(0.55 * UP)
        h = data.layers[1]
        groups = VGroup()
        left = picture.get_left()[0]
        bounds = np.cumsum([0, 64 * h, h, 10 * h, 10])
        for name, start, stop in zip(
            ("W1", "b1", "W2", "b2"), bounds[:-1], bounds[1:], strict=True
        ):
            if name in ("b1", "b2"):
                continue  # a few columns wide: named in the formula below, not under the image
            middle = left + 11.6 * (start + stop) / 2 / cols
            groups.add(
                math(
                    name.replace("1", "_1").replace("2", "_2"), theme.SIZE_LABEL, theme.MUTED
                ).move_to([middle, picture.get_bottom()[1] - 0.3, 0])
            )
        images = len(data.jacobian_index)
        side = text(f"{images} images × 10 logits", theme.SIZE_SMALL, theme.MUTED).rotate(np.pi / 2)
        side.next_to(picture, LEFT, buff=0.15)
        definition = (
            math(r"J = \frac{\partial\, \text{logits}}{\partial \theta}", theme.SIZE_LABEL)
            .next_to(picture, UP, buff=0.3)
            .align_to(picture, LEFT)
        )
        shape = text(
            f"{rows} × {cols}, rank {data.jacobian_rank}", theme.SIZE_SMALL, theme.MUTED
        ).next_to(definition, RIGHT, buff=0.5)
        key = legend([("positive", theme.PRIMARY), ("negative", theme.ACCENT)], theme.SIZE_SMALL)
        key.arrange(RIGHT, buff=0.5).next_to(picture, UP, buff=0.3).align_to(picture, RIGHT)
        formula = math(
            r"H = \underbrace{\tfrac1n \sum_i J_i^{\mathsf T} S_i J_i}_{G,\ \text{Gauss-Newton}}"
            r" + \underbrace{\tfrac1n \sum_i \sum_c (p_{ic} - y_{ic})\, \nabla^2 z_{ic}}"
            r"_{R,\ \text{residual}},"
            r"\qquad S_i = \operatorname{diag}(p_i) - p_i p_i^{\mathsf T}",
            theme.SIZE_LABEL,
        ).next_to(groups, DOWN, buff=0.3)
        self.play(FadeIn(title), run_time=0.6)
        self.say(f"J: how the 10 logits of {images} training digits move with each parameter.", 5.0)
        self.play(FadeIn(picture), FadeIn(groups, side, definition, shape, key), run_time=1.5)
        self.wait(3.0)
        self.say("A classifier's Hessian is not 2 JᵀJ: softmax's curvature S sits inside,", 4.0)
        self.play(Write(formula), run_time=1.5)
        self.wait(2.0)
        self.say("and a residual term R is left over, which never vanishes.", 4.0)
        self.wait(3.0)
        self.clear_stage()

    def spectra(self, data: ClassifierData) -> None:
        self.beat("Two spectra")
        n = data.n_params
        title = heading(f"All {n} eigenvalues of H and of G")
        floor = -18
        ticks = [1, 500, 1000, 1500, n]
        plot = EdgeAxes(
            [0, n + 1, 250],
            [floor, 2, 2],
            10.6,
            4.4,
            {k: str(k) for k in ticks},
            power_labels(range(floor, 1, 4)),
        )
        axes = plot.axes.move_to(0.1 * DOWN + 0.4 * RIGHT)
        x_label = text("eigenvalues by size, largest first", theme.SIZE_SMALL, theme.MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.4)
        y_label = math(r"|\lambda|", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )

        def by_size(values: np.ndarray) -> np.ndarray:
            return np.log10(np.maximum(np.sort(np.abs(values))[::-1], 10.0**floor))

        index = np.arange(1, n + 1)
        gn_line = plot.line(index, by_size(data.gauss_newton_eigenvalues), theme.SECONDARY, 6)
        h_line = plot.line(index, by_size(data.hessian_eigenvalues), theme.PRIMARY, 2.5)
        negative = np.abs(data.hessian_eigenvalues)
        order = np.argsort(negative)[::-1]
        ranks = np.empty(n, dtype=int)
        ranks[order] = np.arange(1, n + 1)
        is_negative = data.hessian_eigenvalues < -1e-300
        marks = VGroup(
            *(
                Dot(plot.point(ranks[i], np.log10(negative[i])), radius=0.03, color=theme.ACCENT)
                for i in np.flatnonzero(is_negative & (negative > 10.0**floor))[::3]
            )
        )
        key = legend(
            [
                ("H (exact)", theme.PRIMARY),
                ("G = JᵀSJ / n", theme.SECONDARY),
                ("negative eigenvalues of H", theme.ACCENT),
            ],
            theme.SIZE_SMALL,
        ).move_to(axes.get_corner(UR), aligned_edge=UR)
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say("Both spectra, on a log scale.", 3.0)
        self.play(Create(gn_line), FadeIn(key[1]), run_time=1.5)
        self.play(Create(h_line), FadeIn(key[0]), run_time=1.5)
        self.say(
            f"At the top they agree: λmax {data.lambda_max:.4f} against "
            f"{data.gauss_newton_lambda_max:.4f}.",
            4.0,
        )
        self.wait(2.5)
        self.say(f"Here R is only {data.residual_relative_norm:.1%} of H, in size.", 3.5)
        self.wait(2.5)
        self.say(
            f"But H has {data.negative_eigenvalue_count} negative eigenvalues, "
            f"down to {data.hessian_eigenvalues[-1]:.4f}: G cannot have any.",
            5.5,
        )
        self.play(FadeIn(marks, lag_ratio=0.01), FadeIn(key[2]), run_time=1.5)
        self.wait(4.0)
        self.clear_stage()

    def zero_directions(self, data: ClassifierData) -> None:
        self.beat("Directions that cost nothing")
        zero = data.zero_directions
        title = heading("Directions in which nothing changes")
        grid = VGroup()
        rare, blank = set(zero.rare_pixels.tolist()), set(zero.blank_pixels.tolist())
        most = np.log1p(zero.pixel_lit_counts.max())
        for p in range(64):
            share = np.log1p(zero.pixel_lit_counts[p]) / most
            color = (
                theme.ACCENT
                if p in blank
                else theme.SECONDARY
                if p in rare
                else theme.BACKGROUND.interpolate(theme.PRIMARY, 0.25 + 0.75 * share)
            )
            cell = Square(0.42, stroke_color=theme.BACKGROUND, stroke_width=2)
            cell.set_fill(color, opacity=1.0)
            grid.add(cell)
        grid.arrange_in_grid(8, 8, buff=0.0).to_edge(LEFT, buff=1.0).shift(0.3 * UP)
        grid_key = legend(
            [
                (f"{len(blank)} pixels never lit", theme.ACCENT),
                (f"{len(rare)} lit in fewer than {RARE_PIXEL_IMAGES} images", theme.SECONDARY),
                ("the rest: brighter = lit more often", theme.PRIMARY),
            ],
            theme.SIZE_SMALL,
        ).next_to(grid, DOWN, buff=0.3)
        counts = zero.counts
        lines = [
            (
                f"{counts['unseen_weights']}",
                "weight changes unseen by every image that turns the unit on",
            ),
            (f"{counts['rescaling']}", "rescalings: a unit's inputs times a, outputs over a"),
            (f"{counts['rare_pixel_trades']}", "rare-pixel weights traded between units"),
        ]
        table = VGroup(
            *(
                VGroup(
                    text(number, theme.SIZE_LABEL, theme.GOOD),
                    text(words, theme.SIZE_SMALL),
                ).arrange(RIGHT, buff=0.25)
                for number, words in lines
            )
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        total = math(
            rf"= {zero.jacobian_null} = N - \operatorname{{rank}} J_{{\text{{train}}}}"
            rf"= {data.n_params} - {zero.training_jacobian_rank}",
            theme.SIZE_LABEL,
            theme.GOOD,
        )
        shift = text(
            f"+ {counts['logit_shift']} shifts of all 10 logits at once: softmax ignores them",
            theme.SIZE_SMALL,
        )
        block = VGroup(table, total, shift).arrange(DOWN, aligned_edge=LEFT, buff=0.35)
        room = 6.6 - (grid.get_right()[0] + 0.7)
        if block.width > room:
            block.scale_to_fit_width(room)
        block.next_to(grid, RIGHT, buff=0.7).align_to(grid, UP)
        self.play(FadeIn(title), FadeIn(grid, lag_ratio=0.01), FadeIn(grid_key), run_time=1.2)
        self.say(f"{zero.jacobian_null} directions move no logit at all. Each has a reason.", 4.0)
        self.play(FadeIn(table, lag_ratio=0.4), run_time=2.0)
        self.play(Write(total), run_time=1.0)
        self.wait(2.0)
        self.say(
            f"Add the {counts['logit_shift']} logit shifts: H has {zero.hessian_null} exactly "
            "flat directions.",
            4.0,
        )
        self.play(FadeIn(shift), run_time=1.0)
        self.wait(2.5)
        self.say("The rescalings are flat in H only where the gradient is zero.", 4.0)
        self.wait(3.0)
        self.clear_stage()

    def power_iteration(self, data: ClassifierData) -> None:
        self.beat("Power iteration and Lanczos")
        title = heading("λmax from Hessian-vector products alone")
        steps = max(len(data.power_iteration), len(data.lanczos))
        floor = -16
        plot = EdgeAxes(
            [0, steps + 1, 5],
            [floor, 0, 2],
            9.6,
            4.2,
            {k: str(k) for k in range(0, steps + 1, 10)},
            power_labels(range(floor, 1, 4)),
        )
        axes = plot.axes.move_to(0.2 * UP)
        x_label = text("Hessian-vector products", theme.SIZE_SMALL, theme.MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = math(
            r"|\hat\lambda - \lambda_{\max}| / \lambda_{\max}", theme.SIZE_LABEL, theme.MUTED
        ).next_to(axes.y_axis, UP, buff=0.2)

        def error_line(estimates: np.ndarray, color):
            error = np.abs(estimates - data.lambda_max) / data.lambda_max
            return plot.line(
                np.arange(1, len(estimates) + 1),
                np.log10(np.maximum(error, 10.0**floor)),
                color,
                4,
            )

        power = error_line(data.power_iteration, theme.SECONDARY)
        lanczos = error_line(data.lanczos, theme.PRIMARY)
        key = (
            legend(
                [("power iteration", theme.SECONDARY), ("Lanczos", theme.PRIMARY)], theme.SIZE_SMALL
            )
            .to_corner(UR, buff=0.5)
            .shift(0.7 * DOWN)
        )
        tolerance = 1e-10
        lanczos_steps = (
            int(np.argmax(np.abs(data.lanczos - data.lambda_max) < tolerance * data.lambda_max)) + 1
        )
        power_steps = (
            int(
                np.argmax(
                    np.abs(data.power_iteration - data.lambda_max) < tolerance * data.lambda_max
                )
            )
            + 1
        )
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say(
            f"No need for the dense matrix: both reach the dense λmax = {data.lambda_max:.4f}.", 4.5
        )
        self.play(Create(power), FadeIn(key[0]), run_time=2.0)
        self.play(Create(lanczos), FadeIn(key[1]), run_time=1.5)
        self.say(
            f"To ten digits Lanczos needs {lanczos_steps} products, power iteration {power_steps}.",
            4.5,
        )
        self.wait(4.0)
        self.clear_stage()

    def sharpness_plot(self, runs, top: float) -> EdgeAxes:
        """Sharpness against training step on a log2 scale."""
        steps = int(max(run.checkpoints[-1] for run in runs))
        low, high = -1, int(np.ceil(np.log2(top)))
        return EdgeAxes(
            [0, steps, 50],
            [low, high, 1],
            10.0,
            4.3,
            {k: str(k) for k in range(0, steps + 1, 100)},
            {k: f"{2.0**k:g}" for k in range(low, high + 1)},
        )

    def edge_of_stability(self, data: ClassifierData) -> None:
        self.beat("The edge of stability")
        title = heading("Sharpness during training, against 2/lr")
        runs = [data.runs[name] for name in RUN_COLORS]
        plot = self.sharpness_plot(runs, max(run.sharpness.max() for run in runs))
        axes = plot.axes.move_to(0.2 * UP + 0.3 * LEFT)
        x_label = text("gradient-descent step", theme.SIZE_SMALL, theme.MUTED)
        x_label.next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = math(r"\lambda_{\max}", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )
        steps = int(runs[0].checkpoints[-1])
        curves, limits = VGroup(), VGroup()
        for name, color in RUN_COLORS.items():
            run = data.runs[name]
            curves.add(plot.line(run.checkpoints, np.log2(run.sharpness), color, 4))
            y = np.log2(2 / run.lr)
            limits.add(
                DashedLine(plot.point(0, y), plot.point(steps, y), color=color, stroke_width=2)
            )
        key = legend(
            [
                (f"lr {data.runs[name].lr:g}:  2/lr = {2 / data.runs[name].lr:.2f}", color)
                for name, color in RUN_COLORS.items()
            ],
            theme.SIZE_SMALL,
        ).move_to(axes.get_corner(UR), aligned_edge=UR)
        slow, main, fast = (data.runs[name] for name in RUN_COLORS)
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say("Three runs from the same start, differing only in the learning rate.", 4.0)
        self.play(Create(limits), FadeIn(key), run_time=1.2)
        self.wait(1.0)
        self.say(
            f"At lr {slow.lr:g} the sharpness climbs to {slow.edge['peak']:.2f}, "
            f"just past 2/lr = {2 / slow.lr:g}, and turns back.",
            5.0,
        )
        self.play(Create(curves[0]), run_time=2.0)
        self.wait(2.5)
        self.say("Faster runs overshoot, and are thrown to flatter ground.", 3.5)
        self.play(Create(curves[1]), Create(curves[2]), run_time=2.5)
        self.wait(0.5)
        self.say(
            f"Then they stay just under their lines: {main.edge['settled_peak']:.2f} of "
            f"{2 / main.lr:g}, {fast.edge['settled_peak']:.2f} of {2 / fast.lr:.2f}.",
            5.0,
        )
        self.wait(3.5)
        self.say("So the sharpness of a trained network reports its learning rate.", 4.0)
        self.wait(3.0)
        self.clear_stage()

    def confidence(self, data: ClassifierData) -> None:
        self.beat("Confidence")
        run = data.runs["main"]
        title = heading("Later, the curvature measures confidence")
        start = int(np.flatnonzero(run.checkpoints == run.edge["settle_step"])[0])
        steps = run.checkpoints[start:]
        series = [
            ("λmax", run.sharpness[start:], theme.PRIMARY),
            ("softmax curvature tr S", run.softmax_curvature[start:], theme.SECONDARY),
            ("1 - confidence", 1 - run.confidence[start:], theme.VIOLET),
        ]
        plot = EdgeAxes(
            [int(steps[0]), int(steps[-1]), 20],
            [-1, 0.2, 0.2],
            7.2,
            4.2,
            {k: str(k) for k in range(int(np.ceil(steps[0] / 50) * 50), int(steps[-1]) + 1, 50)},
            {np.log10(v): f"{v:g}" for v in (0.1, 1)},  # the decades, which fall on ticks
        )
        axes = plot.axes.to_edge(LEFT, buff=1.0).shift(0.2 * UP)
        x_label = text("step", theme.SIZE_SMALL, theme.MUTED).next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = text("relative to the first", theme.SIZE_SMALL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )
        lines = VGroup(
            *(
                plot.line(steps, np.log10(values / values[0]), color, 4)
                for _, values, color in series
            )
        )
        key = legend([(name, color) for name, _, color in series], theme.SIZE_SMALL)
        key.next_to(axes, RIGHT, buff=0.4).align_to(axes, UP)
        accuracy = (
            VGroup(
                text("test accuracy", theme.SIZE_SMALL, theme.MUTED),
                text(
                    f"{run.test_accuracy[start]:.1%} → {run.test_accuracy[-1]:.1%}",
                    theme.SIZE_LABEL,
                    theme.GOOD,
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.15)
            .next_to(key, DOWN, buff=0.6)
            .align_to(key, LEFT)
        )
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say(
            f"From step {int(steps[0])} on, confidence grows: "
            f"{run.confidence[start]:.1%} to {run.confidence[-1]:.1%} on average.",
            5.0,
        )
        self.play(Create(lines[2]), FadeIn(key[2]), FadeIn(accuracy), run_time=1.8)
        self.play(Create(lines[1]), FadeIn(key[1]), run_time=1.5)
        self.say("Softmax's curvature shrinks with it,", 3.0)
        self.play(Create(lines[0]), FadeIn(key[0]), run_time=1.5)
        self.say(
            f"and λmax falls from {run.sharpness[start]:.2f} to {run.sharpness[-1]:.2f}: "
            "a flatter minimum, much the same classifier.",
            5.0,
        )
        self.wait(4.0)
        self.clear_stage()

    def rescaling(self, data: ClassifierData) -> None:
        self.beat("Same function, other sharpness")
        scale = data.rescaling
        title = heading("Rescale the hidden layer: the same function")
        top = float(np.ceil(np.log2(scale["lambda_max"].max())))
        plot = EdgeAxes(
            [-2, 2, 1],
            [0, top, 1],
            7.0,
            4.2,
            {
                k: ("1" if k == 0 else f"{2.0**k:g}" if k > 0 else f"1/{2**-k}")
                for k in range(-2, 3)
            },
            {k: f"{2.0**k:g}" for k in range(0, int(top) + 1)},
        )
        axes = plot.axes.to_edge(LEFT, buff=1.2).shift(0.2 * UP)
        x_label = math(
            r"a:\ (W_1, b_1, W_2) \to (a W_1, a b_1, W_2 / a)", theme.SIZE_SMALL, theme.MUTED
        ).next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = math(r"\lambda_{\max}", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )
        xs, ys = np.log2(scale["factor"]), np.log2(scale["lambda_max"])
        curve = plot.line(xs, ys, theme.PRIMARY, 4)
        dots = VGroup(
            *(
                Dot(plot.point(x, y), radius=0.06, color=theme.PRIMARY)
                for x, y in zip(xs, ys, strict=True)
            )
        )
        one = int(np.argmin(np.abs(scale["factor"] - 1)))
        change = float(scale["max_logit_change"].max())
        notes = (
            VGroup(
                math(
                    rf"\max |\Delta \text{{logit}}| = {sci(max(change, 1e-16))}",
                    theme.SIZE_LABEL,
                    theme.GOOD,
                ),
                math(
                    rf"\lambda_{{\max}}:\ {scale['lambda_max'][one]:.2f} \to "
                    rf"{scale['lambda_max'].max():.1f}",
                    theme.SIZE_LABEL,
                ),
                text("same predictions, same accuracy", theme.SIZE_SMALL, theme.MUTED),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.35)
            .next_to(axes, RIGHT, buff=0.8)
        )
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say("Scale every unit's inputs by a and its outputs by 1/a: the logits stay put.", 5.0)
        self.play(Create(curve), FadeIn(dots, lag_ratio=0.1), run_time=2.0)
        self.play(FadeIn(notes[0]), run_time=0.8)
        self.say(
            f"Yet λmax goes from {scale['lambda_max'][one]:.2f} to "
            f"{scale['lambda_max'].max():.1f}. Sharpness depends on the coordinates.",
            5.5,
        )
        self.play(FadeIn(notes[1], notes[2]), run_time=1.0)
        self.wait(4.5)
        self.clear_stage()

    def collapse(self, data: ClassifierData) -> None:
        self.beat("The flattest of all")
        run = data.runs["collapse"]
        hidden = data.layers[1]
        title = heading(f"Past the edge: lr = {run.lr:g}")
        top = float(np.ceil(np.log2(run.sharpness.max())))
        plot = EdgeAxes(
            [0, int(run.checkpoints[-1]), 10],
            [-4, top, 1],
            7.2,
            4.0,
            {k: str(k) for k in range(0, int(run.checkpoints[-1]) + 1, 20)},
            {k: f"{2.0**k:g}" for k in range(-2, int(top) + 1, 2)},
        )
        axes = plot.axes.to_edge(LEFT, buff=1.0).shift(0.2 * UP)
        x_label = text("step", theme.SIZE_SMALL, theme.MUTED).next_to(axes.x_axis, DOWN, buff=0.45)
        y_label = math(r"\lambda_{\max}", theme.SIZE_LABEL, theme.MUTED).next_to(
            axes.y_axis, UP, buff=0.2
        )
        curve = plot.line(run.checkpoints, np.log2(run.sharpness), theme.ACCENT, 4)
        facts = (
            VGroup(
                math(
                    rf"\lambda_{{\max}} = {run.sharpness[-1]:.3f}", theme.SIZE_LABEL, theme.ACCENT
                ),
                text(f"{len(run.dead_units)} of {hidden} units dead", theme.SIZE_LABEL),
                text(f"test accuracy {run.test_accuracy[-1]:.0%}", theme.SIZE_LABEL),
                math(rf"\text{{loss}} = {run.loss[-1]:.4f} \approx \ln 10", theme.SIZE_LABEL),
                math(
                    r"S\big(p = \tfrac1{10}\big) = \tfrac1{10}\big(I - \tfrac1{10}\mathbf 1"
                    r"\mathbf 1^{\mathsf T}\big):\ \lambda = 0.1",
                    theme.SIZE_SMALL,
                    theme.MUTED,
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.3)
            .next_to(axes, RIGHT, buff=0.7)
        )
        self.play(FadeIn(title), Create(axes), FadeIn(x_label, y_label), run_time=1.0)
        self.say(
            f"One rate further, the first steps kill {len(run.dead_units)} of the {hidden} units.",
            5.0,
        )
        self.play(Create(curve), run_time=2.0)
        self.play(FadeIn(facts[:3], lag_ratio=0.3), run_time=1.2)
        self.say(
            f"λmax = {run.sharpness[-1]:.2f}, the flattest point of all. It guesses: "
            f"{run.test_accuracy[-1]:.0%} right.",
            5.5,
        )
        self.play(FadeIn(facts[3:]), run_time=1.0)
        self.wait(4.5)
        self.clear_stage()

    def summary(self, data: ClassifierData) -> None:
        self.beat("Summary")
        title = heading("What λmax measured here")
        main = data.runs["main"]
        rescaled = data.rescaling["lambda_max"].max()
        lines = (
            VGroup(
                text(
                    f"the learning rate: it settles at {main.edge['settled_ratio']:.0%} of 2/lr",
                    theme.SIZE_LABEL,
                ),
                text(
                    f"confidence: it falls to {main.sharpness[-1]:.2f} as the answers firm up",
                    theme.SIZE_LABEL,
                ),
                text(f"the coordinates: the same function at {rescaled:.1f}", theme.SIZE_LABEL),
                text(
                    f"a dead network is flattest: {data.runs['collapse'].sharpness[-1]:.2f}",
                    theme.SIZE_LABEL,
                    theme.ACCENT,
                ),
            )
            .arrange(DOWN, aligned_edge=LEFT, buff=0.45)
            .move_to(0.3 * UP)
        )
        self.play(FadeIn(title), run_time=0.6)
        self.say("Before reading a sharpness, ask what set it.", 4.0)
        self.play(FadeIn(lines, lag_ratio=0.4), run_time=2.5)
        self.wait(7.0)
        self.unsay()  # the summary stays: the video's last frame
