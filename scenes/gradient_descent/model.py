"""Gradient descent paths: five optimizers on Rosenbrock's valley, a quadratic, a saddle and a
set of convex problems (``convex.py``) that shows when each of them wins.

Pure numpy. The only random draws are SGD's gradient noise, all from the Generator passed in.
Everything the scene draws is here: exact contour curves, every iterate of every run, the loss per
step, the step counts to the tolerance, a learning-rate sweep and the noise balls of SGD.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from render.core.params import Params, param
from scenes.gradient_descent.convex import ConvexStudy, convex_study
from scenes.gradient_descent.landscapes import Quadratic, Rosenbrock, Saddle
from scenes.gradient_descent.optimizers import (
    SGD,
    Adam,
    HeavyBall,
    Nesterov,
    RMSprop,
    Run,
    first_index,
    run,
)

ROSENBROCK_START = (-1.2, 1.0)
ROSENBROCK_VIEW = (-1.6, 1.6, -0.6, 2.0)  # x_min, x_max, y_min, y_max of the contour map
ROSENBROCK_LEVELS = 10.0 ** np.arange(-2.0, 3.01, 0.5)  # log-spaced: the valley floor is ~0
ELLIPSE_LEVEL = 0.02  # the Hessian's ellipse drawn is {d : d^T H d / 2 = ELLIPSE_LEVEL}
QUADRATIC_EIGENVALUES = (1.0, 10.0)
QUADRATIC_START = (-2.0, 1.2)
QUADRATIC_VIEW = (-2.4, 0.8, -0.9, 1.5)
QUADRATIC_LEVELS = (0.05, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0)
SADDLE_START = (2.0, 0.0)  # exactly on the ridge y = 0 that flows into the saddle
SADDLE_NUDGE = 1e-4  # the same start moved this far off the ridge
SADDLE_LR = 0.1
SADDLE_NOISE = 0.05
SADDLE_STEPS = 120
SADDLE_RUNS = 12
ESCAPED = 0.5  # a saddle run has escaped once |y| passes this (the minima are at |y| = 1)
SADDLE_VIEW = (-0.8, 2.4, -1.6, 1.6)
SADDLE_LEVELS = (-0.2, -0.1, 0.0, 0.25, 0.75, 1.5, 2.5)


@dataclasses.dataclass(frozen=True)
class GradientDescentParams(Params):
    lr: float = param(
        1e-3, "learning rate of GD, momentum and Nesterov on Rosenbrock", min=1e-5, max=0.05
    )
    beta: float = param(0.9, "momentum coefficient of heavy ball and Nesterov", min=0.0, max=0.99)
    rmsprop_lr: float = param(1e-3, "RMSprop's learning rate (rho 0.99)", min=1e-5, max=0.5)
    adam_lr: float = param(
        1e-2, "Adam's learning rate in the run that converges", min=1e-5, max=0.5
    )
    hover_lr: float = param(0.1, "Adam's learning rate in the run that hovers", min=1e-5, max=1.0)
    tolerance: float = param(
        1e-3, "distance to the minimum that counts as arrived", min=1e-8, max=0.1
    )
    max_steps: int = param(20_000, "step budget of each Rosenbrock run", min=10, max=200_000)
    hover_steps: int = param(
        4000, "steps of the hovering Adam run (it does not stop)", min=10, max=50_000
    )
    sweep_min_lr: float = param(1e-3, "smallest learning rate of the GD sweep", min=1e-5, max=0.05)
    sweep_max_lr: float = param(9e-3, "largest learning rate of the GD sweep", min=1e-5, max=0.05)
    sweep_count: int = param(10, "learning rates in the sweep, log-spaced", min=2, max=40)
    sweep_steps: int = param(20_000, "steps of every sweep run", min=10, max=100_000)
    noise: float = param(
        1.0, "standard deviation of SGD's gradient noise per coordinate", min=0.0, max=10.0
    )
    sgd_lr: float = param(
        0.08,
        "larger SGD learning rate on the quadratic; the other is a quarter",
        min=1e-4,
        max=0.19,
    )
    sgd_runs: int = param(80, "noisy SGD runs per learning rate", min=2, max=5000)
    sgd_steps: int = param(400, "steps of every SGD run", min=10, max=20_000)
    convex_steps: int = param(
        20_000, "step budget of every run on the convex problems", min=10, max=200_000
    )
    convex_tolerance: float = param(
        1e-4,
        "convex problems: arrived once the distance to x* is below this share of the start's",
        min=1e-10,
        max=0.5,
    )

    memory_drivers = ("sgd_runs", "sgd_steps")

    def memory_estimate(self) -> int:
        # Measured peak (tracemalloc): about 120 bytes per SGD step (every learning rate's runs,
        # two coordinates, losses); the Rosenbrock runs stay under 100 MB at any allowed value.
        return 120 * self.sgd_runs * self.sgd_steps


@dataclasses.dataclass(frozen=True)
class Landscape:
    """A test function as drawn: its name and formula, the view box and its clipped level curves."""

    function: str
    formula: str
    view: np.ndarray  # x_min, x_max, y_min, y_max
    contour_levels: np.ndarray
    # pieces of level curves inside the view, each (n, 2), keyed "0", "1", ... (ragged, so a dict)
    contours: dict[str, np.ndarray]
    contour_level_of: np.ndarray  # the level of each piece


@dataclasses.dataclass(frozen=True)
class Sweep:
    """Plain GD on Rosenbrock at log-spaced learning rates, all for the same number of steps."""

    lrs: np.ndarray
    runs: Run  # batched: path (steps + 1, k, 2), loss (steps + 1, k)
    final_loss: np.ndarray
    outcome: list[str]  # "converged" | "stalled" | "diverged" per learning rate


@dataclasses.dataclass(frozen=True)
class NoiseBall:
    """Noisy SGD on the quadratic at two learning rates: where runs end, and where theory says."""

    landscape: Landscape
    start: np.ndarray
    eigenvalues: np.ndarray
    noise: float
    lrs: np.ndarray  # (2,)
    runs: dict[str, Run]  # one batched run per learning rate, keyed "0", "1"
    final_points: np.ndarray  # (2, runs, 2)
    empirical_std: np.ndarray  # (2, 2): per learning rate, per coordinate, over the runs' ends
    predicted_std: np.ndarray  # noise * sqrt(lr / (lambda_i (2 - lr lambda_i)))


@dataclasses.dataclass(frozen=True)
class SaddleRuns:
    """GD started exactly on the saddle's incoming ridge, nudged off it, and with gradient noise."""

    landscape: Landscape
    start: np.ndarray
    nudge: float
    lr: float
    noise: float
    on_ridge: Run
    nudged: Run
    noisy: Run  # batched
    escape_step: dict[str, Any]  # first step with |y| > ESCAPED per run (-1: never)


