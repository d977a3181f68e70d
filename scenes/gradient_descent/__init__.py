"""Gradient descent paths: GD, momentum, Nesterov, RMSprop and Adam on Rosenbrock's valley."""

from render.core.spec import SceneSpec
from scenes.gradient_descent.model import GradientDescentParams, simulate

SPEC = SceneSpec(
    id="gradient-descent",
    title="Gradient Descent Paths",
    description=(
        "Why gradient descent crawls down a curved valley, what momentum and Adam change, and "
        "which optimizer wins on which convex problem."
    ),
    tags=("optimization", "gradient descent", "momentum", "adam", "learning rate", "sgd"),
    params=GradientDescentParams,
    model=simulate,
    scene="scenes.gradient_descent.scene:GradientDescentPaths",
    duration=150.0,
    hero_time=40.0,
    summary=(
        "Rosenbrock's valley is 2,500 times steeper across than along at its minimum. Gradient "
        "descent zig-zags across it and then crawls for thousands of steps; heavy-ball momentum "
        "at the same learning rate arrives ten times sooner; Adam's first steps are about its "
        "learning rate in every coordinate, and Adam and RMSprop reach the minimum's neighbourhood "
        "long before they stay in it. A learning-rate sweep converges, stalls and diverges around "
        "2/lambda_max, and noisy SGD ends in a ball whose variance grows with the learning rate. "
        "On convex bowls with tuned learning rates, momentum wins when the ill-conditioning is "
        "rotated, per-coordinate steps win when it lies along the axes, and plain GD is enough "
        "when the bowl is round."
    ),
)
