"""Gradient descent paths: GD, momentum, Nesterov, RMSprop and Adam on Rosenbrock's valley."""

from render.core.spec import SceneSpec
from scenes.gradient_descent.model import GradientDescentParams, simulate

SPEC = SceneSpec(
    id="gradient-descent",
    title="Gradient Descent Paths",
    description=(
        "Why gradient descent crawls down a curved valley, and what momentum and Adam change."
    ),
    tags=("optimization", "gradient descent", "momentum", "adam", "learning rate", "sgd"),
    params=GradientDescentParams,
    model=simulate,
    scene="scenes.gradient_descent.scene:GradientDescentPaths",
    duration=100.0,
    hero_time=40.0,
    summary=(
        "Rosenbrock's valley is 2,500 times steeper across than along at its minimum. Gradient "
        "descent zig-zags across it and then crawls for 17,082 steps; heavy-ball momentum at the "
        "same learning rate needs 1,580; Adam's first steps are about its learning rate in every "
        "coordinate. A learning-rate sweep converges, stalls and diverges around 2/lambda_max, and "
        "noisy SGD ends in a ball whose variance grows with the learning rate."
    ),
)
