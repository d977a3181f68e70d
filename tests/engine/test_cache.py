"""The render cache: what its key covers, that a change re-renders and is named, that a warm run
never starts Manim, and that a corrupt entry is rebuilt rather than published."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import render.engine.cache as cache_mod
from render.core.catalog import get_scene
from render.core.paths import CachePaths
from render.core.quality import Quality
from render.core.settings import Settings
from render.engine.cache import RenderCache, cache_key, explain, key_inputs
from render.engine.pipeline import Engine
from render.engine.sources import import_closure
from tests.helpers.fake_worker import FakeExecutor
from tests.helpers.tiny import TINY

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))


def test_closure_follows_project_imports_transitively_and_not_the_registry(tmp_path):
    write(tmp_path, "scenes/__init__.py", "")
    write(tmp_path, "scenes/registry.py", "from scenes.other import model\n")
    write(tmp_path, "scenes/x/__init__.py", "")
    write(tmp_path, "scenes/x/scene.py", "import numpy\nfrom ..shared import helper\n")
    write(tmp_path, "scenes/shared/__init__.py", "")
    write(tmp_path, "scenes/shared/helper.py", "def f():\n    from scenes.shared.deep import g\n")
    write(tmp_path, "scenes/shared/deep.py", "import scenes.registry\n")
    write(tmp_path, "scenes/other/model.py", "")
    found = import_closure(("scenes.x.scene",), root=tmp_path)
    assert sorted(found) == [
        "scenes",
        "scenes.shared",
        "scenes.shared.deep",
        "scenes.shared.helper",
        "scenes.x",
        "scenes.x.scene",
    ]


@pytest.mark.parametrize("scene_id", ["lln"])
def test_closure_covers_every_project_module_python_actually_imports(scene_id):
    """Independent check: import the scene for real and list the project modules in sys.modules."""
    spec = get_scene(scene_id)
    code = (
        f"import sys, importlib; importlib.import_module({spec.module_name!r}); "
        "print('\\n'.join(m.__file__ for n, m in list(sys.modules.items()) "
        "if n.split('.')[0] in ('scenes', 'render') and n != 'scenes.registry'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    imported = {Path(f).relative_to(REPO).as_posix() for f in out.stdout.split()}
    sources = {k.removeprefix("source ") for k in cache_mod.source_inputs(spec) if "source" in k}
    assert imported <= sources, imported - sources
    others = {s for s in sources if s.startswith("scenes/") and s.split("/")[1] not in
              ("lln", "shared", "__init__.py")}  # fmt: skip
    assert not others and "scenes/registry.py" not in sources


def test_every_kind_of_input_change_is_named(monkeypatch):
    spec = get_scene("lln")
    base = key_inputs(spec, spec.default_params(), TINY)
    assert explain(base, base) == []
    assert explain(None, base) == ["never rendered at this quality"]

    other_params = key_inputs(spec, spec.params(paths=20), TINY)
    assert explain(base, other_params) == ["param paths: 200 -> 20"]
    other_seed = key_inputs(spec, spec.params(seed=3), TINY)
    assert explain(base, other_seed) == ["param seed: 0 -> 3"]
    other_fps = key_inputs(spec, spec.default_params(), TINY.with_fps(6))
    assert explain(base, other_fps) == ["quality: 256x144@5 -> 256x144@6"]

    versions = {**cache_mod.tool_versions(), "ffmpeg": "ffmpeg version 99"}
    monkeypatch.setattr(cache_mod, "tool_versions", lambda: versions)
    changed = explain(base, key_inputs(spec, spec.default_params(), TINY))
    assert len(changed) == 1 and changed[0].startswith("version ffmpeg: ")


def test_a_shared_helper_edit_changes_the_key_and_is_named(monkeypatch):
    spec = get_scene("lln")
    base = key_inputs(spec, spec.default_params(), TINY)
    real = cache_mod.file_sha256
    widgets = REPO / "scenes" / "shared" / "widgets.py"
    brand = REPO / "assets" / "brand.json"

    def edited(path: Path) -> str:
        return "0" * 64 if path in (widgets, brand) else real(path)

    monkeypatch.setattr(cache_mod, "file_sha256", edited)
    after = key_inputs(spec, spec.default_params(), TINY)
    assert explain(base, after) == [
        "asset assets/brand.json changed",
        "source scenes/shared/widgets.py changed",
    ]


def test_store_and_lookup_check_hashes(tmp_path):
    cache = RenderCache(CachePaths(tmp_path))
    key = cache_mod.CacheKey("s", "tiny", {"scene": "s"})
    assert cache.lookup(key).status == "miss"
    (tmp_path / "v.mp4").write_bytes(b"movie" * 100)
    (tmp_path / "t.json").write_text("{}")
    entry = cache.store(key, tmp_path / "v.mp4", tmp_path / "t.json", 1.0)
    assert cache.lookup(key).status == "hit"
    assert [e.folder for e in cache.entries()] == [entry.folder]
    entry.video.write_bytes(b"movie" * 99)  # truncated
    assert cache.lookup(key, repair=False).status == "corrupt"
    assert entry.folder.exists()
    assert cache.lookup(key).status == "corrupt"
    assert not entry.folder.exists()
    assert cache.lookup(key).status == "miss"


def test_warm_rerun_does_not_run_the_worker_and_a_change_does(settings):
    spec = get_scene("lln")
    fake = FakeExecutor()
    engine = Engine(settings, fake)
    first = engine.render(spec, spec.default_params(), TINY)
    assert (first.cache, fake.calls) == ("miss", ["lln"])
    again = engine.render(spec, spec.default_params(), TINY)
    assert (again.cache, again.shards, fake.calls) == ("hit", 0, ["lln"])
    assert again.video.read_bytes() == first.video.read_bytes()
    engine.render(spec, spec.params(seed=1), TINY)
    assert fake.calls == ["lln", "lln"]


def test_corrupt_entry_is_rebuilt_never_published(settings):
    spec = get_scene("lln")
    fake = FakeExecutor()
    engine = Engine(settings, fake)
    first = engine.render(spec, spec.default_params(), TINY)
    good = first.video.read_bytes()
    first.video.unlink()
    (entry,) = RenderCache(settings.cache).entries()
    entry.video.write_bytes(entry.video.read_bytes()[:1000])  # truncated in the cache
    second = engine.render(spec, spec.default_params(), TINY)
    assert second.cache == "corrupt" and fake.calls == ["lln", "lln"]
    assert second.video.read_bytes() != good[:1000]
    assert len(second.video.read_bytes()) > 1000
    assert (
        RenderCache(settings.cache).lookup(cache_key(spec, spec.default_params(), TINY)).status
        == "hit"
    )


def test_warm_run_never_imports_manim(settings, tmp_path):
    """A cache hit in a fresh interpreter never imports Manim (how fast that is, is measured by
    scripts/bench.py, not asserted here)."""
    spec = get_scene("lln")
    Engine(settings, FakeExecutor()).render(spec, spec.default_params(), TINY.with_fps(5))
    script = textwrap.dedent(f"""
        import json, sys, time
        from render.engine.pipeline import Engine
        from render.engine.executors import LocalExecutor
        from render.core.catalog import get_scene
        from render.core.quality import Quality
        from render.core.settings import Settings
        spec = get_scene("lln")
        settings = Settings(out_dir=__import__("pathlib").Path({str(settings.out_dir)!r}),
                            cache_dir=__import__("pathlib").Path({str(settings.cache_dir)!r}))
        start = time.perf_counter()
        result = Engine(settings, LocalExecutor(1)).render(spec, spec.default_params(),
                                                           Quality("tiny", 256, 144, 5))
        print(json.dumps([result.cache, time.perf_counter() - start, "manim" in sys.modules]))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    status, _seconds, manim_loaded = json.loads(out.stdout)
    assert status == "hit" and not manim_loaded


