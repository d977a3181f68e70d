"""The Buffon model against independent computations: geometry from the needles' endpoints,
closed-form probabilities, the binomial distribution and the delta method."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, stats

from render.core.errors import UserError
from render.publish.data_export import model_dict
from scenes.buffon.model import BuffonParams, simulate


@pytest.fixture(scope="module")
def data():
    return simulate(BuffonParams(), np.random.default_rng(0))


def lines_met_from_endpoints(rows: np.ndarray, length: float, spacing: float) -> np.ndarray:
    """Count the ruled lines y = k t lying between a needle's two endpoints (independent of the
    model's distance-to-nearest-line test)."""
    y, angle = rows[:, 1], rows[:, 2]
    y_a = y - 0.5 * length * np.sin(angle)
    y_b = y + 0.5 * length * np.sin(angle)
    low, high = np.minimum(y_a, y_b), np.maximum(y_a, y_b)
    return (np.floor(high / spacing) - np.ceil(low / spacing) + 1).astype(int)


def test_the_documented_data_keys_are_exported(data):
    keys = set(model_dict(data))
    required = {
        "needle_length", "line_spacing", "needles", "crosses", "running_estimate",
        "standard_error", "dart_points", "dart_inside", "dart_running_estimate",
        "repeated_estimates",
    }  # fmt: skip
    assert required <= keys
    n = len(data.crosses)
    assert data.needles.shape == (n, 3) and data.dart_points.shape == (n, 2)
    assert data.running_estimate.shape == data.standard_error.shape == (n,)


def test_every_crossing_flag_matches_the_endpoints(data):
    met = lines_met_from_endpoints(data.needles, data.needle_length, data.line_spacing)
    assert met.max() <= 1  # l <= t: a needle never meets two lines
    np.testing.assert_array_equal(data.crosses, met > 0)


def test_every_long_needle_crossing_count_matches_the_endpoints(data):
    met = lines_met_from_endpoints(data.long_needles, data.long_needle_length, data.line_spacing)
    np.testing.assert_array_equal(data.long_crossings, met)
    assert data.long_crossings.max() >= 2  # l = 2t: some needles really do meet two lines


def test_needles_are_uniform_on_the_board(data):
    x, y, angle = data.needles.T
    assert x.min() >= 0 and x.max() < data.board_width
    assert y.min() >= 0 and y.max() < data.board_height
    assert angle.min() >= 0 and angle.max() < math.pi
    assert stats.kstest(angle / math.pi, "uniform").pvalue > 1e-3
    distance = data.distance_to_line / (data.line_spacing / 2)
    assert stats.kstest(distance, "uniform").pvalue > 1e-3


def test_crossing_share_within_three_standard_errors_of_2l_over_t_pi(data):
    p = 2 * data.needle_length / (data.line_spacing * math.pi)
    assert data.cross_probability == pytest.approx(p)
    n = len(data.crosses)
    assert abs(data.crosses.mean() - p) < 3 * math.sqrt(p * (1 - p) / n)


def test_2l_over_t_pi_is_the_area_under_the_sine_curve_over_the_square():
    length, spacing = 0.8, 1.0
    area, _ = integrate.quad(lambda theta: 0.5 * length * math.sin(theta), 0, math.pi)
    assert area / (math.pi * spacing / 2) == pytest.approx(2 * length / (spacing * math.pi))


def test_running_estimates_follow_their_counts(data):
    hits = np.cumsum(data.crosses)
    n = np.arange(1, len(hits) + 1)
    defined = hits > 0
    expected = 2 * data.needle_length * n[defined] / (data.line_spacing * hits[defined])
    np.testing.assert_allclose(data.running_estimate[defined], expected)
    assert np.isnan(data.running_estimate[~defined]).all()
    inside = (data.dart_points[:, 0] ** 2 + data.dart_points[:, 1] ** 2) <= 1
    np.testing.assert_array_equal(data.dart_inside, inside)
    np.testing.assert_allclose(data.dart_running_estimate, 4 * np.cumsum(inside) / n)


def test_standard_errors_match_the_reference_constants(data):
    # l = t, p = 2/pi: SE sqrt(N) = pi sqrt(pi/2 - 1) = 2.3735; darts: sqrt(pi (4 - pi)) = 1.6422
    n = data.n.astype(float)
    np.testing.assert_allclose(
        data.standard_error * np.sqrt(n), math.pi * math.sqrt(math.pi / 2 - 1)
    )
    np.testing.assert_allclose(
        data.dart_standard_error * np.sqrt(n), math.sqrt(math.pi * (4 - math.pi))
    )
    assert data.standard_error[0] == pytest.approx(2.374, abs=1e-3)
    assert data.dart_standard_error[0] == pytest.approx(1.642, abs=1e-3)


def test_standard_error_for_five_sixths_needle():
    d = simulate(
        BuffonParams(needle_length=5.0, line_spacing=6.0, needles=100, repeats=10),
        np.random.default_rng(1),
    )
    assert d.standard_error[-1] * math.sqrt(100) == pytest.approx(2.955, abs=1e-3)


def test_spread_of_repeated_estimates_matches_the_delta_method(data):
    n = len(data.crosses)
    reps = data.repeated_estimates
    assert np.isfinite(reps).all()
    # the sample sd of R draws is off by about 1/sqrt(2R) relatively; allow four of those
    slack = 4 / math.sqrt(2 * len(reps))
    se = data.standard_error[-1]
    assert abs(reps.std(ddof=1) / se - 1) < slack
    dart_se = data.dart_standard_error[-1]
    assert abs(data.repeated_dart_estimates.std(ddof=1) / dart_se - 1) < slack
    assert abs(reps.mean() - math.pi) < 4 * se / math.sqrt(len(reps)) + 2 * se**2 / math.pi
    assert data.repeated_dart_estimates.std() < reps.std()  # darts are the less noisy estimator
    assert se == pytest.approx(2.3735 / math.sqrt(n), rel=1e-4)


