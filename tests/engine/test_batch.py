"""Batch rendering: parallel, isolated failures, summary and exit status, lock, kill and resume.

The engine's scheduling is tested with a stand-in executor (no Manim); real worker processes are
exercised by tests/engine/test_shard.py and tests/engine/test_dask.py, and below where a real
worker must not be shadowed by the working folder.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from render.cli import app, batch_command
from render.core.catalog import all_scenes, get_scene
from render.core.errors import RenderFailed
from render.core.paths import TMP_PREFIX
from render.core.settings import Settings
from render.engine.batch import run_batch
from render.engine.executors import run_local
from render.engine.pipeline import Engine, worker_job
from render.tools.lock import output_lock
from render.tools.probe import probe, video_stream
from tests.helpers.fake_worker import FakeExecutor
from tests.helpers.tiny import TINY


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")


def work(ids=None):
    specs = [s for s in all_scenes() if ids is None or s.id in ids]
    return [(s, s.default_params()) for s in specs]


def test_scenes_render_in_parallel_up_to_the_slots(settings):
    fake = FakeExecutor(slots=2, delay=0.4)
    outcomes = run_batch(Engine(settings, fake), work(), TINY)
    assert [o.scene_id for o in outcomes] == [s.id for s in all_scenes()]
    assert {o.status for o in outcomes} == {"rendered"}
    assert fake.most_at_once == 2
    for o in outcomes:
        assert o.video == settings.out_dir / o.scene_id / "tiny" / f"{o.scene_id}.mp4"
        assert video_stream(probe(o.video))["width"] == 256


def test_the_longest_scenes_start_first(settings):
    fake = FakeExecutor(slots=1)
    outcomes = run_batch(Engine(settings, fake), work(), TINY)
    longest_first = sorted(all_scenes(), key=lambda s: -s.duration)
    assert fake.calls == [s.id for s in longest_first]
    assert fake.calls[0] == "gradient-descent" and len(set(fake.calls)) == len(fake.calls)
    assert [o.scene_id for o in outcomes] == [s.id for s in all_scenes()]  # reported in order


def test_a_failing_scene_does_not_stop_the_others(settings):
    ids = [s.id for s in all_scenes()]
    fake = FakeExecutor(slots=2, fail=frozenset({ids[0]}))
    outcomes = run_batch(Engine(settings, fake), work(), TINY)
    failed = [o for o in outcomes if o.status == "failed"]
    assert [o.scene_id for o in failed] == [ids[0]]
    assert failed[0].log is not None and "boom" in failed[0].log.read_text()
    assert all(o.video.is_file() for o in outcomes if o.status != "failed")
    assert not (settings.out_dir / ids[0]).exists()


@pytest.fixture
def cli(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    state = {}

    def fake_executor(name, jobs, scheduler, shared):
        state["fake"] = FakeExecutor(slots=jobs or 2, fail=state.get("fail", frozenset()))
        return state["fake"]

    monkeypatch.setattr(batch_command, "make_executor", fake_executor)
    return state


def test_cli_summary_json_and_exit_status(cli, tmp_path):
    ids = [s.id for s in all_scenes()]
    cli["fail"] = frozenset({ids[-1]})
    result = CliRunner().invoke(app, ["batch", "--json", "--fps", "5", "--jobs", "2"])
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert summary["ok"] is False
    assert [row["scene"] for row in summary["scenes"]] == ids
    statuses = {row["scene"]: row["status"] for row in summary["scenes"]}
    assert statuses[ids[-1]] == "failed" and set(statuses.values()) == {"rendered", "failed"}
    assert summary["scenes"][-1]["log"].endswith(".log")

    cli["fail"] = frozenset()
    result = CliRunner().invoke(app, ["batch", ids[0], ids[-1], "--fps", "5"])
    assert result.exit_code == 0, result.output
    assert "cached" in result.output and "rendered" in result.output
    assert cli["fake"].calls == [ids[-1]]


def test_cli_rejects_bad_input_with_one_line(cli):
    runner = CliRunner()
    for argv, message in [
        (["batch", "nope"], "unknown scene"),
        (["batch", "lln", "--all"], "not both"),
        (["batch", "--quality", "8k"], "unknown quality"),
        (["batch", "--jobs", "0"], "--jobs"),
    ]:
        result = runner.invoke(app, argv)
        assert result.exit_code == 2, argv
        assert message in result.output


def test_dask_needs_a_scheduler(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["batch", "--executor", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.output


HOLD_LOCK = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from render.tools.lock import output_lock\n"
    "with output_lock(Path(sys.argv[1])):\n"
    "    print('held', flush=True)\n"
    "    time.sleep(120)\n"
)


@pytest.mark.parametrize("command", [["batch"], ["export", "lln"], ["gallery"], ["data", "lln"]])
def test_a_second_run_on_the_same_output_is_refused(cli, tmp_path, command):
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = CliRunner().invoke(app, [*command, "--out", str(out)])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2, result.output
    assert "another mathreel run" in result.output and str(holder.pid) in result.output
    assert sorted(p.name for p in out.iterdir()) == [".mathreel.lock"]  # nothing written
    assert cli.get("fake") is None or cli["fake"].calls == []  # nothing rendered


def test_the_lock_is_reentrant_within_a_process(cli, tmp_path):
    """The library takes the lock in every writer; a caller already holding it is not refused."""
    with output_lock(tmp_path / "out"):
        result = CliRunner().invoke(app, ["batch", "lln", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


KILLABLE = textwrap.dedent("""
    import sys
    from pathlib import Path
    sys.path.insert(0, {repo!r})
    from tests.helpers.fake_worker import FakeExecutor
    from render.engine.batch import run_batch
    from render.core.catalog import get_scene
    from render.tools.lock import output_lock
    from render.engine.pipeline import Engine
    from render.core.quality import Quality
    from render.core.settings import Settings

    class SlowSecond(FakeExecutor):
        def run(self, job, log_file, on_frames):
            self.delay = 60 if job.scene_id == {slow!r} else 0
            super().run(job, log_file, on_frames)

    settings = Settings(Path({out!r}), Path({cache!r}))
    specs = [get_scene(i) for i in {ids!r}]
    with output_lock(settings.out_dir):
        run_batch(Engine(settings, SlowSecond(slots=1)), [(s, s.default_params()) for s in specs],
                  Quality("tiny", 256, 144, 5))