def test_cache_commands(settings, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from render.cli import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MATHREEL_CACHE", str(settings.cache_dir))
    monkeypatch.setenv("MATHREEL_OUT", str(settings.out_dir))
    spec = get_scene("lln")
    Engine(settings, FakeExecutor()).render(
        spec, spec.default_params(), Quality("preview", 854, 480, 5)
    )
    runner = CliRunner()
    result = runner.invoke(app, ["cache", "explain", "lln", "--fps", "5"])
    assert result.exit_code == 0 and "up to date" in result.output
    result = runner.invoke(app, ["cache", "explain", "lln", "--fps", "5", "--set", "paths=7"])
    assert result.exit_code == 0 and "param paths: 200 -> 7" in result.output
    result = runner.invoke(app, ["cache", "explain", "lln"])
    assert "quality: 854x480@5 -> 854x480@15" in result.output
    result = runner.invoke(app, ["cache", "explain", "nope"])
    assert result.exit_code == 2 and "unknown scene" in result.output
    result = runner.invoke(app, ["cache", "list"])
    assert result.exit_code == 0 and "lln" in result.output
    result = runner.invoke(app, ["cache", "clear"])
    assert result.exit_code == 0 and "removed 1 cache entries" in result.output
    assert RenderCache(settings.cache).entries() == []
