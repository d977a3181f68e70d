"""The press kit: ``out/<id>/meta.json`` describing every published file, and ``out/manifest.json``.

``meta.json`` carries what a person uploading the video needs (title, duration, size, frame rate,
codecs) and what a machine needs to trust the files (bytes and sha256 of each, the seed and
parameters, the Manim version, the export options each file was made with, so that
:mod:`render.verify` checks every file against the same expectations it was encoded for).
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path
from typing import Any

from render.atomic import write_text
from render.cache import file_sha256
from render.catalog import scene_ids
from render.errors import UserError

META = "meta.json"
MANIFEST = "manifest.json"
DESCRIPTION = "description.txt"


def file_entry(path: Path, **extra: Any) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": file_sha256(path), **extra}


def manim_version() -> str:
    return metadata.version("manim")


def write_meta(kit: Path, meta: dict[str, Any]) -> Path:
    path = kit / META
    write_text(path, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return path


def load_meta(kit: Path) -> dict[str, Any]:
    path = kit / META
    if not path.is_file():
        raise UserError(f"{path} not found: run 'mathreel export {kit.name}' first")
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return meta


def kits(out_dir: Path) -> list[Path]:
    """Every scene folder with a ``meta.json``: registered scenes in registry order, then others."""
    found = {p.parent.name: p.parent for p in out_dir.glob(f"*/{META}")}
    order = {scene_id: i for i, scene_id in enumerate(scene_ids())}
    return [found[k] for k in sorted(found, key=lambda k: (order.get(k, len(order)), k))]


def write_manifest(out_dir: Path) -> Path:
    """``out/manifest.json``: one entry per exported scene, pointing at its kit."""
    scenes = []
    for kit in kits(out_dir):
        meta = load_meta(kit)
        scenes.append(
            {
                "id": meta["id"],
                "title": meta["title"],
                "summary": meta["summary"],
                "duration": meta["duration"],
                "kit": f"{kit.name}/",
                "meta": f"{kit.name}/{META}",
                "files": sorted(meta["files"]),
            }
        )
    path = out_dir / MANIFEST
    write_text(path, json.dumps({"scenes": scenes}, indent=2, ensure_ascii=False) + "\n")
    return path
