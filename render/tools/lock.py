"""One run per output folder at a time.

Two runs writing the same ``out/`` could publish each other's half-finished work or remove each
other's temporaries. An advisory ``flock`` on ``out/.mathreel.lock`` prevents that; the kernel
releases it when the process dies, even by ``kill -9``, so a stale lock never blocks the next run.

Every library function that writes into ``out/`` (render, batch, export, gallery, data) takes the
lock itself. Within one process the lock is re-entrant, so an export that first renders, or a
batch whose threads each publish a scene, holds it once for the whole run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from render.core.errors import UserError
from render.core.paths import OutPaths

_held: dict[Path, int] = {}
_guard = threading.Lock()


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold ``out_dir``'s lock for the block; :class:`UserError` if another run holds it."""
    path = OutPaths(out_dir.resolve()).lock
    with _guard:
        if path in _held:
            _held[path] += 1
            fd = None
        else:
            fd = _acquire(path, out_dir)
            _held[path] = 1
    try:
        yield
    finally:
        with _guard:
            _held[path] -= 1
            if _held[path] == 0:
                del _held[path]
                if fd is not None:
                    os.close(fd)


def _acquire(path: Path, out_dir: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise UserError(
            f"another mathreel run (pid {holder}) is writing to {out_dir}; "
            "wait for it to finish or choose another --out"
        ) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, str(os.getpid()).encode(), 0)
    return fd
