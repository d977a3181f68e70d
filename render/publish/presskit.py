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
from render.core.records import Fields, load_json, require
from render.tools.atomic import write_text
from render.tools.hashing import file_sha256


def file_entry(path: Path, **extra: Any) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": file_sha256(path), **extra}


def manim_version() -> str:
    return metadata.version("manim")


# What every reader of meta.json (verify, embed, gallery, the manifest) relies on.
META_FIELDS: Fields = {
    "id": str, "title": str, "summary": str, "duration": (int, float), "width": int, "height": int,
    "fps": int, "hero_time": (int, float), "files": dict, "seed": int,
}  # fmt: skip
FILE_FIELDS: Fields = {"bytes": int, "sha256": str, "target": str}
ENCODED_FILE_FIELDS: Fields = {**FILE_FIELDS, "rung": dict, "options": dict}
# The interactive page is made from the model, not encoded: its seeds and parameters instead.
PAGE_FILE_FIELDS: Fields = {**FILE_FIELDS, "seeds": list, "parameters": dict, "height": int}
FIELDS_BY_TARGET = {"captions": FILE_FIELDS, "interactive": PAGE_FILE_FIELDS}


def meta_path(kit: Path) -> Path:
    """``meta.json`` of the press kit folder ``kit`` (``out/<id>/``)."""
    return OutPaths(kit.parent).meta(kit.name)


def write_meta(kit: Path, meta: dict[str, Any]) -> Path:
    path = meta_path(kit)
    write_text(path, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return path


def _values_problem(meta: dict[str, Any], kit: Path) -> str | None:
    """What the field types allow but no export writes: a NaN or negative size, a kit naming
    another scene, a file outside its folder (all of which pages would link or print)."""
    if not (math.isfinite(meta["duration"]) and meta["duration"] > 0):
        return f"'duration' is {meta['duration']}"
    if not math.isfinite(meta["hero_time"]):
        return f"'hero_time' is {meta['hero_time']}"
    for name in ("width", "height", "fps"):
        if meta[name] <= 0:
            return f"'{name}' is {meta[name]}"
    if meta["id"] != kit.name:
        return f"'id' is {meta['id']!r}, not the folder's name"
    for file in meta["files"]:
        if "/" in file or "\\" in file or file.startswith("."):
            return f"{file!r} is not the name of a file in the kit"
    return None


def load_meta(kit: Path) -> dict[str, Any]:
    """``meta.json`` of ``kit``, checked field by field; :class:`CorruptRecord` names the file."""
    path = meta_path(kit)
    if not path.is_file():
        raise UserError(f"{path} not found: run 'mathreel export {kit.name}' first")
    meta = require(path, load_json(path), META_FIELDS, "press kit")
    for name, entry in meta["files"].items():
        target = entry.get("target") if isinstance(entry, dict) else None
        fields = FIELDS_BY_TARGET.get(str(target), ENCODED_FILE_FIELDS)
        require(path, entry, fields, f"files/{name}")
    problem = _values_problem(meta, kit)
    if problem is not None:
        raise CorruptRecord(f"{path} (press kit): {problem}")
    return meta


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
