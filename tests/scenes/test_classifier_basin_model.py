"""The classifier-basin model against independent computations.

Every expected number comes from a second method: central differences of the loss, of the
gradient and of the logits, scipy's SVD and eigensolvers, ARPACK on finite-difference
Hessian-vector products, a forward pass written here from the documented parameter layout,
Gauss-Newton built as an explicit block-diagonal product, and the closed-form Hessian of
softmax at equal logits. Nothing is compared with the model's own output.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.linalg
import scipy.sparse.linalg
import scipy.special
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

from render.core.errors import UserError
from scenes.classifier_basin import model, network
from scenes.classifier_basin.model import ClassifierParams, simulate

STEP = 1e-8  # central-difference step along unit vectors: moves no pre-activation past a kink
COORDINATE_STEP = 1e-6  # along one coordinate a pre-activation moves by at most this (|x| <= 1)


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread():
    """The matrices are small: BLAS threads would spin on a busy machine more than they help."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def data(one_blas_thread):
    return simulate(ClassifierParams(), np.random.default_rng(0))


@pytest.fixture(scope="module")
def setting(data):
    """The training set and shapes rebuilt from the data keys alone."""
    digits = load_digits()
    x = digits.data * data.input_scale
    shapes = network.Shapes(inputs=data.layers[0], hidden=data.layers[1], outputs=data.layers[2])
    train = (x[data.train_index], digits.target[data.train_index])
    test = (x[data.test_index], digits.target[data.test_index])
    return shapes, train, test


def logits_by_hand(layers, theta, x):
    """The documented layout: for each layer W (out x in, row-major) then b; ReLU between."""
    position, out = 0, x
    for layer, (fan_in, fan_out) in enumerate(itertools.pairwise(layers)):
        w = theta[position : position + fan_in * fan_out].reshape(fan_out, fan_in)
        position += fan_in * fan_out
        b = theta[position : position + fan_out]
        position += fan_out
        out = out @ w.T + b
        if layer < len(layers) - 2:
            out = np.maximum(out, 0.0)
    assert position == len(theta)
    return out


def hessian_columns_by_differences(gradient, theta, columns):
    cols = []
    for i in columns:
        e = np.zeros_like(theta)
        e[i] = STEP
        cols.append((gradient(theta + e) - gradient(theta - e)) / (2 * STEP))
    return np.array(cols).T


def test_split_is_stratified_disjoint_and_seeded():
    labels = load_digits().target
    rng = np.random.default_rng(4)
    train, test = model.stratified_split(labels, 0.25, rng)
    assert len(np.intersect1d(train, test)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(len(labels)))
    for c in range(10):
        assert np.sum(labels[test] == c) == round(0.25 * np.sum(labels == c))
    again = model.stratified_split(labels, 0.25, np.random.default_rng(4))
    np.testing.assert_array_equal(again[1], test)
    other = model.stratified_split(labels, 0.25, np.random.default_rng(5))
    assert not np.array_equal(other[1], test)


def test_accuracy_and_loss_recounted_from_the_data_keys(data, setting):
    _, (x, y), (x_test, y_test) = setting
    assert data.layers == [64, 24, 10] and data.activation == "relu"
    assert data.n_params == len(data.theta) == 24 * 65 + 10 * 25
    logits = logits_by_hand(data.layers, data.theta, x)
    cross_entropy = np.mean(scipy.special.logsumexp(logits, axis=1) - logits[np.arange(len(y)), y])
    loss = cross_entropy + data.weight_decay * data.theta @ data.theta / 2
    assert data.train_loss == pytest.approx(loss, rel=1e-12)
    assert data.train_accuracy == np.mean(logits.argmax(axis=1) == y)
    test_logits = logits_by_hand(data.layers, data.theta, x_test)
    assert data.test_accuracy == np.mean(test_logits.argmax(axis=1) == y_test)
    assert data.test_accuracy >= 0.9
    assert data.runs["main"].test_accuracy[-1] == data.test_accuracy


def test_examples_show_what_the_network_says(data):
    digits = load_digits()
    assert set(data.example_index) <= set(data.test_index)
    np.testing.assert_array_equal(data.example_labels, digits.target[data.example_index])
    np.testing.assert_allclose(data.example_images, digits.images[data.example_index] / 16)
    logits = logits_by_hand(data.layers, data.theta, digits.data[data.example_index] / 16)
    np.testing.assert_allclose(data.example_probabilities, scipy.special.softmax(logits, axis=1))


