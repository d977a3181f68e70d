"""Bayesian updating: the area model of Bayes' theorem, its odds form, and a Beta prior on a coin.

Pure numpy/scipy; every draw comes from the Generator passed in.

The discrete part is exact: probabilities are ``fractions.Fraction`` while computing and are stored
as ``"p/q"`` strings, so the picture's areas and the printed posterior are the same rational number.
The continuous part uses Beta-Binomial conjugacy: a Beta(a, b) prior after a head becomes
Beta(a + 1, b), after a tail Beta(a, b + 1). Densities are evaluated on a grid only for drawing.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import numpy as np
import scipy

from render.core.errors import UserError
from render.core.params import Params, param

CREDIBLE = 0.95
ILLUSTRATED_FLIPS = 4  # flips whose "multiply, then renormalize" step is drawn slowly
EVERY_STEP_UNTIL = 12  # densities are kept for every flip up to here, then on a geometric ladder
LADDER_STEPS = 40

# The medical test of the odds beat (a standard textbook case): prevalence 1%, sensitivity 90%,
# false-positive rate 9%, so the Bayes factor of a positive result is exactly 10.
MEDICAL_TEST = (Fraction(1, 100), Fraction(9, 10), Fraction(9, 100))


@dataclasses.dataclass(frozen=True)
class BayesParams(Params):
    prior_h: str = param("1/21", "area model: prior P(H), a fraction or decimal in (0, 1)")
    p_e_given_h: str = param("2/5", "area model: likelihood P(E|H), in (0, 1]")
    p_e_given_not_h: str = param("1/10", "area model: likelihood P(E|not H), in (0, 1]")
    true_p: float = param(0.7, "heads probability of the simulated coin", min=0.01, max=0.99)
    n_flips: int = param(100, "coin flips observed", min=10, max=5000)
    prior_a: float = param(1.0, "Beta prior a (1, 1 is flat)", min=1.0, max=1000.0)
    prior_b: float = param(1.0, "Beta prior b", min=1.0, max=1000.0)
    stubborn_a: float = param(30.0, "a of the stubborn Beta prior", min=1.0, max=1000.0)
    stubborn_b: float = param(30.0, "b of the stubborn Beta prior", min=1.0, max=1000.0)
    drift_start: float = param(
        0.2, "misspecified case: heads probability at the first flip", min=0.01, max=0.99
    )
    drift_end: float = param(
        0.8, "misspecified case: heads probability at the last flip", min=0.01, max=0.99
    )
    drift_flips: int = param(400, "misspecified case: number of flips", min=10, max=5000)
    grid_points: int = param(401, "grid points on [0, 1] for drawing densities", min=101, max=4001)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.fractions()  # refuse a bad probability now, before anything is computed or written

    def fractions(self) -> tuple[Fraction, Fraction, Fraction]:
        """P(H), P(E|H), P(E|not H) exactly; P(H) must lie strictly inside (0, 1), each likelihood
        in (0, 1] (a zero likelihood would leave nothing shaded on that side)."""
        return (
            parse_probability("prior_h", self.prior_h, allow_one=False),
            parse_probability("p_e_given_h", self.p_e_given_h, allow_one=True),
            parse_probability("p_e_given_not_h", self.p_e_given_not_h, allow_one=True),
        )


def parse_probability(name: str, raw: str, *, allow_one: bool) -> Fraction:
    """A probability typed as ``1/21`` or ``0.4``, exactly; otherwise one line saying why not."""
    allowed = "0 < value <= 1" if allow_one else "0 < value < 1"
    try:
        value = Fraction(raw.strip())
    except (ValueError, ZeroDivisionError):
        value = None
    if value is None or value <= 0 or value > 1 or (value == 1 and not allow_one):
        raise UserError(
            f"parameter '{name}' of scene bayes must be a fraction or decimal with {allowed}, "
            f"got '{raw}'"
        )
    return value


@dataclasses.dataclass(frozen=True)
class AreaModel:
    """The unit square: width P(H), heights P(E|H) and P(E|not H); every entry an exact ``p/q``."""

    prior: str
    p_e_given_h: str
    p_e_given_not_h: str
    joint_h: str  # area of the H-and-E rectangle, P(H) P(E|H)
    joint_not_h: str  # area of the not-H-and-E rectangle, P(not H) P(E|not H)
    evidence: str  # P(E), the two shaded areas together
    posterior: str  # P(H|E) = joint_h / evidence
    prior_odds: str  # P(H) / P(not H)
    bayes_factor: str  # P(E|H) / P(E|not H)
    posterior_odds: str  # prior_odds * bayes_factor


def area_model(prior: Fraction, p_e_given_h: Fraction, p_e_given_not_h: Fraction) -> AreaModel:
    """Bayes' theorem read off the unit square: the share of shaded area that lies over H."""
    joint_h = prior * p_e_given_h
    joint_not_h = (1 - prior) * p_e_given_not_h
    evidence = joint_h + joint_not_h
    prior_odds = prior / (1 - prior)
    bayes_factor = p_e_given_h / p_e_given_not_h
    return AreaModel(
        *(
            str(v)
            for v in (
                prior,
                p_e_given_h,
                p_e_given_not_h,
                joint_h,
                joint_not_h,
                evidence,
                joint_h / evidence,
                prior_odds,
                bayes_factor,
                prior_odds * bayes_factor,
            )
        )
    )