""")


def test_kill_9_leaves_only_whole_files_and_the_next_run_resumes(settings, tmp_path):
    # the batch starts the longer scene first: that one finishes, the other is killed mid-way
    first, slow = (s.id for s in sorted(list(all_scenes())[:2], key=lambda s: -s.duration))
    script = KILLABLE.format(
        repo=str(Path(__file__).resolve().parents[2]), slow=slow, out=str(settings.out_dir),
        cache=str(settings.cache_dir), ids=[first, slow],
    )  # fmt: skip
    proc = subprocess.Popen([sys.executable, "-c", script])
    done = settings.out_dir / first / "tiny" / f"{first}.mp4"
    deadline = time.time() + 60
    while not done.with_suffix(".timeline.json").exists() and time.time() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    files = sorted(p.relative_to(settings.out_dir).as_posix() for p in settings.out_dir.rglob("*"))
    assert files == [".mathreel.lock", first, f"{first}/tiny", f"{first}/tiny/{first}.mp4",
                     f"{first}/tiny/{first}.timeline.json"]  # fmt: skip
    assert int(probe(done, count_frames=True)["streams"][0]["nb_read_frames"]) == 5
    leftover = done.parent / f"{TMP_PREFIX}half.mp4"  # as if killed mid-copy
    leftover.write_bytes(b"partial")

    fake = FakeExecutor(slots=2)
    with output_lock(settings.out_dir):
        outcomes = run_batch(Engine(settings, fake), work({first, slow}), TINY)
    assert fake.calls == [slow]
    assert {o.scene_id: o.status for o in outcomes} == {first: "cached", slow: "rendered"}
    assert not leftover.exists()


def test_progress_bars_on_a_terminal_and_silence_elsewhere(settings):
    import io

    from rich.console import Console

    from render.engine.progress import BarsReporter, SilentReporter, make_reporter

    assert isinstance(make_reporter(Console(file=io.StringIO())), SilentReporter)
    terminal = Console(file=io.StringIO(), force_terminal=True, width=100)
    reporter = make_reporter(terminal)
    assert isinstance(reporter, BarsReporter)
    try:
        run_batch(Engine(settings, FakeExecutor(slots=2), reporter), work(), TINY)
        overall = reporter.progress.tasks[reporter.overall]
        assert overall.completed == len(all_scenes()) * TINY.fps
    finally:
        reporter.close()
    drawn = terminal.file.getvalue()
    assert "frames" in drawn and "all" in drawn


def test_a_render_package_in_the_working_folder_cannot_shadow_the_worker(tmp_path, monkeypatch):
    """Workers start with ``python -P``: a project's own render/ package in the working folder
    is not imported in place of ours."""
    decoy = tmp_path / "render"
    decoy.mkdir()
    marker = tmp_path / "decoy-imported"
    (decoy / "__init__.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    (decoy / "engine").mkdir()
    (decoy / "engine" / "__init__.py").write_text("")
    (decoy / "engine" / "watched_worker.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    monkeypatch.chdir(tmp_path)
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    job = dataclasses.replace(
        worker_job("lln", get_scene("lln").default_params(), TINY, settings), scene_id="nosuch"
    )
    with pytest.raises(RenderFailed) as failed:
        run_local(job, tmp_path / "worker.log", lambda frames: None)
    assert not marker.exists()
    # Our worker ran, and refused the scene id itself.
    assert "unknown scene 'nosuch'" in (tmp_path / "worker.log").read_text(), failed.value