def test_training_point_is_away_from_every_kink(data, setting):
    """Central differences below are exact only inside one linear piece of every ReLU."""
    shapes, (x, _), _ = setting
    pre = network.forward(shapes, data.theta, x).pre
    assert np.abs(pre).min() > 10 * COORDINATE_STEP
    assert np.abs(pre).min() > 10 * STEP * np.sqrt(65)  # |[x, 1]| <= sqrt(65)


def test_gradient_matches_finite_differences(data, setting):
    shapes, (x, y), _ = setting
    rng = np.random.default_rng(1)
    theta = data.theta

    def loss(t):
        return network.loss(shapes, t, x, y, data.weight_decay)

    grad = network.gradient(shapes, theta, x, y, data.weight_decay)
    for i in rng.choice(shapes.size, 150, replace=False):
        e = np.zeros_like(theta)
        e[i] = 1e-6
        numeric = (loss(theta + e) - loss(theta - e)) / 2e-6
        assert numeric == pytest.approx(grad[i], abs=1e-9)
    for _ in range(5):  # whole-vector checks along random directions
        v = rng.normal(size=shapes.size)
        v /= np.linalg.norm(v)
        numeric = (loss(theta + 1e-6 * v) - loss(theta - 1e-6 * v)) / 2e-6
        assert numeric == pytest.approx(grad @ v, abs=1e-9)


@pytest.fixture(scope="module")
def dense(data, setting):
    shapes, (x, y), _ = setting
    return network.hessian(shapes, data.theta, x, y, data.weight_decay)


def test_dense_hessian_matches_finite_differences_of_the_gradient(data, setting, dense):
    shapes, (x, y), _ = setting
    hessian, _ = dense

    def grad(t):
        return network.gradient(shapes, t, x, y, data.weight_decay)

    rng = np.random.default_rng(2)
    columns = rng.choice(shapes.size, 120, replace=False)
    numeric = hessian_columns_by_differences(grad, data.theta, columns)
    np.testing.assert_allclose(hessian[:, columns], numeric, atol=1e-6 * np.abs(hessian).max())
    np.testing.assert_allclose(hessian, hessian.T, atol=1e-14)
    for _ in range(3):
        v = rng.normal(size=shapes.size)
        numeric = (grad(data.theta + STEP * v) - grad(data.theta - STEP * v)) / (2 * STEP)
        np.testing.assert_allclose(hessian @ v, numeric, atol=1e-6 * np.abs(numeric).max())
        product = network.Objective(shapes, data.theta, x, y, data.weight_decay)
        np.testing.assert_allclose(product.hessian_vector_product(v), hessian @ v, atol=1e-12)


def finite_difference_jacobian(shapes, theta, x, step=COORDINATE_STEP):
    """Logits are bilinear in the parameters inside one ReLU piece: central differences along a
    coordinate are exact up to rounding."""
    columns = []
    for i in range(shapes.size):
        e = np.zeros_like(theta)
        e[i] = step
        plus = network.forward(shapes, theta + e, x).logits
        minus = network.forward(shapes, theta - e, x).logits
        columns.append(((plus - minus) / (2 * step)).ravel())  # input-major, class-minor
    return np.array(columns).T


def test_jacobian_and_its_singular_values_match_finite_differences(data, setting):
    shapes, (x, y), _ = setting
    inputs = x[data.jacobian_index]
    assert np.abs(network.forward(shapes, data.theta, inputs).pre).min() > 10 * COORDINATE_STEP
    per_class = ClassifierParams().jacobian_per_class
    assert data.jacobian_index.tolist() == model.jacobian_inputs(y, per_class).tolist()
    for c in range(10):  # the first few of each digit in training order
        chosen = data.jacobian_index[y[data.jacobian_index] == c]
        np.testing.assert_array_equal(chosen, np.flatnonzero(y == c)[:per_class])
    numeric = finite_difference_jacobian(shapes, data.theta, inputs)
    np.testing.assert_allclose(data.jacobian, numeric, atol=1e-8)
    singular = scipy.linalg.svdvals(numeric)
    np.testing.assert_allclose(data.jacobian_singular_values, singular, rtol=1e-8, atol=1e-8)
    assert data.jacobian_rank == np.linalg.matrix_rank(numeric) == len(numeric)  # full row rank


