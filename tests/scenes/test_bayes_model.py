"""The Bayes model against independent computations: counting, odds, grids, published figures.

None of these checks reuses the model's own formula: the area model is checked by counting a
population and by the odds form, the Beta posteriors by brute-force products of likelihoods on a
grid (in the order observed and in a shuffled order), and the summaries by numerical integration.
"""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
from typer.testing import CliRunner

from render.cli import app
from render.core.errors import UserError
from scenes.bayes.model import (
    MEDICAL_TEST,
    BayesParams,
    area_model,
    sequential_posterior,
    simulate,
)


@pytest.fixture(scope="module")
def data():
    return simulate(BayesParams(), np.random.default_rng(0))


def grid_posterior(prior_pdf: np.ndarray, grid: np.ndarray, flips: np.ndarray) -> np.ndarray:
    """Brute force: the prior times x per head and (1 - x) per tail, one flip at a time,
    renormalized by the trapezoid rule after each (so it never underflows)."""
    density = prior_pdf.copy()
    for flip in flips:
        density = density * (grid if flip == 1 else 1 - grid)
        density /= np.trapezoid(density, grid)
    return density


def beta_prior_on_grid(a: float, b: float, grid: np.ndarray) -> np.ndarray:
    """x^(a-1) (1-x)^(b-1), normalized numerically (no Beta function, no scipy)."""
    unnormalized = grid ** (a - 1) * (1 - grid) ** (b - 1)
    return unnormalized / np.trapezoid(unnormalized, grid)


def count_population(prior: Fraction, l_h: Fraction, l_not_h: Fraction) -> Fraction:
    """Bayes by counting people: in a population whose size clears every denominator, the share
    of those showing E who have H."""
    size = math.lcm(prior.denominator * l_h.denominator, prior.denominator * l_not_h.denominator)
    with_h = size * prior
    h_and_e = with_h * l_h
    not_h_and_e = (size - with_h) * l_not_h
    assert h_and_e.denominator == 1 and not_h_and_e.denominator == 1  # whole people
    return Fraction(int(h_and_e), int(h_and_e + not_h_and_e))


@pytest.mark.parametrize(
    ("prior", "l_h", "l_not_h"),
    [("1/21", "2/5", "1/10"), ("0.01", "0.9", "0.09"), ("1/3", "1", "1/7"), ("5/8", "1/4", "3/4")],
)
def test_area_model_matches_counting_and_odds_exactly(prior, l_h, l_not_h):
    fr = [Fraction(prior), Fraction(l_h), Fraction(l_not_h)]
    model = area_model(*fr)
    posterior = Fraction(model.posterior)
    assert posterior == count_population(*fr)
    odds = fr[0] / (1 - fr[0]) * (fr[1] / fr[2])
    assert posterior == odds / (1 + odds)
    assert Fraction(model.posterior_odds) == odds
    # the two shaded rectangles are width times height, and they make up P(E)
    assert Fraction(model.joint_h) == fr[0] * fr[1]
    assert Fraction(model.evidence) == Fraction(model.joint_h) + Fraction(model.joint_not_h)


def test_published_examples(data):
    assert Fraction(data.area_model.posterior) == Fraction(4, 24)  # prior 1/21, 0.4 vs 0.1
    assert Fraction(data.area_model.bayes_factor) == 4
    medical = data.medical_test
    assert area_model(*MEDICAL_TEST) == medical
    assert Fraction(medical.bayes_factor) == 10
    assert float(Fraction(medical.posterior)) == pytest.approx(0.092, abs=5e-4)


def test_conjugate_posterior_equals_brute_force_grid(data):
    grid = data.grid
    prior = beta_prior_on_grid(*data.prior, grid)
    for row, step in enumerate(data.density_steps):
        brute = grid_posterior(prior, grid, data.flips[:step])
        assert np.max(np.abs(brute - data.posterior_density[row])) < 1e-3 * brute.max()


def test_stubborn_prior_against_brute_force_grid(data):
    grid = data.grid
    brute = grid_posterior(beta_prior_on_grid(30, 30, grid), grid, data.flips)
    final = data.stubborn.posterior_density[-1]
    assert np.max(np.abs(brute - final)) < 1e-3 * brute.max()


def test_sequential_equals_batch_and_ignores_order(data):
    heads = int(data.flips.sum())
    n = len(data.flips)
    a, b = data.prior
    assert tuple(data.posterior_params[-1]) == (a + heads, b + n - heads)  # one batch update
    shuffled = np.random.default_rng(7).permutation(data.flips)
    assert tuple(sequential_posterior(a, b, shuffled)[-1]) == (a + heads, b + n - heads)
    grid = data.grid
    prior = beta_prior_on_grid(a, b, grid)
    in_order = grid_posterior(prior, grid, data.flips)
    reordered = grid_posterior(prior, grid, shuffled)
    assert np.allclose(in_order, reordered, rtol=1e-9, atol=1e-12)


