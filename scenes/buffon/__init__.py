"""Buffon's needle: pi from needles on ruled lines, against darts, and the long-needle trap."""

from render.core.spec import SceneSpec
from scenes.buffon.model import BuffonParams, simulate

SPEC = SceneSpec(
    id="buffon",
    title="Buffon's Needle and Monte Carlo Pi",
    description="Needles on ruled lines estimate pi: how noisy it is, and where it fails.",
    tags=("probability", "monte-carlo", "geometric-probability", "estimation"),
    params=BuffonParams,
    model=simulate,
    scene="scenes.buffon.scene:BuffonsNeedle",
    duration=100.0,
    hero_time=12.0,
    summary=(
        "A needle as long as the gap between ruled lines crosses one with probability 2/pi, so "
        "counting crossings estimates pi. The (distance, angle) square shows why; the running "
        "estimate wanders inside a band of plus or minus two standard errors that darts in a "
        "square beat; a thousand repeated experiments show the real spread; and a needle longer "
        "than the gap breaks the naive formula while the right one fits."
    ),
)