def test_gauss_newton_is_j_transpose_softmax_hessian_j(data, setting, dense):
    """Built a second way: an explicit block-diagonal S between finite-difference Jacobians."""
    shapes, (x, _), _ = setting
    inputs = x[data.jacobian_index]
    numeric = finite_difference_jacobian(shapes, data.theta, inputs)
    p = scipy.special.softmax(logits_by_hand(data.layers, data.theta, inputs), axis=1)
    s = scipy.linalg.block_diag(*[np.diag(row) - np.outer(row, row) for row in p])
    expected = numeric.T @ s @ numeric / len(inputs)
    subset = network.gauss_newton(shapes, data.theta, inputs)
    np.testing.assert_allclose(subset, expected, atol=1e-8 * np.abs(expected).max())
    # over the whole training set, through random directions: q^T G q = mean (J_i q)^T S_i (J_i q)
    _, gn = dense
    rng = np.random.default_rng(3)
    q = np.linalg.qr(rng.normal(size=(shapes.size, 6)))[0]  # unit steps keep clear of the kinks
    jq = np.stack(
        [
            (
                network.forward(shapes, data.theta + 1e-6 * col, x).logits
                - network.forward(shapes, data.theta - 1e-6 * col, x).logits
            )
            / 2e-6
            for col in q.T
        ],
        axis=2,
    )  # (n, classes, 6)
    p = scipy.special.softmax(logits_by_hand(data.layers, data.theta, x), axis=1)
    s_jq = p[:, :, None] * jq - p[:, :, None] * np.sum(p[:, :, None] * jq, axis=1, keepdims=True)
    expected = np.einsum("ica,icb->ab", jq, s_jq) / len(x)
    np.testing.assert_allclose(q.T @ gn @ q, expected, rtol=1e-6)


def test_spectra_and_the_residual_term(data, dense):
    hessian, gn = dense
    eigenvalues = scipy.linalg.eigvalsh(hessian)[::-1]
    gn_eigenvalues = scipy.linalg.eigvalsh(gn)[::-1]
    np.testing.assert_allclose(data.hessian_eigenvalues, eigenvalues, atol=1e-12)
    np.testing.assert_allclose(data.gauss_newton_eigenvalues, gn_eigenvalues, atol=1e-12)
    assert np.all(np.diff(data.hessian_eigenvalues) <= 0)
    assert data.gauss_newton_eigenvalues.min() > -1e-12  # G is positive semi-definite
    tolerance = len(eigenvalues) * np.finfo(float).eps * eigenvalues[0]
    assert data.negative_eigenvalue_count == np.sum(eigenvalues < -tolerance) > 0
    residual = hessian - gn - data.weight_decay * np.eye(len(hessian))
    residual_eigenvalues = scipy.linalg.eigvalsh(residual)[::-1]
    np.testing.assert_allclose(data.residual_eigenvalues, residual_eigenvalues, atol=1e-12)
    assert data.residual_relative_norm == pytest.approx(
        np.linalg.norm(residual) / np.linalg.norm(hessian)
    )
    assert data.residual_relative_spectral_norm == pytest.approx(
        np.abs(residual_eigenvalues).max() / np.abs(eigenvalues).max()  # R is symmetric
    )
    assert data.lambda_max == pytest.approx(eigenvalues[0], rel=1e-12)
    assert data.hessian_trace == pytest.approx(np.trace(hessian), rel=1e-10)


def test_lambda_max_by_lanczos_and_power_iteration(data, setting):
    """ARPACK (Lanczos) on Hessian-vector products by finite differences of the gradient."""
    shapes, (x, y), _ = setting

    def hvp(v):
        v = np.ravel(v)
        plus = network.gradient(shapes, data.theta + STEP * v, x, y, data.weight_decay)
        minus = network.gradient(shapes, data.theta - STEP * v, x, y, data.weight_decay)
        return (plus - minus) / (2 * STEP)

    operator = scipy.sparse.linalg.LinearOperator((shapes.size,) * 2, matvec=hvp, dtype=float)
    lanczos = scipy.sparse.linalg.eigsh(operator, k=1, which="LA", return_eigenvectors=False)[0]
    assert data.lambda_max == pytest.approx(lanczos, rel=1e-6)
    assert data.power_iteration[-1] == pytest.approx(lanczos, rel=1e-6)
    assert data.lanczos[-1] == pytest.approx(lanczos, rel=1e-6)
    assert np.all(data.lanczos <= data.lambda_max * (1 + 1e-12))  # Ritz values lie below
    assert np.all(np.diff(data.lanczos) >= -1e-12 * data.lambda_max)  # and only rise
    # Lanczos gets there in far fewer products than power iteration
    first = np.argmax(data.lanczos > data.lambda_max * (1 - 1e-6))
    assert first < np.argmax(data.power_iteration > data.lambda_max * (1 - 1e-6))
    v = data.top_eigenvector
    assert np.linalg.norm(hvp(v) - data.lambda_max * v) < 1e-5 * data.lambda_max


