"""The three test functions: Rosenbrock's valley, an ill-conditioned quadratic and a saddle.

Each gives its value, analytic gradient and Hessian on arrays of points shaped ``(..., 2)`` (so a
whole batch of runs steps at once), its minimum, and exact level curves: every curve is written in
closed form, so the contours drawn are the function's own level sets, not a marching-squares guess.
"""

from __future__ import annotations

import dataclasses

import numpy as np

CURVE_SAMPLES = 2000  # dense enough that a curve clipped to the view still looks smooth


def _angles(n: int = CURVE_SAMPLES) -> np.ndarray:
    return np.linspace(0.0, 2.0 * np.pi, n)


def _coordinates(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """x and y of points shaped ``(..., 2)``; of a single point, numpy scalars (``[()]``), not 0-d
    arrays, so the value and gradient of one run's iterate, taken every step, are scalar arithmetic
    instead of a ufunc call per operation.

    ``**`` is not the same on both: numpy multiplies for an array's ``**2`` but calls ``pow`` for
    a scalar's, and the two need not round alike. So a coordinate is squared as ``x * x``, the
    product a 0-d array's ``**2`` is; the outer ``(...) ** 2`` of ``Rosenbrock.value`` stays a
    power of a scalar for one point (it was never an array there), so no value moves by a bit.
    """
    return p[..., 0][()], p[..., 1][()]


def _pair(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """``np.stack([first, second], axis=-1)`` without its Python overhead: a gradient is built
    this way on every optimizer step (of one point, from the two scalars of ``_coordinates``)."""
    if isinstance(first, np.generic):
        return np.array((first, second))
    out = np.empty((*np.shape(first), 2))
    out[..., 0] = first
    out[..., 1] = second
    return out


@dataclasses.dataclass(frozen=True)
class Rosenbrock:
    """f(x, y) = (a - x)^2 + b (y - x^2)^2: a curved, narrow valley with its minimum at (a, a^2)."""

    a: float = 1.0
    b: float = 100.0
    name = "rosenbrock"

    @property
    def formula(self) -> str:
        return f"(a - x)^2 + b (y - x^2)^2 with a = {self.a:g}, b = {self.b:g}"

    @property
    def minimum(self) -> np.ndarray:
        return np.array([self.a, self.a**2])

    def value(self, p: np.ndarray) -> np.ndarray:
        x, y = _coordinates(p)
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def grad(self, p: np.ndarray) -> np.ndarray:
        x, y = _coordinates(p)
        r = y - x * x
        return _pair(-2.0 * (self.a - x) - 4.0 * self.b * x * r, 2.0 * self.b * r)

    def hessian(self, p: np.ndarray) -> np.ndarray:
        x, y = float(p[0]), float(p[1])
        b = self.b
        return np.array(
            [[2.0 - 4.0 * b * (y - x**2) + 8.0 * b * x**2, -4.0 * b * x], [-4.0 * b * x, 2.0 * b]]
        )

    def level_curves(self, level: float) -> list[np.ndarray]:
        """{f = c} is x = a + sqrt(c) cos t, y = x^2 + sqrt(c / b) sin t: one closed curve."""
        t = _angles()
        x = self.a + np.sqrt(level) * np.cos(t)
        y = x**2 + np.sqrt(level / self.b) * np.sin(t)
        return [np.column_stack([x, y])]


@dataclasses.dataclass(frozen=True)
class Quadratic:
    """f(p) = 1/2 sum_i lambda_i p_i^2: the local model of any smooth minimum."""

    eigenvalues: tuple[float, float] = (1.0, 10.0)
    name = "quadratic"

    @property
    def formula(self) -> str:
        l1, l2 = self.eigenvalues
        return f"(lambda_1 x^2 + lambda_2 y^2) / 2 with lambda = ({l1:g}, {l2:g})"

    @property
    def minimum(self) -> np.ndarray:
        return np.zeros(2)

    def value(self, p: np.ndarray) -> np.ndarray:
        return 0.5 * np.sum(np.asarray(self.eigenvalues) * p**2, axis=-1)

    def grad(self, p: np.ndarray) -> np.ndarray:
        return np.asarray(self.eigenvalues) * p

    def hessian(self, p: np.ndarray) -> np.ndarray:
        return np.diag(self.eigenvalues)

    def level_curves(self, level: float) -> list[np.ndarray]:
        """An ellipse with semi-axes sqrt(2 c / lambda_i)."""
        t = _angles()
        l1, l2 = self.eigenvalues
        return [
            np.column_stack(
                [np.sqrt(2 * level / l1) * np.cos(t), np.sqrt(2 * level / l2) * np.sin(t)]
            )
        ]


@dataclasses.dataclass(frozen=True)
class Saddle:
    """f(x, y) = x^2 / 2 + y^4 / 4 - y^2 / 2: a saddle at the origin, minima at (0, -1) and (0, 1).

    The quartic term keeps it bounded below, so runs that escape the saddle have somewhere to go.
    """

    name = "saddle"
    formula = "x^2 / 2 + y^4 / 4 - y^2 / 2"

    @property
    def minimum(self) -> np.ndarray:
        return np.array([0.0, 1.0])

    @staticmethod
    def _g(y: np.ndarray) -> np.ndarray:
        return 0.25 * y**4 - 0.5 * y**2

    def value(self, p: np.ndarray) -> np.ndarray:
        return 0.5 * p[..., 0] ** 2 + self._g(p[..., 1])

    def grad(self, p: np.ndarray) -> np.ndarray:
        x, y = p[..., 0], p[..., 1]
        return _pair(x, y**3 - y)

    def hessian(self, p: np.ndarray) -> np.ndarray:
        return np.array([[1.0, 0.0], [0.0, 3.0 * float(p[1]) ** 2 - 1.0]])

    def level_curves(self, level: float) -> list[np.ndarray]:
        """x = +-sqrt(2 (c - g(y))) over each y-interval where g(y) <= c.

        Above the saddle's level (c > 0) that is one curve around everything; below it
        (-1/4 < c < 0) two curves, one around each minimum. Sweeping y = m + h sin t makes the
        square root vanish linearly at the turning points, so the curve closes smoothly.
        """
        root = np.sqrt(1.0 + 4.0 * level)
        top = np.sqrt(1.0 + root)
        spans = (
            [(-top, top)]
            if level >= 0
            else [(np.sqrt(1.0 - root), top), (-top, -np.sqrt(1.0 - root))]
        )
        t = _angles()
        curves = []
        for lo, hi in spans:
            y = 0.5 * (lo + hi) + 0.5 * (hi - lo) * np.sin(t)
            x = np.sign(np.cos(t)) * np.sqrt(np.maximum(0.0, 2.0 * (level - self._g(y))))
            curves.append(np.column_stack([x, y]))
        return curves
