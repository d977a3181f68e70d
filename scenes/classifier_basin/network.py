"""A one-hidden-layer ReLU classifier with exact first and second derivatives, in plain numpy.

logits z = W2 relu(W1 x + b1) + b2, probabilities p = softmax(z), loss = mean cross-entropy over
the inputs plus ``weight_decay`` |theta|^2 / 2. The flat parameter vector is, layer by layer, W
(shape out x in, row-major) then b: ``[W1, b1, W2, b2]``.

Everything a Hessian study needs is here, each computed directly rather than by differencing:
the gradient (backpropagation), Hessian-vector products (forward-mode differentiation of the
backward pass, Pearlmutter's R-operator), the behavioral-gradient matrix J (d logits / d theta),
and the dense Hessian split into its two parts, the Gauss-Newton matrix J^T H_softmax J / n and the
residual term sum_i (p_i - y_i) . d^2 z_i / d theta^2 / n. A ReLU has no curvature of its own
(almost everywhere), so the residual lives only in the block that couples a unit's incoming
weights with its outgoing ones; the dense matrices are assembled block by block from that
structure (Kronecker products of per-input pieces), which costs a small fraction of N
Hessian-vector products.
"""

from __future__ import annotations

import dataclasses

import numpy as np

CLASSES = 10


@dataclasses.dataclass(frozen=True)
class Shapes:
    """Where each layer's weights and biases sit in the flat parameter vector."""

    inputs: int
    hidden: int
    outputs: int = CLASSES

    @property
    def layers(self) -> list[int]:
        return [self.inputs, self.hidden, self.outputs]

    @property
    def size(self) -> int:
        return self.hidden * (self.inputs + 1) + self.outputs * (self.hidden + 1)

    def unpack(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Views (W1, b1, W2, b2) into ``theta``."""
        i, h, o = self.inputs, self.hidden, self.outputs
        ends = np.cumsum([h * i, h, o * h, o])
        w1, b1, w2, b2 = np.split(theta, ends[:-1])
        return w1.reshape(h, i), b1, w2.reshape(o, h), b2

    def pack(self, w1, b1, w2, b2) -> np.ndarray:
        return np.concatenate([np.ravel(w1), np.ravel(b1), np.ravel(w2), np.ravel(b2)])

    def augmented_order(self) -> np.ndarray:
        """Flat index of each entry of the augmented layout [[W1 | b1], [W2 | b2]] (row-major).

        The dense matrices are built in the augmented layout, where a unit's weights and its bias
        sit side by side, and then permuted to the flat layout with this index.
        """
        w1, b1, w2, b2 = self.unpack(np.arange(self.size))
        return np.concatenate(
            [np.hstack([w1, b1[:, None]]).ravel(), np.hstack([w2, b2[:, None]]).ravel()]
        )


@dataclasses.dataclass(frozen=True)
class Forward:
    """One forward pass, kept for the backward passes."""

    pre: np.ndarray  # (n, hidden) W1 x + b1
    active: np.ndarray  # (n, hidden) 1 where pre > 0
    hidden: np.ndarray  # (n, hidden) relu(pre)
    logits: np.ndarray  # (n, classes)
    probabilities: np.ndarray  # (n, classes) softmax(logits)


def forward(shapes: Shapes, theta: np.ndarray, x: np.ndarray) -> Forward:
    w1, b1, w2, b2 = shapes.unpack(theta)
    pre = x @ w1.T + b1
    active = (pre > 0).astype(float)
    hidden = pre * active
    logits = hidden @ w2.T + b2
    return Forward(pre, active, hidden, logits, softmax(logits))


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def one_hot(labels: np.ndarray) -> np.ndarray:
    return np.eye(CLASSES)[labels]


class Objective:
    """The training loss at one point: one forward pass, then the loss, its gradient and
    Hessian-vector products from it (all exact, away from the ReLU kinks)."""

    def __init__(
        self,
        shapes: Shapes,
        theta: np.ndarray,
        x: np.ndarray,
        labels: np.ndarray,
        weight_decay: float,
    ) -> None:
        self.shapes, self.theta, self.x, self.weight_decay = shapes, theta, x, weight_decay
        self.forward = forward(shapes, theta, x)
        self.error = (self.forward.probabilities - one_hot(labels)) / len(labels)  # d loss / dz
        logits = self.forward.logits
        top = logits.max(axis=1)
        log_norm = top + np.log(np.exp(logits - top[:, None]).sum(axis=1))
        cross_entropy = np.mean(log_norm - logits[np.arange(len(labels)), labels])
        self.loss = float(cross_entropy + weight_decay * theta @ theta / 2.0)

    def gradient(self) -> np.ndarray:
        """Backpropagation: d loss / d theta."""
        _, _, w2, _ = self.shapes.unpack(self.theta)
        f, d_logits = self.forward, self.error
        d_pre = (d_logits @ w2) * f.active
        grad = self.shapes.pack(
            d_pre.T @ self.x, d_pre.sum(axis=0), d_logits.T @ f.hidden, d_logits.sum(axis=0)
        )
        return grad + self.weight_decay * self.theta

    def hessian_vector_product(self, vector: np.ndarray) -> np.ndarray:
        """H v without forming H: the directional derivative of the gradient along v.

        Every quantity of the backward pass is differentiated along v (Pearlmutter's
        R-operator); the ReLU's mask does not move, which is exact away from the kinks.
        """
        _, _, w2, _ = self.shapes.unpack(self.theta)
        v1, c1, v2, c2 = self.shapes.unpack(vector)
        f, d_logits = self.forward, self.error
        r_hidden = (self.x @ v1.T + c1) * f.active
        r_logits = r_hidden @ w2.T + f.hidden @ v2.T + c2
        p = f.probabilities
        r_d_logits = p * (r_logits - np.sum(p * r_logits, axis=1, keepdims=True)) / len(p)
        r_d_pre = (r_d_logits @ w2 + d_logits @ v2) * f.active
        product = self.shapes.pack(
            r_d_pre.T @ self.x,
            r_d_pre.sum(axis=0),
            r_d_logits.T @ f.hidden + d_logits.T @ r_hidden,
            r_d_logits.sum(axis=0),
        )
        return product + self.weight_decay * vector


def loss(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray, weight_decay: float
) -> float:
    return Objective(shapes, theta, x, labels, weight_decay).loss


def gradient(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray, weight_decay: float
) -> np.ndarray:
    return Objective(shapes, theta, x, labels, weight_decay).gradient()


def jacobian(shapes: Shapes, theta: np.ndarray, x: np.ndarray) -> np.ndarray:
    """J = d logits / d theta: one row per (input, class), input-major, class-minor."""
    _, _, w2, _ = shapes.unpack(theta)
    f = forward(shapes, theta, x)
    n, o = len(x), shapes.outputs
    gate = w2[None, :, :] * f.active[:, None, :]  # (n, classes, hidden): d z_c / d pre_j
    eye = np.eye(o)
    d_w1 = gate[:, :, :, None] * x[:, None, None, :]  # (n, c, j, p)
    d_w2 = eye[None, :, :, None] * f.hidden[:, None, None, :]  # (n, c, c', j)
    d_b2 = np.broadcast_to(eye, (n, o, o))
    blocks = [d_w1.reshape(n, o, -1), gate, d_w2.reshape(n, o, -1), d_b2]
    return np.concatenate(blocks, axis=2).reshape(n * o, -1)


def softmax_hessians(probabilities: np.ndarray) -> np.ndarray:
    """d^2 cross-entropy / d logits^2 = diag(p) - p p^T, one 10 x 10 block per input."""
    outer = probabilities[:, :, None] * probabilities[:, None, :]
    return probabilities[:, :, None] * np.eye(probabilities.shape[1]) - outer


def hessian_trace(objective: Objective) -> float:
    """trace H = sum_i tr(S_i J_i J_i^T) / n + weight_decay N, without J (the residual term has
    a zero diagonal). J_i J_i^T = |[x_i, 1]|^2 (W2 * mask_i)(W2 * mask_i)^T + |[a_i, 1]|^2 I,
    and tr(S M) = sum_c p_c M_cc - p^T M p for S = diag(p) - p p^T."""
    shapes, f = objective.shapes, objective.forward
    _, _, w2, _ = shapes.unpack(objective.theta)
    p = f.probabilities
    gate_diagonal = f.active @ (w2**2).T  # (n, c): sum_j W2[c, j]^2 mask_j
    gate_p = (p @ w2) * f.active  # (n, j): (W2 * mask)^T p
    weight_part = np.sum(p * gate_diagonal, axis=1) - np.sum(gate_p**2, axis=1)
    bias_part = 1.0 - np.sum(p**2, axis=1)
    per_input = (np.sum(objective.x**2, axis=1) + 1.0) * weight_part + (
        np.sum(f.hidden**2, axis=1) + 1.0
    ) * bias_part
    return float(per_input.mean() + objective.weight_decay * shapes.size)


def _augment(values: np.ndarray) -> np.ndarray:
    return np.hstack([values, np.ones((len(values), 1))])


def gauss_newton(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, softmax_curvature: np.ndarray | None = None
) -> np.ndarray:
    """G = sum_i J_i^T S_i J_i / n, with S_i = diag(p_i) - p_i p_i^T unless given.

    Built from the structure of J_i instead of J itself: in the augmented layout the outgoing
    block of J_i is kron(I, [a_i, 1]) and the incoming block is (W2 * mask_i) kron [x_i, 1], so
    each block of G is a sum over inputs of Kronecker products of small matrices. Passing the
    identity for every S_i gives J^T J / n.
    """
    _, _, w2, _ = shapes.unpack(theta)
    f = forward(shapes, theta, x)
    s = softmax_hessians(f.probabilities) if softmax_curvature is None else softmax_curvature
    n, h, o = len(x), shapes.hidden, shapes.outputs
    xa, ha = _augment(x), _augment(f.hidden)
    p_in, p_out = xa.shape[1], ha.shape[1]
    gate = w2[None, :, :] * f.active[:, None, :]  # (n, c, j)
    gated_s = np.einsum("icj,icd->ijd", gate, s)  # (n, j, d): (W2 * mask)^T S
    inner = np.einsum("ijd,idk->ijk", gated_s, gate)  # (n, j, k)

    def kron_sum(left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """sum_i left_i (x) right_i, as one matrix product over the inputs."""
        return (left.reshape(n, -1).T @ right.reshape(n, -1)) / n

    xx = xa[:, :, None] * xa[:, None, :]
    hh = ha[:, :, None] * ha[:, None, :]
    g11 = kron_sum(inner, xx).reshape(h, h, p_in, p_in).transpose(0, 2, 1, 3)
    g12 = kron_sum(gated_s, xa[:, :, None] * ha[:, None, :])
    g12 = g12.reshape(h, o, p_in, p_out).transpose(0, 2, 1, 3)
    g22 = kron_sum(s, hh).reshape(o, o, p_out, p_out).transpose(0, 2, 1, 3)
    size_in, size_out = h * p_in, o * p_out
    top = np.hstack([g11.reshape(size_in, size_in), g12.reshape(size_in, size_out)])
    bottom = np.hstack([g12.reshape(size_in, size_out).T, g22.reshape(size_out, size_out)])
    return _to_flat(shapes, np.vstack([top, bottom]))


def residual_coupling(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray
) -> np.ndarray:
    """E[j, p, c] = sum_i mask_ij [x_i, 1]_p (p_ic - y_ic) / n, the residual term's only entries.

    The only second derivatives of a logit are d^2 z_c / dW2[c, j] d[W1, b1][j, p] =
    mask_j [x, 1]_p, so R = sum_i sum_c (p_ic - y_ic) d^2 z_ic / d theta^2 / n couples unit j's
    incoming weights with its outgoing ones through the 65 x 10 block E[j] and nothing else.
    """
    f = forward(shapes, theta, x)
    error = f.probabilities - one_hot(labels)
    return np.einsum("ij,ip,ic->jpc", f.active, _augment(x), error) / len(x)


def residual_term(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray
) -> np.ndarray:
    """R, what makes H differ from G: the blocks E[j] of :func:`residual_coupling` in place."""
    h, o = shapes.hidden, shapes.outputs
    coupling = residual_coupling(shapes, theta, x, labels)
    p_in, p_out = coupling.shape[1], h + 1
    size_in, size_out = h * p_in, o * p_out
    block = np.zeros((h, p_in, o, p_out))
    units = np.arange(h)
    block[units, :, :, units] = coupling
    r = np.zeros((size_in + size_out, size_in + size_out))
    r[:size_in, size_in:] = block.reshape(size_in, size_out)
    r[size_in:, :size_in] = r[:size_in, size_in:].T
    return _to_flat(shapes, r)


def residual_eigenvalues(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray
) -> np.ndarray:
    """Eigenvalues of R, descending, without the dense eigensolver.

    R is block diagonal with one block [[0, E_j], [E_j^T, 0]] per unit (plus zeros), and such a
    block has eigenvalues +-sigma(E_j): the residual term is as negative as it is positive.
    """
    coupling = residual_coupling(shapes, theta, x, labels)
    singular = np.concatenate([np.linalg.svd(e, compute_uv=False) for e in coupling])
    zeros = np.zeros(shapes.size - 2 * len(singular))
    return np.sort(np.concatenate([singular, zeros, -singular]))[::-1]


def hessian(
    shapes: Shapes, theta: np.ndarray, x: np.ndarray, labels: np.ndarray, weight_decay: float
) -> tuple[np.ndarray, np.ndarray]:
    """The dense Hessian H = G + R + weight_decay I, and G (the Gauss-Newton part) with it."""
    g = gauss_newton(shapes, theta, x)
    h = g + residual_term(shapes, theta, x, labels)
    h[np.diag_indices_from(h)] += weight_decay
    return h, g


def _to_flat(shapes: Shapes, augmented: np.ndarray) -> np.ndarray:
    """Reorder rows and columns from the augmented layout to the flat parameter layout."""
    order = shapes.augmented_order()
    flat = np.empty_like(augmented)
    flat[np.ix_(order, order)] = augmented
    return flat


def rescale(shapes: Shapes, theta: np.ndarray, factor: float) -> np.ndarray:
    """(W1, b1, W2, b2) -> (a W1, a b1, W2 / a, b2): the same function, as relu(a u) = a relu(u)."""
    w1, b1, w2, b2 = shapes.unpack(theta)
    return shapes.pack(factor * w1, factor * b1, w2 / factor, b2)
