"""One run per output folder at a time.

Two runs writing the same ``out/`` could publish each other's half-finished work or remove each
other's temporaries. An advisory ``flock`` on ``out/.mathreel.lock`` prevents that; the kernel
releases it when the process dies, even by ``kill -9``, so a stale lock never blocks the next run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from render.core.errors import UserError
from render.core.paths import OutPaths


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir``'s lock for the block; :class:`UserError` if another run holds it."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = OutPaths(out_dir).lock
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise UserError(
                f"another mathreel run (pid {holder}) is writing to {out_dir}; "
                "wait for it to finish or choose another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
