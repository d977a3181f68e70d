"""Buffon's needle and Monte Carlo pi: needles on ruled lines, darts in a square, long needles.

Pure numpy/scipy; every draw comes from the Generator passed in. Lines are horizontal, at
y = k * line_spacing for every integer k; needle centres fall uniformly on a board of ``rows``
strips, which is the same as a uniform distance to the nearest line because the lines are periodic.

Estimators (N throws, H hits):

* needle, l <= t: P(cross) = 2 l / (t pi), so pi_hat = 2 l N / (t H);
* dart in the unit square: P(inside quarter circle) = pi / 4, so pi_hat = 4 H / N;
* needle, l > t: P(cross) = (2/pi) (arccos(t/l) + (l/t) (1 - sqrt(1 - t^2/l^2))), which is
  *not* 2 l / (t pi); the naive estimator is therefore biased, while the expected number of lines
  crossed is still 2 l / (t pi) for any l (Barbier), so counting every crossing works. Solving
  the long-needle P for pi honestly, with r = l/t: P = a + c/pi, where a = (2/pi) arccos(1/r) is
  the share of angles at which the needle always crosses (a fraction of a right angle, 2/3 for
  r = 2, not an estimate of pi) and c = 2 r (1 - sqrt(1 - 1/r^2)), so pi_hat = c / (H/N - a). It
  exists only while H/N > a, and its SE, pi^2/c sqrt(P (1 - P)/N), is much wider than the
  short needle's (6.8/sqrt(N) for r = 2 against 2.37/sqrt(N) for l = t): most of the crossings
  carry no information about pi.

pi_hat is undefined while H = 0 (recorded as NaN) and biased upward for small N.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import scipy

from render.core.errors import UserError
from render.core.params import Params, param

BOARD_ROWS = 8  # strips between ruled lines on the drawn board
BOARD_ASPECT = 1.6  # board width / board height
MAX_DRAWS_PER_CHUNK = 1_000_000  # needles simulated at once in the repeated experiments
HISTOGRAM_HALF_WIDTH_SE = 4.0  # the histogram spans pi -+ this many needle standard errors
HISTOGRAM_BINS = 24
CURVE_POINTS = 201

# Lazzarini (1901): 3408 tosses of a 2.5 cm needle on 3 cm lines, 1808 crossings -> 355/113.
LAZZARINI: dict[str, float] = {
    "throws": 3408,
    "needle_length": 2.5,
    "line_spacing": 3.0,
    "crossings": 1808,
}


@dataclasses.dataclass(frozen=True)
class BuffonParams(Params):
    needle_length: float = param(
        1.0, "needle length l (at most the line spacing)", min=0.01, max=100.0
    )
    line_spacing: float = param(
        1.0, "distance t between neighbouring ruled lines", min=0.01, max=100.0
    )
    needles: int = param(2000, "needles (and darts) thrown in one experiment", min=10, max=100_000)
    repeats: int = param(
        1000, "repeated experiments of the same size, for the histogram", min=10, max=20_000
    )
    long_ratio: float = param(
        2.0, "long needle length as a multiple of the line spacing", min=1.05, max=10.0
    )

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.needle_length > self.line_spacing:
            raise UserError(
                f"parameter 'needle_length' of scene buffon must be at most line_spacing "
                f"({self.line_spacing:g}) for the 2l/(t pi) formula, got {self.needle_length:g}; "
                "the long-needle case is set by long_ratio"
            )


@dataclasses.dataclass(frozen=True)
class Needles:
    """One experiment of needles: where they landed and what they crossed."""

    centres: np.ndarray  # (N, 2) centre x, centre y on the board
    angles: np.ndarray  # (N,) angle to the lines, uniform on [0, pi)
    distance_to_line: np.ndarray  # (N,) distance from the centre to the nearest line, in [0, t/2]
    crossings: np.ndarray  # (N,) number of lines each needle meets


@dataclasses.dataclass(frozen=True)
class BuffonData:
    needle_length: float
    line_spacing: float
    board_width: float
    board_height: float
    needles: np.ndarray  # (N, 3) centre x, centre y, angle
    distance_to_line: np.ndarray  # (N,) the x of the (distance, angle) square
    crosses: np.ndarray  # (N,) bool, the needle meets a line
    cross_probability: float  # 2 l / (t pi)
    n: np.ndarray  # 1..N
    hits: np.ndarray  # running count of crossing needles
    running_estimate: np.ndarray  # 2 l n / (t H_n), NaN while H_n = 0
    standard_error: np.ndarray  # delta-method SE pi sqrt((1 - p) / (n p)), per n
    outside_band_share: float  # share of the n (estimate defined) with |pi_hat - pi| > 2 SE
    dart_points: np.ndarray  # (N, 2) uniform in the unit square
    dart_inside: np.ndarray  # (N,) bool, x^2 + y^2 <= 1
    dart_running_estimate: np.ndarray  # 4 H_n / n
    dart_standard_error: np.ndarray  # 4 sqrt(p (1 - p) / n) with p = pi / 4, per n
    dart_outside_band_share: float
    repeated_estimates: np.ndarray  # (repeats,) needle pi_hat of independent experiments of N
    repeated_dart_estimates: np.ndarray  # (repeats,) dart pi_hat of independent experiments of N
    repeated_histogram: dict[
        str, np.ndarray
    ]  # edges, needle_density, dart_density (area = share inside the range)
    repeated_normal: dict[
        str, np.ndarray
    ]  # x, needle_pdf, dart_pdf: N(pi, SE^2) at N for each estimator
    long_needle_length: float
    long_needles: np.ndarray  # (N, 3) centre x, centre y, angle
    long_crossings: np.ndarray  # (N,) number of lines each long needle meets
    long_cross_probability: float  # closed form for l > t
    long_naive_estimate: np.ndarray  # 2 l n / (t H_n): the short-needle formula, wrong here
    long_angle_share: float  # a = (2/pi) arccos(t/l), a fraction of a right angle
    long_slope: float  # c = 2 r (1 - sqrt(1 - 1/r^2)): P = a + c / pi
    long_corrected_estimate: np.ndarray  # c / (H_n/n - a): the long-needle P solved for pi
    long_corrected_standard_error: np.ndarray  # its delta-method SE, per n
    long_barbier_estimate: np.ndarray  # 2 l n / (t C_n), C_n = all crossings counted
    lazzarini: dict[
        str, float
    ]  # Lazzarini's claimed run, its estimate, SE and the chance of his exact count


def short_cross_probability(length: float, spacing: float) -> float:
    """P(a needle of length l <= t meets a line) = 2 l / (t pi)."""
    return 2.0 * length / (spacing * math.pi)


def long_cross_probability(length: float, spacing: float) -> float:
    """P(a needle of length l > t meets at least one line), the closed form of the long case."""
    r = length / spacing
    return (2.0 / math.pi) * (math.acos(1.0 / r) + r * (1.0 - math.sqrt(1.0 - 1.0 / r**2)))


def long_angle_share(length: float, spacing: float) -> float:
    """a = (2/pi) arccos(t/l): the share of angles in [0, pi/2] at which a needle of length l > t
    crosses a line wherever its centre falls (arccos(t/l) as a fraction of a right angle)."""
    return math.acos(spacing / length) / (math.pi / 2.0)


def long_slope(length: float, spacing: float) -> float:
    """c = 2 r (1 - sqrt(1 - 1/r^2)), r = l/t: the part of P(cross) that is c / pi."""
    r = length / spacing
    return 2.0 * r * (1.0 - math.sqrt(1.0 - 1.0 / r**2))


def long_needle_estimate(
    length: float, spacing: float, n: np.ndarray, hits: np.ndarray
) -> np.ndarray:
    """pi_hat = c / (H/N - a), NaN where H/N <= a (no positive pi solves P = H/N there)."""
    excess = np.asarray(hits, dtype=float) / np.asarray(n, dtype=float)
    excess = excess - long_angle_share(length, spacing)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(excess > 0, long_slope(length, spacing) / excess, np.nan)


def long_needle_standard_error(length: float, spacing: float, n: np.ndarray | float) -> np.ndarray:
    """Delta-method SE of c / (p_hat - a): |d pi_hat / dp| = c / (P - a)^2 = pi^2 / c at p = P."""
    p = long_cross_probability(length, spacing)
    c = long_slope(length, spacing)
    return (math.pi**2 / c) * np.sqrt(p * (1.0 - p) / np.asarray(n, dtype=float))


def needle_standard_error(p: float, n: np.ndarray | float) -> np.ndarray:
    """Delta-method SE of pi_hat = c / (H/N) with P(hit) = p: pi sqrt((1 - p) / (n p))."""
    return math.pi * np.sqrt((1.0 - p) / (np.asarray(n, dtype=float) * p))


def dart_standard_error(n: np.ndarray | float) -> np.ndarray:
    """SE of pi_hat = 4 H / N with P(inside) = pi / 4: 4 sqrt(p (1 - p) / n)."""
    p = math.pi / 4.0
    return 4.0 * np.sqrt(p * (1.0 - p) / np.asarray(n, dtype=float))


def ratio_estimate(constant: float, n: np.ndarray, hits: np.ndarray) -> np.ndarray:
    """constant * n / hits, NaN where no hit has happened yet (the estimate does not exist)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(hits > 0, constant * n / np.maximum(hits, 1), np.nan)


