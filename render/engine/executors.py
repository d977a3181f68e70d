"""Where worker jobs run: local processes, or a Dask cluster when one machine is not enough.

An executor takes a :class:`~render.engine.worker.WorkerJob` and leaves the worker's files (movie,
timeline, play record) in the job's ``media_dir`` on this machine, or raises :class:`RenderFailed`
naming a log file. Every render runs in a fresh interpreter, or in a fork of one that has only
imported Manim and SciPy (:mod:`render.engine.preloaded`), so no Manim configuration leaks from one
scene into the next, whichever executor runs it.
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from render.core.errors import RenderFailed, UserError
from render.engine.failure import describe_failure
from render.engine.preloaded import start_worker
from render.engine.sources import PROJECT_ROOT
from render.engine.watched_worker import PROGRESS_PREFIX
from render.engine.worker import WorkerJob

FrameCallback = Callable[[int], None]
SCHEDULER_SCHEMES = ("tcp", "tls", "ws", "wss")


class Executor(Protocol):
    slots: int

    def run(self, job: WorkerJob, log_file: Path, on_frames: FrameCallback) -> None: ...


def _fresh_media_dir(job: WorkerJob) -> Path:
    media = job.media
    if media.root.exists():
        shutil.rmtree(media.root)
    media.root.mkdir(parents=True)
    media.job.write_text(job.to_json())
    return media.job


def run_local(job: WorkerJob, log_file: Path, on_frames: FrameCallback) -> None:
    """Run ``job`` in a worker (see :func:`~render.engine.preloaded.start_worker`); report
    frames; log failures."""
    job_file = _fresh_media_dir(job)
    output = job.media.worker_log
    with output.open("w") as log:
        proc = start_worker(job_file, log)
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith(PROGRESS_PREFIX):
                on_frames(int(line[len(PROGRESS_PREFIX) :]))
            else:
                log.write(line)
        code = proc.wait()
    if code != 0:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(output, log_file)
        why = describe_failure(output.read_text(errors="replace"), PROJECT_ROOT, Path.cwd())
        raise RenderFailed(
            f"rendering {job.scene_id} failed ({why}); full log: {log_file}", log_file
        )


class LocalExecutor:
    """Up to ``slots`` worker processes at once on this machine."""

    def __init__(self, slots: int) -> None:
        self.slots = slots

    def run(self, job: WorkerJob, log_file: Path, on_frames: FrameCallback) -> None:
        run_local(job, log_file, on_frames)


def _result_paths(job: WorkerJob) -> dict[str, Path]:
    return {"movie": job.movie_path, "timeline": job.timeline_path, "plays": job.plays_path}


def render_on_worker(job_json: str, shared: bool) -> dict[str, bytes] | None:
    """Runs on a Dask worker: render in a fresh process and return the files (None if shared)."""
    job = WorkerJob.from_json(job_json)
    if shared:
        run_local(job, Path(job.media_dir + ".log"), lambda _frames: None)
        return None
    with tempfile.TemporaryDirectory(prefix="mathreel-") as scratch:
        local = dataclasses.replace(job, media_dir=str(Path(scratch) / "media"))
        run_local(local, Path(scratch) / "render.log", lambda _frames: None)
        return {
            name: path.read_bytes() for name, path in _result_paths(local).items() if path.is_file()
        }


class DaskExecutor:
    """Jobs run on a Dask distributed cluster; files come back to this machine.

    Workers either return the files' bytes, or, with ``shared``, write straight into a folder
    every machine mounts at the same path (no copy through the scheduler).
    """

    def __init__(self, scheduler: str, shared: Path | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UserError("--executor dask needs Dask: pip install 'mathreel[dask]'") from None
        address = urllib.parse.urlsplit(scheduler)
        if address.scheme not in SCHEDULER_SCHEMES or not address.hostname:
            raise UserError(
                f"--scheduler {scheduler!r} is not a scheduler address (e.g. tcp://HOST:8786)"
            )
        try:
            self.client: Any = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
        except (OSError, ValueError, TimeoutError) as exc:
            raise UserError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        self.shared = shared
        threads: dict[str, int] = self.client.nthreads()  # type: ignore[no-untyped-call]
        self.slots = max(1, sum(threads.values()))

    def run(self, job: WorkerJob, log_file: Path, on_frames: FrameCallback) -> None:
        remote = job
        if self.shared is not None:
            remote = dataclasses.replace(job, media_dir=str(self.shared / Path(job.media_dir).name))
        future = self.client.submit(
            render_on_worker, remote.to_json(), self.shared is not None, pure=False
        )
        try:
            files = future.result()
        except RenderFailed as exc:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            log_file.write_text(str(exc))
            raise RenderFailed(
                f"rendering {job.scene_id} failed on a Dask worker: {exc}", log_file
            ) from None
        # A shard whose window held no animation's start leaves no movie: only the files made.
        for name, path in _result_paths(job).items():
            path.parent.mkdir(parents=True, exist_ok=True)
            if files is None:
                if _result_paths(remote)[name].is_file():
                    shutil.move(_result_paths(remote)[name], path)
            elif name in files:
                path.write_bytes(files[name])

    def close(self) -> None:
        self.client.close()
