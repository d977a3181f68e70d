"""``mathreel new`` in a copy of the project: the scaffolded scene lists, its generated model
test passes, its files are lint-clean, and it renders at once; a taken or malformed id is one
line and exit 2, and changes nothing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.helpers.project_copy import copy_project, run_in

CLI = "from render.cli import main; main()"
RENDER_TINY = """
import sys
from pathlib import Path
from render.core.catalog import get_scene
from render.core.settings import Settings
from render.engine.pipeline import render_scene
from tests.helpers.tiny import TINY
spec = get_scene(sys.argv[1])
result = render_scene(spec.id, spec.default_params(), TINY, Settings(Path("out"), Path("cache")))
print(result.timeline)
"""


@pytest.fixture()
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


def test_the_copy_imports_its_own_packages(project):
    found = run_in(project, "-c", "import render, scenes; print(render.__file__, scenes.__file__)")
    assert found.stdout.split() == [
        str(project / "render" / "__init__.py"),
        str(project / "scenes" / "__init__.py"),
    ]


@pytest.mark.render
def test_a_new_scene_lists_tests_and_renders(project):
    made = run_in(project, "-c", CLI, "new", "coin-walk", "--title", "A coin's walk")
    assert made.returncode == 0, made.stderr
    folder = project / "scenes" / "coin_walk"
    assert sorted(p.name for p in folder.iterdir()) == ["__init__.py", "model.py", "scene.py"]
    listed = run_in(project, "-c", CLI, "list", "--ids")
    assert listed.stdout.split()[-1] == "coin-walk"

    generated = [*folder.iterdir(), project / "tests/scenes/test_coin_walk_model.py"]
    registry = project / "scenes" / "registry.py"
    for check in (["check"], ["format", "--check"]):
        lint = run_in(project, "-m", "ruff", *check, *map(str, [*generated, registry]))
        assert lint.returncode == 0, lint.stdout
    model_test = run_in(
        project,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/scenes/test_coin_walk_model.py",
    )
    assert model_test.returncode == 0 and "3 passed" in model_test.stdout, model_test.stdout
    registry_test = run_in(
        project, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/scenes/test_registry.py",
        "-k", "coin-walk",
    )  # fmt: skip
    assert registry_test.returncode == 0, registry_test.stdout

    rendered = run_in(project, "-c", RENDER_TINY, "coin-walk")
    assert rendered.returncode == 0, rendered.stderr
    timeline = json.loads(Path(project, rendered.stdout.strip()).read_text())
    names = [s["name"] for s in timeline["sections"]]
    assert names == ["The question", "The running mean", "Summary"]
    starts = [*(s["start"] for s in timeline["sections"]), timeline["duration"]]
    assert all(b - a >= 10 for a, b in itertools.pairwise(starts)), starts
    assert any("mean is" in cue["text"] for cue in timeline["cues"])


@pytest.mark.parametrize(
    ("scene_id", "message"), [("lln", "exists already"), ("Coin_Walk", "lowercase")]
)
def test_a_taken_or_malformed_id_is_one_line_and_changes_nothing(project, scene_id, message):
    before = (project / "scenes" / "registry.py").read_text()
    made = run_in(project, "-c", CLI, "new", scene_id, "--title", "Anything")
    assert made.returncode == 2
    assert len(made.stderr.strip().splitlines()) == 1 and message in made.stderr
    assert (project / "scenes" / "registry.py").read_text() == before
    assert not list((project / "scenes").glob(".tmp-*"))
