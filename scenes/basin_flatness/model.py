"""Basin flatness: the Hessian of a tiny ReLU network at a zero-loss minimum, and why it is flat.

A one-hidden-layer ReLU network f(x) = sum_j v_j relu(w_j x + b_j) + c (N = 3 H + 1 parameters) is
fitted to k points with the sum-of-squares loss L = sum_i (f(x_i) - y_i)^2 down to a residual at
machine precision. There the Hessian is H = 2 J^T J (J: the k x N "behavioral gradient", the outputs
on all k inputs differentiated by every parameter), so its eigenvalues are 2 sigma_i(J)^2 and at
least N - rank(J) of them are zero: a network with more parameters than points sits in a basin that
is flat in most directions.

Everything is exact and analytic (gradient, Jacobian, Hessian including the residual term), so that
the tests can hold it against finite differences and the SVD of J. A ReLU layer is used because the
rescaling (w, b, v) -> (a w, a b, v / a) leaves the function exactly unchanged, which makes the
"same function, sharper minimum" argument exact. Pure numpy; every draw comes from ``rng``.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from render.core.errors import UserError
from render.core.params import Params, param

ZERO_TOLERANCE = 1e-9  # an eigenvalue below this fraction of lambda_max counts as zero
WALK_PEAK_LOSS = 0.5  # the top-eigenvector slice is drawn out to where lambda t^2 / 2 reaches this
RESCALINGS = np.geomspace(0.25, 4.0, 17)  # factors a of the rescaling (w, b, v) -> (a w, a b, v/a)


@dataclasses.dataclass(frozen=True)
class BasinParams(Params):
    hidden: int = param(
        50, "hidden ReLU units (the network has 3 hidden + 1 parameters)", min=4, max=66
    )
    points: int = param(20, "training points the network fits exactly", min=4, max=40)
    power_iterations: int = param(30, "power-iteration steps towards lambda_max", min=5, max=200)
    gd_steps: int = param(40, "gradient-descent steps in the stability beat", min=5, max=200)
    lr_margin: float = param(
        0.1, "the two learning rates are (1 -+ margin) 2 / lambda_max", min=0.01, max=0.5
    )
    noise: float = param(
        0.15, "sd of the parameter noise in the 1-D sharp/flat picture", min=0.01, max=0.4
    )
    cloud: int = param(60, "noisy parameter samples per 1-D minimum", min=5, max=2000)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.hidden < self.points - 1:
            raise UserError(
                f"scene basin-flatness needs hidden >= points - 1 to fit every point exactly "
                f"(got hidden={self.hidden}, points={self.points})"
            )


@dataclasses.dataclass(frozen=True)
class ToyLandscape:
    """A 1-D loss with a sharp and a flat minimum at zero loss: 1/L = 1/q_sharp + 1/q_flat."""

    theta: np.ndarray  # grid of the parameter
    loss: np.ndarray  # L on the grid
    minima: np.ndarray  # (sharp, flat) locations
    curvatures: np.ndarray  # L'' at (sharp, flat)
    noise: float  # sd of the parameter noise
    cloud_theta: np.ndarray  # (2, cloud) noisy parameters around (sharp, flat)
    cloud_loss: np.ndarray  # (2, cloud) their losses
    mean_increase: np.ndarray  # sample mean of cloud_loss, per minimum
    quadratic_increase: np.ndarray  # curvature * noise^2 / 2, the second-order prediction


@dataclasses.dataclass(frozen=True)
class LossSlice:
    """The loss (and the fitted curve) along theta* + t d for a unit direction d."""

    t: np.ndarray
    loss: np.ndarray
    curves: np.ndarray  # (len(t), len(x_plot)): the network's function at each t


@dataclasses.dataclass(frozen=True)
class GDRun:
    lr: float
    loss: np.ndarray  # loss per step, starting from theta* + offset * top eigenvector


@dataclasses.dataclass(frozen=True)
class BasinData:
    n_params: int
    n_points: int
    hidden: int
    x: np.ndarray  # training inputs
    y: np.ndarray  # training targets
    theta: np.ndarray  # fitted parameters [w, b, v, c]
    final_loss: float
    x_plot: np.ndarray  # inputs at which the fitted curve is drawn
    curve: np.ndarray  # the fitted function on x_plot
    jacobian: np.ndarray  # (k, N) d outputs / d parameters
    hessian: np.ndarray  # (N, N) exact Hessian of the loss
    hessian_eigenvalues: np.ndarray  # descending
    jacobian_singular_values: np.ndarray  # descending, length min(k, N)
    rank_j: int
    null_count: int  # N - rank(J)
    zero_eigenvalue_count: int  # eigenvalues of H below ZERO_TOLERANCE lambda_max
    lambda_max: float
    top_eigenvector: np.ndarray
    null_direction: np.ndarray  # a random unit vector in the null space of J
    power_iteration: np.ndarray  # Rayleigh-quotient estimate of lambda_max per iteration
    slices: dict[str, LossSlice]  # "top" and "null"
    gd_offset: float  # distance along the top eigenvector the GD runs start from
    gd: dict[str, GDRun]  # "stable" (lr below 2/lambda_max) and "unstable" (above)
    rescaling: dict[str, np.ndarray]  # factor, lambda_max, max change of the outputs
    toy: ToyLandscape


# --- the network -------------------------------------------------------------------------------


def split(theta: np.ndarray, hidden: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """Parameters in the order [w (H), b (H), v (H), c]."""
    return theta[:hidden], theta[hidden : 2 * hidden], theta[2 * hidden : 3 * hidden], theta[-1]


def outputs(theta: np.ndarray, x: np.ndarray, hidden: int) -> np.ndarray:
    w, b, v, c = split(theta, hidden)
    return np.maximum(np.outer(x, w) + b, 0.0) @ v + c


def jacobian(theta: np.ndarray, x: np.ndarray, hidden: int) -> np.ndarray:
    """d f(x_i) / d theta, one row per input: [v 1(z>0) x, v 1(z>0), relu(z), 1]."""
    w, b, v, _ = split(theta, hidden)
    z = np.outer(x, w) + b
    active = (z > 0).astype(float)
    return np.hstack(
        [active * v * x[:, None], active * v, np.maximum(z, 0.0), np.ones((len(x), 1))]
    )


def loss(theta: np.ndarray, x: np.ndarray, y: np.ndarray, hidden: int) -> float:
    return float(np.sum((outputs(theta, x, hidden) - y) ** 2))


def gradient(theta: np.ndarray, x: np.ndarray, y: np.ndarray, hidden: int) -> np.ndarray:
    return 2.0 * jacobian(theta, x, hidden).T @ (outputs(theta, x, hidden) - y)


def hessian(theta: np.ndarray, x: np.ndarray, y: np.ndarray, hidden: int) -> np.ndarray:
    """Exact Hessian of the loss: 2 J^T J + 2 sum_i r_i d^2 f(x_i) / d theta^2.

    Inside a linear piece of the ReLUs the only second derivatives of f are the cross terms
    d^2 f / dw_j dv_j = 1(z_j > 0) x and d^2 f / db_j dv_j = 1(z_j > 0).
    """
    jac = jacobian(theta, x, hidden)
    residual = outputs(theta, x, hidden) - y
    w, b, _, _ = split(theta, hidden)
    active = (np.outer(x, w) + b > 0).astype(float)
    h = 2.0 * jac.T @ jac
    cross_w = 2.0 * (residual * x) @ active  # sum_i r_i x_i 1(z_ij > 0), per unit j
    cross_b = 2.0 * residual @ active
    units = np.arange(hidden)
    for offset, cross in ((0, cross_w), (hidden, cross_b)):
        h[offset + units, 2 * hidden + units] += cross
        h[2 * hidden + units, offset + units] += cross
    return h


def rescale(theta: np.ndarray, factor: float, hidden: int) -> np.ndarray:
    """(w, b, v, c) -> (a w, a b, v / a, c): the same function, since relu(a z) = a relu(z)."""
    w, b, v, c = split(theta, hidden)
    return np.concatenate([factor * w, factor * b, v / factor, [c]])


# --- fitting and spectra -----------------------------------------------------------------------


def initial_parameters(x: np.ndarray, hidden: int, rng: np.random.Generator) -> np.ndarray:
    """Hidden units with their kinks between neighbouring inputs, output weights zero.

    Unit j puts its kink -b_j / w_j inside gap j mod (k - 1) between consecutive inputs, in the
    gap's middle 80%, facing left or right at random. Every gap then holds a kink, so the features
    relu(w x_i + b) span all k outputs and the fit can reach zero loss; and no kink sits on an
    input, so the loss is smooth (a polynomial) in a neighbourhood of the fitted parameters.
    """
    gaps = np.arange(hidden) % (len(x) - 1)
    kinks = x[gaps] + rng.uniform(0.1, 0.9, size=hidden) * (x[gaps + 1] - x[gaps])
    w = rng.choice([-1.0, 1.0], size=hidden) * rng.uniform(0.5, 2.0, size=hidden)
    return np.concatenate([w, -w * kinks, np.zeros(hidden + 1)])


def fit(theta: np.ndarray, x: np.ndarray, y: np.ndarray, hidden: int) -> np.ndarray:
    """Zero training loss: keep the hidden layer, solve the output layer (v, c) by least squares.

    With the hidden layer fixed the loss is linear least squares in (v, c); the features span all
    k outputs (see :func:`initial_parameters`), so the minimum-norm solution interpolates the data
    to machine precision, which the identity H = 2 J^T J needs. Gradient descent would need
    millions of steps to get there. The result is a zero-loss minimum of the loss in all N
    parameters, which is all the Hessian analysis assumes.
    """
    w, b = theta[:hidden], theta[hidden : 2 * hidden]
    features = np.hstack([np.maximum(np.outer(x, w) + b, 0.0), np.ones((len(x), 1))])
    output_layer = np.linalg.lstsq(features, y, rcond=None)[0]
    return np.concatenate([w, b, output_layer])


def power_iteration(matrix: np.ndarray, start: np.ndarray, iterations: int) -> np.ndarray:
    """Rayleigh quotient v^T A v of the normalised iterate, per iteration (needs only A v)."""
    v = start / np.linalg.norm(start)
    estimates = []
    for _ in range(iterations):
        product = matrix @ v
        estimates.append(float(v @ product))
        v = product / np.linalg.norm(product)
    return np.array(estimates)


def loss_slice(theta, direction, t, x, y, x_plot, hidden) -> LossSlice:
    points = theta[None, :] + t[:, None] * direction[None, :]
    return LossSlice(
        t=t,
        loss=np.array([loss(p, x, y, hidden) for p in points]),
        curves=np.array([outputs(p, x_plot, hidden) for p in points]),
    )


def gradient_descent(theta, x, y, hidden, lr: float, steps: int) -> GDRun:
    losses = [loss(theta, x, y, hidden)]
    for _ in range(steps):
        theta = theta - lr * gradient(theta, x, y, hidden)
        losses.append(loss(theta, x, y, hidden))
        if not np.isfinite(losses[-1]) or losses[-1] > 1e6:
            break
    return GDRun(lr=lr, loss=np.array(losses))


# --- the 1-D picture ---------------------------------------------------------------------------

TOY_MINIMA = np.array([-1.2, 1.2])
TOY_CURVATURES = np.array([40.0, 2.0])


def toy_loss(theta: np.ndarray) -> np.ndarray:
    """1/L = 1/q_sharp + 1/q_flat with q = lambda (theta - m)^2 / 2: zero loss at both minima,
    curvature exactly lambda at each, smooth in between."""
    theta = np.asarray(theta, dtype=float)
    q = TOY_CURVATURES[:, None] * (theta.reshape(-1)[None, :] - TOY_MINIMA[:, None]) ** 2 / 2.0
    total = q[0] + q[1]
    product = q[0] * q[1]
    value = np.divide(product, total, out=np.zeros_like(total), where=total > 0)
    return value.reshape(theta.shape)


def toy_landscape(noise: float, cloud: int, rng: np.random.Generator) -> ToyLandscape:
    theta = np.linspace(-2.4, 2.4, 481)
    cloud_theta = TOY_MINIMA[:, None] + rng.normal(0.0, noise, size=(2, cloud))
    cloud_loss = toy_loss(cloud_theta)
    return ToyLandscape(
        theta=theta,
        loss=toy_loss(theta),
        minima=TOY_MINIMA.copy(),
        curvatures=TOY_CURVATURES.copy(),
        noise=noise,
        cloud_theta=cloud_theta,
        cloud_loss=cloud_loss,
        mean_increase=cloud_loss.mean(axis=1),
        quadratic_increase=TOY_CURVATURES * noise**2 / 2.0,
    )


# --- the whole model ---------------------------------------------------------------------------


def training_set(points: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1.0, 1.0, points)
    y = 0.8 * np.sin(3.0 * x) + 0.3 * x + rng.normal(0.0, 0.1, size=points)
    return x, y


def simulate(params: BasinParams, rng: np.random.Generator) -> BasinData:
    hidden, k = params.hidden, params.points
    n_params = 3 * hidden + 1
    x, y = training_set(k, rng)
    theta = fit(initial_parameters(x, hidden, rng), x, y, hidden)
    x_plot = np.linspace(-1.1, 1.1, 221)

    jac = jacobian(theta, x, hidden)
    h = hessian(theta, x, y, hidden)
    eigenvalues, eigenvectors = np.linalg.eigh(h)
    order = np.argsort(eigenvalues)[::-1]
    eigenvalues, eigenvectors = eigenvalues[order], eigenvectors[:, order]
    lambda_max = float(eigenvalues[0])
    top = eigenvectors[:, 0] * np.sign(eigenvectors[np.argmax(np.abs(eigenvectors[:, 0])), 0])

    _, singular, right = np.linalg.svd(jac)
    rank = int(np.sum(singular > singular[0] * np.sqrt(ZERO_TOLERANCE)))
    null_basis = right[rank:]
    null_direction = null_basis.T @ rng.normal(size=len(null_basis))
    null_direction /= np.linalg.norm(null_direction)

    estimates = power_iteration(h, rng.normal(size=n_params), params.power_iterations)

    reach = np.sqrt(2.0 * WALK_PEAK_LOSS / lambda_max)
    t = np.linspace(-reach, reach, 61)
    slices = {
        name: loss_slice(theta, direction, t, x, y, x_plot, hidden)
        for name, direction in (("top", top), ("null", null_direction))
    }

    gd_offset = 0.05 * reach
    start = theta + gd_offset * top
    gd = {
        name: gradient_descent(start, x, y, hidden, factor * 2.0 / lambda_max, params.gd_steps)
        for name, factor in (("stable", 1 - params.lr_margin), ("unstable", 1 + params.lr_margin))
    }

    base_outputs = outputs(theta, x_plot, hidden)
    rescaled = [rescale(theta, a, hidden) for a in RESCALINGS]
    rescaling = {
        "factor": RESCALINGS.copy(),
        "lambda_max": np.array(
            [np.linalg.eigvalsh(hessian(p, x, y, hidden))[-1] for p in rescaled]
        ),
        "max_output_change": np.array(
            [np.max(np.abs(outputs(p, x_plot, hidden) - base_outputs)) for p in rescaled]
        ),
    }

    return BasinData(
        n_params=n_params,
        n_points=k,
        hidden=hidden,
        x=x,
        y=y,
        theta=theta,
        final_loss=loss(theta, x, y, hidden),
        x_plot=x_plot,
        curve=base_outputs,
        jacobian=jac,
        hessian=h,
        hessian_eigenvalues=eigenvalues,
        jacobian_singular_values=singular,
        rank_j=rank,
        null_count=n_params - rank,
        zero_eigenvalue_count=int(np.sum(np.abs(eigenvalues) < ZERO_TOLERANCE * lambda_max)),
        lambda_max=lambda_max,
        top_eigenvector=top,
        null_direction=null_direction,
        power_iteration=estimates,
        slices=slices,
        gd_offset=gd_offset,
        gd=gd,
        rescaling=rescaling,
        toy=toy_landscape(params.noise, params.cloud, rng),
    )
