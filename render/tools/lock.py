"""One run per output folder at a time, and any number of runs sharing one cache safely.

Two runs writing the same ``out/`` could publish each other's half-finished work or remove each
other's temporaries. An advisory ``flock`` on ``out/.mathreel.lock`` prevents that; the kernel
releases it when the process dies, even by ``kill -9``, so a stale lock never blocks the next run.

The cache is shared by runs into different output folders, so it is locked differently: every run
holds ``<cache>/.mathreel.lock`` shared, works only in scratch folders named after itself, and
removes what killed runs left behind only when it holds the cache alone (the exclusive lock).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from render.core.errors import UserError
from render.core.paths import CachePaths, OutPaths
from render.core.settings import Settings
from render.tools.atomic import sweep_temporaries
from render.tools.folders import writable_folder


@contextlib.contextmanager
def output_lock(out_dir: Path, origin: str = "--out") -> Iterator[None]:
    """Hold ``out_dir``'s lock for the block; :class:`UserError` if another run holds it.

    Temporaries that a killed run left in the folder are removed once the lock is held."""
    writable_folder(out_dir, origin)
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
        sweep_temporaries(out_dir)
        yield
    finally:
        os.close(fd)


@contextlib.contextmanager
def cache_lock(cache_dir: Path, origin: str = "MATHREEL_CACHE") -> Iterator[None]:
    """Use the cache for the block (shared with other runs); sweep it first if no one else is."""
    writable_folder(cache_dir, origin)
    paths = CachePaths(cache_dir)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            for leftover in paths.run_scratch():
                _remove(leftover)
        except BlockingIOError:
            pass  # another run is using the cache: its scratch folders are not ours to remove
        fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        _remove(paths.run)
        os.close(fd)


@contextlib.contextmanager
def writing(settings: Settings) -> Iterator[None]:
    """What every command that writes holds: the output folder alone, the cache shared."""
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
