"""The basin-flatness model against finite differences, the SVD of J, Lanczos and closed forms.

Nothing here compares the model with its own output: every expected number comes from a second
method (central differences, scipy's SVD, ARPACK on finite-difference Hessian-vector products,
numerical integration, or the closed-form behaviour of gradient descent on a quadratic).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.integrate
import scipy.linalg
import scipy.sparse.linalg
import scipy.stats

from render.core.errors import UserError
from scenes.basin_flatness import model
from scenes.basin_flatness.model import BasinParams, simulate


@pytest.fixture(scope="module")
def data():
    return simulate(BasinParams(), np.random.default_rng(0))


def central_difference(function, theta: np.ndarray, step: float) -> np.ndarray:
    """Derivatives of ``function`` along every coordinate, one column per parameter."""
    columns = []
    for i in range(len(theta)):
        e = np.zeros_like(theta)
        e[i] = step
        columns.append(
            (np.asarray(function(theta + e)) - np.asarray(function(theta - e))) / (2 * step)
        )
    return np.array(columns).T


def test_model_is_deterministic():
    a = simulate(BasinParams(), np.random.default_rng(3))
    b = simulate(BasinParams(), np.random.default_rng(3))
    np.testing.assert_array_equal(a.theta, b.theta)
    np.testing.assert_array_equal(a.power_iteration, b.power_iteration)
    np.testing.assert_array_equal(a.toy.cloud_theta, b.toy.cloud_theta)


def test_sizes_and_zero_residual(data):
    assert data.n_params == 3 * 50 + 1 == data.theta.size
    assert 100 <= data.n_params <= 200
    assert data.n_points == 20 == data.jacobian.shape[0]
    assert data.final_loss < 1e-20
    residual = model.outputs(data.theta, data.x, data.hidden) - data.y
    assert np.sum(residual**2) == pytest.approx(data.final_loss, abs=1e-24)


def test_fitted_point_is_away_from_every_kink(data):
    """The finite differences below are valid only inside one linear piece of every ReLU."""
    w, b, _, _ = model.split(data.theta, data.hidden)
    assert np.min(np.abs(np.outer(data.x, w) + b)) > 1e-3


def test_jacobian_matches_finite_differences(data):
    numeric = central_difference(lambda t: model.outputs(t, data.x, data.hidden), data.theta, 1e-6)
    np.testing.assert_allclose(data.jacobian, numeric, atol=1e-8)


@pytest.mark.parametrize("offset", [0.0, 0.03])
def test_gradient_and_hessian_match_finite_differences(data, offset):
    """At the minimum and at a point with non-zero residual, where the second-order term counts."""
    rng = np.random.default_rng(11)
    theta = data.theta + offset * rng.normal(size=data.n_params)
    w, b, _, _ = model.split(theta, data.hidden)
    assert np.min(np.abs(np.outer(data.x, w) + b)) > 1e-3  # still inside the same linear pieces

    def loss(t):
        return model.loss(t, data.x, data.y, data.hidden)

    def grad(t):
        return model.gradient(t, data.x, data.y, data.hidden)

    numeric_grad = central_difference(loss, theta, 1e-6)
    np.testing.assert_allclose(grad(theta), numeric_grad, atol=1e-6)
    analytic = model.hessian(theta, data.x, data.y, data.hidden)
    numeric = central_difference(grad, theta, 1e-6)
    np.testing.assert_allclose(analytic, numeric, atol=1e-6 * np.abs(analytic).max())
    if offset:  # the residual term is really there: 2 J^T J alone would not match
        jac = model.jacobian(theta, data.x, data.hidden)
        assert np.abs(2 * jac.T @ jac - numeric).max() > 1e-3


def test_hessian_eigenvalues_are_twice_squared_singular_values(data):
    singular = scipy.linalg.svdvals(data.jacobian)
    rank = np.linalg.matrix_rank(data.jacobian)
    np.testing.assert_allclose(data.hessian_eigenvalues[:rank], 2 * singular[:rank] ** 2, rtol=1e-9)
    np.testing.assert_allclose(data.jacobian_singular_values, singular, rtol=1e-12)


def test_zero_eigenvalues_count_the_null_space_of_j(data):
    rank = np.linalg.matrix_rank(data.jacobian)
    assert data.rank_j == rank == data.n_points
    assert data.null_count == data.n_params - rank == 131
    eigenvalues = scipy.linalg.eigvalsh(data.hessian)
    near_zero = np.abs(eigenvalues) < 1e-9 * eigenvalues.max()
    assert near_zero.sum() == data.null_count == data.zero_eigenvalue_count
    # a clean gap: the smallest non-zero eigenvalue is many orders above the largest "zero"
    assert data.hessian_eigenvalues[rank - 1] > 1e6 * np.abs(data.hessian_eigenvalues[rank:]).max()


def test_null_direction_leaves_outputs_still_to_first_order(data):
    assert np.linalg.norm(data.null_direction) == pytest.approx(1.0)
    assert np.abs(data.jacobian @ data.null_direction).max() < 1e-10
    top = data.top_eigenvector
    assert np.linalg.norm(data.hessian @ top - data.lambda_max * top) < 1e-8 * data.lambda_max


def test_power_iteration_reaches_lanczos_lambda_max(data):
    """ARPACK (Lanczos) on Hessian-vector products by finite differences of the gradient."""
    step = 1e-6

    def hvp(v):
        v = np.ravel(v)
        plus = model.gradient(data.theta + step * v, data.x, data.y, data.hidden)
        minus = model.gradient(data.theta - step * v, data.x, data.y, data.hidden)
        return (plus - minus) / (2 * step)

    operator = scipy.sparse.linalg.LinearOperator((data.n_params,) * 2, matvec=hvp, dtype=float)
    lanczos = scipy.sparse.linalg.eigsh(operator, k=1, which="LA", return_eigenvectors=False)[0]
    assert data.lambda_max == pytest.approx(lanczos, rel=1e-6)
    assert abs(data.power_iteration[-1] - lanczos) < 1e-3 * lanczos
    assert len(data.power_iteration) == BasinParams().power_iterations
    assert np.all(data.power_iteration <= lanczos * (1 + 1e-9))  # Rayleigh quotients lie below


def test_second_order_change_along_top_eigenvector_is_half_lambda(data):
    def loss_at(t):
        return model.loss(data.theta + t * data.top_eigenvector, data.x, data.y, data.hidden)

    for eps in (1e-3, 1e-4):
        assert (loss_at(eps) - loss_at(0.0)) / eps**2 == pytest.approx(
            data.lambda_max / 2, rel=1e-3
        )


def test_loss_slices(data):
    top, null = data.slices["top"], data.slices["null"]
    np.testing.assert_allclose(top.t, null.t)
    expected_top = [
        model.loss(data.theta + t * data.top_eigenvector, data.x, data.y, data.hidden)
        for t in top.t
    ]
    np.testing.assert_allclose(top.loss, expected_top, rtol=1e-12, atol=1e-24)
    near = np.abs(top.t) < 0.2 * top.t.max()
    np.testing.assert_allclose(
        top.loss[near], data.lambda_max * top.t[near] ** 2 / 2, rtol=0.05, atol=1e-20
    )
    # along the null direction the loss rises only at fourth order: far below the top slice
    assert null.loss.max() < 1e-4 * top.loss.max()
    middle = len(top.t) // 2
    np.testing.assert_allclose(top.curves[middle], data.curve, atol=1e-12)
    np.testing.assert_allclose(null.curves[middle], data.curve, atol=1e-12)


def test_gradient_descent_follows_one_minus_lr_lambda(data):
    """Near the minimum, along the top eigenvector, GD multiplies the offset by (1 - lr lambda)."""
    margin = BasinParams().lr_margin
    for name, factor in (("stable", 1 - margin), ("unstable", 1 + margin)):
        run = data.gd[name]
        assert run.lr == pytest.approx(factor * 2 / data.lambda_max)
        expected_ratio = (1 - run.lr * data.lambda_max) ** 2
        np.testing.assert_allclose(run.loss[1:4] / run.loss[:3], expected_ratio, rtol=0.02)
    assert data.gd["stable"].loss[-1] < 1e-6 * data.gd["stable"].loss[0]
    assert data.gd["unstable"].loss[-1] > 100 * data.gd["unstable"].loss[0]


def test_rescaling_keeps_the_function_and_changes_the_sharpness(data):
    scale = data.rescaling
    assert np.all(scale["max_output_change"] < 1e-12)
    one = np.argmin(np.abs(scale["factor"] - 1.0))
    assert scale["lambda_max"][one] == pytest.approx(data.lambda_max, rel=1e-12)
    assert scale["lambda_max"].max() > 4 * scale["lambda_max"].min()
    # check one rescaled point independently: its loss is zero and its Hessian's top eigenvalue
    rescaled = model.rescale(data.theta, 4.0, data.hidden)
    assert model.loss(rescaled, data.x, data.y, data.hidden) < 1e-20
    numeric = central_difference(
        lambda t: model.gradient(t, data.x, data.y, data.hidden), rescaled, 1e-6
    )
    top = scipy.linalg.eigvalsh((numeric + numeric.T) / 2)[-1]
    assert scale["lambda_max"][-1] == pytest.approx(top, rel=1e-5)


def test_toy_landscape_curvatures_and_noise_cloud():
    params = BasinParams(cloud=2000, noise=0.05)
    toy = simulate(params, np.random.default_rng(5)).toy
    h = 1e-4
    for m, curvature in zip(toy.minima, toy.curvatures, strict=True):
        assert model.toy_loss(np.array(m)) == 0.0
        second = (model.toy_loss(np.array(m + h)) - 2 * 0 + model.toy_loss(np.array(m - h))) / h**2
        assert second == pytest.approx(curvature, rel=1e-4)
        exact, _ = scipy.integrate.quad(
            lambda e, m=m: (
                model.toy_loss(np.array(m + e)) * scipy.stats.norm.pdf(e, 0, params.noise)
            ),
            -8 * params.noise,
            8 * params.noise,
        )
        i = list(toy.minima).index(m)
        standard_error = toy.cloud_loss[i].std() / np.sqrt(params.cloud)
        assert abs(toy.mean_increase[i] - exact) < 4 * standard_error
        assert exact == pytest.approx(curvature * params.noise**2 / 2, rel=0.05)
    assert toy.mean_increase[0] > 10 * toy.mean_increase[1]


def test_bad_parameters_are_refused_with_one_line():
    with pytest.raises(UserError, match="hidden >= points - 1"):
        BasinParams(hidden=10, points=20)
    with pytest.raises(UserError, match="hidden"):
        BasinParams.from_overrides({"hidden": "500"})
