"""Where every file lives: the output folder's layout and the cache folder's, in one module.

``out/`` holds only finished files (renders, press kits, the manifest, the gallery); the cache
folder holds everything made on the way (Manim's scratch output, the Tex cache, logs, stored
renders, shard plans, export scratch). Every other module asks these two classes for a path
instead of joining folder names itself, so the layout can be read, and changed, here alone.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import secrets
from pathlib import Path

TMP_PREFIX = ".tmp-"
# The parsed-SVG, computed-model and LaTeX-format stores' folders, siblings of the Tex cache: a
# worker finds them from its tex_dir.
SVG_STORE_NAME = "svg"
MODEL_STORE_NAME = "models"
TEX_FORMAT_STORE_NAME = "texformats"


@functools.cache
def run_id() -> str:
    """This run's name among the runs sharing a cache: its pid and a random part (pids of other
    machines, with a cache on a shared disk, can be equal)."""
    return f"{os.getpid()}-{secrets.token_hex(3)}"


@dataclasses.dataclass(frozen=True)
class OutPaths:
    """``out/<id>/<quality>/<id>.mp4`` renders, ``out/<id>/`` press kits, site-wide files."""

    root: Path

    @property
    def lock(self) -> Path:
        return self.root / ".mathreel.lock"

    @property
    def manifest(self) -> Path:
        return self.root / "manifest.json"

    @property
    def gallery(self) -> Path:
        return self.root / "index.html"

    def kit(self, scene_id: str) -> Path:
        """The scene's press kit folder (exports, captions, ``meta.json``)."""
        return self.root / scene_id

    def kit_file(self, scene_id: str, suffix: str) -> Path:
        """``out/<id>/<id>.<suffix>``: an exported file, a caption file or the model's data."""
        return self.kit(scene_id) / f"{scene_id}.{suffix}"

    def meta(self, scene_id: str) -> Path:
        return self.kit(scene_id) / "meta.json"

    def description(self, scene_id: str) -> Path:
        return self.kit(scene_id) / "description.txt"

    def export_state(self, scene_id: str) -> Path:
        """What made each exported file (source hash, argv key), for incremental export."""
        return self.kit(scene_id) / ".export-state.json"

    def kit_metas(self) -> list[Path]:
        """The ``meta.json`` of every press kit under the output folder."""
        return sorted(self.root.glob("*/meta.json"))

    def data(self, scene_id: str, fmt: str) -> Path:
        return self.kit_file(scene_id, f"data.{fmt}")

    def render_dir(self, scene_id: str, quality: str) -> Path:
        return self.root / scene_id / quality

    def video(self, scene_id: str, quality: str) -> Path:
        return self.render_dir(scene_id, quality) / f"{scene_id}.mp4"

    def timeline(self, scene_id: str, quality: str) -> Path:
        return timeline_beside(self.video(scene_id, quality))

    def beat_video(self, scene_id: str, quality: str, number: int) -> Path:
        """``out/<id>/<quality>/beats/<id>.beat-04.mp4``: one beat rendered alone (1-based)."""
        return self.render_dir(scene_id, quality) / "beats" / f"{scene_id}.beat-{number:02d}.mp4"

    def still(self, scene_id: str, quality: str, label: str, fmt: str) -> Path:
        """``out/<id>/<quality>/stills/<id>.<label>.<fmt>``: one frame (``label`` names it)."""
        return self.render_dir(scene_id, quality) / "stills" / f"{scene_id}.{label}.{fmt}"


def timeline_beside(video: Path) -> Path:
    """A render's timeline sits beside its video: ``<id>.timeline.json``."""
    return video.with_suffix(".timeline.json")


