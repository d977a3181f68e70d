"""The ordered list of scenes. Adding a scene: add its folder and one entry here."""

from render.core.spec import SceneSpec
from scenes.basin_flatness import SPEC as BASIN_FLATNESS
from scenes.bayes import SPEC as BAYES
from scenes.buffon import SPEC as BUFFON
from scenes.clt import SPEC as CLT
from scenes.gradient_descent import SPEC as GRADIENT_DESCENT
from scenes.lln import SPEC as LLN

SCENES: tuple[SceneSpec, ...] = (LLN, CLT, BAYES, BUFFON, GRADIENT_DESCENT, BASIN_FLATNESS)
