"""The Law of Large Numbers model against closed forms and a second computation."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from scenes.lln.model import LLNParams, simulate


@pytest.fixture(scope="module")
def many():
    """Enough paths that sampling error is a fraction of the tolerances below."""
    params = LLNParams(n=1000, paths=2000, hist_samples=20000, seed=7)
    return simulate(params, np.random.default_rng(params.seed))


def test_die_moments_match_the_closed_form(many):
    assert many.mu == pytest.approx(3.5)
    assert many.sigma**2 == pytest.approx(35 / 12)


def test_running_means_are_cumsum_over_n(many):
    expected = np.array(
        [[row[: k + 1].mean() for k in range(0, 1000, 37)] for row in many.rolls[:20]]
    )
    assert np.allclose(many.paths[:20, ::37], expected)
    assert set(np.unique(many.rolls)) <= {1, 2, 3, 4, 5, 6}


def test_sd_of_the_mean_at_100_is_sigma_over_10(many):
    sd_paths = many.paths[:, 99].std(ddof=1)
    assert sd_paths == pytest.approx(np.sqrt(35 / 12) / 10, rel=0.04)
    sd_samples = many.sample_means[list(many.hist_ns).index(100)].std(ddof=1)
    assert sd_samples == pytest.approx(np.sqrt(35 / 12) / 10, rel=0.03)


def test_about_95_percent_of_paths_stay_in_the_band(many):
    inside = 1 - many.outside_band_fraction
    # At large n the mean is close to normal; the share inside is binomial(2000, 0.95) around 0.95.
    se = np.sqrt(0.95 * 0.05 / 2000)
    assert abs(inside[999] - 0.95) < 4 * se
    assert abs(inside[99] - 0.95) < 4 * se + 0.01  # lattice of a discrete mean at n = 100


def test_band_is_the_normal_quantile():
    data = simulate(LLNParams(n=50, paths=3), np.random.default_rng(0))
    z = stats.norm.ppf(0.975)
    assert np.allclose(data.band_high - data.mu, z * data.sigma / np.sqrt(data.n))
    assert np.allclose(data.mu - data.band_low, z * data.sigma / np.sqrt(data.n))


def test_chebyshev_bounds_the_share_off_by_epsilon(many):
    expected = np.minimum(1, (35 / 12) / (np.arange(1, 1001) * 0.25**2))
    assert np.allclose(many.chebyshev_bound, expected)
    # Recount independently from the paths.
    off = (np.abs(many.paths - 3.5) >= 0.25).mean(axis=0)
    assert np.array_equal(off, many.outside_fraction)
    assert np.all(many.outside_fraction <= many.chebyshev_bound + 3 * np.sqrt(0.25 / 2000))


def test_histograms_are_densities_on_the_lattice(many):
    for k in many.hist_ns:
        hist = many.histograms[str(k)]
        widths = np.diff(hist["edges"])
        assert np.sum(hist["density"] * widths) == pytest.approx(1)
        # Every possible mean k'/n lies strictly inside a bin, never on an edge.
        offsets = (hist["edges"] * k) % 1
        assert np.allclose(offsets, 0.5)
        curve = many.normal_curves[str(k)]
        assert np.trapezoid(curve["pdf"], curve["x"]) == pytest.approx(1, abs=1e-4)


def test_cauchy_running_mean_is_standard_cauchy():
    """The mean of n Cauchy draws is Cauchy(0, 1): its spread does not shrink with n."""
    params = LLNParams(n=400, paths=2, cauchy_paths=50, seed=3)
    rows = [simulate(params, np.random.default_rng(s)).cauchy_paths for s in range(40)]
    finals = np.concatenate([r[:, -1] for r in rows])
    assert stats.kstest(finals, "cauchy").pvalue > 0.001
    iqr = np.subtract(*np.percentile(finals, [75, 25]))
    assert iqr == pytest.approx(2.0, rel=0.2)  # Cauchy(0, 1) has IQR 2 for every n


def test_same_seed_same_data_other_seed_other_data():
    a = simulate(LLNParams(seed=5, n=100), np.random.default_rng(5))
    b = simulate(LLNParams(seed=5, n=100), np.random.default_rng(5))
    c = simulate(LLNParams(seed=6, n=100), np.random.default_rng(6))
    assert np.array_equal(a.paths, b.paths) and np.array_equal(a.cauchy_paths, b.cauchy_paths)
    assert not np.array_equal(a.paths, c.paths)