def explained_null_vectors(data, shapes, x):
    """The zero directions the model counts, built here from their definitions."""
    f = network.forward(shapes, data.theta, x)
    augmented = np.hstack([x, np.ones((len(x), 1))])
    unseen, rescale, shift = [], [], []
    w1, b1, w2, _ = shapes.unpack(data.theta)
    for j in range(shapes.hidden):
        _, sv, vt = np.linalg.svd(augmented[f.active[:, j] > 0])
        for v in vt[np.sum(sv > 1e-10 * sv[0]) :]:
            z = np.zeros((shapes.hidden, 65))
            z[j] = v
            unseen.append(shapes.pack(z[:, :64], z[:, 64], np.zeros_like(w2), np.zeros(10)))
        zw1, zb1, zw2 = np.zeros_like(w1), np.zeros_like(b1), np.zeros_like(w2)
        zw1[j], zb1[j], zw2[:, j] = w1[j], b1[j], -w2[:, j]
        rescale.append(shapes.pack(zw1, zb1, zw2, np.zeros(10)))
        zw2 = np.zeros_like(w2)
        zw2[:, j] = 1.0
        shift.append(shapes.pack(np.zeros_like(w1), np.zeros_like(b1), zw2, np.zeros(10)))
    shift.append(shapes.pack(np.zeros_like(w1), np.zeros_like(b1), np.zeros_like(w2), np.ones(10)))
    return np.array(unseen), np.array(rescale), np.array(shift)


def test_zero_directions_are_what_the_model_says(data, setting, dense):
    shapes, (x, _), _ = setting
    hessian, gn = dense
    zero = data.zero_directions
    assert zero.dead_units.size == 0
    lit = np.sum(x != 0, axis=0)
    np.testing.assert_array_equal(zero.pixel_lit_counts, lit)
    np.testing.assert_array_equal(zero.blank_pixels, np.flatnonzero(lit == 0))
    unseen, rescale, shift = explained_null_vectors(data, shapes, x)
    assert zero.counts["unseen_weights"] == len(unseen) >= len(zero.blank_pixels) * shapes.hidden
    assert zero.counts["rescaling"] == len(rescale) and zero.counts["logit_shift"] == len(shift)
    scale = data.lambda_max
    for vectors in (unseen, shift):  # exact zero directions of H and G
        assert np.abs(hessian @ vectors.T).max() < 1e-12 * scale * np.abs(vectors).max()
        assert np.abs(gn @ vectors.T).max() < 1e-12 * scale * np.abs(vectors).max()
    for v in rescale:  # the same function along the rescaling: J v = 0 on every training input
        change = network.forward(shapes, data.theta + 1e-6 * v, x).logits
        change -= network.forward(shapes, data.theta - 1e-6 * v, x).logits
        assert np.abs(change).max() / 2e-6 < 1e-8 * np.linalg.norm(v)
        assert np.abs(gn @ v).max() < 1e-12 * scale * np.linalg.norm(v)
    curvature = np.einsum("ij,jk,ik->i", rescale, hessian, rescale) / np.sum(rescale**2, axis=1)
    np.testing.assert_allclose(zero.rescaling_curvature, curvature, rtol=1e-10)
    assert 0 < np.abs(curvature).max() < 1e-3 * scale  # nearly but not exactly flat in H
    explained = np.vstack([unseen, rescale])
    assert np.linalg.matrix_rank(explained) == len(explained)
    assert np.linalg.matrix_rank(np.vstack([explained, shift])) == len(explained) + len(shift)


