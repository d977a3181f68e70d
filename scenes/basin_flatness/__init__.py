"""Basin flatness: why a network with more parameters than data points sits in a flat valley."""

from render.core.spec import SceneSpec
from scenes.basin_flatness.model import BasinParams, simulate

SPEC = SceneSpec(
    id="basin-flatness",
    title="Sharp and Flat Minima",
    description="At zero loss H = 2 J^T J: one eigenvalue per behaviour, zero for the rest.",
    tags=("optimization", "hessian", "flatness", "neural networks"),
    params=BasinParams,
    model=simulate,
    scene="scenes.basin_flatness.scene:BasinFlatness",
    duration=115.0,
    hero_time=47.0,
    summary=(
        "A tiny ReLU network with 151 parameters fits 20 points exactly. There its loss Hessian is "
        "2 J^T J, J being how the 20 outputs move with each parameter, so the Hessian has at most "
        "20 non-zero eigenvalues and 131 directions in which the loss does not curve at all. We "
        "walk along the sharpest direction and a flat one, find lambda_max by power iteration, "
        "see gradient descent stay only while lambda_max < 2/lr, and rescale the ReLU layer to "
        "get the same function at a sharper minimum."
    ),
)