@dataclasses.dataclass(frozen=True)
class GradientDescentData:
    function: str
    landscape: Landscape
    start: np.ndarray
    start_gradient: np.ndarray
    minimum: np.ndarray
    hessian_at_minimum: np.ndarray
    hessian_eigenvalues: np.ndarray  # ascending
    hessian_eigenvectors: np.ndarray  # columns, matching the eigenvalues
    condition_number: float
    hessian_ellipse: np.ndarray  # (n, 2): minimum + {d : d^T H d / 2 = ELLIPSE_LEVEL}
    lr_limit: float  # 2 / lambda_max: GD is stable at the minimum only below it
    tolerance: float
    optimizers: dict[str, Run]  # gd, momentum, nesterov, rmsprop, adam, adam_hover
    sweep: Sweep
    noise_ball: NoiseBall
    saddle: SaddleRuns
    convex: ConvexStudy


def landscape(fn: Any, view: tuple[float, float, float, float], levels: Any) -> Landscape:
    pieces, owners = [], []
    for level in levels:
        for curve in fn.level_curves(float(level)):
            for piece in clip_to_box(curve, view):
                pieces.append(piece)
                owners.append(float(level))
    return Landscape(
        function=fn.name,
        formula=fn.formula,
        view=np.array(view),
        contour_levels=np.asarray(levels, dtype=float),
        contours={str(i): piece for i, piece in enumerate(pieces)},
        contour_level_of=np.array(owners),
    )


def clip_to_box(curve: np.ndarray, view: tuple[float, float, float, float]) -> list[np.ndarray]:
    """The runs of consecutive curve points inside the box (at least two points each)."""
    x0, x1, y0, y1 = view
    inside = (curve[:, 0] >= x0) & (curve[:, 0] <= x1) & (curve[:, 1] >= y0) & (curve[:, 1] <= y1)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], inside.astype(int), [0]])))
    return [curve[a:b] for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 2]


def simulate(params: GradientDescentParams, rng: np.random.Generator) -> GradientDescentData:
    fn = Rosenbrock()
    start = np.array(ROSENBROCK_START)
    hessian = fn.hessian(fn.minimum)
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    tol, budget = params.tolerance, params.max_steps

    # every run goes to the full horizon: arriving is not staying, and only the path says which
    optimizers = {
        "gd": run(fn, SGD(params.lr), start, budget, tol, False),
        "momentum": run(fn, HeavyBall(params.lr, params.beta), start, budget, tol, False),
        "nesterov": run(fn, Nesterov(params.lr, params.beta), start, budget, tol, False),
        "rmsprop": run(fn, RMSprop(params.rmsprop_lr), start, budget, tol, False),
        "adam": run(fn, Adam(params.adam_lr), start, budget, tol, False),
        "adam_hover": run(fn, Adam(params.hover_lr), start, params.hover_steps, tol, False),
    }
    return GradientDescentData(
        function=fn.name,
        landscape=landscape(fn, ROSENBROCK_VIEW, ROSENBROCK_LEVELS),
        start=start,
        start_gradient=fn.grad(start),
        minimum=fn.minimum,
        hessian_at_minimum=hessian,
        hessian_eigenvalues=eigenvalues,
        hessian_eigenvectors=eigenvectors,
        condition_number=float(eigenvalues[-1] / eigenvalues[0]),
        hessian_ellipse=quadratic_ellipse(fn.minimum, eigenvalues, eigenvectors, ELLIPSE_LEVEL),
        lr_limit=float(2.0 / eigenvalues[-1]),
        tolerance=tol,
        optimizers=optimizers,
        sweep=learning_rate_sweep(fn, start, params),
        noise_ball=noise_ball(params, rng),
        saddle=saddle_runs(params, rng),
        convex=convex_study(rng, params.convex_steps, params.convex_tolerance),
    )


