"""Rendering one beat: its frames are exactly that section's frames in the full render (ffmpeg
framemd5), its captions are that section's cues on the clip's clock, and an unknown beat is one
line listing the scene's beats."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from typer.testing import CliRunner

from render.cli import app
from render.core.catalog import get_scene, scene_ids
from render.core.errors import UserError
from render.core.settings import Settings
from render.engine.beat import clip_timeline, find_beat, render_beat
from render.engine.executors import run_local
from tests.conftest import TEX_CACHE
from tests.engine.test_shard import frame_hashes
from tests.helpers.tiny import TINY


@pytest.fixture()
def settings(tmp_path) -> Settings:
    """Fresh output and cache folders sharing the suite's Tex cache (LaTeX once per formula)."""
    cache = tmp_path / "cache"
    cache.mkdir()
    TEX_CACHE.mkdir(parents=True, exist_ok=True)
    (cache / "tex").symlink_to(TEX_CACHE, target_is_directory=True)
    return Settings(out_dir=tmp_path / "out", cache_dir=cache)


def test_a_beat_is_named_by_its_number_or_its_name():
    sections = [{"name": "One", "start": 0.0}, {"name": "2", "start": 3.0}]
    assert find_beat("1", sections) == 0 and find_beat("One", sections) == 0
    assert find_beat("2", sections) == 1  # the number wins over a later beat called "2"
    assert find_beat("3", sections) is None and find_beat("one", sections) is None


def test_the_clip_timeline_keeps_the_beat_on_its_own_clock():
    timeline = {
        "sections": [{"name": "a", "start": 0.0}, {"name": "b", "start": 2.0}],
        "cues": [{"start": 1.0, "end": 1.5, "text": "x"}, {"start": 2.0, "end": 2.4, "text": "y"}],
        "duration": 5.2,
    }
    clip = clip_timeline(timeline, 1)
    assert clip["sections"] == [{"name": "b", "start": 0.0}]
    assert clip["cues"] == [{"start": 0.0, "end": 0.4, "text": "y"}]
    assert clip["duration"] == pytest.approx(3.2) and clip["beat"] == {"number": 2, "name": "b"}


@pytest.mark.parametrize("scene_id", scene_ids())
@pytest.mark.render
def test_a_beat_has_the_full_renders_frames_of_its_section(
    tiny_render, scene_id, settings, tmp_path
):
    reference = tiny_render(scene_id)
    sections = reference.timeline["sections"]
    number = len(sections) // 2 + 1  # the fourth of six: a beat with beats on both sides
    # The reference is the whole scene in a worker process, as `mathreel render` makes it (see
    # the shard test on why not the in-process fixture's movie).
    whole = dataclasses.replace(reference.job, media_dir=str(tmp_path / "whole"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.submit(run_local, whole, tmp_path / "log.txt", lambda _n: None)
        clip = render_beat(
            scene_id, get_scene(scene_id).default_params(), TINY, settings, str(number)
        )
        done.result()
    assert clip.number == number and clip.name == sections[number - 1]["name"]
    assert clip.video == settings.out.beat_video(scene_id, TINY.name, number)
    full = json.loads(whole.timeline_path.read_text())
    start, end = full["sections"][number - 1]["start"], full["sections"][number]["start"]
    first, last = round(start * TINY.fps), round(end * TINY.fps)
    hashes = frame_hashes(clip.video)
    if not clip.exact:  # time-based updaters: skipping may change frames; the length still holds
        assert len(hashes) == last - first
        return
    assert hashes == frame_hashes(whole.movie_path)[first:last]

    own = json.loads(clip.timeline.read_text())
    assert own["duration"] == pytest.approx(end - start, abs=1e-5)
    want = [
        {**cue, "start": cue["start"] - start, "end": cue["end"] - start}
        for cue in full["cues"]
        if start - 1e-4 <= cue["start"] < end - 1e-4
    ]
    assert want and len(own["cues"]) == len(want)
    for got, cue in zip(own["cues"], want, strict=True):
        assert got == {k: pytest.approx(v, abs=1e-5) for k, v in cue.items()}


@pytest.mark.render
def test_an_unknown_beat_lists_the_beats_and_exits_2(settings, tmp_path, monkeypatch):
    spec = get_scene("lln")
    with pytest.raises(UserError) as caught:
        render_beat("lln", spec.default_params(), TINY, settings, "No such beat")
    message = str(caught.value)
    assert "'No such beat'" in message and "1 'One die'" in message and "6 'Summary'" in message
    assert not any(p.is_file() for p in (tmp_path / "out").rglob("*.mp4"))

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MATHREEL_CACHE", str(settings.cache_dir))
    result = CliRunner().invoke(app, ["render", "lln", "-q", "preview", "--beat", "7"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "no beat '7'" in lines[0] and "6 'Summary'" in lines[0]