def test_histogram_densities_and_normal_curves_integrate_correctly(data):
    hist, curves = data.repeated_histogram, data.repeated_normal
    edges = hist["edges"]
    widths = np.diff(edges)
    for values, key in (
        (data.repeated_estimates, "needle"),
        (data.repeated_dart_estimates, "dart"),
    ):
        share_inside = ((values >= edges[0]) & (values <= edges[-1])).mean()
        assert (hist[f"{key}_density"] * widths).sum() == pytest.approx(share_inside)
        counts = np.array(
            [((values >= a) & (values < b)).sum() for a, b in itertools.pairwise(edges)]
        )
        counts[-1] += (values == edges[-1]).sum()
        np.testing.assert_allclose(hist[f"{key}_density"], counts / (len(values) * widths))
    # the needle curve spans -+4 SE (area 0.99994), the dart curve more of its narrower SE
    x = curves["x"]
    assert np.trapezoid(curves["needle_pdf"], x) == pytest.approx(0.99994, abs=2e-4)
    assert np.trapezoid(curves["dart_pdf"], x) == pytest.approx(1.0, abs=2e-4)
    assert curves["needle_pdf"].max() == pytest.approx(
        1 / (math.sqrt(2 * math.pi) * data.standard_error[-1]), rel=1e-3
    )


def test_repeated_needle_counts_are_binomial():
    params = BuffonParams(needles=50, repeats=4000)
    d = simulate(params, np.random.default_rng(2))
    hits = np.round(2 * 1.0 * 50 / (1.0 * d.repeated_estimates)).astype(int)
    p = 2 / math.pi
    observed = np.bincount(hits, minlength=51)
    expected = stats.binom.pmf(np.arange(51), 50, p) * len(hits)
    keep = expected >= 5
    lumped_obs = np.append(observed[keep], observed[~keep].sum())
    lumped_exp = np.append(expected[keep], expected[~keep].sum())
    chi2 = ((lumped_obs - lumped_exp) ** 2 / lumped_exp).sum()
    assert stats.chi2.sf(chi2, len(lumped_obs) - 1) > 1e-3


def test_long_needle_probability_against_its_closed_form(data):
    ratio = data.long_needle_length / data.line_spacing
    closed = (2 / math.pi) * (math.acos(1 / ratio) + ratio * (1 - math.sqrt(1 - 1 / ratio**2)))
    assert data.long_cross_probability == pytest.approx(closed)
    # a second route: integrate P(cross | theta) = min(1, (l/t) sin theta) over the angle
    by_angle, _ = integrate.quad(lambda th: min(1.0, ratio * math.sin(th)), 0, math.pi)
    assert data.long_cross_probability == pytest.approx(by_angle / math.pi, rel=1e-7)
    n = len(data.long_crossings)
    share = (data.long_crossings > 0).mean()
    assert abs(share - closed) < 3 * math.sqrt(closed * (1 - closed) / n)


def test_long_needle_naive_formula_fails_and_barbier_and_corrected_fit(data):
    n = len(data.long_crossings)
    ratio = data.long_needle_length / data.line_spacing
    mean_crossings = data.long_crossings.mean()
    barbier = 2 * ratio / math.pi
    assert abs(mean_crossings - barbier) < 3 * data.long_crossings.std() / math.sqrt(n)
    assert data.long_naive_estimate[-1] > 4.0  # 2l/(t P) = 4.78 for l = 2t, not pi
    assert abs(data.long_corrected_estimate[-1] - math.pi) < 0.15
    assert abs(data.long_barbier_estimate[-1] - math.pi) < 0.15


def test_lazzarini_record():
    d = simulate(BuffonParams(needles=10, repeats=10), np.random.default_rng(0))
    laz = d.lazzarini
    assert laz["estimate"] == pytest.approx(355 / 113, rel=1e-12)
    assert laz["standard_error"] == pytest.approx(0.0506, abs=5e-4)
    p = 5 / (3 * math.pi)
    log_pmf = (
        math.lgamma(3409)
        - math.lgamma(1809)
        - math.lgamma(1601)
        + 1808 * math.log(p)
        + 1600 * math.log(1 - p)
    )
    pmf = math.exp(log_pmf)
    assert laz["probability_of_count"] == pytest.approx(pmf, rel=1e-9)
    assert 0.013 < laz["probability_of_count"] < 0.015


def test_same_seed_same_data_and_estimate_undefined_before_first_hit():
    a = simulate(BuffonParams(needles=10, repeats=200), np.random.default_rng(7))
    b = simulate(BuffonParams(needles=10, repeats=200), np.random.default_rng(7))
    np.testing.assert_array_equal(a.needles, b.needles)
    np.testing.assert_array_equal(a.repeated_estimates, b.repeated_estimates)
    first_hit = int(np.argmax(a.crosses))
    assert np.isnan(a.running_estimate[:first_hit]).all()
    assert np.isfinite(a.running_estimate[first_hit:]).all()


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"needle_length": "0"}, "needle_length"),
        ({"needle_length": "-1"}, "needle_length"),
        ({"line_spacing": "0"}, "line_spacing"),
        ({"needles": "0"}, "needles"),
        ({"repeats": "0"}, "repeats"),
        ({"needle_length": "2", "line_spacing": "1"}, "at most line_spacing"),
        ({"long_ratio": "1"}, "long_ratio"),
    ],
)
def test_nonsense_is_refused_with_one_line(overrides, fragment):
    with pytest.raises(UserError) as err:
        BuffonParams.from_overrides(overrides)
    message = str(err.value)
    assert fragment in message and "\n" not in message
