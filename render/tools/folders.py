"""Folders the user names (``--out``, ``MATHREEL_OUT``, ``MATHREEL_CACHE``, ``mathreel.toml``),
checked before anything is written, so a bad one is one line naming it instead of a traceback
from deep inside a render.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from render.core.errors import UserError
from render.core.paths import TMP_PREFIX

# What an OSError on a path the user chose means to them: bad input (exit 2), not a failed tool.
USER_ERRNOS = frozenset(
    {
        errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG,
        errno.ENOENT, errno.EEXIST, errno.ELOOP, errno.EINVAL,
    }
)  # fmt: skip


def describe(exc: OSError) -> str:
    """``Permission denied``, ``Read-only file system``...: the reason, without Python's noise."""
    return (exc.strerror or type(exc).__name__).strip()


def writable_folder(path: Path, origin: str) -> Path:
    """Create ``path`` if needed and prove a file can be created in it.

    ``origin`` says where the folder came from (``--out``, ``MATHREEL_CACHE`` ...), so the message
    names what to change. Root passes permission checks, but not a read-only file system, a file
    in the way or ``/proc``; the probe file is what finds all of those.
    """
    try:
        if path.exists() and not path.is_dir():
            raise UserError(f"{origin} {path}: exists and is not a folder")
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise UserError(f"{origin} {path}: cannot write there ({describe(exc)})") from None
    return path


def existing_folder(path: Path, origin: str) -> Path:
    """``path`` must be a folder that exists (commands that only read, or a dry run)."""
    try:
        if path.is_dir():
            return path
        found = "is not a folder" if path.exists() else "does not exist"
    except OSError as exc:
        found = f"cannot be read ({describe(exc)})"
    raise UserError(f"{origin} {path}: {found}")


def usable_folder(path: Path, origin: str) -> Path:
    """A folder a dry run could later write to: it exists as a folder, or the nearest existing
    parent is a folder (nothing is created)."""
    try:
        parent = path
        while not parent.exists():
            if parent.name and len(os.fsencode(parent.name)) > 255:
                raise UserError(f"{origin} {path}: a name in it is too long")
            parent = parent.parent
        if not parent.is_dir():
            where = "" if parent == path else f" ({parent} is not a folder)"
            raise UserError(f"{origin} {path}: is not a folder{where}")
    except OSError as exc:
        raise UserError(f"{origin} {path}: cannot be used ({describe(exc)})") from None
    return path
