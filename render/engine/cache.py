"""The render cache: finished renders stored under a key made of everything that shapes the frames.

The key's inputs are the scene's source and every project module it imports, the asset files those
modules name, the parameters (seed included), the pixel size and frame rate, and the versions of
Manim, ffmpeg and LaTeX. When nothing changed, a re-run copies the stored file instead of starting
Manim; when something did, :func:`explain` names it. Each entry records the SHA-256 of its files
and is checked on every use, so a corrupt or truncated entry is thrown away and rebuilt, never
published.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.core.assets import assets_dir
from render.core.errors import CorruptRecord
from render.core.params import Params
from render.core.paths import TMP_PREFIX, CachePaths
from render.core.quality import Quality
from render.core.records import Fields, load_json, require
from render.core.spec import SceneSpec
from render.engine.sources import PROJECT_ROOT, import_closure, referenced_assets
from render.tools.atomic import write_text
from render.tools.hashing import file_sha256
from render.tools.versions import tool_versions

# The worker decides how a job becomes Manim configuration, so it shapes every scene's frames; the
# assets package is loaded by name (importlib.resources), which no import statement shows.
RENDER_MODULES = ("render.engine.worker", "render.assets")


def _relative(path: Path) -> str:
    try:
        return path.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def source_inputs(spec: SceneSpec) -> dict[str, str]:
    """``source <file>`` and ``asset <file>`` inputs: hashes of what the scene runs and reads."""
    modules = import_closure((spec.module_name, spec.params.__module__, *RENDER_MODULES))
    # The scene's own registry entry (its package __init__) is part of it even though the scene
    # module reaches it only through the registry.
    modules = {**modules, **import_closure((spec.module_name.rpartition(".")[0],))}
    inputs = {f"source {_relative(p)}": file_sha256(p)[:16] for p in modules.values()}
    for asset in referenced_assets(modules, assets_dir()):
        inputs[f"asset {_relative(asset)}"] = file_sha256(asset)[:16]
    return inputs


def key_inputs(
    spec: SceneSpec, params: Params, quality: Quality, narration: dict[str, str] | None = None
) -> dict[str, str]:
    """Every input of a render's key, each named so that a change can be reported by name.

    ``narration`` adds the voice, its version and the takes' hashes
    (:meth:`render.narration.request.NarrationRequest.key_inputs`).
    """
    inputs = {"scene": spec.id, **(narration or {})}
    inputs.update(source_inputs(spec))
    inputs.update({f"param {k}": json.dumps(v) for k, v in params.as_dict().items()})
    inputs["quality"] = f"{quality.width}x{quality.height}@{quality.fps}"
    inputs.update({f"version {k}": v for k, v in tool_versions().items()})
    return dict(sorted(inputs.items()))


@dataclasses.dataclass(frozen=True)
class CacheKey:
    scene_id: str
    quality: str
    inputs: dict[str, str]

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.inputs, sort_keys=True).encode()).hexdigest()[:24]


def cache_key(
    spec: SceneSpec, params: Params, quality: Quality, narration: dict[str, str] | None = None
) -> CacheKey:
    return CacheKey(spec.id, quality.name, key_inputs(spec, params, quality, narration))


@dataclasses.dataclass(frozen=True)
class Entry:
    """One stored render: the fast-start movie, its timeline and their hashes."""

    folder: Path
    scene_id: str
    quality: str
    inputs: dict[str, str]
    video_sha256: str
    timeline_sha256: str
    render_seconds: float
    created: float

    @property
    def video(self) -> Path:
        return self.folder / "video.mp4"

    @property
    def timeline(self) -> Path:
        return self.folder / "timeline.json"

    def is_intact(self) -> bool:
        """Both files exist and hash to what was recorded when the entry was stored."""
        return (
            self.video.is_file()
            and self.timeline.is_file()
            and file_sha256(self.video) == self.video_sha256
            and file_sha256(self.timeline) == self.timeline_sha256
        )


@dataclasses.dataclass(frozen=True)
class Lookup:
    """``hit`` (intact entry), ``miss`` (none) or ``corrupt`` (failed its hash; removed)."""

    status: str
    entry: Entry | None = None


ENTRY_FILE = "entry.json"
ENTRY_FIELDS: Fields = {
    "scene_id": str, "quality": str, "inputs": dict, "video_sha256": str, "timeline_sha256": str,
    "render_seconds": (int, float), "created": (int, float),
}  # fmt: skip


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


class RenderCache:
    """Entries in ``<cache>/renders/<digest>/``; ``<cache>/last/`` holds each scene's last key."""

    def __init__(self, paths: CachePaths) -> None:
        self.paths = paths
        self.root = paths.renders

    def _read(self, folder: Path) -> Entry | None:
        """The entry in ``folder``, or None when its record is damaged (the entry then counts as
        corrupt: it is rebuilt, never published)."""
        path = folder / ENTRY_FILE
        try:
            data = require(path, load_json(path), ENTRY_FIELDS, "cache entry")
        except CorruptRecord:
            return None
        return Entry(folder=folder, **{name: data[name] for name in ENTRY_FIELDS})

    def lookup(self, key: CacheKey, repair: bool = True) -> Lookup:
        """Find ``key``'s entry and check its hashes; with ``repair``, remove it if corrupt."""
        folder = self.root / key.digest
        if not folder.exists():
            return Lookup("miss")
        entry = self._read(folder)
        if entry is not None and entry.is_intact():
            return Lookup("hit", entry)
        if repair:
            shutil.rmtree(folder, ignore_errors=True)
        return Lookup("corrupt")

    def store(self, key: CacheKey, video: Path, timeline: Path, seconds: float) -> Entry:
        """Move ``video`` and ``timeline`` into a new entry, which appears whole or not at all."""
        self.root.mkdir(parents=True, exist_ok=True)
        self.paths.staging.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=self.paths.staging))
        try:
            shutil.move(video, staging / "video.mp4")
            shutil.move(timeline, staging / "timeline.json")
            record: dict[str, Any] = {
                "scene_id": key.scene_id,
                "quality": key.quality,
                "inputs": key.inputs,
                "video_sha256": file_sha256(staging / "video.mp4"),
                "timeline_sha256": file_sha256(staging / "timeline.json"),
                "render_seconds": round(seconds, 3),
                "created": time.time(),
            }
            (staging / ENTRY_FILE).write_text(json.dumps(record, indent=1))
            final = self.root / key.digest
            shutil.rmtree(final, ignore_errors=True)
            os.replace(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.remember(key)
        entry = self._read(final)
        assert entry is not None
        return entry

    def remember(self, key: CacheKey) -> None:
        """Record ``key`` as the last one used for its scene and quality (for ``cache explain``)."""
        write_text(self.paths.last_key(key.scene_id, key.quality), json.dumps(key.inputs))

    def last_inputs(
        self, scene_id: str, quality: str, note: Callable[[str], None] = lambda _: None
    ) -> dict[str, str] | None:
        """The inputs of the scene's last render at ``quality``; a damaged record (only a hint
        for ``cache explain``) counts as none, with a ``note``."""
        path = self.paths.last_key(scene_id, quality)
        if not path.is_file():
            return None
        try:
            inputs = json.loads(path.read_text())
        except (ValueError, UnicodeDecodeError):
            inputs = None
        if not _str_map(inputs):
            note(f"note: {path} is damaged; ignored it (the next render rewrites it)")
            return None
        checked: dict[str, str] = inputs
        return checked

    def damaged(self) -> list[Path]:
        """Entry folders whose record is unreadable (``cache list`` names them)."""
        if not self.root.is_dir():
            return []
        folders = (f for f in self.root.iterdir() if f.is_dir())
        return sorted(f for f in folders if self._read(f) is None)

    def entries(self) -> list[Entry]:
        if not self.root.is_dir():
            return []
        folders = (
            f for f in self.root.iterdir() if f.is_dir() and not f.name.startswith(TMP_PREFIX)
        )
        found = (self._read(f) for f in folders)
        return sorted((e for e in found if e is not None), key=lambda e: (e.scene_id, e.created))

    def clear(self) -> int:
        """Remove every entry and the last-key records; return how many entries there were."""
        count = len(self.entries())
        for folder in (self.root, self.paths.last):
            shutil.rmtree(folder, ignore_errors=True)
        return count


def explain(previous: dict[str, str] | None, current: dict[str, str]) -> list[str]:
    """One line per input that differs between two keys, naming it (empty when nothing changed)."""
    if previous is None:
        return ["never rendered at this quality"]
    lines = []
    for name in sorted(set(previous) | set(current)):
        old, new = previous.get(name), current.get(name)
        if old == new:
            continue
        if old is None:
            lines.append(f"{name}: new input")
        elif new is None:
            lines.append(f"{name}: no longer an input")
        elif name.startswith(("source ", "asset ")):
            lines.append(f"{name} changed")
        else:
            lines.append(f"{name}: {old} -> {new}")
    return lines
