"""``scripts/profile_scene.py`` names the scene's own functions, and only them, with their time."""

from __future__ import annotations

import cProfile
import importlib.util
import pstats
import time
from pathlib import Path

from render.core.catalog import get_scene

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "profile_scene.py"


def load_script():
    found = importlib.util.spec_from_file_location("profile_scene", SCRIPT)
    assert found is not None and found.loader is not None
    module = importlib.util.module_from_spec(found)
    found.loader.exec_module(module)
    return module


def test_scene_functions_are_the_scenes_own(tmp_path: Path):
    script = load_script()
    lln, clt = get_scene("lln"), get_scene("clt")
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    lln.compute(lln.default_params())
    clt.compute(clt.default_params())
    profiler.disable()
    profiler.dump_stats(tmp_path / "models.prof")
    stats = pstats.Stats(str(tmp_path / "models.prof"))

    folder = script.scene_folder("lln")
    assert folder == (Path(__file__).resolve().parents[2] / "scenes" / "lln")
    rows = script.scene_functions(stats, folder)
    names = [where for _, where in rows]
    assert any(where.startswith("model.py:") and where.endswith("(simulate)") for where in names)
    assert any(where.endswith("(running_mean)") for where in names)
    profiled = [func for (_, _, func) in stats.stats]  # type: ignore[attr-defined]
    assert "galton_board" in profiled and "iter_sums" in profiled  # clt's model ran too
    assert not any("galton_board" in where or "iter_sums" in where for where in names)
    seconds = [s for s, _ in rows]
    assert seconds == sorted(seconds, reverse=True)
    simulate = next(s for s, where in rows if where.endswith("(simulate)"))
    assert all(s <= simulate for s, where in rows if where.startswith("model.py:"))

    text = script.summary(stats, 0.0, 5, folder)
    listed = text.split("scene's own functions")[1].split("\n\n")[0].splitlines()[1:]
    assert len(listed) == min(5, len(rows))
    assert [line.split()[-1] for line in listed] == names[: len(listed)]
