"""Central Limit Theorem: a Galton board, exact sums of a skewed die, Berry-Esseen, and failures."""

from render.core.spec import SceneSpec
from scenes.clt.model import CLTParams, simulate

SPEC = SceneSpec(
    id="clt",
    title="The Central Limit Theorem",
    description="Sums of a lopsided die become a bell, at a rate Berry-Esseen bounds, if they may.",
    tags=("probability", "convergence", "berry-esseen", "galton board"),
    params=CLTParams,
    model=simulate,
    scene="scenes.clt.scene:CentralLimitTheorem",
    duration=95.0,
    hero_time=45.0,
    summary=(
        "Balls bouncing through a Galton board pile up into a bell. The same happens to sums of a "
        "lopsided die: their exact distributions, computed by convolution for n = 1, 2, 5, 10 and "
        "30 and then standardized, close in on N(0, 1), and the largest gap between the two cdfs "
        "stays under the Berry-Esseen bound C rho/(sigma^3 sqrt n). Two counterexamples show what "
        "the theorem needs: with infinite variance the sum stays skewed, and with one hidden "
        "choice shared by all draws it splits in two."
    ),
)
