"""Pickled entries of the stores kept in the cache folder (parsed SVGs, computed models).

An entry is written once, under a temporary name beside it and renamed into place, so a reader
sees it whole or not at all; one that cannot be read (cut short by a crash, made by another
version) counts as missing and is made again. The stores live in the user's own cache folder and
hold pickles: like ``__pycache__``, they trust whoever can write that folder.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from pathlib import Path
from typing import Any

from render.core.paths import TMP_PREFIX


def load_pickle(path: Path) -> Any:
    """The stored object, or None when there is none that can be read (make it again)."""
    try:
        with path.open("rb") as stored:
            return pickle.load(stored)
    except Exception:
        return None


def save_pickle(path: Path, value: Any) -> None:
    """Store ``value`` by a rename; a store that cannot be written only costs making it again."""
    tmp = path.with_name(f"{TMP_PREFIX}{os.getpid()}-{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
