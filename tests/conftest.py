"""Shared fixtures: one tiny real render per registered scene, watched while it plays.

Rendering is the slow part of the suite, so each scene is rendered once per test session (at
256x144, 5 fps, with real Manim, LaTeX and ffmpeg) and every test that needs a video, the layout
record or the last frame reuses that render.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import numpy as np
import pytest

from render.core.catalog import get_scene
from render.core.settings import Settings
from render.engine.pipeline import worker_job
from render.engine.worker import WorkerJob, render_in_process
from tests.helpers.export_fixtures import demo_kit, demo_render, export_root, kit_copy  # noqa: F401
from tests.helpers.published import publish_job
from tests.helpers.tiny import TINY

REPO = Path(__file__).resolve().parents[1]
TEX_CACHE = REPO / ".cache" / "mathreel" / "tex"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-images",
        action="store_true",
        default=False,
        help="rewrite tests/scenes/regression/<id>.png from the current renders, do not compare",
    )


@dataclasses.dataclass
class TinyRender:
    """A scene rendered at TINY: the published video, Manim's own movie, and what was observed."""

    scene_id: str
    job: WorkerJob
    movie: Path
    video: Path
    timeline: dict
    layout_problems: list[str]
    last_frame: np.ndarray
    seconds: float


class TinyRenders:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._done: dict[str, TinyRender] = {}

    def __call__(self, scene_id: str, overrides: dict[str, str] | None = None) -> TinyRender:
        """The scene at its defaults, or with ``overrides`` (``--set`` strings) applied."""
        key = scene_id + "".join(f" {k}={v}" for k, v in sorted((overrides or {}).items()))
        if key not in self._done:
            self._done[key] = self._render(scene_id, overrides or {})
        return self._done[key]

    def _render(self, scene_id: str, overrides: dict[str, str]) -> TinyRender:
        from scenes.shared.layout import layout_problems

        spec = get_scene(scene_id)
        params = spec.params.from_overrides(overrides) if overrides else spec.default_params()
        root = self.root / str(len(self._done))  # each render its own out/ and cache
        settings = Settings(out_dir=root / "out", cache_dir=root / "cache")
        job = dataclasses.replace(
            worker_job(spec.id, params, TINY, settings), tex_dir=str(TEX_CACHE)
        )
        problems: list[str] = []

        def watch(scene) -> None:
            index = scene.renderer.num_plays
            problems.extend(
                f"animation {index} at t={scene.time:.1f}s: {p}"
                for p in layout_problems(scene.mobjects)
            )

        start = time.perf_counter()
        scene = render_in_process(job, observers=[watch])
        seconds = time.perf_counter() - start
        last_frame = np.array(scene.renderer.camera.pixel_array[:, :, :3], copy=True)
        video, timeline = publish_job(job, settings, TINY.name)
        return TinyRender(
            scene_id=scene_id,
            job=job,
            movie=job.movie_path,
            video=video,
            timeline=json.loads(timeline.read_text()),
            layout_problems=problems,
            last_frame=last_frame,
            seconds=seconds,
        )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist's ``--dist loadgroup``, every test of one scene runs on one worker.

    The tiny render of a scene is made once per worker that asks for it, so keeping a scene's
    tests together makes it once in the whole run.
    """
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if isinstance(params.get("scene_id"), str):
            item.add_marker(pytest.mark.xdist_group(params["scene_id"]))


@pytest.fixture(scope="session", autouse=True)
def own_manim_media(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test process its own Manim media folder, as each render has its own in production.

    Tests that build a Text or MathTex outside a render use Manim's global config, whose media
    folder is ``./media`` by default. Manim writes a temporary ``<hash>_.svg`` there beside each
    text it lays out and deletes it after the parse, so two pytest-xdist workers building the same
    text at once delete each other's file (see ``worker.shared_tex`` for the render side).
    """
    from manim import config

    config.media_dir = str(tmp_path_factory.mktemp("manim-media"))


@pytest.fixture(scope="session")
def tiny_render(tmp_path_factory: pytest.TempPathFactory) -> TinyRenders:
    """``tiny_render(scene_id)`` renders that scene once per session and returns a TinyRender."""
    return TinyRenders(tmp_path_factory.mktemp("tiny"))
