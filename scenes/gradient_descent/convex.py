"""Convex problems, and when each optimizer wins on them.

Three families, each a smooth convex f with a unique minimizer x*:

* diagonal quadratics f(x) = sum_i lambda_i x_i^2 / 2, eigenvalues log-spaced from 1 to kappa
  (ill-conditioned along the coordinate axes, where a per-coordinate step size can undo it);
* the same spectra turned by a random rotation, f(x) = x^T R diag(lambda) R^T x / 2 (the same
  difficulty for GD and momentum, which do not see the axes, but no longer aligned with them);
* L2-regularized logistic regression on scikit-learn's bundled breast-cancer data (569 tumours,
  30 standardized features and an intercept): real, correlated features.

Every optimizer starts at unit distance from x* (a quadratic at (1, ..., 1)/sqrt(d) turned with the
problem, the logistic regression at w = 0 scaled by 1/|w*|, i.e. the same relative target) and has
arrived once its distance to x* is below ``tolerance`` times the start's. Tuning is a grid search
run as one batch: every learning rate of ``LR_GRID`` (and, for heavy ball and Nesterov, every beta
of ``BETA_GRID``) runs from the same start; the first to arrive wins, ties going to the smaller
learning rate, and if none arrives within the budget the one closest to x* at the end wins. A
setting that strays ``RUNAWAY`` = 10 start distances from x* counts as diverged.

Where theory gives a rate it is compared: GD at lr = 2/(lambda_min + lambda_max) contracts the
distance by (kappa - 1)/(kappa + 1) per step, heavy ball at lr = 4/(sqrt(lambda_max) +
sqrt(lambda_min))^2 and beta = ((sqrt(kappa) - 1)/(sqrt(kappa) + 1))^2 by (sqrt(kappa) - 1)/
(sqrt(kappa) + 1). Both are run at those settings and their measured rate recorded.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

import numpy as np
import scipy

from scenes.gradient_descent.optimizers import (
    SGD,
    Adam,
    HeavyBall,
    Nesterov,
    Optimizer,
    RMSprop,
    hyperparameters,
    norm,
    run,
)

KAPPAS = (10.0, 100.0, 1000.0, 10_000.0)
DIMENSION = 10  # coordinates of every quadratic
LR_GRID = 10.0 ** (np.arange(-20, 9) / 4)  # 1e-5 to 100, four per decade, for every optimizer
BETA_GRID = (0.5, 0.8, 0.9, 0.95, 0.98, 0.99)  # heavy ball's and Nesterov's beta, with every lr
LOGISTIC_L2 = 1e-3  # weight of |w|^2 / 2 in the logistic loss: makes x* unique, kappa finite
OPTIMIZERS = ("gd", "momentum", "nesterov", "rmsprop", "adam")
RUNAWAY = 10.0  # a grid setting that goes this many start distances from x* counts as diverged
CHECK_EVERY = 32  # grid-search steps between two looks at the distances (see grid_search)


@dataclasses.dataclass(frozen=True)
class QuadraticProblem:
    """f(x) = x^T A x / 2 with A = R diag(eigenvalues) R^T (R = I for an axis-aligned problem)."""

    name: str
    eigenvalues: np.ndarray
    rotation: np.ndarray  # orthogonal, columns are A's eigenvectors

    @functools.cached_property
    def matrix(self) -> np.ndarray:
        return (self.rotation * self.eigenvalues) @ self.rotation.T

    @property
    def minimum(self) -> np.ndarray:
        return np.zeros(len(self.eigenvalues))

    @property
    def minimum_value(self) -> float:
        return 0.0

    def value(self, x: np.ndarray) -> np.ndarray:
        return 0.5 * np.einsum("...i,ij,...j->...", x, self.matrix, x)

    def grad(self, x: np.ndarray) -> np.ndarray:
        return x @ self.matrix  # A is symmetric


@dataclasses.dataclass(frozen=True)
class LogisticProblem:
    """mean_i log(1 + exp(-s_i x_i . w)) + l2 |w|^2 / 2 with labels s_i = -+1."""

    name: str
    features: np.ndarray  # (n, d), standardized, last column the intercept's ones
    signs: np.ndarray  # (n,) -1 or +1
    l2: float

    @functools.cached_property
    def _signed(self) -> np.ndarray:
        """Rows s_i x_i, and their transpose, both contiguous: the two products of every step."""
        return np.ascontiguousarray(self.features * self.signs[:, None])

    @functools.cached_property
    def _signed_t(self) -> np.ndarray:
        return np.ascontiguousarray(self._signed.T)

    @functools.cached_property
    def _solution(self) -> scipy.optimize.OptimizeResult:
        return scipy.optimize.minimize(
            lambda w: float(self.value(w)),
            np.zeros(self.features.shape[1]),
            jac=self.grad,
            hess=self.hessian,
            method="trust-exact",
            options={"gtol": 1e-13},
        )

    @property
    def minimum(self) -> np.ndarray:
        return np.asarray(self._solution.x)

    @property
    def minimum_value(self) -> float:
        return float(self._solution.fun)

    def margins(self, w: np.ndarray) -> np.ndarray:
        return w @ self._signed_t

    def value(self, w: np.ndarray) -> np.ndarray:
        data = np.logaddexp(0.0, -self.margins(w)).mean(axis=-1)
        return data + 0.5 * self.l2 * np.sum(w * w, axis=-1)

    def grad(self, w: np.ndarray) -> np.ndarray:
        weight = _sigmoid(-self.margins(w)) / -len(self.signs)
        return weight @ self._signed + self.l2 * w

    def hessian(self, w: np.ndarray) -> np.ndarray:
        p = _sigmoid(self.features @ w)
        curvature = p * (1.0 - p) / len(self.signs)
        return (self.features.T * curvature) @ self.features + self.l2 * np.eye(len(w))

    @property
    def smoothness(self) -> float:
        """L = lambda_max(X^T X) / (4 n) + l2: a bound on the Hessian's largest eigenvalue anywhere
        (the logistic curvature p (1 - p) is at most 1/4)."""
        gram = self.features.T @ self.features / len(self.signs)
        return float(np.linalg.eigvalsh(gram)[-1] / 4.0 + self.l2)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


Problem = QuadraticProblem | LogisticProblem


@dataclasses.dataclass(frozen=True)
class TunedRun:
    """An optimizer at its best grid setting on one problem."""

    optimizer: str
    hyperparameters: dict[str, Any]
    steps_to_tolerance: int  # -1: no grid setting arrived within the budget
    loss: np.ndarray  # f(x_t) - f(x*) for t = 0..end (the run stops on arrival)
    distance: np.ndarray  # |x_t - x*| / |x_0 - x*|
    measured_rate: float  # per-step contraction of the distance over the run's second half


@dataclasses.dataclass(frozen=True)
class TheoryRun:
    """GD or heavy ball at the settings the theory of quadratics prescribes, and what they did."""

    hyperparameters: dict[str, float]
    rate: float  # the predicted per-step contraction of the distance
    measured_rate: float
    steps_to_tolerance: int
    distance: np.ndarray


@dataclasses.dataclass(frozen=True)
class ConvexProblem:
    name: str
    kind: str  # "quadratic" | "logistic"
    rotated: bool
    kappa: float  # quadratics: lambda_max / lambda_min; logistic: L / l2 (the worst case)
    eigenvalues: np.ndarray  # quadratics: A's; logistic: the Hessian's at x*
    start: np.ndarray
    minimum: np.ndarray
    tolerance: float  # relative: arrived once |x - x*| < tolerance |x_0 - x*|
    runs: dict[str, TunedRun]
    theory: dict[str, TheoryRun]  # quadratics only: "gd", "momentum"
    details: dict[str, Any]  # the logistic data set's description, empty for quadratics


@dataclasses.dataclass(frozen=True)
class ConvexStudy:
    problems: list[ConvexProblem]
    lr_grid: np.ndarray
    beta_grid: np.ndarray
    max_steps: int
    tolerance: float


def log_spaced_eigenvalues(kappa: float, dimension: int = DIMENSION) -> np.ndarray:
    return np.geomspace(1.0, kappa, dimension)


def random_rotation(rng: np.random.Generator, dimension: int = DIMENSION) -> np.ndarray:
    """A Haar-random orthogonal matrix: QR of a Gaussian matrix with the signs of R's diagonal
    moved into Q (without that fix Q is not uniformly distributed)."""
    q, r = np.linalg.qr(rng.standard_normal((dimension, dimension)))
    return q * np.sign(np.diag(r))


def quadratic_problems(rng: np.random.Generator) -> list[QuadraticProblem]:
    aligned = [
        QuadraticProblem(f"quadratic-kappa-{k:g}", log_spaced_eigenvalues(k), np.eye(DIMENSION))
        for k in KAPPAS
    ]
    rotated = [
        QuadraticProblem(
            f"rotated-quadratic-kappa-{k:g}", log_spaced_eigenvalues(k), random_rotation(rng)
        )
        for k in KAPPAS
    ]
    return aligned + rotated


def breast_cancer_problem() -> LogisticProblem:
    """scikit-learn's bundled Wisconsin breast-cancer table (no download), standardized."""
    from sklearn.datasets import load_breast_cancer

    features, labels = load_breast_cancer(return_X_y=True)
    standardized = (features - features.mean(axis=0)) / features.std(axis=0)
    with_intercept = np.column_stack([standardized, np.ones(len(labels))])
    return LogisticProblem(
        "logistic-breast-cancer", with_intercept, 2.0 * labels - 1.0, LOGISTIC_L2
    )


