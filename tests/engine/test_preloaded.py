"""Workers forked from the preloaded interpreter: the same frames and the same failures as a fresh
``python -P -m render.engine.watched_worker``, a fresh one wherever the working folder or the
environment differ, and nothing left running once the process that started them is gone."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from render.core.catalog import get_scene
from render.core.settings import Settings
from render.engine import preloaded
from render.engine.executors import run_local
from render.engine.failure import describe_failure
from render.engine.pipeline import worker_job
from render.engine.sources import PROJECT_ROOT
from tests.conftest import TEX_CACHE
from tests.engine.test_shard import frame_hashes
from tests.helpers.tiny import TINY


@pytest.fixture()
def interpreter(monkeypatch: pytest.MonkeyPatch) -> Iterator[preloaded.PreloadedInterpreter]:
    """A preloading process of the test's own, so each test sees it start."""
    own = preloaded.PreloadedInterpreter()
    monkeypatch.setattr(preloaded, "_PRELOADED", own)
    yield own
    own.stop()


def lln_job(root: Path, **changes):
    settings = Settings(out_dir=root / "out", cache_dir=root / "cache")
    job = worker_job("lln", get_scene("lln").default_params(), TINY, settings)
    return dataclasses.replace(job, tex_dir=str(TEX_CACHE), **changes)


def job_file(job) -> Path:
    job.media.root.mkdir(parents=True, exist_ok=True)
    job.media.job.write_text(job.to_json())
    return job.media.job


def test_a_forked_worker_draws_the_frames_of_a_fresh_interpreter(
    interpreter: preloaded.PreloadedInterpreter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    forked, fresh = lln_job(tmp_path / "forked"), lln_job(tmp_path / "fresh")
    frames: list[int] = []
    run_local(forked, tmp_path / "forked.log", frames.append)
    assert interpreter._process is not None and not interpreter._unusable
    monkeypatch.setenv(preloaded.SWITCH, "off")
    run_local(fresh, tmp_path / "fresh.log", lambda _n: None)
    assert frame_hashes(forked.movie_path) == frame_hashes(fresh.movie_path)
    assert json.loads(forked.plays_path.read_text()) == json.loads(fresh.plays_path.read_text())
    assert frames and frames == sorted(frames)  # progress came through the fork's stdout


def test_a_failing_fork_reports_as_a_fresh_worker_does(
    interpreter: preloaded.PreloadedInterpreter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Exit status and the log describe_failure reads are the same; the fork is used only where
    it is equivalent (here the environment changes, so the second worker is a fresh one)."""
    reports = []
    for name in ("forked", "fresh"):
        if name == "fresh":
            monkeypatch.setenv("MATHREEL_TEST_FRESH_WORKER", "1")
        job = lln_job(tmp_path / name, scene_id="nosuch")
        log = tmp_path / f"{name}.log"
        with log.open("w") as stderr:
            worker = preloaded.start_worker(job_file(job), stderr)
            assert isinstance(worker, preloaded.ForkedWorker) == (name == "forked")
            assert worker.stdout is not None and worker.stdout.read() == ""
            code = worker.wait()
        text = log.read_text()
        reports.append((code, describe_failure(text, PROJECT_ROOT, Path.cwd())))
        assert "unknown scene 'nosuch'" in text and "Traceback" in text
    assert reports[0] == reports[1] and reports[0][0] == 1


def test_another_working_folder_gets_a_fresh_worker(
    interpreter: preloaded.PreloadedInterpreter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Manim reads manim.cfg from the working folder when it is imported, so a fork of an
    interpreter started elsewhere would not be what a fresh one is."""
    job = job_file(lln_job(tmp_path, scene_id="nosuch"))
    with (tmp_path / "log").open("w") as stderr:
        first = preloaded.start_worker(job, stderr)
        first.wait()
        monkeypatch.chdir(tmp_path)
        second = preloaded.start_worker(job, stderr)
        second.wait()
    assert isinstance(first, preloaded.ForkedWorker)
    assert isinstance(second, subprocess.Popen)


# The fork's progress pipe is also held open by a `sleep`, so the fork cannot end because the
# pipe broke: only the preloading process's own ending may stop it.
STARTER = """
import subprocess, sys, time
from pathlib import Path
from render.engine import preloaded
with open(sys.argv[2], "w") as log:
    worker = preloaded.start_worker(Path(sys.argv[1]), log)
    held = worker.stdout.fileno()
    holder = subprocess.Popen(["sleep", "600"], stdin=held, pass_fds=(held,))
    print(preloaded._PRELOADED._process.pid, worker.pid, holder.pid, flush=True)
    time.sleep(600)
"""


def alive(pid: int) -> bool:
    """Running, and not a zombie left for its parent to collect."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def test_nothing_outlives_the_process_that_started_the_preloading_one(tmp_path: Path) -> None:
    """kill -9 of that process: the preloading process and the render it forked both end. Ctrl-C
    sent to the preloading process alone does not stop it."""
    job = job_file(lln_job(tmp_path))
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(job), str(tmp_path / "worker.log")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert starter.stdout is not None
    pids = starter.stdout.readline()
    try:
        server, fork, _holder = (int(pid) for pid in pids.split())
        os.kill(server, signal.SIGINT)
        time.sleep(1.0)
        assert alive(server) and alive(fork)  # the fork is rendering
        starter.kill()
        starter.wait()
        deadline = time.monotonic() + 10
        while (alive(server) or alive(fork)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(server) and not alive(fork)
    finally:
        starter.kill()
        for pid in pids.split()[2:]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