def outside_band_share(estimate: np.ndarray, se: np.ndarray) -> float:
    """Share of the n at which the running estimate exists and lies more than 2 SE from pi:
    a running estimate is one correlated path, so it can sit outside its band for long stretches."""
    defined = np.isfinite(estimate)
    return float((np.abs(estimate[defined] - math.pi) > 2.0 * se[defined]).mean())


def throw_needles(
    rng: np.random.Generator, count: int, length: float, spacing: float, width: float, height: float
) -> Needles:
    """Drop ``count`` needles with uniform centres on the board and uniform angles in [0, pi)."""
    centres = rng.uniform((0.0, 0.0), (width, height), size=(count, 2))
    angles = rng.uniform(0.0, math.pi, size=count)
    offset = np.mod(centres[:, 1], spacing)
    distance = np.minimum(offset, spacing - offset)
    half_rise = 0.5 * length * np.sin(angles)
    crossings = _lines_within(half_rise - offset, spacing) + _lines_within(
        half_rise - (spacing - offset), spacing
    )
    return Needles(centres, angles, distance, crossings.astype(np.int64))


def _lines_within(reach: np.ndarray, spacing: float) -> np.ndarray:
    """Lines met on one side of the centre, given how far the needle reaches past the first one
    (negative: it does not reach it); one more line per full spacing beyond (only when l > t)."""
    return np.where(reach >= 0, np.floor(reach / spacing) + 1, 0)