def make_optimizer(name: str, lr: Any, beta: Any = 0.9) -> Optimizer:
    """One optimizer by its data key; lr (and beta) may be column arrays for a batched grid."""
    if name == "gd":
        return SGD(lr)
    if name == "momentum":
        return HeavyBall(lr, beta)
    if name == "nesterov":
        return Nesterov(lr, beta)
    if name == "rmsprop":
        return RMSprop(lr)
    if name == "adam":
        return Adam(lr)
    raise ValueError(f"unknown optimizer {name!r}")


def grid(name: str) -> list[dict[str, float]]:
    """The settings an optimizer is tuned over: every lr, and every (lr, beta) with momentum."""
    if name in ("momentum", "nesterov"):
        return [{"lr": lr, "beta": b} for b in BETA_GRID for lr in LR_GRID]
    return [{"lr": lr} for lr in LR_GRID]


def grid_search(
    fn: Problem, name: str, start: np.ndarray, steps: int, tolerance: float
) -> tuple[dict[str, float], np.ndarray, int]:
    """Run every grid setting at once from ``start``; the winner, its path and steps to arrive.

    A setting that ever goes farther than ``RUNAWAY`` times the start's distance from x* is out:
    on a separable bowl a huge learning rate can throw RMSprop hundreds of units away, inflate its
    running average and land it by luck, which says nothing a practitioner could use. Only the
    first arrival matters, so the batch stops there. The winner's path is taken from the batch
    itself, so its curve and its count are the same computation (re-running one setting on its
    own can round differently, and RMSprop's limit cycles turn that into other counts).

    The distances are looked at once every ``CHECK_EVERY`` steps, not after each: on batches this
    small the checks cost more numpy calls than the step. The result is the same as checking after
    every step, to the bit. Each setting's iterates depend on its own row alone, so a setting that
    runs away inside a block may go on to the block's end without touching the others; it is then
    set to NaN from the step it ran away, as a check after every step would have left it, and the
    next block starts it from NaN, where it stays. Steps taken past the first arrival are dropped.
    """
    settings = grid(name)
    lr = np.array([[s["lr"]] for s in settings])
    beta = np.array([[s.get("beta", 0.9)] for s in settings])
    opt = make_optimizer(name, lr, beta)
    minimum = fn.minimum
    scale = float(np.linalg.norm(start - minimum))
    runaway, target = RUNAWAY * scale, tolerance * scale
    x = np.tile(start, (len(settings), 1))
    blocks = [x[None]]  # the iterates, (steps in the block, settings, dimension) each
    done, winner, arrived = 0, -1, -1
    with np.errstate(all="ignore"):
        while done < steps:
            block = []
            for _ in range(min(CHECK_EVERY, steps - done)):
                x = opt.step(x, fn.grad)
                block.append(x)
            iterates = np.array(block)
            distance = norm(iterates - minimum)
            # out from the first step a setting is too far (NaN is) to the end of the block
            gone = np.logical_or.accumulate(~(distance <= runaway), axis=0)
            iterates[gone] = np.nan
            arrivals = (distance < target) & ~gone
            first = np.flatnonzero(arrivals.any(axis=1))
            if len(first):
                i = int(first[0])
                winner, arrived = int(np.argmax(arrivals[i])), done + i + 1
                blocks.append(iterates[: i + 1])
                break
            blocks.append(iterates)
            x = iterates[-1]
            done += len(iterates)
        if winner < 0:  # nobody arrived: the closest at the end (a runaway setting never wins)
            distance = np.linalg.norm(x - minimum, axis=1)
            winner = int(np.argmin(np.where(np.isfinite(distance), distance, np.inf)))
    return settings[winner], np.concatenate([b[:, winner] for b in blocks]), arrived


