"""``mathreel new``: a new scene's folder in the house's shape, registered and ready to render.

It writes ``scenes/<package>/`` (a seeded numpy model, a scene drawing only that model in three
beats, the registry entry), a test of the model against an independent computation, and one line
in ``scenes/registry.py``. The files are written to a temporary folder and moved into place, and
the registry is rewritten last, so a failure leaves the project as it was.
"""

from __future__ import annotations

import re
import shutil
import string
import tempfile
from pathlib import Path

from render.core.errors import UserError
from render.tools.atomic import write_text

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
REGISTRY_TUPLE = re.compile(r"SCENES: tuple\[SceneSpec, \.\.\.\] = \((?P<names>[^)]*)\)")

MODEL = '''"""$title: the model the scene draws.

Pure numpy; every draw comes from the Generator passed in.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from render.core.params import Params, param


@dataclasses.dataclass(frozen=True)
class ${cls}Params(Params):
    n: int = param(200, "number of draws", min=2, max=100_000)


@dataclasses.dataclass(frozen=True)
class ${cls}Data:
    draws: np.ndarray  # n standard normal draws
    running_mean: np.ndarray  # the mean of the first k draws, k = 1..n


def simulate(params: ${cls}Params, rng: np.random.Generator) -> ${cls}Data:
    draws = rng.standard_normal(params.n)
    return ${cls}Data(draws=draws, running_mean=np.cumsum(draws) / np.arange(1, params.n + 1))
'''

SCENE = '''"""$title, drawn from :mod:`scenes.$package.model`.

Beats: the question; the model's running mean; a summary.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, Create, FadeIn

from scenes.$package.model import ${cls}Data
from scenes.shared import theme
from scenes.shared.base import MathreelScene
from scenes.shared.widgets import heading, polyline, show_title, styled_axes, text

BEAT_SECONDS = 10.0  # each beat lasts at least this long (a chapter shorter than 10 s is lost)


class $cls(MathreelScene):
    def construct(self) -> None:
        data: ${cls}Data = self.model
        self.question(data)
        self.running_mean(data)
        self.summary(data)

    def hold_until(self, start: float) -> None:
        """Wait until the beat begun at ``start`` has lasted BEAT_SECONDS (then it fades out)."""
        self.wait(max(0.5, start + BEAT_SECONDS - self.time))

    # -- beats -------------------------------------------------------------------------------

    def question(self, data: ${cls}Data) -> None:
        start = self.time
        self.beat("The question")
        show_title(self, "$title", "a first draft: replace these beats")
        self.say(f"We draw {len(data.draws)} numbers and watch their mean.", 2.0)
        self.hold_until(start)
        self.clear_stage()

    def running_mean(self, data: ${cls}Data) -> None:
        start = self.time
        self.beat("The running mean")
        title = heading("The running mean")
        n = np.arange(1, len(data.draws) + 1)
        axes = styled_axes([0, len(n), max(1, len(n) // 4)], [-1, 1, 0.5], 10.0, 4.2)
        axes.shift(0.3 * DOWN)
        path = polyline(axes, n, np.clip(data.running_mean, -1, 1), theme.PRIMARY, width=3.0)
        self.play(FadeIn(title), Create(axes), run_time=1.0)
        self.say(f"After {len(n)} draws the mean is {data.running_mean[-1]:.3f}.", 2.0)
        self.play(Create(path), run_time=2.0)
        self.hold_until(start)
        self.clear_stage()

    def summary(self, data: ${cls}Data) -> None:
        start = self.time
        self.beat("Summary")
        result = f"{len(data.draws)} draws, mean {data.running_mean[-1]:.3f}"
        line = text(result, theme.SIZE_HEADING)
        self.play(FadeIn(line), run_time=0.8)
        self.say("Replace this summary with the scene's conclusion.", 2.0)
        self.hold_until(start)
        self.clear_stage()
'''

ENTRY = '''"""$title."""

from render.core.spec import SceneSpec
from scenes.$package.model import ${cls}Params, simulate

SPEC = SceneSpec(
    id="$scene_id",
    title="$title",
    description="$title, drawn from a seeded model.",
    tags=("draft",),
    params=${cls}Params,
    model=simulate,
    scene="scenes.$package.scene:$cls",
    duration=34.0,
    hero_time=15.0,
    summary="A first draft of $title: a running mean of standard normal draws.",
)
'''

