"""The convex problems against independent computations and the theory of quadratics.

GD and heavy ball against their closed forms on a diagonal quadratic (per eigenvalue, (1 - lr
lambda)^t and powers of the 2x2 companion matrix); Nesterov, RMSprop and Adam against scalar
re-implementations in plain Python floats (a diagonal quadratic separates into one problem per
coordinate); the logistic regression's minimizer against scikit-learn's own solver; the measured
rates against (kappa - 1)/(kappa + 1) and (sqrt kappa - 1)/(sqrt kappa + 1); the grid search
against every grid point computed on its own.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scenes.gradient_descent import convex

STEPS, TOLERANCE = 20_000, 1e-4


@pytest.fixture(scope="module")
def study():
    return convex.convex_study(np.random.default_rng(0), STEPS, TOLERANCE)


def problem(study, name):
    return next(p for p in study.problems if p.name == name)


def aligned(study):
    return [p for p in study.problems if p.kind == "quadratic" and not p.rotated]


def first_below(distances, target):
    hits = np.flatnonzero(np.asarray(distances) < target)
    return int(hits[0]) if len(hits) else -1


def gd_closed_form(eigenvalues, start, lr, steps):
    """|x_t| for x_{t+1} = (1 - lr lambda) x_t, coordinate by coordinate."""
    t = np.arange(steps + 1)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):  # unstable grid rates overflow: inf
        return np.linalg.norm(start * (1.0 - lr * eigenvalues) ** t, axis=1)


def heavy_ball_closed_form(eigenvalues, start, lr, beta, steps):
    """|x_t| from powers of [[1 + beta - lr lambda, -beta], [1, 0]] acting on (x_1, x_0)."""
    rows = []
    for lam, x0 in zip(eigenvalues, start, strict=True):
        m = np.array([[1.0 + beta - lr * lam, -beta], [1.0, 0.0]])
        state = np.array([x0 - lr * lam * x0, x0])  # z_0 = grad f(x_0), x_1 = x_0 - lr z_0
        column = [x0]
        for _ in range(steps):
            column.append(state[0])
            state = m @ state
        rows.append(column)
    return np.linalg.norm(np.array(rows).T, axis=1)


def scalar_run(kind, lam, x, hyper, steps):
    """One coordinate of f = lam x^2 / 2 in plain floats: Nesterov (in its look-ahead form
    y = x + beta (x - x_prev)), RMSprop or Adam."""
    out = [x]
    prev, m, v = x, 0.0, 0.0
    for t in range(1, steps + 1):
        if kind == "nesterov":
            y = x + hyper["beta"] * (x - prev)
            prev, x = x, y - hyper["lr"] * lam * y
        elif kind == "rmsprop":
            g = lam * x
            v = hyper["rho"] * v + (1 - hyper["rho"]) * g * g
            x -= hyper["lr"] * g / (math.sqrt(v) + hyper["eps"])
        else:
            g = lam * x
            m = hyper["beta1"] * m + (1 - hyper["beta1"]) * g
            v = hyper["beta2"] * v + (1 - hyper["beta2"]) * g * g
            m_hat, v_hat = m / (1 - hyper["beta1"] ** t), v / (1 - hyper["beta2"] ** t)
            x -= hyper["lr"] * m_hat / (math.sqrt(v_hat) + hyper["eps"])
        out.append(x)
    return out


def test_the_problems_asked_for(study):
    kappas = sorted(p.kappa for p in aligned(study))
    assert kappas == pytest.approx([10, 100, 1000, 10_000])
    for p in study.problems:
        assert set(p.runs) == {"gd", "momentum", "nesterov", "rmsprop", "adam"}
        assert np.linalg.norm(p.start - p.minimum) == pytest.approx(1.0) or p.kind == "logistic"
        for r in p.runs.values():
            # the curve is the function along the path and ends where the count says
            assert r.loss[0] > 0
            if r.steps_to_tolerance >= 0:
                assert first_below(r.distance, TOLERANCE) == r.steps_to_tolerance
            else:
                assert np.all(r.distance >= TOLERANCE) and len(r.distance) == STEPS + 1
    logistic = problem(study, "logistic-breast-cancer")
    assert logistic.details["samples"] == 569 and logistic.details["features"] == 30


@pytest.mark.parametrize("index", range(4))
def test_gd_and_heavy_ball_match_their_closed_forms(study, index):
    p = aligned(study)[index]
    gd = p.runs["gd"]
    closed = gd_closed_form(p.eigenvalues, p.start, gd.hyperparameters["lr"], len(gd.distance) - 1)
    np.testing.assert_allclose(gd.distance, closed, rtol=1e-9)
    assert first_below(closed, TOLERANCE) == gd.steps_to_tolerance
    hb = p.runs["momentum"]
    h = hb.hyperparameters
    closed = heavy_ball_closed_form(
        p.eigenvalues, p.start, h["lr"], h["beta"], len(hb.distance) - 1
    )
    np.testing.assert_allclose(hb.distance, closed, rtol=1e-7, atol=1e-12)
    assert first_below(closed, TOLERANCE) == hb.steps_to_tolerance


@pytest.mark.parametrize("kind", ["nesterov", "rmsprop", "adam"])
@pytest.mark.parametrize("index", [1, 3])
def test_other_optimizers_match_scalar_implementations(study, kind, index):
    p = aligned(study)[index]
    r = p.runs[kind]
    steps = len(r.distance) - 1
    coords = [
        scalar_run(kind, lam, x0, r.hyperparameters, steps)
        for lam, x0 in zip(p.eigenvalues, p.start, strict=True)
    ]
    distance = np.linalg.norm(np.array(coords).T, axis=1)
    np.testing.assert_allclose(r.distance, distance, rtol=1e-6, atol=1e-12)


def test_rotation_changes_nothing_for_gd_and_momentum_but_hurts_adaptive_steps(study):
    by_name = {p.name: p for p in study.problems}
    for p in aligned(study):
        turned = by_name["rotated-" + p.name]
        np.testing.assert_allclose(np.sort(turned.eigenvalues), np.sort(p.eigenvalues))
        for name in ("gd", "momentum", "nesterov"):
            assert abs(turned.runs[name].steps_to_tolerance - p.runs[name].steps_to_tolerance) <= 1
        # a per-coordinate step size undoes axis-aligned ill-conditioning: the count is the same
        # at every kappa, and does not survive the rotation at large kappa
        assert (
            p.runs["adam"].steps_to_tolerance == aligned(study)[0].runs["adam"].steps_to_tolerance
        )
    big = aligned(study)[-1]
    turned = by_name["rotated-" + big.name]
    for name in ("rmsprop", "adam"):
        rotated_steps = turned.runs[name].steps_to_tolerance
        assert rotated_steps == -1 or rotated_steps > 5 * big.runs[name].steps_to_tolerance


def test_measured_rates_match_the_theory_of_quadratics(study):
    for p in study.problems:
        if p.kind != "quadratic":
            continue
        kappa, root = p.kappa, math.sqrt(p.kappa)
        gd, hb = p.theory["gd"], p.theory["momentum"]
        assert gd.rate == pytest.approx((kappa - 1) / (kappa + 1))
        assert hb.rate == pytest.approx((root - 1) / (root + 1))
        # GD at 2/(lambda_min + lambda_max): both extreme modes shrink by exactly the rate, the
        # others faster, so d_T^2 = sum a_i q_i^2T <= rate^T d_{T/2}^2: the fit is at most the rate,
        # and close to it once the faster modes have died out
        assert gd.rate * (1 - 2e-3) <= gd.measured_rate <= gd.rate * (1 + 1e-9)
        if kappa >= 1000:
            assert gd.measured_rate == pytest.approx(gd.rate, rel=1e-6)
        # and no mode faster than the rate allows: |x_t| <= rate^t |x_0|
        t = np.arange(len(gd.distance))
        assert np.all(gd.distance <= gd.rate**t * (1 + 1e-9))
        # heavy ball's extreme modes have a double root of modulus rate: (a + b t) rate^t, so over
        # the second half [T/2, T] the fit exceeds the rate by at most a factor 2^(1 / (T/2))
        half = (len(hb.distance) - 1) // 2
        assert hb.rate * (1 - 1e-9) <= hb.measured_rate <= hb.rate * 2 ** (1 / half) * 1.02
        assert (
            0 < hb.steps_to_tolerance < max(gd.steps_to_tolerance, 0) or gd.steps_to_tolerance == -1
        )


def test_tuned_gd_cannot_beat_the_lambda_min_bound(study):
    """Every stable lr < 2/lambda_max shrinks the flattest mode by at least 1 - 2/kappa a step."""
    for p in aligned(study):
        gd = p.runs["gd"]
        flattest = abs(p.start[np.argmin(p.eigenvalues)])
        floor = math.log(TOLERANCE / flattest) / math.log(1 - 2 / p.kappa)
        assert gd.steps_to_tolerance == -1 or gd.steps_to_tolerance >= floor
    assert aligned(study)[-1].runs["gd"].steps_to_tolerance == -1  # 10^4: not within the budget


def test_grid_search_finds_the_best_grid_point(study):
    """GD on the kappa = 100 quadratic: every grid lr in closed form, the fewest steps win."""
    p = aligned(study)[1]
    counts = []
    for lr in convex.LR_GRID:
        closed = gd_closed_form(p.eigenvalues, p.start, lr, STEPS)
        counts.append(first_below(closed, TOLERANCE))
    arrived = [(c, lr) for c, lr in zip(counts, convex.LR_GRID, strict=True) if c >= 0]
    best_count, best_lr = min(arrived)
    assert p.runs["gd"].steps_to_tolerance == best_count
    assert p.runs["gd"].hyperparameters["lr"] == best_lr


@pytest.mark.parametrize("index", [0, 5], ids=["aligned-kappa-10", "rotated-kappa-100"])
@pytest.mark.parametrize("name", convex.OPTIMIZERS)
def test_grid_search_checked_in_blocks_is_checked_every_step(monkeypatch, name, index):
    """Looking at the distances once per block of ``CHECK_EVERY`` steps gives what looking after
    every step (a block of 1) gives, to the bit: with settings that run away inside a block (on
    the aligned bowl some RMSprop settings come back and would arrive first), with an arrival
    inside a block, and with budgets that end mid-block or before anyone arrives."""
    rng = np.random.default_rng(3)
    fn = convex.quadratic_problems(rng)[index]
    start = fn.rotation @ convex.quadratic_start(rng)
    for steps in (5, 45, 700):
        blocked = convex.grid_search(fn, name, start, steps, TOLERANCE)
        with monkeypatch.context() as patch:
            patch.setattr(convex, "CHECK_EVERY", 1)
            each = convex.grid_search(fn, name, start, steps, TOLERANCE)
        assert blocked[0] == each[0] and blocked[2] == each[2]
        assert blocked[1].shape == each[1].shape
        assert blocked[1].tobytes() == each[1].tobytes()


def test_logistic_minimum_matches_scikit_learn(study):
    from sklearn.linear_model import LogisticRegression

    fn = convex.breast_cancer_problem()
    p = problem(study, fn.name)
    n = len(fn.signs)
    # scikit-learn minimizes |w|^2 / 2 + C sum_i loss_i: the same problem for C = 1 / (n l2)
    model = LogisticRegression(C=1.0 / (n * fn.l2), fit_intercept=False, tol=1e-12, max_iter=10_000)
    model.fit(fn.features, fn.signs)
    np.testing.assert_allclose(p.minimum, model.coef_[0], rtol=1e-4, atol=1e-5)
    # the gradient against central differences, at a few points
    rng = np.random.default_rng(2)
    for w in rng.normal(0, 0.5, (3, fn.features.shape[1])):
        numeric = [(fn.value(w + 1e-6 * e) - fn.value(w - 1e-6 * e)) / 2e-6 for e in np.eye(len(w))]
        np.testing.assert_allclose(fn.grad(w), numeric, rtol=1e-5, atol=1e-8)
    # kappa is the worst case L / l2 with L from the data (curvature at most 1/4)
    assert p.kappa == pytest.approx(fn.smoothness / fn.l2)
    assert p.details["kappa_at_minimum"] < p.kappa


def test_verdict_is_computed_from_the_runs(study):
    from scenes.gradient_descent.verdict import NAMES, Verdict, steps, winner

    verdict = Verdict.of(study)
    for p in study.problems:  # the winner is the fewest steps among those that arrived
        counts = {n: r.steps_to_tolerance for n, r in p.runs.items() if r.steps_to_tolerance >= 0}
        assert steps(p, winner(p)) == min(counts.values())
    lines = verdict.lines()
    hardest = verdict.rotated[-1]
    adaptive = verdict.best_adaptive(verdict.rotated)
    assert f"{steps(hardest, adaptive):,}" in lines["rotated"]
    assert NAMES[winner(verdict.logistic)] in lines["logistic"]
    aligned_adaptive = verdict.best_adaptive(verdict.aligned)
    assert NAMES[aligned_adaptive] in lines["aligned"]
    assert ("gd", verdict.aligned[-1]) in verdict.failures()  # GD does not arrive at kappa = 10^4
    rules = dict(verdict.rules())
    assert any(NAMES[winner(hardest)] in rule for rule in rules.values())
