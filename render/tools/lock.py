"""One run per output folder at a time, and any number of runs sharing one cache safely.

Two runs writing the same ``out/`` could publish each other's half-finished work or remove each
other's temporaries. An advisory ``flock`` on ``out/.mathreel.lock`` prevents that; the kernel
releases it when the process dies, even by ``kill -9``, so a stale lock never blocks the next run.
Temporaries a killed run left in the folder are removed as soon as the lock is taken.

Every library function that writes into ``out/`` (render, batch, export, gallery, data) takes the
lock itself. Within one process the lock is re-entrant, so an export that first renders, or a
batch whose threads each publish a scene, holds it once for the whole run.

The cache is shared by runs into different output folders, so it is locked differently: every run
that renders or exports holds ``<cache>/.mathreel.lock`` shared, works only in its own scratch
folder (:attr:`render.core.paths.CachePaths.run`, removed when it lets go), and removes what
killed runs left behind only when it holds the cache alone (the exclusive lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from render.core.errors import UserError
from render.core.paths import CachePaths, OutPaths
from render.core.settings import Settings
from render.tools.atomic import sweep_temporaries
from render.tools.folders import writable_folder

_held: dict[Path, int] = {}
_guard = threading.Lock()


@contextlib.contextmanager
def _reentrant(
    path: Path, acquire: Callable[[], int], release: Callable[[], None]
) -> Iterator[None]:
    """Hold the lock file ``path`` for the block, once per process however deeply nested."""
    with _guard:
        if path in _held:
            _held[path] += 1
            fd = None
        else:
            fd = acquire()
            _held[path] = 1
    try:
        yield
    finally:
        with _guard:
            _held[path] -= 1
            if _held[path] == 0:
                del _held[path]
                if fd is not None:
                    release()
                    os.close(fd)


def output_lock(
    out_dir: Path, origin: str = "the output folder"
) -> contextlib.AbstractContextManager[None]:
    """Hold ``out_dir``'s lock for the block; :class:`UserError` if another run holds it."""
    out_dir = out_dir.resolve()

    def acquire() -> int:
        writable_folder(out_dir, origin)
        fd = os.open(OutPaths(out_dir).lock, os.O_RDWR | os.O_CREAT, 0o644)
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
        sweep_temporaries(out_dir)
        return fd

    return _reentrant(OutPaths(out_dir).lock, acquire, lambda: None)


def cache_lock(
    cache_dir: Path, origin: str = "MATHREEL_CACHE"
) -> contextlib.AbstractContextManager[None]:
    """Use the cache for the block (shared with other runs); sweep it first if no one else is."""
    paths = CachePaths(cache_dir.resolve())

    def acquire() -> int:
        writable_folder(paths.root, origin)
        fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            for leftover in paths.run_scratch():
                _remove(leftover)
        except BlockingIOError:
            pass  # another run is using the cache: its scratch folders are not ours to remove
        fcntl.flock(fd, fcntl.LOCK_SH)
        return fd

    return _reentrant(paths.lock, acquire, lambda: _remove(paths.run))


@contextlib.contextmanager
def writing(settings: Settings) -> Iterator[None]:
    """What every run that renders or exports holds: the output folder alone, the cache shared."""
    with (
        output_lock(settings.out_dir, settings.out_origin),
        cache_lock(settings.cache_dir, settings.cache_origin),
    ):
        yield


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
