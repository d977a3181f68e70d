"""Bayesian updating: the area model, the odds form, a Beta prior flip by flip, and its failure."""

from render.core.spec import SceneSpec
from scenes.bayes.model import BayesParams, simulate

SPEC = SceneSpec(
    id="bayes",
    title="Bayesian Updating",
    description="Bayes' theorem as area, as odds, and as a curve reshaped by every coin flip.",
    tags=("probability", "bayes", "beta", "conjugacy", "misspecification"),
    params=BayesParams,
    model=simulate,
    scene="scenes.bayes.scene:BayesianUpdating",
    duration=100.0,
    hero_time=50.0,
    summary=(
        "Bayes' theorem drawn in the unit square: the prior is a width, the likelihoods are "
        "heights, and the posterior is the share of shaded area over the hypothesis. In odds form "
        "the same rule is one multiplication by the Bayes factor. A Beta prior on a coin's bias is "
        "multiplied by x or 1-x at every flip and renormalized until it concentrates near the true "
        "p; a stubborn prior lags a flat one on the same flips; and when the coin drifts, the "
        "constant-p model becomes confidently wrong."
    ),
)
