"""Sharding: every registered scene, cut in two and joined by stream copy, decodes to exactly the
frames of the unsharded render (ffmpeg framemd5), with the same timeline; scenes whose frames would
differ (time-based updaters) are recognised and rendered in one piece; windows of the nominal
clock draw exactly the animations that start inside them."""

from __future__ import annotations

import dataclasses
import itertools
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from render.core.catalog import all_scenes, get_scene, scene_ids
from render.core.records import PlayRecord
from render.core.settings import Settings
from render.engine.executors import LocalExecutor, run_local
from render.engine.pipeline import Engine
from render.engine.play_window import PlayWindow, Window, windows
from render.engine.shard import Plan, join_movies, merge_timelines, rendered_any, shard_jobs
from render.engine.watched_worker import has_time_based_updaters
from render.tools.proc import run
from tests.helpers.fake_worker import FakeExecutor
from tests.helpers.tiny import TINY


def frame_hashes(video: Path) -> list[str]:
    out = run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-i",
            str(video),
            "-map",
            "0:v",
            "-f",
            "framemd5",
            "-",
        ]
    )
    return [line.rsplit(",", 1)[1].strip() for line in out.splitlines() if not line.startswith("#")]


def test_windows_cut_the_clock_into_equal_consecutive_shares():
    assert windows(9.0, 3) == [Window(0.0, 3.0), Window(3.0, 6.0), Window(6.0, None)]
    assert windows(9.0, 1) == [Window(0.0, None)] and windows(9.0, 1)[0].is_whole


@pytest.mark.parametrize("parts", [2, 3, 5])
@pytest.mark.parametrize("skip", [0.1, 0.5, 0.9])
def test_windows_even_out_the_cost_of_skipping_to_them(parts, skip):
    """Shard cost = skip x (seconds skipped) + (seconds drawn): the same for every window."""
    total = 120.0
    cut = windows(total, parts, skip)
    ends = [w.end for w in cut[:-1]] + [total]
    assert cut[0].start == 0.0 and cut[-1].end is None
    assert all(a.end == b.start for a, b in itertools.pairwise(cut))
    costs = [skip * w.start + (end - w.start) for w, end in zip(cut, ends, strict=True)]
    assert costs == pytest.approx([costs[0]] * parts)


def _waits(window: Window, tmp_path: Path) -> list[bool]:
    """Which of four waits (1, 2, 1 and 3 s, starting at 0, 1, 3 and 4) ``window`` draws."""
    from manim import Scene, tempconfig

    class Waits(Scene):
        def construct(self):
            self.drawn = []
            for seconds in (1, 2, 1, 3):
                self.wait(seconds)
                self.drawn.append(not self.renderer.skip_animations)

    config = {"media_dir": str(tmp_path), "pixel_width": 64, "pixel_height": 36, "frame_rate": 5,
              "disable_caching": True, "verbosity": "ERROR", "progress_bar": "none"}  # fmt: skip
    with tempconfig(config):
        scene = Waits()
        PlayWindow(window).install(scene.renderer)
        scene.render()
    return scene.drawn


@pytest.mark.parametrize(
    ("window", "drawn"),
    [
        (Window(0.0, None), [True, True, True, True]),
        (Window(0.0, 1.0), [True]),  # stops before the wait starting at 1 s
        (Window(1.0, 4.0), [False, True, True]),  # a start on the cut belongs to the later window
        (Window(0.5, 3.0), [False, True]),  # the 1-3 s wait starts inside: drawn whole
        (Window(1.5, 2.5), [False, False]),  # no start inside: draws nothing
        (Window(4.0, None), [False, False, False, True]),
    ],
)
def test_a_window_draws_the_animations_starting_inside_it(window, drawn, tmp_path):
    assert _waits(window, tmp_path) == drawn


def test_plan_refuses_to_shard_time_based_or_tiny_scenes():
    assert Plan((1.0, 2.0), time_based=False).why_unsharded(2) is None
    assert "time-based" in Plan((1.0, 2.0), time_based=True).why_unsharded(2)
    assert Plan((1.0,), time_based=False).why_unsharded(2) is not None
    assert Plan((1.0, 2.0), time_based=False).why_unsharded(1) is not None


