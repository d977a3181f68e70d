"""The gradient-descent model against independent computations.

Gradients and Hessians against central finite differences; GD's per-step error ratio and the
momentum stability region against the closed-form analysis of a quadratic; Adam's first step
against its formula; step counts on Rosenbrock against a second, scalar implementation written
here in plain Python floats; the noise ball against its stationary variance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from render.core.errors import UserError
from scenes.gradient_descent.landscapes import Quadratic, Rosenbrock, Saddle
from scenes.gradient_descent.model import GradientDescentParams, simulate
from scenes.gradient_descent.optimizers import SGD, HeavyBall, run


@pytest.fixture(scope="module")
def data():
    return simulate(GradientDescentParams(), np.random.default_rng(0))


def central_gradient(f, p, h=1e-6):
    return np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(2)])


FUNCTIONS = [Rosenbrock(), Quadratic((1.0, 10.0)), Saddle()]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda fn: fn.name)
def test_gradient_and_hessian_match_finite_differences(fn):
    rng = np.random.default_rng(1)
    for p in rng.uniform(-1.5, 1.5, size=(20, 2)):
        fd_grad = central_gradient(lambda q: float(fn.value(q)), p)
        np.testing.assert_allclose(fn.grad(p), fd_grad, rtol=1e-6, atol=1e-5)
        fd_hess = np.column_stack(
            [(fn.grad(p + 1e-6 * e) - fn.grad(p - 1e-6 * e)) / 2e-6 for e in np.eye(2)]
        )
        np.testing.assert_allclose(fn.hessian(p), fd_hess, rtol=1e-6, atol=1e-4)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda fn: fn.name)
def test_contours_are_level_sets(fn):
    for level in (0.05, 0.5, 3.0) + ((-0.1,) if fn.name == "saddle" else ()):
        for curve in fn.level_curves(level):
            np.testing.assert_allclose(fn.value(curve), level, rtol=1e-9, atol=1e-9)


def test_rosenbrock_hessian_at_minimum(data):
    np.testing.assert_allclose(data.minimum, [1.0, 1.0])
    np.testing.assert_allclose(data.hessian_at_minimum, [[802, -400], [-400, 200]])
    # the eigenvalues of [[802, -400], [-400, 200]] from the quadratic formula
    mean, gap = 501.0, math.sqrt(301.0**2 + 400.0**2)
    np.testing.assert_allclose(data.hessian_eigenvalues, [mean - gap, mean + gap], rtol=1e-12)
    assert data.lr_limit == pytest.approx(0.001997, abs=1e-6)
    assert data.condition_number == pytest.approx(2508, rel=1e-3)


def test_gd_error_ratio_on_diagonal_quadratic_is_one_minus_lr_lambda():
    eigenvalues = np.array([1.0, 10.0])
    fn = Quadratic(tuple(eigenvalues))
    for lr in (0.05, 0.15, 0.19):
        path = run(fn, SGD(lr), np.array([1.0, 1.0]), 30, 0.0, stop_at_tolerance=False).path
        ratios = path[1:] / path[:-1]
        np.testing.assert_allclose(
            ratios, np.broadcast_to(1 - lr * eigenvalues, ratios.shape), rtol=1e-10
        )


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_momentum_stable_exactly_inside_zero_to_two_plus_two_beta(beta):
    """On f = lambda x^2 / 2, heavy ball shrinks x iff 0 < lr lambda < 2 + 2 beta."""
    lr = 0.01
    edge = 2 + 2 * beta
    for lr_lambda, stable in [
        (-0.05, False),
        (0.05, True),
        (0.97 * edge, True),
        (1.03 * edge, False),
    ]:
        lam = lr_lambda / lr
        fn = Quadratic((lam, lam))
        x = run(fn, HeavyBall(lr, beta), np.array([1.0, 1.0]), 400, 0.0, stop_at_tolerance=False)
        final = np.abs(x.path[-1, 0])
        assert (final < 1.0) == stable, (beta, lr_lambda, final)
        # and the growth rate is the spectral radius of the iteration's 2x2 companion matrix
        companion = np.array([[1 + beta - lr_lambda, -beta], [1.0, 0.0]])
        rho = max(abs(np.linalg.eigvals(companion)))
        assert (rho < 1.0) == stable


def test_adam_first_step_is_about_lr_in_every_coordinate(data):
    adam = data.optimizers["adam"]
    lr = adam.hyperparameters["lr"]
    first = adam.path[1] - adam.path[0]
    g = Rosenbrock().grad(adam.path[0])
    np.testing.assert_allclose(first, -lr * g / (np.abs(g) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(np.abs(first), lr, rtol=1e-6)
    # RMSprop, without bias correction, starts with a step of lr / sqrt(1 - rho) per coordinate
    rms = data.optimizers["rmsprop"]
    step = np.abs(rms.path[1] - rms.path[0])
    np.testing.assert_allclose(step, rms.hyperparameters["lr"] / math.sqrt(1 - 0.99), rtol=1e-6)


def scalar_steps(kind: str, lr: float, tol: float = 1e-3, budget: int = 30_000) -> int:
    """A second implementation in plain floats: steps until within tol of (1, 1)."""
    x, y = -1.2, 1.0
    zx = zy = mx = my = vx = vy = 0.0
    for t in range(1, budget + 1):
        gx = -2 * (1 - x) - 400 * x * (y - x * x)
        gy = 200 * (y - x * x)
        if kind == "gd":
            x, y = x - lr * gx, y - lr * gy
        elif kind == "momentum":
            zx, zy = 0.9 * zx + gx, 0.9 * zy + gy
            x, y = x - lr * zx, y - lr * zy
        elif kind == "nesterov":  # heavy ball with the gradient taken at x - lr beta z
            ax, ay = x - lr * 0.9 * zx, y - lr * 0.9 * zy
            gx = -2 * (1 - ax) - 400 * ax * (ay - ax * ax)
            gy = 200 * (ay - ax * ax)
            zx, zy = 0.9 * zx + gx, 0.9 * zy + gy
            x, y = x - lr * zx, y - lr * zy
        else:  # adam
            mx, my = 0.9 * mx + 0.1 * gx, 0.9 * my + 0.1 * gy
            vx, vy = 0.999 * vx + 0.001 * gx * gx, 0.999 * vy + 0.001 * gy * gy
            c1, c2 = 1 - 0.9**t, 1 - 0.999**t
            x -= lr * (mx / c1) / (math.sqrt(vx / c2) + 1e-8)
            y -= lr * (my / c1) / (math.sqrt(vy / c2) + 1e-8)
        if math.hypot(x - 1, y - 1) < tol:
            return t
    return -1


@pytest.mark.parametrize(
    ("name", "kind", "reference"),
    [
        ("gd", "gd", 17_082),
        ("momentum", "momentum", 1_580),
        ("nesterov", "nesterov", 1_621),
        ("adam", "adam", 4_409),
    ],
)
def test_rosenbrock_step_counts_match_a_second_implementation(data, name, kind, reference):
    found = data.optimizers[name]
    steps = found.steps_to_tolerance
    assert abs(steps - scalar_steps(kind, found.hyperparameters["lr"])) <= 3
    assert abs(steps - reference) <= 3
    assert len(found.path) == steps + 1
    assert np.linalg.norm(found.path[-1] - 1.0) < 1e-3 <= np.linalg.norm(found.path[-2] - 1.0)


def test_nesterov_and_momentum_beat_gd_at_the_same_rate(data):
    gd = data.optimizers["gd"].steps_to_tolerance
    assert 0 < data.optimizers["nesterov"].steps_to_tolerance < gd / 5
    assert 0 < data.optimizers["momentum"].steps_to_tolerance < gd / 5


def test_loss_is_the_function_along_the_path(data):
    fn = Rosenbrock()
    for r in data.optimizers.values():
        np.testing.assert_allclose(r.loss, fn.value(r.path), rtol=1e-12)


def test_sweep_outcomes_follow_two_over_lambda_max(data):
    sweep = data.sweep
    assert set(sweep.outcome) == {"converged", "stalled", "diverged"}
    for lr, outcome in zip(sweep.lrs, sweep.outcome, strict=True):
        if outcome == "converged":
            assert lr < data.lr_limit
        else:  # above 2/lambda_max the minimum repels GD: it can only stall or blow up
            assert lr > data.lr_limit
    # a stalled run sits where the valley is just flat enough for its rate: lambda_max ~ 2/lr
    fn = Rosenbrock()
    for i in np.flatnonzero(np.array(sweep.outcome) == "stalled"):
        end = sweep.runs.path[-1, i]
        sharpness = np.linalg.eigvalsh(fn.hessian(end))[-1]
        assert sharpness * sweep.lrs[i] == pytest.approx(2.0, rel=0.25)


def test_momentum_past_its_edge_diverges():
    result = run(Rosenbrock(), HeavyBall(3.5e-3, 0.9), np.array([-1.2, 1.0]), 100, 1e-3)
    assert 5 <= result.diverged_at <= 30


def test_noise_ball_matches_stationary_variance():
    params = GradientDescentParams(sgd_runs=4000)
    ball = simulate(params, np.random.default_rng(3)).noise_ball
    # x <- x - lr (lambda x + s xi) has stationary variance lr s^2 / (lambda (2 - lr lambda))
    for lr, std in zip(ball.lrs, ball.empirical_std, strict=True):
        var = lr * ball.noise**2 / (ball.eigenvalues * (2 - lr * ball.eigenvalues))
        np.testing.assert_allclose(std, np.sqrt(var), rtol=0.05)
    # along the flat direction (lr lambda << 2): a quarter of the learning rate, half the radius
    assert ball.empirical_std[1, 0] / ball.empirical_std[0, 0] == pytest.approx(0.5, rel=0.05)


def test_saddle_holds_gd_on_its_ridge_and_noise_escapes(data):
    saddle = data.saddle
    assert np.linalg.norm(saddle.on_ridge.path[-1]) < 1e-4  # stuck at the saddle point
    assert abs(saddle.nudged.path[-1, 1]) > 0.9  # off the ridge, it escapes to a minimum
    assert np.all(np.abs(saddle.noisy.path[-1, :, 1]) > 0.8)
    assert saddle.escape_step["on_ridge"] == -1
    # off the ridge |y| grows by 1 + lr per step near the saddle: (1.1)^t 1e-4 reaches 0.5 late
    assert saddle.escape_step["nudged"] > np.log(0.5 / 1e-4) / np.log(1.1)
    assert np.all(saddle.escape_step["noisy"] > 0)


def test_every_array_exports_to_npz(tmp_path):
    from render.core.catalog import get_scene
    from render.publish.data_export import export_data

    spec = get_scene("gradient-descent")
    small = GradientDescentParams(max_steps=50, hover_steps=50, sweep_steps=50, sgd_runs=3)
    target = export_data(spec, small, "npz", tmp_path)
    with np.load(target) as npz:
        assert npz["optimizers.adam.path"].shape[1] == 2
        assert npz["landscape.contours.0"].shape[1] == 2
        assert npz["noise_ball.runs.1.path"].shape[1:] == (3, 2)


def test_same_seed_same_data():
    a = simulate(GradientDescentParams(), np.random.default_rng(7))
    b = simulate(GradientDescentParams(), np.random.default_rng(7))
    np.testing.assert_array_equal(a.noise_ball.final_points, b.noise_ball.final_points)


def test_bad_parameter_is_one_clear_error():
    with pytest.raises(UserError, match="sgd_lr"):
        GradientDescentParams.from_overrides({"sgd_lr": "0.5"})


def test_hessian_ellipse_is_a_level_set_of_the_quadratic_model(data):
    d = data.hessian_ellipse - data.minimum
    quadratic = 0.5 * np.einsum("ni,ij,nj->n", d, data.hessian_at_minimum, d)
    np.testing.assert_allclose(quadratic, 0.02, rtol=1e-10)
    # its long axis lies along the valley floor y = x^2, whose slope at x = 1 is 2
    long_axis = d[np.argmax(np.linalg.norm(d, axis=1))]
    assert abs(long_axis[1] / long_axis[0]) == pytest.approx(2.0, rel=0.01)
