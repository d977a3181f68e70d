"""Render one scene with Manim inside the current process.

The engine runs this in a fresh interpreter per render (through
:mod:`render.engine.watched_worker`), so no Manim configuration leaks from one scene into the
next; the tests call :func:`render_in_process` directly to watch the scene while it plays.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from render.core.catalog import get_scene
from render.core.paths import MODEL_STORE_NAME, SVG_STORE_NAME, TEX_FORMAT_STORE_NAME, MediaPaths
from render.engine import manim_speedups, skipping
from render.engine.collector import render_collector
from render.engine.model_store import computed_model
from render.engine.play_window import BeatWindow, PlayWindow, Window
from render.engine.svg_store import svg_store
from render.engine.tex_formats import tex_formats
from render.narration.narrator import Narrator


@dataclasses.dataclass(frozen=True)
class WorkerJob:
    """Everything a worker needs, as plain JSON-able values."""

    scene_id: str
    params: dict[str, Any]
    width: int
    height: int
    fps: int
    media_dir: str
    tex_dir: str
    output_stem: str
    window_start: float = 0.0
    window_end: float | None = None
    beat: str | None = None  # draw only this beat (1-based number or name), see BeatWindow
    # Narration: the voice's name ("none": silent), the speech store, prepared takes by cue id.
    voice: str = "none"
    speech_dir: str = ""
    takes: dict[str, str] = dataclasses.field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> WorkerJob:
        return cls(**json.loads(text))

    @property
    def window(self) -> Window:
        """The animations this job draws (a shard's share of the scene; by default all)."""
        return Window(self.window_start, self.window_end)

    @property
    def media(self) -> MediaPaths:
        return MediaPaths(Path(self.media_dir))

    @property
    def movie_path(self) -> Path:
        return self.media.movie(self.height, self.fps, self.output_stem)

    @property
    def private_tex_dir(self) -> Path:
        """This render's own Tex folder (see :func:`shared_tex`)."""
        return self.media.tex

    @property
    def svg_store_dir(self) -> Path:
        """Parsed SVGs shared by every render, beside the shared Tex cache (see svg_store)."""
        return Path(self.tex_dir).with_name(SVG_STORE_NAME)

    @property
    def tex_format_dir(self) -> Path:
        """LaTeX formats of the preambles met so far, beside the shared Tex cache (tex_formats)."""
        return Path(self.tex_dir).with_name(TEX_FORMAT_STORE_NAME)

    @property
    def model_store_dir(self) -> Path:
        """Computed models shared by every render, beside the shared Tex cache (see model_store)."""
        return Path(self.tex_dir).with_name(MODEL_STORE_NAME)

    @property
    def timeline_path(self) -> Path:
        return self.media.timeline(self.output_stem)

    @property
    def plays_path(self) -> Path:
        """The play record the watched worker writes (see :mod:`render.engine.watched_worker`)."""
        return self.media.plays(self.output_stem)


# The render is a master that `mathreel export` re-encodes for each platform, so it should lose as
# little as possible and cost little to make. Manim's default (libx264 CRF 23, preset medium) spends
# a fifth of a 1080p render's CPU on x264's search and still loses detail. "superfast" at CRF 17
# keeps more (SSIM 32.2 dB, PSNR 56.3 dB against a lossless encode; Manim's default 26.6 and 49.4
# dB, measured on 20 s of basin-flatness at 1080p60) for 2.4 times the bytes and about a fifth less
# CPU over the whole render (sharded basin-flatness at 1080p60: 219 s of CPU instead of 268 s).
MASTER_ENCODER_OPTIONS = {"preset": "superfast", "crf": "17"}


def manim_config(job: WorkerJob) -> dict[str, Any]:
    return {
        "media_dir": job.media_dir,
        "tex_dir": str(job.private_tex_dir),
        "pixel_width": job.width,
        "pixel_height": job.height,
        "frame_rate": job.fps,
        "output_file": job.output_stem,
        "video_encoder_options": MASTER_ENCODER_OPTIONS,
        "disable_caching": True,
        "write_to_movie": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
    }


@contextlib.contextmanager
def shared_tex(job: WorkerJob) -> Iterator[None]:
    """Give the render a private Tex folder seeded from the shared one, and publish what it adds.

    Manim is not safe with several processes in one Tex folder: it cleans up intermediate files
    and writes a temporary ``<hash>_.svg`` beside each cached SVG, so parallel renders (a batch,
    the shards of one scene) delete each other's files. Each render therefore works in its own
    folder; finished SVGs are hard links into the shared cache, and new ones are moved into it
    atomically afterwards, so LaTeX still runs once per formula across renders.
    """
    shared, private = Path(job.tex_dir), job.private_tex_dir
    shared.mkdir(parents=True, exist_ok=True)
    private.mkdir(parents=True, exist_ok=True)
    for svg in shared.glob("*.svg"):
        target = private / svg.name
        if not target.exists():
            _link_or_copy(svg, target)
    yield
    for svg in private.glob("*.svg"):
        if not (shared / svg.name).exists():
            tmp = shared / f".tmp-{os.getpid()}-{svg.name}"
            _link_or_copy(svg, tmp)
            os.replace(tmp, shared / svg.name)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def render_in_process(
    job: WorkerJob,
    observers: list[Callable[[Any], None]] | None = None,
    speedups: bool = True,
) -> Any:
    """Render ``job``; write its timeline JSON beside the movie; return the finished scene.

    With ``speedups`` (the default) Manim runs with the vectorized replacements of
    :mod:`render.engine.manim_speedups`, reads parsed SVGs from :mod:`render.engine.svg_store` and
    starts LaTeX from :mod:`render.engine.tex_formats`, which draw the same frames for less CPU.
    """
    from manim import tempconfig

    spec = get_scene(job.scene_id)
    params = spec.params(**job.params)
    parsed_svgs = svg_store(job.svg_store_dir) if speedups else contextlib.nullcontext()
    formats = tex_formats(job.tex_format_dir) if speedups else contextlib.nullcontext()
    with (
        render_collector(),
        manim_speedups.speedups(speedups),
        shared_tex(job),
        parsed_svgs,
        formats,
        tempconfig(manim_config(job)),
    ):
        model = computed_model(spec, params, job.model_store_dir)
        scene = spec.scene_class()(model=model, params=params)
        scene.play_observers.extend(observers or [])
        scene.narrator = Narrator.for_job(job.voice, Path(job.speech_dir), job.takes)
        if not job.window.is_whole:
            PlayWindow(job.window).install(scene.renderer)
        if job.beat is not None:
            BeatWindow(job.beat).install(scene.renderer)
        if job.beat is not None or not job.window.is_whole:
            skipping.install(scene)
        try:
            scene.render()
        finally:
            if scene.narrator is not None:
                scene.narrator.close()
    timeline = dict(scene.timeline, num_plays=scene.renderer.num_plays)
    job.timeline_path.write_text(json.dumps(timeline, indent=1))
    return scene
