"""Finished files appear whole or not at all.

Every output is written under a temporary name in its final folder and renamed into place, so an
interrupted run (Ctrl-C, kill -9, a crash) never leaves a half-written file under its real name.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from render.core.paths import TMP_PREFIX


@contextlib.contextmanager
def atomic_path(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; rename it onto ``final`` if the block succeeds."""
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, suffix=final.suffix, dir=final.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp creates files readable by the owner only; finished files get the usual mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(final: Path, data: bytes) -> None:
    with atomic_path(final) as tmp:
        tmp.write_bytes(data)


def write_text(final: Path, text: str) -> None:
    write_bytes(final, text.encode("utf-8"))


def sweep_temporaries(folder: Path) -> int:
    """Remove temporaries an earlier, killed run left behind; return how many."""
    removed = 0
    if folder.exists():
        for path in folder.rglob(f"{TMP_PREFIX}*"):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed
