"""Law of Large Numbers: running means of fair-die rolls, their funnel, and the Cauchy failure.

Pure numpy; every draw comes from the Generator passed in.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from render.core.params import Params, param

DIE_FACES = np.arange(1, 7)
Z95 = 1.959963984540054  # the 97.5% quantile of N(0, 1)


@dataclasses.dataclass(frozen=True)
class LLNParams(Params):
    n: int = param(1000, "rolls per path (the longest n shown)", min=10, max=100_000)
    paths: int = param(200, "number of running-mean paths drawn", min=1, max=2000)
    epsilon: float = param(
        0.25, "half-width of the fixed corridor |mean - mu| < epsilon", min=0.01, max=2.5
    )
    hist_samples: int = param(5000, "independent means per histogram", min=100, max=200_000)
    cauchy_paths: int = param(5, "Cauchy running-mean paths in the failure beat", min=1, max=50)

    memory_drivers = ("n", "paths", "hist_samples")

    def memory_estimate(self) -> int:
        # Measured peak (tracemalloc): about 32 bytes per roll of the paths (rolls, sums, means,
        # masks) and 8 per roll of the largest histogram (n = 1000).
        return 32 * self.n * (self.paths + self.cauchy_paths) + 8 * 1000 * self.hist_samples


@dataclasses.dataclass(frozen=True)
class LLNData:
    mu: float
    sigma: float
    n: np.ndarray  # 1..N
    rolls: np.ndarray  # (paths, N) die faces
    paths: np.ndarray  # (paths, N) running means
    band_low: np.ndarray  # mu - 1.96 sigma / sqrt(n)
    band_high: np.ndarray
    outside_band_fraction: np.ndarray  # share of paths outside the 95% funnel, per n
    first_exit: np.ndarray  # (paths,) first n at which each path is outside the funnel, -1: never
    always_inside_fraction: float  # share of paths inside the funnel at every n up to N
    epsilon: float
    outside_fraction: np.ndarray  # share of paths with |mean - mu| >= epsilon, per n
    chebyshev_bound: np.ndarray  # min(1, sigma^2 / (n epsilon^2)), per n
    hist_ns: np.ndarray  # the n of each histogram
    sample_means: np.ndarray  # (len(hist_ns), hist_samples) independent means of n rolls
    sample_sd: np.ndarray  # measured sd of sample_means, per hist n
    histograms: dict[str, dict[str, np.ndarray]]  # per hist n: lattice-aligned edges and density
    normal_curves: dict[str, dict[str, np.ndarray]]  # per hist n: x and the N(mu, sigma^2/n) pdf
    cauchy_paths: np.ndarray  # (cauchy_paths, N) running means of standard Cauchy draws


def running_mean(draws: np.ndarray) -> np.ndarray:
    """Running means along the last axis: the k-th entry is the mean of the first k draws."""
    return np.cumsum(draws, axis=-1) / np.arange(1, draws.shape[-1] + 1)


def lattice_histogram(means: np.ndarray, n: int, sd: float) -> dict[str, np.ndarray]:
    """Density histogram of means of n die rolls, with bins aligned to their lattice k/n.

    A mean of n rolls can only take the values k/n; bins that cut that lattice unevenly would draw
    stripes that are artefacts of binning, not of the distribution. Each bin holds a whole number
    of lattice points and is about a quarter of a standard deviation wide.
    """
    step = 1.0 / n
    per_bin = max(1, round(0.25 * sd / step))
    width = per_bin * step
    lo = np.floor((means.min() - step / 2) / width) * width - step / 2
    hi = means.max() + width
    edges = np.arange(lo, hi + width / 2, width)
    counts, edges = np.histogram(means, bins=edges)
    return {"edges": edges, "density": counts / (counts.sum() * width)}


def simulate(params: LLNParams, rng: np.random.Generator) -> LLNData:
    mu = float(DIE_FACES.mean())
    sigma = float(DIE_FACES.std())  # population sd of one fair die: sqrt(35/12)
    n = np.arange(1, params.n + 1)

    rolls = rng.integers(1, 7, size=(params.paths, params.n), dtype=np.int64)
    paths = running_mean(rolls.astype(float))

    half_width = Z95 * sigma / np.sqrt(n)
    band_low, band_high = mu - half_width, mu + half_width
    outside_mask = (paths < band_low) | (paths > band_high)
    outside_band = outside_mask.mean(axis=0)
    # 95% is the share inside at each n; far fewer paths stay inside at every n, and by the law
    # of the iterated logarithm every path leaves eventually
    first_exit = np.where(outside_mask.any(axis=1), np.argmax(outside_mask, axis=1) + 1, -1)
    outside_eps = (np.abs(paths - mu) >= params.epsilon).mean(axis=0)
    chebyshev = np.minimum(1.0, sigma**2 / (n * params.epsilon**2))

    hist_ns = np.array([k for k in (10, 100, 1000) if k <= params.n] or [params.n])
    sample_means = np.stack(
        [rng.integers(1, 7, size=(params.hist_samples, k)).mean(axis=1) for k in hist_ns]
    )
    sample_sd = sample_means.std(axis=1, ddof=1)
    histograms, curves = {}, {}
    for k, means, sd in zip(hist_ns, sample_means, sample_sd, strict=True):
        histograms[str(k)] = lattice_histogram(means, int(k), float(sd))
        scale = sigma / np.sqrt(k)
        x = np.linspace(mu - 4.5 * scale, mu + 4.5 * scale, 121)
        curves[str(k)] = {
            "x": x,
            "pdf": np.exp(-0.5 * ((x - mu) / scale) ** 2) / (scale * np.sqrt(2 * np.pi)),
        }
    cauchy = running_mean(rng.standard_cauchy(size=(params.cauchy_paths, params.n)))

    return LLNData(
        mu=mu,
        sigma=sigma,
        n=n,
        rolls=rolls,
        paths=paths,
        band_low=band_low,
        band_high=band_high,
        outside_band_fraction=outside_band,
        first_exit=first_exit,
        always_inside_fraction=float((first_exit < 0).mean()),
        epsilon=params.epsilon,
        outside_fraction=outside_eps,
        chebyshev_bound=chebyshev,
        hist_ns=hist_ns,
        sample_means=sample_means,
        sample_sd=sample_sd,
        histograms=histograms,
        normal_curves=curves,
        cauchy_paths=cauchy,
    )
