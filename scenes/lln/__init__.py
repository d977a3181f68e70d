"""Law of Large Numbers: one die's running mean, the 1/sqrt(n) funnel, Chebyshev, and Cauchy."""

from render.core.spec import SceneSpec
from scenes.lln.model import LLNParams, simulate

SPEC = SceneSpec(
    id="lln",
    title="The Law of Large Numbers",
    description="Running means settle into a 1/sqrt(n) funnel, unless the mean does not exist.",
    tags=("probability", "convergence", "chebyshev", "cauchy"),
    params=LLNParams,
    model=simulate,
    scene="scenes.lln.scene:LawOfLargeNumbers",
    duration=80.0,
    hero_time=30.0,
    summary=(
        "Roll a die again and again and the running mean settles at 3.5. Two hundred runs show how "
        "fast: inside a funnel of width 1.96 sigma/sqrt(n), with histograms of the mean narrowing "
        "like 1/sqrt(n), the share of runs off by more than epsilon under Chebyshev's bound, and "
        "the Cauchy distribution, whose running mean never settles because it has no mean."
    ),
)
