"""Central Limit Theorem: exact sums of a die, their distance from the bell, and two failures.

Everything the picture shows about sums of dice is exact: the pmf of the sum of n rolls is the
n-fold convolution of the die's pmf, so the distance sup|F_n - Phi| and the Berry-Esseen bound are
computed, not estimated. Only the Galton board is simulated (its balls are the point), and every
draw comes from the Generator passed in.

The two failure cases are exact too:

* infinite variance: a "die" with faces k = 1, 2, 3, ... and p(k) proportional to k^-2.5 (finite
  mean, infinite variance). All faces are positive, so P(S_n = m) for m <= M needs only p(1..M): the
  convolution truncated at M is exact up to M. With no sigma to divide by, the sum is scaled by its
  own median and quartiles (which would make any near-normal law look like N(0, 1)); it stays skewed
  because its limit is a stable law, not the normal one.
* strongly dependent draws: one of two mirrored skewed dice is picked once and then rolled n times.
  Each roll alone has a symmetric distribution, but every pair of rolls is correlated through the
  hidden choice, and the standardized sum splits into two humps instead of one bell.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import scipy

from render.core.params import Params, param

DICE = {
    "skewed": np.array([0.41, 0.25, 0.15, 0.10, 0.06, 0.03]),
    "uniform": np.full(6, 1 / 6),
    "u-shaped": np.array([0.30, 0.12, 0.08, 0.08, 0.12, 0.30]),
}
FACES = np.arange(1, 7)
NS = (1, 2, 5, 10, 30)
# the stable limit needs large n to show itself: the gap to the bell stalls near 0.07
HEAVY_TAIL_NS = (1, 10, 100, 1000)
DEPENDENT_NS = (1, 3, 10, 30)
BERRY_ESSEEN_C = 0.4748  # Shevtsova (2011): the best known constant for i.i.d. sums
HEAVY_TAIL_EXPONENT = 2.5  # p(k) ~ k^-2.5: the mean exists, the variance does not
HEAVY_TAIL_SUPPORT = 20_000  # sums up to M kept exactly; P(S_1000 > M) is about 2e-4
Z_GRID = np.linspace(-4.5, 4.5, 361)


@dataclasses.dataclass(frozen=True)
class CLTParams(Params):
    die: str = param("skewed", "the die whose sums are shown", choices=tuple(DICE))
    ks_max_n: int = param(100, "largest n in the distance-vs-n plot", min=30, max=2000)
    galton_rows: int = param(12, "rows of pegs on the Galton board", min=2, max=24)
    galton_balls: int = param(800, "balls dropped through the board", min=10, max=200_000)
    galton_shown: int = param(
        30, "balls whose fall is animated (the first of those dropped)", min=1, max=200
    )


@dataclasses.dataclass(frozen=True)
class Standardized:
    """A lattice distribution drawn as a density in z: bars of ``width`` centred at ``z``.

    ``density`` is pmf / width, so the bars have area 1; ``ks`` is sup|F - Phi| for the step cdf.
    """

    z: np.ndarray
    width: float
    density: np.ndarray
    ks: float


@dataclasses.dataclass(frozen=True)
class CLTData:
    die: str
    die_pmf: np.ndarray  # P(face = 1..6)
    mu: float
    sigma: float
    rho: float  # E|X - mu|^3
    ns: np.ndarray  # the n whose sums are drawn
    # per-n results are keyed by str(n), so that they export as sum_pmfs.5 and so on
    sum_supports: dict[str, np.ndarray]  # n..6n
    sum_pmfs: dict[str, np.ndarray]  # exact pmf of the sum of n rolls
    standardized: dict[str, Standardized]  # (S_n - n mu)/(sigma sqrt n) as a density
    z_grid: np.ndarray
    normal_density: np.ndarray  # the N(0, 1) density on z_grid
    ks_ns: np.ndarray  # 1..ks_max_n
    ks_distance: np.ndarray  # exact sup|F_n - Phi|, per n in ks_ns
    berry_esseen_bound: np.ndarray  # C rho / (sigma^3 sqrt n), per n in ks_ns
    galton_rows: int
    galton_buckets: np.ndarray  # each ball's bucket (number of right bounces), in drop order
    galton_counts: np.ndarray  # balls per bucket 0..rows
    galton_expected: np.ndarray  # balls * Binomial(rows, 1/2) pmf
    galton_paths: np.ndarray  # (galton_shown, rows) 0 = left, 1 = right: the first balls' bounces
    heavy_tail_exponent: float
    heavy_tail_ns: np.ndarray
    heavy_tail: dict[str, Standardized]  # sums of the k^-2.5 die, scaled by median and quartiles
    dependent_die_pmfs: np.ndarray  # (2, 6): the two mirrored dice, one picked once per run
    dependent_ns: np.ndarray
    dependent: dict[str, Standardized]  # standardized sums of the hidden-die draws


def die_moments(pmf: np.ndarray) -> tuple[float, float, float]:
    """Mean, standard deviation and third absolute central moment of a die with faces 1..6."""
    mu = float(pmf @ FACES)
    sigma = float(np.sqrt(pmf @ (FACES - mu) ** 2))
    rho = float(pmf @ np.abs(FACES - mu) ** 3)
    return mu, sigma, rho


def ks_to_normal(z: np.ndarray, pmf: np.ndarray) -> float:
    """sup over real x of |F(x) - Phi(x)| for the step cdf with masses ``pmf`` at sorted ``z``.

    Phi is increasing and F is constant between atoms, so the supremum is reached at an atom, either
    just before it (F = mass strictly to the left) or at it (F including the atom).
    """
    cdf_after = np.clip(np.cumsum(pmf), 0.0, 1.0)
    cdf_before = np.concatenate(([0.0], cdf_after[:-1]))
    phi = scipy.stats.norm.cdf(z)
    return float(max(np.abs(cdf_after - phi).max(), np.abs(cdf_before - phi).max()))


def standardize(values: np.ndarray, pmf: np.ndarray, center: float, scale: float) -> Standardized:
    """The law of ``(values - center)/scale`` (values 1 apart) as a density of area 1."""
    z = (values - center) / scale
    width = 1.0 / scale
    return Standardized(z=z, width=width, density=pmf / width, ks=ks_to_normal(z, pmf))


def iter_sums(pmf: np.ndarray, ns: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each n in ``ns`` (ascending): n, the support n..6n and the exact pmf of the sum.

    The pmf is the n-fold convolution of the die's pmf, built up one roll at a time.
    """
    current, done = np.ones(1), 0
    for n in ns:
        for _ in range(int(n) - done):
            current = np.convolve(current, pmf)
        done = int(n)
        yield int(n), np.arange(n, 6 * n + 1), current.copy()