def _repeated_needle_estimates(
    rng: np.random.Generator, repeats: int, count: int, length: float, spacing: float
) -> np.ndarray:
    """pi_hat of ``repeats`` independent experiments of ``count`` needles each."""
    rows_per_chunk = max(1, MAX_DRAWS_PER_CHUNK // count)
    hits = []
    for start in range(0, repeats, rows_per_chunk):
        rows = min(rows_per_chunk, repeats - start)
        offset = rng.uniform(0.0, spacing, size=(rows, count))
        angles = rng.uniform(0.0, math.pi, size=(rows, count))
        distance = np.minimum(offset, spacing - offset)
        hits.append((distance <= 0.5 * length * np.sin(angles)).sum(axis=1))
    h = np.concatenate(hits)
    return ratio_estimate(2.0 * length / spacing, np.full(repeats, count), h)


def _repeated_dart_estimates(rng: np.random.Generator, repeats: int, count: int) -> np.ndarray:
    rows_per_chunk = max(1, MAX_DRAWS_PER_CHUNK // count)
    estimates = []
    for start in range(0, repeats, rows_per_chunk):
        rows = min(rows_per_chunk, repeats - start)
        xy = rng.uniform(0.0, 1.0, size=(rows, count, 2))
        estimates.append(4.0 * ((xy**2).sum(axis=2) <= 1.0).mean(axis=1))
    return np.concatenate(estimates)


def repeated_histograms(
    needle: np.ndarray, dart: np.ndarray, needle_se: float, dart_se: float
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Density histograms of both estimators on shared bins around pi, and the normal curves the
    delta method predicts for them (each a density: total area 1 over the whole line)."""
    half = HISTOGRAM_HALF_WIDTH_SE * needle_se
    edges = np.linspace(math.pi - half, math.pi + half, HISTOGRAM_BINS + 1)
    width = edges[1] - edges[0]

    def density(values: np.ndarray) -> np.ndarray:
        counts, _ = np.histogram(values[np.isfinite(values)], bins=edges)
        return np.asarray(counts / (len(values) * width))

    x = np.linspace(edges[0], edges[-1], CURVE_POINTS)
    histogram = {"edges": edges, "needle_density": density(needle), "dart_density": density(dart)}
    curves = {
        "x": x,
        "needle_pdf": scipy.stats.norm.pdf(x, math.pi, needle_se),
        "dart_pdf": scipy.stats.norm.pdf(x, math.pi, dart_se),
    }
    return histogram, curves


def lazzarini_record() -> dict[str, float]:
    """Lazzarini's reported run: its estimate, the SE an honest run of that size has, the
    probability that an honest run lands on exactly his count of crossings and that of the single
    likeliest count (about the same: his count is the likeliest one, so the chance says little).

    The stronger tell is arithmetic: 2 l N / (t H) = 355/113 needs H/N = (2l/t)(113/355), a
    fraction in lowest terms a/b, so it is reachable only when b divides N; for his l and t, b is
    213, and 3408 = 16 x 213.
    """
    n, length = LAZZARINI["throws"], LAZZARINI["needle_length"]
    spacing, hits = LAZZARINI["line_spacing"], LAZZARINI["crossings"]
    p = short_cross_probability(length, spacing)
    # the share H/N at which the estimate is exactly 355/113
    share = 2 * Fraction(str(length)) / Fraction(str(spacing)) * Fraction(113, 355)
    return {
        **LAZZARINI,
        "estimate": 2.0 * length * n / (spacing * hits),
        "standard_error": float(needle_standard_error(p, n)),
        "probability_of_count": float(scipy.stats.binom.pmf(hits, n, p)),
        "probability_of_likeliest_count": float(
            scipy.stats.binom.pmf(math.floor((n + 1) * p), n, p)
        ),
        "reachable_every": share.denominator,
        "throws_over_reachable_every": n / share.denominator,
    }


def _as_rows(needles: Needles) -> np.ndarray:
    return np.column_stack([needles.centres, needles.angles])


def simulate(params: BuffonParams, rng: np.random.Generator) -> BuffonData:
    length, spacing, count = params.needle_length, params.line_spacing, params.needles
    height = BOARD_ROWS * spacing
    width = BOARD_ASPECT * height
    n = np.arange(1, count + 1)

    short = throw_needles(rng, count, length, spacing, width, height)
    crosses = short.crossings > 0
    hits = np.cumsum(crosses)
    p = short_cross_probability(length, spacing)

    running = ratio_estimate(2.0 * length / spacing, n, hits)
    se = needle_standard_error(p, n)

    darts = rng.uniform(0.0, 1.0, size=(count, 2))
    inside = (darts**2).sum(axis=1) <= 1.0
    dart_running, dart_se = 4.0 * np.cumsum(inside) / n, dart_standard_error(n)

    repeated = _repeated_needle_estimates(rng, params.repeats, count, length, spacing)
    repeated_darts = _repeated_dart_estimates(rng, params.repeats, count)

    histogram, curves = repeated_histograms(
        repeated,
        repeated_darts,
        float(needle_standard_error(p, count)),
        float(dart_standard_error(count)),
    )

    long_length = params.long_ratio * spacing
    long = throw_needles(rng, count, long_length, spacing, width, height)
    long_hits = np.cumsum(long.crossings > 0)
    long_p = long_cross_probability(long_length, spacing)

    return BuffonData(
        needle_length=length,
        line_spacing=spacing,
        board_width=width,
        board_height=height,
        needles=_as_rows(short),
        distance_to_line=short.distance_to_line,
        crosses=crosses,
        cross_probability=p,
        n=n,
        hits=hits,
        running_estimate=running,
        standard_error=se,
        outside_band_share=outside_band_share(running, se),
        dart_points=darts,
        dart_inside=inside,
        dart_running_estimate=dart_running,
        dart_standard_error=dart_se,
        dart_outside_band_share=outside_band_share(dart_running, dart_se),
        repeated_estimates=repeated,
        repeated_dart_estimates=repeated_darts,
        repeated_histogram=histogram,
        repeated_normal=curves,
        long_needle_length=long_length,
        long_needles=_as_rows(long),
        long_crossings=long.crossings,
        long_cross_probability=long_p,
        long_naive_estimate=ratio_estimate(2.0 * long_length / spacing, n, long_hits),
        long_angle_share=long_angle_share(long_length, spacing),
        long_slope=long_slope(long_length, spacing),
        long_corrected_estimate=long_needle_estimate(long_length, spacing, n, long_hits),
        long_corrected_standard_error=long_needle_standard_error(long_length, spacing, n),
        long_barbier_estimate=ratio_estimate(
            2.0 * long_length / spacing, n, np.cumsum(long.crossings)
        ),
        lazzarini=lazzarini_record(),
    )