def test_rank_of_the_training_jacobian_and_the_rare_pixel_trades(data, setting):
    """The null space of J over all training inputs: J^T J from J's definition (the Gram of
    finite-difference Jacobian-vector products checks it), its eigenvalue gap, and where the
    directions beyond the explained ones live."""
    shapes, (x, _), _ = setting
    zero = data.zero_directions
    identity = np.broadcast_to(np.eye(10), (len(x), 10, 10))
    gram = network.gauss_newton(shapes, data.theta, x, identity)
    rng = np.random.default_rng(6)
    q = np.linalg.qr(rng.normal(size=(shapes.size, 4)))[0]
    jq = [
        (
            network.forward(shapes, data.theta + 1e-6 * c, x).logits
            - network.forward(shapes, data.theta - 1e-6 * c, x).logits
        ).ravel()
        / 2e-6
        for c in q.T
    ]
    np.testing.assert_allclose(q.T @ gram @ q, np.array(jq) @ np.array(jq).T / len(x), rtol=1e-6)
    values, vectors = scipy.linalg.eigh(gram)
    null = shapes.size - zero.training_jacobian_rank
    causes = ("unseen_weights", "dead_unit_outputs", "rescaling", "rare_pixel_trades")
    assert null == zero.jacobian_null == sum(zero.counts[k] for k in causes)
    assert values[null] > 1e4 * abs(values[null - 1])  # a clean gap of many orders
    unseen, rescale, _ = explained_null_vectors(data, shapes, x)
    basis, _ = np.linalg.qr(np.vstack([unseen, rescale]).T)
    rest = vectors[:, :null] - basis @ (basis.T @ vectors[:, :null])
    u, sv, _ = np.linalg.svd(rest, full_matrices=False)
    extra = u[:, sv > 1e-3]  # the rest is 1 (new directions) or rounding noise (1e-6 and less)
    assert extra.shape[1] == zero.counts["rare_pixel_trades"] > 0
    w1_part = extra[: shapes.hidden * 64].reshape(shapes.hidden, 64, -1)
    rare = (np.sum(x != 0, axis=0) > 0) & (np.sum(x != 0, axis=0) < model.RARE_PIXEL_IMAGES)
    np.testing.assert_array_equal(zero.rare_pixels, np.flatnonzero(rare))
    assert np.sum(w1_part[:, rare] ** 2) > 0.99 * np.sum(extra**2)


def test_gradient_descent_runs_and_their_sharpness(data, setting):
    """Plain GD re-run here from the same start; sharpness against dense eigenvalues."""
    params = ClassifierParams()
    shapes, (x, y), _ = setting
    rng = np.random.default_rng(params.seed)
    model.digits_split(params.test_fraction, rng)
    theta = model.initial_parameters(shapes, rng)
    run = data.runs["main"]
    assert run.lr == params.lr == data.lr
    for step in range(params.steps + 1):
        if step in (0, 20, 150):
            hessian, _ = network.hessian(shapes, theta, x, y, data.weight_decay)
            i = int(np.flatnonzero(run.checkpoints == step)[0])
            assert run.sharpness[i] == pytest.approx(scipy.linalg.eigvalsh(hessian)[-1], rel=1e-3)
            assert run.trace[i] == pytest.approx(np.trace(hessian), rel=1e-10)
            assert run.loss[step] == pytest.approx(network.loss(shapes, theta, x, y, 0.0))
        if step < params.steps:
            theta = theta - params.lr * network.gradient(shapes, theta, x, y, data.weight_decay)
    np.testing.assert_allclose(run.theta, theta, atol=1e-12)
    np.testing.assert_array_equal(run.theta, data.theta)


def test_the_edge_of_stability_and_the_confidence_decline(data):
    for name in ("slow", "main", "fast"):
        run = data.runs[name]
        edge = run.edge
        assert edge["peak"] >= 2 / run.lr  # every run reaches its own 2/lr ...
        assert 0.9 < edge["settled_ratio"] <= 1.0  # ... and then stays just under it
        late = run.checkpoints >= edge["settle_step"]
        after_peak = run.sharpness[late][np.argmax(run.sharpness[late]) :]
        assert np.all(np.diff(after_peak) < 1e-3 * edge["settled_peak"])  # afterwards it falls,
        assert run.sharpness[-1] < 0.85 * edge["settled_peak"]
        assert np.all(np.diff(run.confidence[late]) > 0)  # while confidence only grows
        assert np.all(np.diff(run.softmax_curvature[late]) < 0)
        assert run.test_accuracy[-1] >= 0.9
    slow, main, fast = (data.runs[k] for k in ("slow", "main", "fast"))
    assert slow.sharpness[-1] > main.sharpness[-1] > fast.sharpness[-1]  # ordered by 1/lr