@dataclasses.dataclass(frozen=True)
class CachePaths:
    """Scratch and stored work under the cache folder (``.cache/mathreel/`` by default)."""

    root: Path

    @property
    def lock(self) -> Path:
        """Held shared by every run using the cache (see :mod:`render.tools.lock`)."""
        return self.root / ".mathreel.lock"

    @property
    def runs(self) -> Path:
        return self.root / "runs"

    @property
    def run(self) -> Path:
        """This run's own scratch: Manim's media folders, cache staging, export scratch. No other
        run reads or removes it while this one lives; it is removed when this run ends."""
        return self.runs / run_id()

    def run_scratch(self) -> list[Path]:
        """What killed runs may have left: their run folders and half-written temporaries."""
        found = sorted(self.runs.iterdir()) if self.runs.is_dir() else []
        return found + sorted(self.root.rglob(f"{TMP_PREFIX}*"))

    @property
    def renders(self) -> Path:
        """Stored renders, one folder per content key."""
        return self.root / "renders"

    @property
    def last(self) -> Path:
        """Each scene's last key per quality (what ``cache explain`` compares against)."""
        return self.root / "last"

    def last_key(self, scene_id: str, quality: str) -> Path:
        return self.last / f"{scene_id}@{quality}.json"

    @property
    def tex(self) -> Path:
        """The Tex cache every render shares (each render works in a private copy)."""
        return self.root / "tex"

    @property
    def speech(self) -> Path:
        """Narration speech by content: voice lines and decoded takes (shared by every render)."""
        return self.root / "speech"

    def manim(self, scene_id: str, tag: str) -> Path:
        """Manim's media folder for one render of ``scene_id`` (``tag``: size, rate, params)."""
        return self.run / "manim" / scene_id / tag

    def log(self, name: str) -> Path:
        return self.root / "logs" / f"{name}.log"

    def plan(self, digest: str) -> Path:
        return self.root / "plans" / f"{digest}.json"

    def preview(self, scene_id: str) -> Path:
        """The folder ``mathreel watch`` serves for a scene (removed when it stops)."""
        return self.root / "preview" / scene_id

    def export_work(self, scene_id: str) -> Path:
        """Export's scratch files for a scene (the thumbnail's title text)."""
        return self.run / "export" / scene_id

    @property
    def staging(self) -> Path:
        """Where a cache entry is assembled before it is renamed into ``renders/``."""
        return self.run / "staging"


@dataclasses.dataclass(frozen=True)
class MediaPaths:
    """One render's scratch folder (``CachePaths.manim``): Manim's own layout and ours beside it."""

    root: Path

    def movie(self, height: int, fps: int, stem: str) -> Path:
        """Where Manim writes the movie (its ``videos/<height>p<fps>/`` convention)."""
        return self.root / "videos" / f"{height}p{fps}" / f"{stem}.mp4"

    @property
    def tex(self) -> Path:
        return self.root / "tex"

    def timeline(self, stem: str) -> Path:
        return self.root / f"{stem}.timeline.json"

    def plays(self, stem: str) -> Path:
        return self.root / f"{stem}.plays.json"

    @property
    def job(self) -> Path:
        return self.root / "job.json"

    @property
    def worker_log(self) -> Path:
        return self.root / "worker.log"

    @property
    def final_video(self) -> Path:
        """The finished movie (one piece, or the shards joined) before it enters the cache."""
        return self.root / "final.mp4"

    @property
    def final_audio(self) -> Path:
        """The mastered narration track, before it is muxed into the finished movie."""
        return self.root / "narration.wav"

    @property
    def final_timeline(self) -> Path:
        return self.root / "final.timeline.json"

    def shard(self, index: int) -> Path:
        """The scratch folder of shard ``index`` of this render (a sibling folder)."""
        return self.root.with_name(f"{self.root.name}-shard{index}")

    def beat(self, beat: str) -> Path:
        """The scratch folder of a render of one beat of this render (a sibling folder)."""
        safe = "".join(c if c.isalnum() else "_" for c in beat)[:40]
        digest = hashlib.sha256(beat.encode()).hexdigest()[:8]
        return self.root.with_name(f"{self.root.name}-beat-{safe}-{digest}")

    def with_shards(self) -> list[Path]:
        """This folder and its shards' (removed together once the render is stored)."""
        return [self.root, *sorted(self.root.parent.glob(f"{self.root.name}-shard*"))]