def measured_rate(distance: np.ndarray) -> float:
    """Per-step contraction of the distance over the second half of the run:
    (d_T / d_{T/2})^(1 / (T - T/2))."""
    last = len(distance) - 1
    half = last // 2
    if last - half < 1 or not distance[last] > 0:
        return math.nan
    return float((distance[last] / distance[half]) ** (1.0 / (last - half)))


def tuned_run(fn: Problem, name: str, start: np.ndarray, steps: int, tolerance: float) -> TunedRun:
    scale = float(np.linalg.norm(start - fn.minimum))
    best, path, arrived = grid_search(fn, name, start, steps, tolerance)
    distance = np.linalg.norm(path - fn.minimum, axis=1) / scale
    return TunedRun(
        optimizer=name,
        hyperparameters=hyperparameters(make_optimizer(name, **best)),
        steps_to_tolerance=arrived,
        loss=fn.value(path) - fn.minimum_value,
        distance=distance,
        measured_rate=measured_rate(distance),
    )


def theory_runs(
    fn: QuadraticProblem, start: np.ndarray, steps: int, tolerance: float
) -> dict[str, TheoryRun]:
    lo, hi = float(fn.eigenvalues.min()), float(fn.eigenvalues.max())
    kappa = hi / lo
    root = math.sqrt(kappa)
    momentum_rate = (root - 1.0) / (root + 1.0)
    settings = {
        "gd": ({"lr": 2.0 / (lo + hi)}, (kappa - 1.0) / (kappa + 1.0)),
        "momentum": (
            {"lr": 4.0 / (math.sqrt(hi) + math.sqrt(lo)) ** 2, "beta": momentum_rate**2},
            momentum_rate,
        ),
    }
    out = {}
    for name, (hyper, rate) in settings.items():
        single = run(fn, make_optimizer(name, **hyper), start, steps, tolerance)
        out[name] = TheoryRun(
            hyperparameters=hyper,
            rate=rate,
            measured_rate=measured_rate(single.distance),
            steps_to_tolerance=single.steps_to_tolerance,
            distance=single.distance,
        )
    return out