def distance_curve(pmf: np.ndarray, max_n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n = 1..max_n, the exact sup|F_n - Phi| of the standardized sum, and Berry-Esseen's bound."""
    mu, sigma, rho = die_moments(pmf)
    ns = np.arange(1, max_n + 1)
    distances = np.array(
        [ks_to_normal((s - n * mu) / (sigma * np.sqrt(n)), p) for n, s, p in iter_sums(pmf, ns)]
    )
    bound = BERRY_ESSEEN_C * rho / (sigma**3 * np.sqrt(ns))
    return ns, distances, bound


def galton_board(
    rows: int, balls: int, shown: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Drop the balls; returns each ball's bucket (its number of right bounces) in drop order and
    the first ``shown`` balls' bounces (0 left, 1 right), which the scene animates."""
    bounces = rng.integers(0, 2, size=(balls, rows), dtype=np.int8)
    return bounces.sum(axis=1, dtype=np.int64), bounces[: min(shown, balls)]


def heavy_tail_pmf(
    support: int = HEAVY_TAIL_SUPPORT, exponent: float = HEAVY_TAIL_EXPONENT
) -> np.ndarray:
    """p(k) = k^-exponent / zeta(exponent) for k = 1..support (index 0 is k = 1; tail left off)."""
    k = np.arange(1, support + 1)
    return k**-exponent / scipy.special.zeta(exponent)


def robust_standardize(values: np.ndarray, pmf: np.ndarray) -> Standardized:
    """Scale a lattice law by its median and interquartile range, matched to those of N(0, 1).

    The median and quartiles are read from the cdf, so a truncated pmf whose missing mass lies
    above the third quartile gives them exactly.
    """
    cdf = np.cumsum(pmf)
    q1, med, q3 = (values[np.searchsorted(cdf, q)] for q in (0.25, 0.5, 0.75))
    return standardize(values, pmf, float(med), float(q3 - q1) / (2 * scipy.stats.norm.ppf(0.75)))


def truncated_power(pmf: np.ndarray, n: int) -> np.ndarray:
    """The n-fold convolution of a pmf on 0..M, kept on 0..M, by repeated squaring.

    Cutting at M is exact for values up to M because no face is negative: mass above M never comes
    back below it. FFT round-off (about 1e-16) is clipped at zero.
    """
    size = len(pmf)
    result = np.zeros(size)
    result[0] = 1.0
    square = pmf
    while n:
        if n & 1:
            result = np.clip(scipy.signal.fftconvolve(result, square)[:size], 0.0, None)
        n >>= 1
        if n:
            square = np.clip(scipy.signal.fftconvolve(square, square)[:size], 0.0, None)
    return result


def heavy_tail_sums(ns: np.ndarray) -> list[Standardized]:
    """Sums of n rolls of the k^-2.5 die, exact on 0..M, scaled by their median and quartiles.

    The mass above M (at most about 2e-4 at n = 1000) is left off, so ``ks`` is exact to within it.
    """
    base = np.concatenate(([0.0], heavy_tail_pmf()))  # index = face value
    values = np.arange(HEAVY_TAIL_SUPPORT + 1)
    return [robust_standardize(values, truncated_power(base, int(n))) for n in ns]


def dependent_sums(pmf: np.ndarray, ns: np.ndarray) -> tuple[np.ndarray, list[Standardized]]:
    """Sums when a fair coin picks the die or its mirror image once and that die is rolled n times.

    The mixture's pmf of S_n is the average of the two dice's exact pmfs; it is standardized by its
    own true mean and standard deviation (which grows like n, not sqrt n).
    """
    dice = np.stack([pmf, pmf[::-1]])
    out = []
    for (_, values, low), (_, _, high) in zip(
        iter_sums(dice[0], ns), iter_sums(dice[1], ns), strict=True
    ):
        mixture = 0.5 * (low + high)
        mean = float(mixture @ values)
        sd = float(np.sqrt(mixture @ (values - mean) ** 2))
        out.append(standardize(values, mixture, mean, sd))
    return dice, out


def by_n(ns: np.ndarray, values) -> dict:
    """Per-n results keyed by str(n), in the order of ``ns``."""
    return {str(int(n)): v for n, v in zip(ns, values, strict=True)}


def simulate(params: CLTParams, rng: np.random.Generator) -> CLTData:
    pmf = DICE[params.die]
    mu, sigma, rho = die_moments(pmf)
    ns = np.array(NS)
    _, supports, pmfs = zip(*iter_sums(pmf, ns), strict=True)
    standardized = [
        standardize(s, p, n * mu, sigma * np.sqrt(n))
        for n, s, p in zip(ns, supports, pmfs, strict=True)
    ]
    ks_ns, ks, bound = distance_curve(pmf, params.ks_max_n)
    buckets, paths = galton_board(params.galton_rows, params.galton_balls, params.galton_shown, rng)
    expected = params.galton_balls * scipy.stats.binom.pmf(
        np.arange(params.galton_rows + 1), params.galton_rows, 0.5
    )
    heavy_ns, dependent_ns = np.array(HEAVY_TAIL_NS), np.array(DEPENDENT_NS)
    # the hidden choice needs a die unlike its mirror image, whichever die the main beats show
    dice, dependent = dependent_sums(DICE["skewed"], dependent_ns)
    return CLTData(
        die=params.die,
        die_pmf=pmf,
        mu=mu,
        sigma=sigma,
        rho=rho,
        ns=ns,
        sum_supports=by_n(ns, supports),
        sum_pmfs=by_n(ns, pmfs),
        standardized=by_n(ns, standardized),
        z_grid=Z_GRID,
        normal_density=scipy.stats.norm.pdf(Z_GRID),
        ks_ns=ks_ns,
        ks_distance=ks,
        berry_esseen_bound=bound,
        galton_rows=params.galton_rows,
        galton_buckets=buckets,
        galton_counts=np.bincount(buckets, minlength=params.galton_rows + 1),
        galton_expected=expected,
        galton_paths=paths,
        heavy_tail_exponent=HEAVY_TAIL_EXPONENT,
        heavy_tail_ns=heavy_ns,
        heavy_tail=by_n(heavy_ns, heavy_tail_sums(heavy_ns)),
        dependent_die_pmfs=dice,
        dependent_ns=dependent_ns,
        dependent=by_n(dependent_ns, dependent),
    )
