"""Five optimizers written from scratch, and the loop that runs one on a test function.

Each optimizer is a small class: its hyper-parameters are the dataclass fields, its state (velocity,
moment estimates) lives in private attributes that start as the scalar 0.0 (the first step
broadcasts it), and ``step(x, grad)`` maps the current iterate to the next. Iterates may be batches
shaped ``(..., 2)``, and a learning rate may be an array that broadcasts against them, so one loop
runs a whole learning-rate sweep or many noisy runs at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

Gradient = Callable[[np.ndarray], np.ndarray]

DIVERGED_LOSS = 1e10  # a run whose loss passes this is stopped and counted as diverged


class Optimizer(Protocol):
    name: str

    def step(self, x: np.ndarray, grad: Gradient) -> np.ndarray: ...


def hyperparameters(opt: Any) -> dict[str, Any]:
    """The fields of an optimizer that shape its steps (the random source is left out)."""
    return {f.name: getattr(opt, f.name) for f in dataclasses.fields(opt) if f.repr}


@dataclasses.dataclass
class SGD:
    """x <- x - lr (grad f(x) + noise xi), xi ~ N(0, I): plain gradient descent when noise is 0.

    The noise stands in for minibatch sampling: an unbiased gradient with a fixed spread.
    """

    lr: Any
    noise: float = 0.0
    rng: np.random.Generator | None = dataclasses.field(default=None, repr=False)
    name = "sgd"

    def step(self, x: np.ndarray, grad: Gradient) -> np.ndarray:
        g = grad(x)
        if self.noise > 0:
            assert self.rng is not None, "a noisy SGD needs a Generator"
            g = g + self.noise * self.rng.standard_normal(x.shape)
        return x - self.lr * g


@dataclasses.dataclass
class HeavyBall:
    """Polyak's heavy ball in Distill's form: z <- beta z + grad f(x), x <- x - lr z."""

    lr: Any
    beta: float = 0.9
    name = "momentum"

    def __post_init__(self) -> None:
        self._z: Any = 0.0

    def step(self, x: np.ndarray, grad: Gradient) -> np.ndarray:
        self._z = self.beta * self._z + grad(x)
        return x - self.lr * self._z


@dataclasses.dataclass
class Nesterov:
    """Nesterov's accelerated gradient: the gradient taken where the velocity is about to carry x.

    v <- beta v - lr grad f(x + beta v), x <- x + v.
    """

    lr: Any
    beta: float = 0.9
    name = "nesterov"

    def __post_init__(self) -> None:
        self._v: Any = 0.0

    def step(self, x: np.ndarray, grad: Gradient) -> np.ndarray:
        v = self._v
        self._v = self.beta * v - self.lr * grad(x + self.beta * v)
        return x + self._v


@dataclasses.dataclass
class RMSprop:
    """Divide each coordinate's step by a running RMS of its gradient (no bias correction)."""

    lr: Any
    rho: float = 0.99
    eps: float = 1e-8
    name = "rmsprop"

    def __post_init__(self) -> None:
        self._v: Any = 0.0

    def step(self, x: np.ndarray, grad: Gradient) -> np.ndarray:
        g = grad(x)
        self._v = self.rho * self._v + (1 - self.rho) * g * g
        return x - self.lr * g / (np.sqrt(self._v) + self.eps)


@dataclasses.dataclass
class Adam:
    """Adam (Kingma and Ba 2015) with bias-corrected first and second moments.

    The correction divides by 1 - beta^t, so the first step is lr g / (|g| + eps): about lr in every
    coordinate, whatever the gradient's size.
    """

    lr: Any
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    name = "adam"

    def __post_init__(self) -> None:
        self._t = 0
        self._m: Any = 0.0
        self._v: Any = 0.0

    def step(self, x: np.ndarray, grad: Gradient) -> np.ndarray:
        g = grad(x)
        self._t += 1
        self._m = self.beta1 * self._m + (1 - self.beta1) * g
        self._v = self.beta2 * self._v + (1 - self.beta2) * g * g
        m_hat = self._m / (1 - self.beta1**self._t)
        v_hat = self._v / (1 - self.beta2**self._t)
        return x - self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


@dataclasses.dataclass(frozen=True)
class Run:
    """One run (or a batch of runs along axis 1) of an optimizer from a start point.

    ``path[t]`` is the iterate after t steps (``path[0]`` the start), ``loss[t]`` its value and
    ``distance[t]`` its distance to the minimum. A diverged run's entries after it diverged are NaN.
    ``steps_to_tolerance`` is the first t with distance < tolerance (-1: never); ``steps_to_stay``
    the first t after which the run never leaves again within its horizon (-1: outside at the end),
    which differs from the first arrival for runs that reach the ball and bounce out of it;
    ``diverged_at`` the step whose loss passed ``DIVERGED_LOSS`` (-1: never).
    """

    optimizer: str
    hyperparameters: dict[str, Any]
    path: np.ndarray
    loss: np.ndarray
    distance: np.ndarray
    steps_to_tolerance: Any
    steps_to_stay: Any
    exits: Any  # times the run left the tolerance ball after being inside it
    diverged_at: Any