def quadratic_start(rng: np.random.Generator, dimension: int = DIMENSION) -> np.ndarray:
    """A unit vector with random signs and magnitudes in [0.5, 1.5] before scaling: every
    eigendirection starts with a share of the error, and no two coordinates are equal (from
    (1, ..., 1) Adam's first step, lr in every coordinate, would land on the minimum at once)."""
    u = rng.choice((-1.0, 1.0), dimension) * rng.uniform(0.5, 1.5, dimension)
    return u / np.linalg.norm(u)


def solve_problem(
    fn: Problem, steps: int, tolerance: float, aligned_start: np.ndarray
) -> ConvexProblem:
    """Tune every optimizer on ``fn``; a quadratic starts at its rotation of ``aligned_start``, so
    a rotated problem is the aligned one seen in other coordinates (GD and momentum cannot tell)."""
    if isinstance(fn, QuadraticProblem):
        start = fn.rotation @ aligned_start
        eigenvalues = fn.eigenvalues
        kappa = float(eigenvalues[-1] / eigenvalues[0])
        theory = theory_runs(fn, start, steps, tolerance)
        details: dict[str, Any] = {}
    else:
        start = np.zeros(fn.features.shape[1])
        eigenvalues = np.linalg.eigvalsh(fn.hessian(fn.minimum))
        kappa = fn.smoothness / fn.l2
        theory = {}
        details = {
            "dataset": "breast cancer (Wisconsin), scikit-learn",
            "samples": len(fn.signs),
            "features": fn.features.shape[1] - 1,
            "l2": fn.l2,
            "smoothness": fn.smoothness,
            "kappa_at_minimum": float(eigenvalues[-1] / eigenvalues[0]),
            "minimum_value": fn.minimum_value,
        }
    return ConvexProblem(
        name=fn.name,
        kind="quadratic" if isinstance(fn, QuadraticProblem) else "logistic",
        rotated=isinstance(fn, QuadraticProblem)
        and not np.array_equal(fn.rotation, np.eye(DIMENSION)),
        kappa=kappa,
        eigenvalues=eigenvalues,
        start=start,
        minimum=fn.minimum,
        tolerance=tolerance,
        runs={name: tuned_run(fn, name, start, steps, tolerance) for name in OPTIMIZERS},
        theory=theory,
        details=details,
    )


def convex_study(rng: np.random.Generator, steps: int, tolerance: float) -> ConvexStudy:
    problems: list[Problem] = [*quadratic_problems(rng), breast_cancer_problem()]
    start = quadratic_start(rng)
    return ConvexStudy(
        problems=[solve_problem(fn, steps, tolerance, start) for fn in problems],
        lr_grid=LR_GRID,
        beta_grid=np.array(BETA_GRID),
        max_steps=steps,
        tolerance=tolerance,
    )