MODEL_TEST = '''"""The $title model: seeded, and against an independent computation."""

from __future__ import annotations

import numpy as np

from scenes.$package.model import ${cls}Params, simulate


def run(seed: int, n: int = 500):
    params = ${cls}Params(n=n, seed=seed)
    return simulate(params, np.random.default_rng(params.seed))


def test_the_same_seed_gives_the_same_numbers():
    a, b = run(1), run(1)
    assert np.array_equal(a.draws, b.draws) and np.array_equal(a.running_mean, b.running_mean)


def test_a_different_seed_gives_different_numbers():
    assert not np.array_equal(run(1).draws, run(2).draws)


def test_the_running_mean_is_the_mean_of_the_first_k_draws():
    data = run(3)
    expected = [data.draws[: k + 1].mean() for k in range(len(data.draws))]
    assert np.allclose(data.running_mean, expected)
'''


def names(scene_id: str) -> dict[str, str]:
    """The scene's package, class and registry constant, all derived from its id."""
    if not ID_PATTERN.fullmatch(scene_id):
        raise UserError(
            f"scene id {scene_id!r} must be lowercase letters and digits in words joined by '-'"
        )
    package = scene_id.replace("-", "_")
    return {
        "scene_id": scene_id,
        "package": package,
        "cls": "".join(word.capitalize() for word in scene_id.split("-")),
        "constant": package.upper(),
    }


def registry_with(source: str, package: str, constant: str) -> str:
    """``scenes/registry.py`` with one more import and the new scene last in ``SCENES``."""
    match = REGISTRY_TUPLE.search(source)
    if match is None:
        raise UserError("scenes/registry.py has no 'SCENES: tuple[SceneSpec, ...] = (...)'")
    entries = [n.strip() for n in match["names"].split(",") if n.strip()] + [constant]
    one_line = f"SCENES: tuple[SceneSpec, ...] = ({', '.join(entries)})"
    listing = (
        one_line
        if len(one_line) <= 100
        else ("SCENES: tuple[SceneSpec, ...] = (\n" + "".join(f"    {e},\n" for e in entries) + ")")
    )
    source = source[: match.start()] + listing + source[match.end() :]
    imports = list(re.finditer(r"^from scenes\.(\S+) import SPEC as \w+$", source, re.M))
    if not imports:
        raise UserError("scenes/registry.py imports no scene entry ('from scenes.x import SPEC')")
    lines = [m[0] for m in imports] + [f"from scenes.{package} import SPEC as {constant}"]
    block = "\n".join(sorted(lines, key=lambda line: line.split()[1]))
    return source[: imports[0].start()] + block + source[imports[-1].end() :]


def scaffold(root: Path, scene_id: str, title: str, known_ids: list[str]) -> list[Path]:
    """Create the scene ``scene_id`` under the project ``root``; return the files written."""
    if not title.strip() or '"' in title or "\\" in title or "\n" in title:
        raise UserError("--title must be one line of text without double quotes or backslashes")
    values = {**names(scene_id), "title": title.strip()}
    folder = root / "scenes" / values["package"]
    test_file = root / "tests" / "scenes" / f"test_{values['package']}_model.py"
    registry = root / "scenes" / "registry.py"
    if scene_id in known_ids or folder.exists():
        raise UserError(f"a scene {scene_id!r} exists already ({folder})")
    if test_file.exists():
        raise UserError(f"{test_file} exists already")
    new_registry = registry_with(registry.read_text(), values["package"], values["constant"])
    files = {"model.py": MODEL, "scene.py": SCENE, "__init__.py": ENTRY}
    with tempfile.TemporaryDirectory(prefix=".tmp-new-", dir=folder.parent) as scratch:
        staged = Path(scratch) / values["package"]
        staged.mkdir()
        for name, template in files.items():
            (staged / name).write_text(string.Template(template).substitute(values))
        shutil.move(str(staged), folder)
    try:
        write_text(test_file, string.Template(MODEL_TEST).substitute(values))
        write_text(registry, new_registry)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        test_file.unlink(missing_ok=True)
        raise
    return [folder / name for name in files] + [test_file, registry]
