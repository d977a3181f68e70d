"""Classifier basin: what the Hessian of a trained digits classifier really measures."""

from render.core.spec import SceneSpec
from scenes.classifier_basin.model import ClassifierParams, simulate

SPEC = SceneSpec(
    id="classifier-basin",
    title="What the Hessian Measures",
    description="A digits classifier's Hessian: Gauss-Newton, zero directions, 2/lr, confidence.",
    tags=("optimization", "hessian", "flatness", "neural networks", "classification"),
    params=ClassifierParams,
    model=simulate,
    scene="scenes.classifier_basin.scene:ClassifierBasin",
    duration=130.0,
    hero_time=80.0,
    summary=(
        "A small ReLU network learns scikit-learn's handwritten digits by plain gradient descent. "
        "We compute its exact Hessian, about two thousand by two thousand, and its Gauss-Newton "
        "part J^T S J, count the directions that cost nothing and say why, and find lambda_max "
        "by power iteration and Lanczos. Then we ask what that sharpness measures: the learning "
        "rate (it settles at 2/lr, the edge of stability), the network's confidence, the "
        "coordinates (a rescaling gives the same function at ten times the sharpness) and, "
        "flattest of all, a network whose every unit has died."
    ),
)
