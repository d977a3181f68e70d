"""Progress of a batch: one bar per running job (frames done of total) and an overall ETA.

Quiet when the output is not a terminal (CI logs, pipes, ``--json``): the summary is what counts
there, and redrawn bars would only be noise.
"""

from __future__ import annotations

import threading
from typing import Protocol

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Reporter(Protocol):
    def expect(self, frames: int) -> None: ...
    def start(self, label: str, frames: int) -> object: ...
    def update(self, handle: object, frames: int) -> None: ...
    def finish(self, handle: object) -> None: ...
    def close(self) -> None: ...


class SilentReporter:
    """Reports nothing (not a terminal, or machine-readable output requested)."""

    def expect(self, frames: int) -> None:
        pass

    def start(self, label: str, frames: int) -> object:
        return label

    def update(self, handle: object, frames: int) -> None:
        pass

    def finish(self, handle: object) -> None:
        pass

    def close(self) -> None:
        pass


class BarsReporter:
    """Rich bars: ``all`` (every frame still to render, with the ETA) and one per running job."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("frames"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.overall = self.progress.add_task("all", total=0)
        self.expected = 0
        self.done: dict[TaskID, int] = {}
        self.totals: dict[TaskID, int] = {}
        self.lock = threading.Lock()
        self.progress.start()

    def expect(self, frames: int) -> None:
        with self.lock:
            self.expected += frames
            self.progress.update(self.overall, total=self.expected)

    def start(self, label: str, frames: int) -> object:
        with self.lock:
            task = self.progress.add_task(label, total=max(frames, 1))
            self.done[task], self.totals[task] = 0, max(frames, 1)
            return task

    def update(self, handle: object, frames: int) -> None:
        assert isinstance(handle, int)
        task = TaskID(handle)
        with self.lock:
            # Estimates can be short by a frame or two per animation; never step back or overflow.
            frames = max(self.done[task], frames)
            self.totals[task] = max(self.totals[task], frames)
            self.progress.update(task, completed=frames, total=self.totals[task])
            self.progress.advance(self.overall, frames - self.done[task])
            self.done[task] = frames

    def finish(self, handle: object) -> None:
        assert isinstance(handle, int)
        with self.lock:
            self.progress.remove_task(TaskID(handle))

    def close(self) -> None:
        self.progress.stop()


def make_reporter(console: Console, quiet: bool = False) -> Reporter:
    if quiet or not console.is_terminal:
        return SilentReporter()
    return BarsReporter(console)
