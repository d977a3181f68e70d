"""Classifier basin: what the Hessian of a trained digits classifier measures.

A one-hidden-layer ReLU network (64 -> ``hidden`` -> 10, about two thousand parameters) is trained
with plain full-batch gradient descent on scikit-learn's bundled 8x8 handwritten digits. At the
trained point the model computes the behavioral-gradient matrix J (every logit of a documented
subset of training inputs, by every parameter), the Gauss-Newton matrix G = J^T H_softmax J / n
over the whole training set, and the exact dense Hessian H = G + R (R: the residual term, which
a regression net at zero loss does not have and a classifier always does), their spectra, and
the directions in which the loss cannot change.

Then it asks what the number people call sharpness (lambda_max, found by power iteration or
Lanczos on Hessian-vector products) is really measuring:

- the optimizer: gradient descent at rate lr drives lambda_max up to about 2/lr and holds it
  there (the edge of stability), so runs at different rates end at different sharpness;
- confidence: cross-entropy's curvature in the logits, diag(p) - p p^T, vanishes as the
  probabilities saturate, so lambda_max falls late in training while the decisions stay put;
- the coordinates: rescaling a ReLU layer gives the same function at a different lambda_max;
- and, as the failure case, a run at a rate past the edge whose ReLUs all die: the flattest
  point of all, and a useless classifier.

Pure numpy/scipy (scikit-learn only ships the data); every draw comes from ``rng``. BLAS runs on
one thread: the matrices are small enough that extra threads spin more than they compute.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import scipy
from threadpoolctl import threadpool_limits

from render.core.params import Params, param
from scenes.classifier_basin import network
from scenes.classifier_basin.network import Shapes

INPUT_SCALE = 1.0 / 16.0  # load_digits pixels are integers 0..16
OUTPUT_INIT_SCALE = 0.1  # the output layer starts small, so the network starts flat
RARE_PIXEL_IMAGES = 10  # a pixel lit in fewer training images than this counts as rare
RESCALINGS = np.geomspace(0.25, 4.0, 9)  # a in (W1, b1, W2, b2) -> (a W1, a b1, W2 / a, b2)
TRACKING_LANCZOS_STEPS = 10  # per sharpness measurement in training, warm-started
EXAMPLES_PER_ROW = 6  # digits shown with the network's answer


@dataclasses.dataclass(frozen=True)
class ClassifierParams(Params):
    scene_id = "classifier-basin"

    hidden: int = param(24, "hidden ReLU units (N = 65 hidden + 10 (hidden + 1))", min=8, max=40)
    test_fraction: float = param(0.25, "share of each digit class held out", min=0.1, max=0.5)
    lr: float = param(1.0, "gradient descent's rate for the classifier analysed", min=0.05, max=1.9)
    slow_lr: float = param(
        0.5, "a slower rate, for the edge-of-stability curves", min=0.05, max=1.9
    )
    fast_lr: float = param(
        1.5, "a faster rate, for the edge-of-stability curves", min=0.05, max=1.9
    )
    collapse_lr: float = param(2.0, "a rate past the edge: the failure case", min=0.05, max=10.0)
    steps: int = param(300, "full-batch gradient-descent steps of every run", min=20, max=3000)
    collapse_steps: int = param(100, "steps of the run past the edge", min=10, max=3000)
    sharpness_every: int = param(10, "steps between sharpness measurements", min=1, max=100)
    weight_decay: float = param(
        0.0, "adds weight_decay |theta|^2 / 2 to the loss", min=0.0, max=0.1
    )
    jacobian_per_class: int = param(1, "training inputs per class in J", min=1, max=20)
    power_iterations: int = param(40, "power-iteration steps towards lambda_max", min=5, max=300)
    lanczos_steps: int = param(30, "Lanczos steps towards lambda_max", min=5, max=300)


@dataclasses.dataclass(frozen=True)
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray  # rows of load_digits()
    test_index: np.ndarray


@dataclasses.dataclass(frozen=True)
class Run:
    """One full-batch gradient-descent run from the shared starting point."""

    lr: float
    loss: np.ndarray  # training loss before each step and after the last, steps + 1 values
    checkpoints: np.ndarray  # steps at which the rest was measured
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    confidence: np.ndarray  # mean over training inputs of the largest probability
    softmax_curvature: np.ndarray  # mean over training inputs of tr S_i = 1 - |p_i|^2
    sharpness: np.ndarray  # lambda_max of the Hessian (Lanczos on Hessian-vector products)
    trace: np.ndarray  # trace of the Hessian
    dead_units: np.ndarray  # hidden units inactive on every training input
    theta: np.ndarray  # parameters after the last step
    edge: dict[str, float]  # see edge_of_stability


@dataclasses.dataclass(frozen=True)
class ZeroDirections:
    """Directions in which the loss cannot change, counted from their causes.

    - ``unseen_weights``: unit j only ever sees the training images that switch it on, so any
      change of its incoming weights and bias orthogonal to all of those [x_i, 1] does nothing:
      65 - rank([x_i, 1] : unit j active) directions per unit. This holds the weights from
      ``blank_pixels`` (0 on every training image) and all 65 of a dead unit's.
    - ``dead_unit_outputs``: the 10 outgoing weights of each unit dead on every training image.
    - ``rescaling``: per live unit, the tangent (w_j, b_j, -W2[:, j]) of the rescaling that
      leaves the function unchanged. J v = 0, but H v = 0 only where the gradient is 0.
    - ``rare_pixel_trades``: what the training-set J measures beyond those: weights from the
      ``rare_pixels`` (lit in a handful of training images) traded between units so that those
      few images' logits stay put.
    - ``logit_shift``: adding the same amount to all 10 logits leaves softmax unchanged: b2 + t 1
      and W2 + 1 u^T (u on the live units). J v is not 0 (the logits move) but S J v is, so
      these are zero directions of G and of H (without weight decay), not of J.
    """

    pixel_lit_counts: np.ndarray  # training images in which each of the 64 pixels is non-zero
    blank_pixels: np.ndarray
    rare_pixels: np.ndarray  # lit in 1..RARE_PIXEL_IMAGES - 1 training images
    dead_units: np.ndarray
    counts: dict[str, int]
    training_jacobian_rank: int  # rank of J over every training input (from J^T J)
    jacobian_null: int  # N - training_jacobian_rank
    gauss_newton_null: int  # jacobian_null + logit_shift
    hessian_null: int  # exact zeros of H: unseen, dead outputs, logit shift (0 with weight decay)
    rescaling_curvature: np.ndarray  # v^T H v / v^T v along each unit's rescaling tangent


@dataclasses.dataclass(frozen=True)
class ClassifierData:
    layers: list[int]
    activation: str
    n_params: int
    input_scale: float
    train_index: np.ndarray
    test_index: np.ndarray
    weight_decay: float
    lr: float
    theta: np.ndarray  # the trained classifier (the run at lr)
    train_loss: float
    train_accuracy: float
    test_accuracy: float
    example_index: np.ndarray  # rows of load_digits() shown in the scene (test images)
    example_images: np.ndarray  # (k, 8, 8) scaled pixels
    example_labels: np.ndarray
    example_probabilities: np.ndarray  # (k, 10)
    jacobian_index: np.ndarray  # positions in train_index of J's inputs
    jacobian: np.ndarray  # (10 k, N): rows input-major, class-minor
    jacobian_singular_values: np.ndarray  # descending
    jacobian_rank: int
    hessian_eigenvalues: np.ndarray  # descending, the exact dense Hessian
    gauss_newton_eigenvalues: np.ndarray  # descending
    residual_eigenvalues: np.ndarray  # descending, R = H - G - weight_decay I
    residual_relative_norm: float  # |R|_F / |H|_F
    residual_relative_spectral_norm: float  # |R|_2 / |H|_2
    hessian_rank: int  # eigenvalues above N eps |lambda|_max in absolute value
    gauss_newton_rank: int
    negative_eigenvalue_count: int  # eigenvalues of H below -N eps |lambda|_max
    lambda_max: float  # dense
    gauss_newton_lambda_max: float
    hessian_trace: float
    top_eigenvector: np.ndarray  # unit eigenvector of lambda_max (from Lanczos)
    power_iteration: np.ndarray  # Rayleigh quotient per power-iteration step
    lanczos: np.ndarray  # largest Ritz value per Lanczos step
    zero_directions: ZeroDirections
    runs: dict[str, Run]  # "slow", "main", "fast" (the edge of stability) and "collapse"
    rescaling: dict[str, np.ndarray]  # factor, lambda_max, max_logit_change


# --- data --------------------------------------------------------------------------------------


def stratified_split(labels: np.ndarray, test_fraction: float, rng: np.random.Generator):
    """Each class shuffled and cut at round(test_fraction * its size): the same mix of digits in
    both parts. Returns sorted (train, test) row indices."""
    train, test = [], []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        cut = round(test_fraction * len(rows))
        test.append(rows[:cut])
        train.append(rows[cut:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(test))


def bundled_digits() -> Any:
    """scikit-learn's bundled 8x8 digits (no download). scikit-learn is imported here, not with
    the module, because every command loads the scene registry and this import alone takes a
    third of a second."""
    from sklearn.datasets import load_digits

    return load_digits()


def digits_split(test_fraction: float, rng: np.random.Generator) -> Split:
    digits = bundled_digits()
    x = digits.data * INPUT_SCALE
    train, test = stratified_split(digits.target, test_fraction, rng)
    return Split(x[train], digits.target[train], x[test], digits.target[test], train, test)


def initial_parameters(shapes: Shapes, rng: np.random.Generator) -> np.ndarray:
    """He-scaled hidden layer; a small output layer, so that training starts where the loss is
    flat and the rise of the sharpness (progressive sharpening) is visible."""
    w1 = rng.normal(0.0, np.sqrt(2.0 / shapes.inputs), size=(shapes.hidden, shapes.inputs))
    w2_scale = OUTPUT_INIT_SCALE / np.sqrt(shapes.hidden)
    w2 = rng.normal(0.0, w2_scale, size=(shapes.outputs, shapes.hidden))
    return shapes.pack(w1, np.zeros(shapes.hidden), w2, np.zeros(shapes.outputs))


def accuracy(shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(network.forward(shapes, theta, x).logits.argmax(axis=1) == labels))


# --- measuring the Hessian without forming it --------------------------------------------------


def power_iteration(objective: network.Objective, start: np.ndarray, iterations: int) -> np.ndarray:
    """Rayleigh quotient v^T H v of the normalised iterate, per step (needs only H v)."""
    v = start / np.linalg.norm(start)
    estimates = []
    for _ in range(iterations):
        product = objective.hessian_vector_product(v)
        estimates.append(float(v @ product))
        v = product / np.linalg.norm(product)
    return np.array(estimates)


def lanczos(
    objective: network.Objective, start: np.ndarray, steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """Lanczos on Hessian-vector products, fully reorthogonalised.

    Builds an orthonormal basis Q of the Krylov space {v, Hv, H^2 v, ...} in which H is
    tridiagonal; the largest eigenvalue of that small matrix (a Ritz value) approaches
    lambda_max far faster than power iteration, and from below. Returns the largest Ritz value
    after each step and the last Ritz vector.
    """
    basis = [start / np.linalg.norm(start)]
    alphas: list[float] = []
    betas: list[float] = []
    estimates = []
    for _ in range(min(steps, objective.shapes.size)):
        w = objective.hessian_vector_product(basis[-1])
        alphas.append(float(basis[-1] @ w))
        q = np.array(basis)
        w -= q.T @ (q @ w)
        w -= q.T @ (q @ w)  # twice is enough (Kahan, Parlett)
        values, vectors = scipy.linalg.eigh_tridiagonal(np.array(alphas), np.array(betas))
        estimates.append(float(values[-1]))
        norm = float(np.linalg.norm(w))
        if norm < 1e-12 * abs(estimates[-1]):  # the Krylov space is invariant: exact
            break
        betas.append(norm)
        basis.append(w / norm)
    ritz = np.array(basis[: len(alphas)]).T @ vectors[:, -1]
    return np.array(estimates), ritz / np.linalg.norm(ritz)


# --- training ----------------------------------------------------------------------------------


def dead_units(shapes: Shapes, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    return np.flatnonzero(~network.forward(shapes, theta, x).active.any(axis=0))


def train(shapes, theta, split: Split, lr, steps, every, weight_decay, rng) -> Run:
    """Plain full-batch gradient descent, theta <- theta - lr grad, with measurements on the way."""
    x, y = split.x_train, split.y_train
    losses, checkpoints, train_acc, test_acc = [], [], [], []
    confidence, curvature, sharpness, trace = [], [], [], []
    direction = rng.normal(size=shapes.size)
    for step in range(steps + 1):
        objective = network.Objective(shapes, theta, x, y, weight_decay)
        losses.append(objective.loss)
        if step % every == 0 or step == steps:
            probabilities = objective.forward.probabilities
            checkpoints.append(step)
            train_acc.append(float(np.mean(probabilities.argmax(axis=1) == y)))
            test_acc.append(accuracy(shapes, theta, split.x_test, split.y_test))
            confidence.append(float(probabilities.max(axis=1).mean()))
            curvature.append(float(np.mean(1.0 - np.sum(probabilities**2, axis=1))))
            # the first measurement starts cold; later ones start from the last top eigenvector
            lanczos_steps = TRACKING_LANCZOS_STEPS * (3 if step == 0 else 1)
            estimates, direction = lanczos(objective, direction, lanczos_steps)
            sharpness.append(estimates[-1])
            trace.append(network.hessian_trace(objective))
        if step < steps:
            theta = theta - lr * objective.gradient()
    return Run(
        lr=lr,
        loss=np.array(losses),
        checkpoints=np.array(checkpoints),
        train_accuracy=np.array(train_acc),
        test_accuracy=np.array(test_acc),
        confidence=np.array(confidence),
        softmax_curvature=np.array(curvature),
        sharpness=np.array(sharpness),
        trace=np.array(trace),
        dead_units=dead_units(shapes, theta, x),
        theta=theta,
        edge=edge_of_stability(np.array(checkpoints), np.array(sharpness), lr),
    )


def edge_of_stability(checkpoints: np.ndarray, sharpness: np.ndarray, lr: float) -> dict:
    """Where a run's sharpness meets 2/lr: its peak, the first measurement after the peak that
    is back under 2/lr (``settle_step``), and the largest sharpness from then on
    (``settled_peak``, and ``settled_ratio`` = settled_peak lr / 2, just under 1 at the edge)."""
    peak = int(np.argmax(sharpness))
    below = np.flatnonzero((np.arange(len(sharpness)) > peak) & (sharpness < 2.0 / lr))
    settle = int(below[0]) if len(below) else len(sharpness) - 1
    settled_peak = float(sharpness[settle:].max())
    return {
        "peak": float(sharpness[peak]),
        "peak_step": int(checkpoints[peak]),
        "settle_step": int(checkpoints[settle]),
        "settled_peak": settled_peak,
        "settled_ratio": settled_peak * lr / 2.0,
    }


# --- what the zero directions are --------------------------------------------------------------


def rescaling_tangents(shapes: Shapes, theta: np.ndarray, units: np.ndarray) -> np.ndarray:
    """d/da of the rescaling of unit j at a = 1: (w_j, b_j, -W2[:, j]), one row per unit."""
    tangents = np.zeros((len(units), shapes.size))
    for row, unit in enumerate(units):
        mask = np.zeros(shapes.hidden)
        mask[unit] = 1.0
        w1, b1, w2, _ = shapes.unpack(theta)
        tangents[row] = shapes.pack(
            mask[:, None] * w1, mask * b1, -w2 * mask[None, :], np.zeros(shapes.outputs)
        )
    return tangents


def numerical_rank(eigenvalues: np.ndarray) -> int:
    """Eigenvalues above N eps |lambda|_max (numpy's matrix_rank rule) count as non-zero."""
    scale = np.abs(eigenvalues).max()
    return int(np.sum(np.abs(eigenvalues) > len(eigenvalues) * np.finfo(float).eps * scale))


def zero_directions(shapes, theta, split: Split, hessian, weight_decay) -> ZeroDirections:
    x = split.x_train
    f = network.forward(shapes, theta, x)
    lit = np.sum(x != 0, axis=0)
    dead = np.flatnonzero(~f.active.any(axis=0))
    live = np.setdiff1d(np.arange(shapes.hidden), dead)
    augmented = np.hstack([x, np.ones((len(x), 1))])
    seen = [
        np.linalg.matrix_rank(augmented[f.active[:, j] > 0]) if j in live else 0
        for j in range(shapes.hidden)
    ]
    identity = np.broadcast_to(np.eye(shapes.outputs), (len(x), shapes.outputs, shapes.outputs))
    gram = network.gauss_newton(shapes, theta, x, identity)  # J^T J / n over the training set
    rank = numerical_rank(np.linalg.eigvalsh(gram))
    counts = {
        "unseen_weights": int(sum(shapes.inputs + 1 - r for r in seen)),
        "dead_unit_outputs": len(dead) * shapes.outputs,
        "rescaling": len(live),
        "logit_shift": len(live) + 1,
    }
    explained = counts["unseen_weights"] + counts["dead_unit_outputs"] + counts["rescaling"]
    counts["rare_pixel_trades"] = shapes.size - rank - explained
    tangents = rescaling_tangents(shapes, theta, live)
    curvature = np.einsum("ij,jk,ik->i", tangents, hessian, tangents) / np.sum(tangents**2, axis=1)
    return ZeroDirections(
        pixel_lit_counts=lit,
        blank_pixels=np.flatnonzero(lit == 0),
        rare_pixels=np.flatnonzero((lit > 0) & (lit < RARE_PIXEL_IMAGES)),
        dead_units=dead,
        counts=counts,
        training_jacobian_rank=rank,
        jacobian_null=shapes.size - rank,
        gauss_newton_null=shapes.size - rank + counts["logit_shift"],
        hessian_null=0
        if weight_decay > 0
        else counts["unseen_weights"] + counts["dead_unit_outputs"] + counts["logit_shift"],
        rescaling_curvature=curvature,
    )


# --- the whole model ---------------------------------------------------------------------------


def descending(values: np.ndarray) -> np.ndarray:
    return np.sort(values)[::-1]


def jacobian_inputs(labels: np.ndarray, per_class: int) -> np.ndarray:
    """The first ``per_class`` training inputs of each digit, in training order: J's rows."""
    return np.sort(np.concatenate([np.flatnonzero(labels == c)[:per_class] for c in range(10)]))


def examples(shapes, theta, split: Split, images: np.ndarray):
    """Test digits to show: the first of each of six classes, with the most confident mistake
    in place of the last one when there is a mistake."""
    probabilities = network.forward(shapes, theta, split.x_test).probabilities
    predicted = probabilities.argmax(axis=1)
    chosen = [int(np.flatnonzero(split.y_test == c)[0]) for c in range(EXAMPLES_PER_ROW)]
    wrong = np.flatnonzero(predicted != split.y_test)
    if len(wrong):
        chosen[-1] = int(wrong[np.argmax(probabilities[wrong].max(axis=1))])
    rows = split.test_index[chosen]
    return rows, images[rows] * INPUT_SCALE, split.y_test[chosen], probabilities[chosen]


def simulate(params: ClassifierParams, rng: np.random.Generator) -> ClassifierData:
    with threadpool_limits(limits=1):
        return _simulate(params, rng)


def _simulate(params: ClassifierParams, rng: np.random.Generator) -> ClassifierData:
    split = digits_split(params.test_fraction, rng)
    shapes = Shapes(inputs=split.x_train.shape[1], hidden=params.hidden)
    x, y, wd = split.x_train, split.y_train, params.weight_decay
    start = initial_parameters(shapes, rng)

    runs = {
        name: train(shapes, start, split, lr, steps, params.sharpness_every, wd, rng)
        for name, lr, steps in (
            ("slow", params.slow_lr, params.steps),
            ("main", params.lr, params.steps),
            ("fast", params.fast_lr, params.steps),
            ("collapse", params.collapse_lr, params.collapse_steps),
        )
    }
    theta = runs["main"].theta

    jac_index = jacobian_inputs(y, params.jacobian_per_class)
    jac = network.jacobian(shapes, theta, x[jac_index])
    singular = np.linalg.svd(jac, compute_uv=False)
    hess, gn = network.hessian(shapes, theta, x, y, wd)
    residual = hess - gn - wd * np.eye(shapes.size)
    residual_spectrum = network.residual_eigenvalues(shapes, theta, x, y)
    eigenvalues = descending(np.linalg.eigvalsh(hess))
    gn_eigenvalues = descending(np.linalg.eigvalsh(gn))
    lambda_max = float(eigenvalues[0])
    threshold = len(eigenvalues) * np.finfo(float).eps * np.abs(eigenvalues).max()

    objective = network.Objective(shapes, theta, x, y, wd)
    power = power_iteration(objective, rng.normal(size=shapes.size), params.power_iterations)
    ritz, top = lanczos(objective, rng.normal(size=shapes.size), params.lanczos_steps)

    logits = objective.forward.logits
    rescaled = [network.rescale(shapes, theta, a) for a in RESCALINGS]
    rescaling = {
        "factor": RESCALINGS.copy(),
        "lambda_max": np.array(
            [
                lanczos(network.Objective(shapes, p, x, y, wd), top, params.lanczos_steps)[0][-1]
                for p in rescaled
            ]
        ),
        "max_logit_change": np.array(
            [np.abs(network.forward(shapes, p, x).logits - logits).max() for p in rescaled]
        ),
    }

    example_rows, example_images, example_labels, example_probabilities = examples(
        shapes, theta, split, bundled_digits().images
    )
    return ClassifierData(
        layers=shapes.layers,
        activation="relu",
        n_params=shapes.size,
        input_scale=INPUT_SCALE,
        train_index=split.train_index,
        test_index=split.test_index,
        weight_decay=wd,
        lr=params.lr,
        theta=theta,
        train_loss=objective.loss,
        train_accuracy=accuracy(shapes, theta, x, y),
        test_accuracy=accuracy(shapes, theta, split.x_test, split.y_test),
        example_index=example_rows,
        example_images=example_images,
        example_labels=example_labels,
        example_probabilities=example_probabilities,
        jacobian_index=jac_index,
        jacobian=jac,
        jacobian_singular_values=singular,
        jacobian_rank=int(np.sum(singular > max(jac.shape) * np.finfo(float).eps * singular[0])),
        hessian_eigenvalues=eigenvalues,
        gauss_newton_eigenvalues=gn_eigenvalues,
        residual_eigenvalues=residual_spectrum,
        residual_relative_norm=float(np.linalg.norm(residual) / np.linalg.norm(hess)),
        residual_relative_spectral_norm=float(
            np.abs(residual_spectrum).max() / np.abs(eigenvalues).max()
        ),
        hessian_rank=numerical_rank(eigenvalues),
        gauss_newton_rank=numerical_rank(gn_eigenvalues),
        negative_eigenvalue_count=int(np.sum(eigenvalues < -threshold)),
        lambda_max=lambda_max,
        gauss_newton_lambda_max=float(gn_eigenvalues[0]),
        hessian_trace=network.hessian_trace(objective),
        top_eigenvector=top * np.sign(top[np.argmax(np.abs(top))]),
        power_iteration=power,
        lanczos=ritz,
        zero_directions=zero_directions(shapes, theta, split, hess, wd),
        runs=runs,
        rescaling=rescaling,
    )