def test_every_density_integrates_to_one(data):
    for path in (data, data.stubborn, data.drift):
        areas = np.trapezoid(path.posterior_density, data.grid, axis=1)
        assert np.allclose(areas, 1.0, atol=1e-3)


def test_summaries_by_numerical_integration(data):
    grid = data.grid
    for path in (data, data.stubborn, data.drift):
        for row, step in enumerate(path.density_steps):
            density = path.posterior_density[row]
            mean = np.trapezoid(grid * density, grid)
            sd = math.sqrt(np.trapezoid((grid - mean) ** 2 * density, grid))
            assert path.posterior_mean[step] == pytest.approx(mean, abs=1e-4)
            assert path.posterior_sd[step] == pytest.approx(sd, abs=1e-4)
            inside = (grid >= path.credible_low[step]) & (grid <= path.credible_high[step])
            mass = np.trapezoid(np.where(inside, density, 0.0), grid)
            assert mass == pytest.approx(0.95, abs=0.02)  # grid cells clip the interval's ends


def test_uniform_prior_after_48_of_50_heads():
    """The textbook figures: mean 49/52 = 0.9423, sd 0.0320, which is Laplace's (s+1)/(n+2)."""
    a, b = sequential_posterior(1, 1, np.array([1] * 48 + [0] * 2))[-1]
    assert a / (a + b) == pytest.approx(49 / 52)
    assert a / (a + b) == pytest.approx(0.9423, abs=1e-4)
    assert math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))) == pytest.approx(0.0320, abs=1e-4)


def test_multiply_then_renormalize(data):
    """The drawn step: density times likelihood has area P(next flip), and dividing by it gives
    the next density."""
    grid = data.grid
    for k in range(len(data.unnormalized)):
        area = np.trapezoid(data.unnormalized[k], grid)
        assert area == pytest.approx(data.predictive[k], abs=1e-4)
        assert np.allclose(data.unnormalized[k] / area, data.posterior_density[k + 1], atol=1e-3)
    # the predictive probability is the posterior mean of the flip's likelihood (Laplace's rule)
    heads_before = np.concatenate([[0], np.cumsum(data.flips)[:-1]])
    seen = np.arange(len(data.flips))
    p_heads = (heads_before + 1) / (seen + 2)
    expected = np.where(data.flips == 1, p_heads, 1 - p_heads)
    assert np.allclose(data.predictive, expected)


def test_flips_match_true_p_within_three_standard_errors():
    params = BayesParams(n_flips=5000, true_p=0.3)
    flips = simulate(params, np.random.default_rng(3)).flips
    se = math.sqrt(0.3 * 0.7 / 5000)
    assert abs(flips.mean() - 0.3) < 3 * se


def test_misspecified_model_is_confidently_wrong(data):
    """The claim the last beat makes: the drifting coin's final p lies outside the 95% interval,
    which sits near the average heads probability and is narrow."""
    drift = data.drift
    assert np.allclose(data.drift_p, np.linspace(0.2, 0.8, 400))
    assert not drift.credible_low[-1] <= data.drift_p[-1] <= drift.credible_high[-1]
    assert drift.credible_low[-1] <= data.drift_p.mean() <= drift.credible_high[-1]
    assert drift.posterior_sd[-1] < 0.03


def test_same_seed_same_data():
    one = simulate(BayesParams(seed=5), np.random.default_rng(5))
    two = simulate(BayesParams(seed=5), np.random.default_rng(5))
    for field in dataclasses.fields(one):
        a, b = getattr(one, field.name), getattr(two, field.name)
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b)


@pytest.mark.parametrize(
    "overrides",
    [
        {"prior_h": "0"},
        {"prior_h": "1"},
        {"prior_h": "abc"},
        {"prior_h": "1/0"},
        {"p_e_given_h": "3/2"},
        {"p_e_given_not_h": "0"},
        {"n_flips": "0"},
        {"prior_a": "0"},
        {"true_p": "1.5"},
    ],
)
def test_nonsense_is_refused_with_one_line(overrides):
    with pytest.raises(UserError) as caught:
        BayesParams.from_overrides(overrides)
    message = str(caught.value)
    assert "\n" not in message and next(iter(overrides)) in message


def test_cli_refuses_bad_fraction_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["data", "bayes", "--set", "prior_h=7/3", "--out", "out"])
    assert result.exit_code == 2
    assert "prior_h" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
