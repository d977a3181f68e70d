"""The CLT model against independent computations: enumeration, polynomials, scipy, sampling."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.polynomial import polynomial
from scipy import stats

from render.core.errors import UserError
from scenes.clt.model import (
    BERRY_ESSEEN_C,
    DICE,
    FACES,
    HEAVY_TAIL_EXPONENT,
    CLTParams,
    heavy_tail_pmf,
    simulate,
    truncated_power,
)


@pytest.fixture(scope="module")
def data():
    return simulate(CLTParams(), np.random.default_rng(0))


@pytest.fixture(scope="module")
def fair():
    return simulate(CLTParams(die="uniform"), np.random.default_rng(0))


def scipy_die(pmf):
    return stats.rv_discrete(values=(FACES, pmf))


@pytest.mark.parametrize("die", sorted(DICE))
def test_moments_match_scipy(die):
    d = simulate(CLTParams(die=die), np.random.default_rng(0))
    x = scipy_die(d.die_pmf)
    assert d.mu == pytest.approx(x.mean())
    assert d.sigma == pytest.approx(x.std())
    assert d.rho == pytest.approx(x.expect(lambda k: abs(k - x.mean()) ** 3))


def test_sum_pmfs_sum_to_one_with_mean_n_mu_and_variance_n_sigma2(data):
    x = scipy_die(data.die_pmf)
    for n, support, pmf in zip(
        data.ns, data.sum_supports.values(), data.sum_pmfs.values(), strict=True
    ):
        assert pmf.sum() == pytest.approx(1.0, abs=1e-12)
        assert pmf.min() >= 0
        mean = pmf @ support
        assert mean == pytest.approx(n * x.mean(), rel=1e-12)
        assert pmf @ (support - mean) ** 2 == pytest.approx(n * x.var(), rel=1e-10)


def test_small_sums_match_brute_force_enumeration(data):
    for n, support, pmf in zip(
        data.ns, data.sum_supports.values(), data.sum_pmfs.values(), strict=True
    ):
        if n > 4:
            continue
        brute = dict.fromkeys(support.tolist(), 0.0)
        for faces in itertools.product(range(6), repeat=int(n)):
            brute[sum(faces) + n] += float(np.prod(data.die_pmf[list(faces)]))
        np.testing.assert_allclose(pmf, [brute[s] for s in support.tolist()], atol=1e-15)


def test_large_sums_match_generating_function_powers(data):
    for n, pmf in zip(data.ns, data.sum_pmfs.values(), strict=True):
        # coefficients of (sum_k p_k t^k)^n, k = 1..6; drop the n leading zeros
        coefficients = polynomial.polypow(np.concatenate(([0.0], data.die_pmf)), int(n))
        np.testing.assert_allclose(pmf, coefficients[n:], atol=1e-14)


def test_fair_die_reference_values(fair):
    # Published values for a fair die: rho/sigma^3 = 1.2798, bound 0.0608 and exact distance
    # 0.0117 at n = 100, P(316 <= S_100 <= 384) = 0.9568
    assert fair.rho / fair.sigma**3 == pytest.approx(1.2798, abs=1e-4)
    assert fair.berry_esseen_bound[99] == pytest.approx(0.0608, abs=1e-4)
    assert fair.ks_distance[99] == pytest.approx(0.0117, abs=1e-4)
    pmf100 = polynomial.polypow(np.concatenate(([0.0], fair.die_pmf)), 100)
    assert pmf100[316:385].sum() == pytest.approx(0.9568, abs=1e-4)


def brute_force_ks(z, pmf):
    """sup |F - Phi| over a dense grid plus points a hair either side of every atom."""
    grid = np.concatenate((np.linspace(z[0] - 1, z[-1] + 1, 20001), z - 1e-9, z + 1e-9))
    cdf = np.concatenate(([0.0], np.cumsum(pmf)))[np.searchsorted(z, grid, side="right")]
    return np.abs(cdf - stats.norm.cdf(grid)).max()


def test_ks_distance_matches_brute_force_and_stays_below_berry_esseen(data):
    for s, pmf in zip(data.standardized.values(), data.sum_pmfs.values(), strict=True):
        assert s.ks == pytest.approx(brute_force_ks(s.z, pmf), abs=1e-7)
    for n in (1, 7, 30, 100):
        support = np.arange(n, 6 * n + 1)
        pmf = polynomial.polypow(np.concatenate(([0.0], data.die_pmf)), n)[n:]
        z = (support - n * data.mu) / (data.sigma * np.sqrt(n))
        assert data.ks_distance[n - 1] == pytest.approx(brute_force_ks(z, pmf), abs=1e-7)
    assert np.all(data.ks_distance < data.berry_esseen_bound)
    rho, sigma = data.rho, data.sigma
    np.testing.assert_allclose(
        data.berry_esseen_bound, BERRY_ESSEEN_C * rho / sigma**3 / np.sqrt(data.ks_ns)
    )


def test_galton_counts_are_binomial_by_chi_square():
    for seed in range(5):
        d = simulate(CLTParams(seed=seed), np.random.default_rng(seed))
        rows = d.galton_rows
        expected = d.galton_counts.sum() * stats.binom.pmf(np.arange(rows + 1), rows, 0.5)
        np.testing.assert_allclose(d.galton_expected, expected)
        # pool the thin tails so that every expected count is at least 5
        keep = expected >= 5
        observed = np.append(d.galton_counts[keep], d.galton_counts[~keep].sum())
        pooled = np.append(expected[keep], expected[~keep].sum())
        assert stats.chisquare(observed, pooled).pvalue > 1e-3


def test_galton_paths_are_among_the_counted_balls(data):
    assert data.galton_counts.sum() == CLTParams().galton_balls
    assert data.galton_paths.shape == (CLTParams().galton_shown, data.galton_rows)
    shown = len(data.galton_paths)
    np.testing.assert_array_equal(data.galton_paths.sum(axis=1), data.galton_buckets[:shown])


def test_every_density_drawn_integrates_to_one(data):
    area = np.trapezoid(data.normal_density, data.z_grid)
    assert area == pytest.approx(1 - 2 * stats.norm.cdf(data.z_grid[0]), abs=1e-5)
    # the bell has variance 1 (the sigma mistake exp(-x^2 sigma^2 / 2) would not)
    assert np.trapezoid(data.z_grid**2 * data.normal_density, data.z_grid) / area == pytest.approx(
        1, abs=1e-3
    )
    for s in (*data.standardized.values(), *data.dependent.values()):
        assert (s.density * s.width).sum() == pytest.approx(1.0, abs=1e-12)
    for s in data.heavy_tail.values():  # exact up to the mass cut off above the support
        assert 1 - 3e-4 < (s.density * s.width).sum() <= 1 + 1e-12


def test_standardized_sums_have_mean_zero_and_variance_one(data):
    for s in (*data.standardized.values(), *data.dependent.values()):
        p = s.density * s.width
        assert p @ s.z == pytest.approx(0, abs=1e-12)
        assert p @ s.z**2 == pytest.approx(1, abs=1e-10)


def test_heavy_tail_sums_match_direct_convolution_and_sampling(data):
    p = heavy_tail_pmf(300)
    base = np.concatenate(([0.0], p))
    direct = np.zeros(301)
    direct[0] = 1.0
    for _ in range(10):
        direct = np.convolve(direct, base)[:301]
    np.testing.assert_allclose(truncated_power(base, 10), direct, atol=1e-15)
    # p(k) = k^-2.5 / zeta(2.5): compare with scipy's zeta (Zipf) distribution
    np.testing.assert_allclose(p, stats.zipf.pmf(np.arange(1, 301), HEAVY_TAIL_EXPONENT))
    # quartiles of S_10 from 40 000 simulated sums agree with the exact ones
    rng = np.random.default_rng(1)
    sums = stats.zipf.rvs(HEAVY_TAIL_EXPONENT, size=(40_000, 10), random_state=rng).sum(axis=1)
    s10 = data.heavy_tail["10"]
    values = s10.z / s10.width  # z = (value - median)/scale, width = 1/scale
    exact_median = -values[0]
    assert np.median(sums) == pytest.approx(exact_median, abs=1)


def test_heavy_tail_gap_stalls_while_the_die_gap_shrinks(data):
    ks = [s.ks for s in data.heavy_tail.values()]
    assert ks[-1] > 0.06 and ks[-1] > 0.75 * ks[-2]  # no 1/sqrt(n) decay between n = 100 and 1000
    assert data.ks_distance[99] < 0.6 * data.ks_distance[29]


def test_dependent_sums_match_simulation_and_split_in_two(data):
    n = int(data.dependent_ns[-1])
    s = data.dependent[str(n)]
    rng = np.random.default_rng(2)
    runs = 100_000
    die = rng.integers(0, 2, size=runs)
    rolls = np.stack(
        [rng.choice(FACES, size=(runs, n), p=data.dependent_die_pmfs[k]) for k in (0, 1)]
    )
    sums = rolls[die, np.arange(runs)].sum(axis=1)
    observed = np.bincount(sums - n, minlength=5 * n + 1) / runs
    exact = s.density * s.width
    assert np.abs(observed - exact).max() < 5 * np.sqrt(exact.max() / runs)
    # the mixture variance: n sigma_within^2 + n^2 (half the gap between the two dice's means)^2
    means = data.dependent_die_pmfs @ FACES
    within = data.dependent_die_pmfs @ FACES**2 - means**2
    variance = n * within.mean() + n**2 * ((means[1] - means[0]) / 2) ** 2
    assert 1 / s.width == pytest.approx(np.sqrt(variance))
    # two humps: the density near z = 0 is lower than near z = +-1
    centre = s.density[np.abs(s.z) < 0.2].max()
    assert centre < 0.5 * s.density[np.abs(np.abs(s.z) - 1) < 0.2].max()
    assert s.ks > data.dependent[str(data.dependent_ns[1])].ks


def test_same_seed_same_board_and_bad_input_refused():
    a = simulate(CLTParams(seed=3), np.random.default_rng(3))
    b = simulate(CLTParams(seed=3), np.random.default_rng(3))
    np.testing.assert_array_equal(a.galton_counts, b.galton_counts)
    with pytest.raises(UserError, match="die"):
        CLTParams(die="loaded")
    with pytest.raises(UserError, match="galton_rows"):
        CLTParams.from_overrides({"galton_rows": "0"})


@pytest.mark.parametrize("fmt", ["json", "npz"])
def test_data_exports_per_n_entries_keyed_by_n(tmp_path, fmt):
    from render.core.catalog import get_scene
    from render.publish.data_export import export_data

    spec = get_scene("clt")
    path = export_data(spec, spec.default_params(), fmt, tmp_path)
    if fmt == "npz":
        arrays = np.load(path)
        assert arrays["sum_pmfs.30"].sum() == pytest.approx(1.0)
        assert arrays["standardized.30.ks"] == pytest.approx(arrays["ks_distance"][29])
    else:
        import json

        record = json.loads(path.read_text())["data"]
        assert sorted(record["sum_pmfs"], key=int) == ["1", "2", "5", "10", "30"]