@pytest.mark.parametrize("scene_id", scene_ids())
@pytest.mark.render
def test_sharded_render_has_the_unsharded_frames_and_timeline(tiny_render, scene_id, tmp_path):
    reference = tiny_render(scene_id)
    plays = reference.timeline["num_plays"]
    job = dataclasses.replace(reference.job, media_dir=str(tmp_path / "media"))
    pieces = shard_jobs(job, windows(reference.timeline["duration"], 2))
    # The reference is the same job unsharded, in a worker process like the shards: what
    # `mathreel render` and `mathreel render --jobs 2` each produce. (The in-process render of the
    # shared fixture has differed from worker renders in a few frames; see the closing notes.)
    whole = dataclasses.replace(job, media_dir=str(tmp_path / "whole"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(
            pool.map(
                lambda p: run_local(p, tmp_path / "log.txt", lambda _n: None), [whole, *pieces]
            )
        )
    plan = Plan.from_plays(PlayRecord.load(pieces[-1].plays_path))
    assert plan.num_plays == plays
    if plan.time_based:
        assert "time-based" in plan.why_unsharded(2)
        return
    assert plan.why_unsharded(2) is None
    assert all(rendered_any(p) for p in pieces)
    joined = tmp_path / "joined.mp4"
    join_movies([p.movie_path for p in pieces], joined)
    reference_hashes = frame_hashes(whole.movie_path)
    assert frame_hashes(joined) == reference_hashes
    # Each shard really rendered only its range: together they make the whole, with no overlap.
    assert sum(len(frame_hashes(p.movie_path)) for p in pieces) == len(reference_hashes)

    merged = merge_timelines(pieces)
    assert merged.keys() == reference.timeline.keys()
    assert merged["duration"] == pytest.approx(reference.timeline["duration"], abs=1e-5)
    for name, events in reference.timeline.items():
        if isinstance(events, list):
            assert len(merged[name]) == len(events), name
            for got, want in zip(merged[name], events, strict=True):
                assert got == {k: pytest.approx(v, abs=1e-5) for k, v in want.items()}


@pytest.mark.render
def test_render_with_two_jobs_through_the_engine(tiny_render, tmp_path):
    """What ``mathreel render SCENE --jobs 2`` runs: two shards, joined, cached, with a plan."""
    spec = min(all_scenes(), key=lambda s: s.duration)
    reference = tiny_render(spec.id)
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    result = Engine(settings, LocalExecutor(2), jobs=2).render(spec, spec.default_params(), TINY)
    assert result.shards == 2
    assert len(frame_hashes(result.video)) == len(frame_hashes(reference.video))
    timeline = json.loads(result.timeline.read_text())
    assert timeline["duration"] == pytest.approx(reference.timeline["duration"], abs=1e-5)
    assert timeline["sections"] == [
        {k: pytest.approx(v, abs=1e-5) for k, v in section.items()}
        for section in reference.timeline["sections"]
    ]
    plans = list((settings.cache_dir / "plans").glob("*.json"))
    assert len(plans) == 1
    assert sum(Plan.load(plans[0]).durations) == pytest.approx(
        reference.timeline["duration"], abs=0.5
    )


def test_shards_that_find_time_based_updaters_give_way_to_one_piece(tmp_path):
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    spec = get_scene("lln")
    fake = FakeExecutor(time_based=frozenset({"lln"}))
    result = Engine(settings, fake, jobs=2).render(spec, spec.default_params(), TINY)
    assert result.shards == 1 and "time-based updaters" in (result.unsharded or "")
    assert [job.window.is_whole for job in fake.jobs] == [False, False, True]
    # The plan remembers it: another quality (a cache miss) goes straight to one piece.
    fake.jobs.clear()
    again = Engine(settings, fake, jobs=2).render(spec, spec.default_params(), TINY.with_fps(10))
    assert [job.window.is_whole for job in fake.jobs] == [True]
    assert "time-based updaters" in (again.unsharded or "")


def test_shards_without_time_based_updaters_are_joined(tmp_path):
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    spec = get_scene("lln")
    fake = FakeExecutor()
    result = Engine(settings, fake, jobs=2).render(spec, spec.default_params(), TINY)
    assert result.shards == 2 and result.unsharded is None
    first, second = fake.jobs
    assert first.window_start == 0.0 and second.window_end is None
    assert first.window_end == second.window_start
    assert spec.duration / 2 < first.window_end < spec.duration  # the second also skips
    # Each fake shard is one second of test pattern: the joined movie holds both.
    assert len(frame_hashes(result.video)) == 2 * TINY.fps


def _render_tiny(scene_cls, tmp_path: Path, first: int):
    from manim import tempconfig

    config = {
        "media_dir": str(tmp_path / f"m{first}"),
        "pixel_width": 64,
        "pixel_height": 36,
        "frame_rate": 5,
        "write_to_movie": False,
        "disable_caching": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
        "from_animation_number": first,
    }
    with tempconfig(config):
        scene = scene_cls()
        scene.render()
    return scene


def test_time_based_updaters_change_frames_when_skipped_and_are_detected(tmp_path):
    """Why such scenes are never sharded: skipping one animation changes what the next one shows."""
    from manim import Scene, Square, ValueTracker

    class Growing(Scene):
        def construct(self):
            self.square = Square(side_length=0.2)
            self.square.add_updater(lambda m, dt: m.scale(1 + dt))
            self.add(self.square)
            self.wait(1)
            self.wait(1)

    class Tracked(Scene):
        def construct(self):
            tracker = ValueTracker(0.2)
            self.square = Square(side_length=0.2)
            self.square.add_updater(lambda m: m.set(width=tracker.get_value()))
            self.add(self.square)
            self.play(tracker.animate.set_value(1.0), run_time=1)
            self.play(tracker.animate.set_value(2.0), run_time=1)

    whole, sharded = _render_tiny(Growing, tmp_path, 0), _render_tiny(Growing, tmp_path, 1)
    assert has_time_based_updaters(whole)
    assert sharded.square.width != pytest.approx(whole.square.width, rel=1e-3)

    whole, sharded = _render_tiny(Tracked, tmp_path, 0), _render_tiny(Tracked, tmp_path, 1)
    assert not has_time_based_updaters(whole)
    assert sharded.square.width == pytest.approx(whole.square.width)