@dataclasses.dataclass(frozen=True)
class BetaPath:
    """A Beta prior updated flip by flip: parameters, summaries and densities after each flip."""

    prior: np.ndarray  # (a, b)
    posterior_params: np.ndarray  # (flips + 1, 2): row k is (a, b) after k flips; row 0 the prior
    posterior_mean: np.ndarray  # a / (a + b), per row
    posterior_sd: np.ndarray  # sqrt(ab / ((a+b)^2 (a+b+1))), per row
    credible_low: np.ndarray  # equal-tailed 95% credible interval, per row
    credible_high: np.ndarray
    density_steps: np.ndarray  # the rows whose density is kept
    posterior_density: np.ndarray  # (len(density_steps), grid) Beta pdf on the grid


def sequential_posterior(a: float, b: float, flips: np.ndarray) -> np.ndarray:
    """(a, b) after each flip: a head adds one to a, a tail one to b (row 0 is the prior)."""
    heads = np.concatenate([[0], np.cumsum(flips)])
    tails = np.arange(len(flips) + 1) - heads
    return np.column_stack([a + heads, b + tails]).astype(float)


def density_steps(n: int) -> np.ndarray:
    """Every step up to EVERY_STEP_UNTIL (drawn one by one), then a geometric ladder to n."""
    ladder = np.geomspace(EVERY_STEP_UNTIL + 1, max(n, EVERY_STEP_UNTIL + 1), LADDER_STEPS)
    steps = np.concatenate([np.arange(min(n, EVERY_STEP_UNTIL) + 1), np.round(ladder), [n]])
    return np.unique(steps[steps <= n]).astype(int)


def beta_path(a: float, b: float, flips: np.ndarray, grid: np.ndarray) -> BetaPath:
    params = sequential_posterior(a, b, flips)
    pa, pb = params[:, 0], params[:, 1]
    steps = density_steps(len(flips))
    tail = (1 - CREDIBLE) / 2
    return BetaPath(
        prior=np.array([a, b], dtype=float),
        posterior_params=params,
        posterior_mean=pa / (pa + pb),
        posterior_sd=np.sqrt(pa * pb / ((pa + pb) ** 2 * (pa + pb + 1))),
        credible_low=scipy.stats.beta.ppf(tail, pa, pb),
        credible_high=scipy.stats.beta.ppf(1 - tail, pa, pb),
        density_steps=steps,
        posterior_density=scipy.stats.beta.pdf(grid[None, :], pa[steps, None], pb[steps, None]),
    )


@dataclasses.dataclass(frozen=True)
class BayesData:
    area_model: AreaModel
    medical_test: AreaModel  # prevalence 1%, sensitivity 90%, false positives 9%
    true_p: float
    flips: np.ndarray  # 1 = heads, 0 = tails
    grid: np.ndarray  # points on [0, 1] where densities are evaluated
    # the flat (or user-chosen) prior on `flips`: the fields of a BetaPath, at top level
    prior: np.ndarray
    posterior_params: np.ndarray
    posterior_mean: np.ndarray
    posterior_sd: np.ndarray
    credible_low: np.ndarray
    credible_high: np.ndarray
    density_steps: np.ndarray
    posterior_density: np.ndarray
    likelihood: np.ndarray  # (ILLUSTRATED_FLIPS, grid): x for a head, 1 - x for a tail
    unnormalized: np.ndarray  # density before flip k times its likelihood: area = predictive[k]
    predictive: np.ndarray  # P(flip k as observed | flips before it) = a/(a+b) or b/(a+b)
    stubborn: BetaPath  # the stubborn prior on the same flips
    drift_p: np.ndarray  # the heads probability at each flip of the misspecified case
    drift_flips: np.ndarray
    drift: BetaPath  # the constant-p model (same prior as the main run) on the drifting coin


def simulate(params: BayesParams, rng: np.random.Generator) -> BayesData:
    grid = np.linspace(0.0, 1.0, params.grid_points)

    flips = (rng.random(params.n_flips) < params.true_p).astype(np.int64)
    drift_p = np.linspace(params.drift_start, params.drift_end, params.drift_flips)
    drift_flips = (rng.random(params.drift_flips) < drift_p).astype(np.int64)

    main = beta_path(params.prior_a, params.prior_b, flips, grid)
    shown = flips[:ILLUSTRATED_FLIPS]
    likelihood = np.where(shown[:, None] == 1, grid[None, :], 1 - grid[None, :])
    before = main.posterior_density[: len(shown)]  # density_steps starts 0, 1, 2, ...
    a, b = main.posterior_params[:-1, 0], main.posterior_params[:-1, 1]
    predictive = np.where(flips == 1, a, b) / (a + b)

    return BayesData(
        area_model=area_model(*params.fractions()),
        medical_test=area_model(*MEDICAL_TEST),
        true_p=params.true_p,
        flips=flips,
        grid=grid,
        **{f.name: getattr(main, f.name) for f in dataclasses.fields(main)},
        likelihood=likelihood,
        unnormalized=before * likelihood,
        predictive=predictive,
        stubborn=beta_path(params.stubborn_a, params.stubborn_b, flips, grid),
        drift_p=drift_p,
        drift_flips=drift_flips,
        drift=beta_path(params.prior_a, params.prior_b, drift_flips, grid),
    )
