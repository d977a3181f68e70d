"""A render that fails on LaTeX is one line naming the complaint, the formula and the scene's
line, not Manim's log (checked with real LaTeX in a copy of the project whose scene is broken)."""

from __future__ import annotations

import pytest

from render.engine.failure import describe_failure
from tests.helpers.project_copy import copy_project, run_in

RENDER_TINY = """
from pathlib import Path
from render.core.catalog import get_scene
from render.core.errors import RenderFailed
from render.core.settings import Settings
from render.engine.pipeline import render_scene
from tests.helpers.tiny import TINY
spec = get_scene("lln")
try:
    render_scene(spec.id, spec.default_params(), TINY, Settings(Path("out"), Path("cache")))
except RenderFailed as exc:
    print(exc)
"""


def test_other_failures_keep_the_logs_last_line(tmp_path):
    log = "Traceback ...\nZeroDivisionError: division by zero\n"
    assert describe_failure(log, tmp_path, tmp_path) == "ZeroDivisionError: division by zero"
    assert describe_failure("", tmp_path, tmp_path) == "no output"


@pytest.mark.render
def test_a_latex_error_names_the_formula_and_the_scene_line(tmp_path):
    project = copy_project(tmp_path / "project")
    scene = project / "scenes" / "lln" / "scene.py"
    source = scene.read_text()
    anchor = "        data: LLNData = self.model\n"
    broken = anchor + '        math(r"x = \\notamacro{1}")\n'
    scene.write_text(source.replace(anchor, broken, 1))
    line = source[: source.index(anchor)].count("\n") + 2
    result = run_in(project, "-c", RENDER_TINY)
    message = result.stdout.strip()
    assert result.returncode == 0 and len(message.splitlines()) == 1, result.stderr
    assert "LaTeX error: Undefined control sequence." in message, message
    assert 'in "x = \\notamacro{1}"' in message, message
    assert f"at scenes/lln/scene.py:{line})" in message, message