def quadratic_ellipse(
    center: np.ndarray, eigenvalues: np.ndarray, eigenvectors: np.ndarray, level: float
) -> np.ndarray:
    """The level set of the local quadratic model: semi-axes sqrt(2 c / lambda_i) along v_i."""
    t = np.linspace(0.0, 2.0 * np.pi, 181)
    unit = np.stack([np.cos(t), np.sin(t)])
    return center + (eigenvectors @ (np.sqrt(2.0 * level / eigenvalues)[:, None] * unit)).T


def learning_rate_sweep(fn: Rosenbrock, start: np.ndarray, params: GradientDescentParams) -> Sweep:
    lrs = np.geomspace(params.sweep_min_lr, params.sweep_max_lr, params.sweep_count)
    starts = np.tile(start, (len(lrs), 1))
    runs = run(
        fn, SGD(lrs[:, None]), starts, params.sweep_steps, params.tolerance, stop_at_tolerance=False
    )
    final_distance = runs.distance[-1]
    outcome = [
        "diverged" if d >= 0 else "converged" if dist < params.tolerance else "stalled"
        for d, dist in zip(runs.diverged_at, final_distance, strict=True)
    ]
    return Sweep(lrs=lrs, runs=runs, final_loss=runs.loss[-1], outcome=outcome)


def stationary_std(lr: float, eigenvalues: np.ndarray, noise: float) -> np.ndarray:
    """Spread of x <- x - lr (lambda x + noise xi) once it forgets its start, per coordinate.

    Variance v solves v = (1 - lr lambda)^2 v + lr^2 noise^2, so
    v = lr noise^2 / (lambda (2 - lr lambda)): the variance grows like the learning rate,
    the radius like its square root.
    """
    return noise * np.sqrt(lr / (eigenvalues * (2.0 - lr * eigenvalues)))


def noise_ball(params: GradientDescentParams, rng: np.random.Generator) -> NoiseBall:
    fn = Quadratic(QUADRATIC_EIGENVALUES)
    start = np.array(QUADRATIC_START)
    eigenvalues = np.array(QUADRATIC_EIGENVALUES)
    lrs = np.array([params.sgd_lr, params.sgd_lr / 4.0])
    starts = np.tile(start, (params.sgd_runs, 1))
    runs = {
        str(i): run(
            fn, SGD(lr, params.noise, rng), starts, params.sgd_steps, params.tolerance, False
        )
        for i, lr in enumerate(lrs)
    }
    finals = np.stack([r.path[-1] for r in runs.values()])
    return NoiseBall(
        landscape=landscape(fn, QUADRATIC_VIEW, QUADRATIC_LEVELS),
        start=start,
        eigenvalues=eigenvalues,
        noise=params.noise,
        lrs=lrs,
        runs=runs,
        final_points=finals,
        empirical_std=finals.std(axis=1, ddof=1),
        predicted_std=np.stack([stationary_std(lr, eigenvalues, params.noise) for lr in lrs]),
    )


def saddle_runs(params: GradientDescentParams, rng: np.random.Generator) -> SaddleRuns:
    fn = Saddle()
    start = np.array(SADDLE_START)
    nudged = start + np.array([0.0, SADDLE_NUDGE])
    starts = np.tile(start, (SADDLE_RUNS, 1))
    runs = {
        "on_ridge": run(fn, SGD(SADDLE_LR), start, SADDLE_STEPS, params.tolerance, False),
        "nudged": run(fn, SGD(SADDLE_LR), nudged, SADDLE_STEPS, params.tolerance, False),
        "noisy": run(
            fn, SGD(SADDLE_LR, SADDLE_NOISE, rng), starts, SADDLE_STEPS, params.tolerance, False
        ),
    }
    return SaddleRuns(
        landscape=landscape(fn, SADDLE_VIEW, SADDLE_LEVELS),
        start=start,
        nudge=SADDLE_NUDGE,
        lr=SADDLE_LR,
        noise=SADDLE_NOISE,
        **runs,
        escape_step={k: first_index(np.abs(r.path[..., 1]) > ESCAPED) for k, r in runs.items()},
    )
