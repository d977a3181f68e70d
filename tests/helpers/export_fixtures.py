"""Fixtures of the export tests: a short real render of the demo scene, exported once per session.

The demo scene (:mod:`tests.helpers.demo_scene`) is registered only while these tests run: the
catalog is patched around each test of the folders whose ``conftest.py`` imports
:func:`registered_demo`, and around the one render, so the rest of the suite sees the real registry.
The session fixtures are imported by ``tests/conftest.py``, so the publish and browser tests share
one render. Tests that damage a kit work on a copy of it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from render.core.quality import Quality
from render.core.settings import Settings
from render.engine.pipeline import worker_job
from render.engine.worker import render_in_process
from tests.helpers import demo_scene
from tests.helpers.kit import SCENE, demo_registered, run_cli
from tests.helpers.published import publish_job

# Named like a real quality so that export finds it; 10 fps leaves room for 2 B-frames per GOP.
DEMO_QUALITY = Quality("preview", 256, 144, 10)


@pytest.fixture(scope="session")
def export_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("export")


@pytest.fixture(autouse=True)
def registered_demo(export_root: Path) -> Iterator[None]:
    with demo_registered(export_root / "cache"):
        yield


def render_demo(root: Path) -> Path:
    """The demo scene rendered by the real pipeline into ``<root>/out/exportdemo/preview/``."""
    settings = Settings(out_dir=root / "out", cache_dir=root / "cache")
    with demo_registered(settings.cache_dir):
        job = worker_job(SCENE, demo_scene.DemoParams(), DEMO_QUALITY, settings)
        Path(job.media_dir).mkdir(parents=True, exist_ok=True)
        render_in_process(job)
        return publish_job(job, settings, DEMO_QUALITY.name)[0]


def export_demo(root: Path) -> Path:
    """``<root>/out`` after ``mathreel export exportdemo`` (every target) and ``gallery``."""
    out = root / "out"
    with demo_registered(root / "cache"):
        code, output = run_cli("export", SCENE, "--out", str(out))
        assert code == 0, output
        code, output = run_cli("gallery", "--out", str(out))
        assert code == 0, output
    return out


@pytest.fixture(scope="session")
def demo_render(export_root: Path) -> Path:
    return render_demo(export_root)


@pytest.fixture(scope="session")
def demo_kit(demo_render: Path, export_root: Path) -> Path:
    """The out folder after ``mathreel export exportdemo`` (every target) and ``gallery``."""
    return export_demo(export_root)


@pytest.fixture()
def kit_copy(demo_kit: Path, tmp_path: Path) -> Path:
    """A private copy of the exported out folder, for tests that change or damage it."""
    copy = tmp_path / "out"
    shutil.copytree(demo_kit, copy)
    return copy
