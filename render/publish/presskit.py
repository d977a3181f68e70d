"""The press kit: ``out/<id>/meta.json`` describing every published file, and ``out/manifest.json``.

``meta.json`` carries what a person uploading the video needs (title, duration, size, frame rate,
codecs) and what a machine needs to trust the files (bytes and sha256 of each, the seed and
parameters, the Manim version, the export options each file was made with, so that
:mod:`render.publish.verify` checks every file against the same expectations it was encoded for).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from render.core.catalog import scene_ids
from render.core.errors import CorruptRecord, UserError
from render.core.paths import OutPaths
from render.tools.atomic import write_text
from render.tools.hashing import file_sha256


def file_entry(path: Path, **extra: Any) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": file_sha256(path), **extra}


def manim_version() -> str:
    return metadata.version("manim")


def meta_path(kit: Path) -> Path:
    """``meta.json`` of the press kit folder ``kit`` (``out/<id>/``)."""
    return OutPaths(kit.parent).meta(kit.name)


def write_meta(kit: Path, meta: dict[str, Any]) -> Path:
    path = meta_path(kit)
    write_text(path, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return path


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


# What every reader of meta.json (embed, gallery, verify, the manifest) relies on, by field.
META_FIELDS: dict[str, Callable[[Any], bool]] = {
    "id": lambda v: isinstance(v, str),
    "title": lambda v: isinstance(v, str),
    "summary": lambda v: isinstance(v, str),
    "duration": lambda v: _number(v) and v > 0,
    "hero_time": _number,
    "width": _count,
    "height": _count,
    "fps": _count,
    "seed": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "files": lambda v: isinstance(v, dict),
}
FILE_FIELDS: dict[str, Callable[[Any], bool]] = {
    "bytes": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "sha256": lambda v: isinstance(v, str),
    "target": lambda v: isinstance(v, str),
}


def meta_problem(meta: Any, kit: Path) -> str | None:
    """Why ``meta`` is not a press kit's ``meta.json`` for ``kit`` (None: it is one)."""
    if not isinstance(meta, dict):
        return "not a JSON object"
    for name, ok in META_FIELDS.items():
        if not ok(meta.get(name)):
            return f"'{name}' is missing or has the wrong type"
    if meta["id"] != kit.name:
        return f"'id' is {meta['id']!r}, not the folder's name"
    for file, entry in meta["files"].items():
        if "/" in file or "\\" in file or file.startswith("."):
            return f"file name {file!r} is not a file of the kit"
        if not isinstance(entry, dict) or not all(
            ok(entry.get(k)) for k, ok in FILE_FIELDS.items()
        ):
            return f"the entry of {file!r} lacks bytes, sha256 or target"
    return None


def load_meta(kit: Path) -> dict[str, Any]:
    """``meta.json`` of ``kit``, checked field by field; :class:`CorruptRecord` names the file."""
    path = meta_path(kit)
    if not path.is_file():
        raise UserError(f"{path} not found: run 'mathreel export {kit.name}' first")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise CorruptRecord(f"{path}: damaged, not JSON ({exc}); export the scene again") from None
    problem = meta_problem(meta, kit)
    if problem is not None:
        raise CorruptRecord(f"{path}: damaged ({problem}); export the scene again")
    checked: dict[str, Any] = meta
    return checked


def kits(out_dir: Path) -> list[Path]:
    """Every scene folder with a ``meta.json``: registered scenes in registry order, then others."""
    found = {p.parent.name: p.parent for p in OutPaths(out_dir).kit_metas()}
    order = {scene_id: i for i, scene_id in enumerate(scene_ids())}
    return [found[k] for k in sorted(found, key=lambda k: (order.get(k, len(order)), k))]


def readable_kits(out_dir: Path, note: Callable[[str], None]) -> list[tuple[Path, dict[str, Any]]]:
    """Every kit with its checked ``meta.json``; a damaged one is left out and ``note``-d, so one
    broken kit does not stop the manifest or the gallery of all the others."""
    found = []
    for kit in kits(out_dir):
        try:
            found.append((kit, load_meta(kit)))
        except CorruptRecord as exc:
            note(f"note: left out {kit.name}: {exc}")
    return found


def write_manifest(out_dir: Path, note: Callable[[str], None]) -> Path:
    """``out/manifest.json``: one entry per exported scene, pointing at its kit."""
    scenes = []
    for kit, meta in readable_kits(out_dir, note):
        scenes.append(
            {
                "id": meta["id"],
                "title": meta["title"],
                "summary": meta["summary"],
                "duration": meta["duration"],
                "kit": f"{kit.name}/",
                "meta": meta_path(kit).relative_to(out_dir).as_posix(),
                "files": sorted(meta["files"]),
            }
        )
    path = OutPaths(out_dir).manifest
    write_text(path, json.dumps({"scenes": scenes}, indent=2, ensure_ascii=False) + "\n")
    return path