def run(
    fn: Any,
    opt: Optimizer,
    start: np.ndarray,
    steps: int,
    tolerance: float,
    stop_at_tolerance: bool = True,
) -> Run:
    """Iterate ``opt`` on ``fn`` for up to ``steps`` steps.

    With ``stop_at_tolerance`` the loop ends once every run is within ``tolerance`` of the minimum
    (the step counts need no more); otherwise it runs all ``steps`` (to show what happens after).

    The loop is most of the model's time, and on one point or a small batch each numpy call costs
    more than its arithmetic. So the exact divergence test (and the update of which runs are still
    going) waits for a cheap one to fail: every running |loss| at most ``DIVERGED_LOSS`` rules a
    divergence out (NaN and inf fail it). Until some run has diverged nothing is masked, and the
    path keeps the arrays ``opt.step`` returns, uncopied: nothing changes them afterwards.
    """
    x = np.array(start, dtype=float)
    minimum = fn.minimum
    path, loss = [x], [fn.value(x)]
    alive = np.ones(x.shape[:-1], dtype=bool)
    everyone = True  # no run has diverged yet
    with np.errstate(all="ignore"):
        for _ in range(steps):
            new = opt.step(x, fn.grad)
            value = fn.value(new)
            if everyone:
                x, running = new, value
                loss.append(value)
            else:  # a diverged run's entries are NaN from the step after it diverged
                x = np.where(alive[..., None], new, np.nan)
                loss.append(np.where(alive, value, np.nan))
                running = np.where(alive, value, 0.0)  # the diverged runs' losses left out
            path.append(x)
            if not _all(abs(running) <= DIVERGED_LOSS):
                blown = ~np.isfinite(value) | (value > DIVERGED_LOSS)
                alive = alive & ~blown
                everyone = _all(alive)
                if not alive.any():
                    break
            if stop_at_tolerance:
                distance = norm(x - minimum)
                if _all(distance < tolerance if everyone else distance[alive] < tolerance):
                    break
    path_a, loss_a = np.array(path), np.array(loss)
    distance_a = np.linalg.norm(path_a - minimum, axis=-1)
    return Run(
        optimizer=opt.name,
        hyperparameters=hyperparameters(opt),
        path=path_a,
        loss=loss_a,
        distance=distance_a,
        steps_to_tolerance=first_index(distance_a < tolerance),
        steps_to_stay=first_stay(distance_a < tolerance),
        exits=exits(distance_a < tolerance),
        diverged_at=first_index(~np.isfinite(loss_a) | (loss_a > DIVERGED_LOSS)),
    )


def norm(v: np.ndarray) -> np.ndarray:
    """Euclidean norm over the last axis: ``np.linalg.norm(v, axis=-1)``'s own arithmetic for real
    arrays, sqrt(sum of squares), without its Python wrapper (it runs on every step)."""
    return np.sqrt(np.add.reduce(v * v, axis=-1))


def _all(mask: np.ndarray) -> bool:
    """``mask.all()``, but a plain truth test for one run's numpy bool, where ``.all()`` costs
    twenty times more."""
    return bool(mask) if mask.ndim == 0 else bool(mask.all())


def first_stay(inside: np.ndarray) -> Any:
    """First index from which ``inside`` holds to the end along axis 0 (per run), -1 where the
    last entry is outside. A NaN distance (a diverged run) compares as outside."""
    outside_after = np.flip(np.logical_or.accumulate(np.flip(~inside, axis=0), axis=0), axis=0)
    # outside_after[t]: some t' >= t is outside; the stay starts after the last such t
    stay = np.where(inside[-1], outside_after.sum(axis=0), -1)
    return int(stay) if stay.ndim == 0 else stay


def exits(inside: np.ndarray) -> Any:
    """How often ``inside`` turns from True to False along axis 0 (per run)."""
    left = (inside[:-1] & ~inside[1:]).sum(axis=0)
    return int(left) if left.ndim == 0 else left


def first_index(hit: np.ndarray) -> Any:
    """Index of the first True along axis 0 (per run for a batch), -1 where there is none."""
    first = np.where(hit.any(axis=0), np.argmax(hit, axis=0), -1)
    return int(first) if first.ndim == 0 else first