def test_the_collapse_is_the_flattest_and_useless(data, setting):
    """Past the edge every ReLU but a few dies; at equal logits S = (I - 11^T/10)/10, whose top
    eigenvalue is 1/10, so lambda_max near 0.1 is the Hessian of a network that says 'uniform'."""
    shapes, (x, y), (x_test, y_test) = setting
    run = data.runs["collapse"]
    assert len(run.dead_units) >= shapes.hidden - 2
    assert run.loss[-1] == pytest.approx(np.log(10), abs=2e-3)
    logits = logits_by_hand(data.layers, run.theta, x_test)
    assert np.mean(logits.argmax(axis=1) == y_test) == pytest.approx(run.test_accuracy[-1])
    assert run.test_accuracy[-1] < 0.2
    s = (np.eye(10) - np.ones((10, 10)) / 10) / 10
    assert np.linalg.eigvalsh(s)[-1] == pytest.approx(0.1)
    hessian, _ = network.hessian(shapes, run.theta, x, y, data.weight_decay)
    top = scipy.linalg.eigvalsh(hessian)[-1]
    assert run.sharpness[-1] == pytest.approx(top, rel=1e-6)
    assert 0.1 <= top < 0.15 < min(r.sharpness[-1] for k, r in data.runs.items() if k != "collapse")


def test_rescaling_keeps_the_function_and_changes_lambda_max(data, setting, dense):
    """In rescaled coordinates theta' = D theta the loss is L(D^-1 theta'), so its Hessian is
    D^-1 H D^-1: the dense answer for every factor, without re-differentiating."""
    shapes, (x, _), _ = setting
    hessian, _ = dense
    scale = data.rescaling
    assert np.all(scale["max_logit_change"] < 1e-12)
    one = int(np.argmin(np.abs(scale["factor"] - 1)))
    assert scale["lambda_max"][one] == pytest.approx(data.lambda_max, rel=1e-9)
    hidden_size = shapes.hidden * 65
    for a, top in zip(scale["factor"][::4], scale["lambda_max"][::4], strict=True):
        d_inv = np.concatenate(
            [np.full(hidden_size, 1 / a), np.full(10 * shapes.hidden, a), np.ones(10)]
        )
        expected = scipy.linalg.eigvalsh(d_inv[:, None] * hessian * d_inv[None, :])[-1]
        assert top == pytest.approx(expected, rel=1e-6)
        rescaled = network.rescale(shapes, data.theta, a)
        np.testing.assert_allclose(
            logits_by_hand(data.layers, rescaled, x),
            logits_by_hand(data.layers, data.theta, x),
            atol=1e-12,
        )
    assert scale["lambda_max"].max() > 5 * scale["lambda_max"][one]


def test_model_is_deterministic():
    params = ClassifierParams(steps=30, collapse_steps=10, hidden=8)
    a = simulate(params, np.random.default_rng(3))
    b = simulate(params, np.random.default_rng(3))
    np.testing.assert_array_equal(a.theta, b.theta)
    np.testing.assert_array_equal(a.runs["fast"].sharpness, b.runs["fast"].sharpness)
    np.testing.assert_array_equal(a.hessian_eigenvalues, b.hessian_eigenvalues)
    c = simulate(params, np.random.default_rng(4))
    assert not np.array_equal(a.test_index, c.test_index)


def test_weight_decay_shifts_the_spectrum_by_itself():
    """H = G + R + wd I, so by Weyl's inequality each eigenvalue of H lies within |R|_2 of the
    same-ranked eigenvalue of G plus wd, and nothing is exactly flat any more."""
    params = ClassifierParams(steps=30, collapse_steps=10, hidden=8, weight_decay=0.01)
    data = simulate(params, np.random.default_rng(0))
    assert data.zero_directions.hessian_null == 0
    gap = np.abs(data.hessian_eigenvalues - (data.gauss_newton_eigenvalues + 0.01))
    assert gap.max() <= np.abs(data.residual_eigenvalues).max() + 1e-12


def test_bad_parameters_are_refused_with_one_line():
    with pytest.raises(UserError, match="hidden"):
        ClassifierParams.from_overrides({"hidden": "500"})
    with pytest.raises(UserError, match="test_fraction"):
        ClassifierParams.from_overrides({"test_fraction": "0.9"})
