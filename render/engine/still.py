"""One frame of a scene, with the pixels the encoder would be handed for that frame of the video.

The scene runs as it does for the video, with no output file: animations that end before the
wanted frame are skipped (not drawn, like the plays before a shard's window), and the frame is
taken from ``renderer.add_frame``, the call that hands each frame to the encoder. Frames are
counted the way Manim makes them: a drawn animation of run time ``t`` is
``len(numpy.arange(0, t, 1/fps))`` frames, a frozen wait ``int(t * fps)``.

``--beat`` asks for a beat's picture: the frame on which its closing ``clear_stage`` starts (the
beat complete, nothing faded yet), or the beat's last frame if it does not end with one.
"""

from __future__ import annotations

import dataclasses
import io
import math
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from render.core.catalog import get_scene
from render.core.errors import UserError
from render.core.params import Params
from render.core.quality import Quality
from render.core.settings import Settings
from render.engine import skipping
from render.engine.beat import beat_list, find_beat
from render.engine.model_store import computed_model
from render.engine.pipeline import narration_job_fields, worker_job
from render.engine.play_window import beat_matches
from render.engine.worker import WorkerJob, manim_config, shared_tex
from render.narration.narrator import Narrator
from render.narration.request import NarrationRequest
from render.tools.atomic import atomic_path, write_bytes
from render.tools.lock import output_lock


@dataclasses.dataclass(frozen=True)
class Still:
    """A captured frame: its index in the video, the RGBA pixels, and what was asked for."""

    frame: int
    pixels: np.ndarray
    label: str

    def seconds(self, fps: int) -> float:
        return self.frame / fps


def frame_at(seconds: float, fps: int) -> int:
    """The index of the frame showing at ``seconds`` (frame ``k`` covers ``[k/fps, (k+1)/fps)``)."""
    return math.floor(seconds * fps + 1e-9)


def play_frames(scene: Any, fps: int) -> int:
    """How many frames the play Manim has just compiled adds to the video when drawn."""
    if scene.is_current_animation_frozen_frame():
        return int(scene.duration * fps)
    return len(np.arange(0, scene.duration, 1 / fps))


class FrameGrab:
    """Installed on a scene: skips what comes before the wanted frame, keeps it, ends the scene.

    Give ``frame`` (an index in the video) or ``beat`` (a 1-based number or a name).
    """

    def __init__(
        self,
        fps: int,
        frame: int | None = None,
        beat: str | None = None,
        on_capture: Callable[[Any], None] | None = None,
    ) -> None:
        self.fps, self.frame, self.beat, self.on_capture = fps, frame, beat, on_capture
        self.count = 0  # frames of the video before the current play
        self.still: tuple[int, np.ndarray] | None = None
        self.last: tuple[int, np.ndarray] | None = None
        self.beat_index: int | None = None
        self.clearing = False

    def install(self, scene: Any) -> None:

        renderer = scene.renderer
        compile_data, add_frame = scene.compile_animation_data, renderer.add_frame

        def compile_and_decide(*args: Any, **kwargs: Any) -> Any:
            result = compile_data(*args, **kwargs)
            if renderer.skip_animations:
                return result
            frames = play_frames(scene, self.fps)
            if self.beat is not None:
                skip = self._before_beat(scene)
            else:
                assert self.frame is not None
                skip = self.count + frames <= self.frame
            if skip:
                renderer.skip_animations = True
                self.count += frames
            return result

        def add_and_capture(frame: np.ndarray, num_frames: int = 1) -> None:
            add_frame(frame, num_frames)  # the writer is off; this keeps Manim's clock
            if renderer.skip_animations:
                return
            first = self.count
            self.count += num_frames
            if self.frame is not None and first <= self.frame < self.count:
                self._capture(scene, self.frame, frame)
            if self.clearing:
                self._capture(scene, first, frame)
            self.last = (self.count - 1, frame)

        def clear_stage(*args: Any, **kwargs: Any) -> None:
            self.clearing = self.beat_index is not None
            clear(*args, **kwargs)

        scene.compile_animation_data = compile_and_decide
        renderer.add_frame = add_and_capture
        if self.beat is not None:
            clear = scene.clear_stage
            scene.clear_stage = clear_stage

    def _capture(self, scene: Any, index: int, frame: np.ndarray) -> None:
        from manim.utils.exceptions import EndSceneEarlyException

        self.still = (index, frame)
        if self.on_capture is not None:
            self.on_capture(scene)
        raise EndSceneEarlyException()

    def _before_beat(self, scene: Any) -> bool:
        """Beat mode: skip until the beat starts; end the scene at the first play after it."""
        from manim.utils.exceptions import EndSceneEarlyException

        assert self.beat is not None
        sections = scene.timeline["sections"]
        index = len(sections) - 1
        if (
            self.beat_index is None
            and index >= 0
            and beat_matches(self.beat, index, sections[index]["name"])
        ):
            self.beat_index = index
        if self.beat_index is not None and index > self.beat_index:
            self.still = self.last
            if self.on_capture is not None:
                self.on_capture(scene)
            raise EndSceneEarlyException()
        return self.beat_index is None


def grab(
    job: WorkerJob,
    frame: int | None = None,
    beat: str | None = None,
    on_capture: Callable[[Any], None] | None = None,
) -> Still:
    """Run ``job``'s scene in this process up to the wanted frame and return it.

    ``on_capture`` is handed the scene in the state that frame shows.
    """
    from manim import tempconfig

    spec = get_scene(job.scene_id)
    params = spec.params(**job.params)
    grabber = FrameGrab(job.fps, frame=frame, beat=beat, on_capture=on_capture)
    with shared_tex(job), tempconfig({**manim_config(job), "format": "none"}):
        model = computed_model(spec, params, job.model_store_dir)
        scene = spec.scene_class()(model=model, params=params)
        scene.narrator = Narrator.for_job(job.voice, Path(job.speech_dir), job.takes)
        grabber.install(scene)
        skipping.install(scene)
        scene.render()
    if grabber.still is None and beat is not None and grabber.beat_index is not None:
        grabber.still = grabber.last  # the last beat, without a clear_stage: its last frame
        if on_capture is not None and grabber.still is not None:
            on_capture(scene)
    if grabber.still is None:
        if beat is not None:
            sections = scene.timeline["sections"]
            if find_beat(beat, sections) is None:
                raise UserError(
                    f"{job.scene_id} has no beat {beat!r}; its beats: {beat_list(sections)}"
                )
            raise UserError(f"beat {beat} of {job.scene_id} draws no frame")
        raise UserError(
            f"{job.scene_id} has {grabber.count} frames ({grabber.count / job.fps:.2f} s at "
            f"{job.fps} fps); frame {frame} is past its end"
        )
    index, pixels = grabber.still
    label = (
        f"beat-{grabber.beat_index + 1:02d}"
        if grabber.beat_index is not None
        else f"frame-{index:05d}"
    )
    return Still(index, np.array(pixels, copy=True), label)


def save_png(pixels: np.ndarray, path: Path) -> None:
    """The RGB pixels as a PNG, written atomically."""
    from PIL import Image

    with atomic_path(path) as tmp:
        Image.fromarray(pixels[:, :, :3]).save(tmp, format="PNG")


@dataclasses.dataclass
class VectorFrame:
    """The SVG of a frame and the kinds of mobject Cairo could not draw as vectors."""

    svg: bytes = b""
    not_vector: list[str] = dataclasses.field(default_factory=list)

    def draw(self, scene: Any) -> None:
        """Draw ``scene`` as it is now on a Cairo SVG surface, with the camera's own transform.

        VMobjects (shapes, text, LaTeX) become SVG paths, drawn by the same
        ``Camera.display_vectorized`` that fills the video's pixels; the background is a
        filled rectangle. Anything else on screen (an ImageMobject, a point cloud) is a pixel
        operation of the camera with no vector form: it is left out and named.
        """
        import cairo
        from manim import VMobject

        camera = scene.renderer.camera
        pw, ph, fw, fh = (
            camera.pixel_width,
            camera.pixel_height,
            camera.frame_width,
            camera.frame_height,
        )
        fc = camera.frame_center
        buffer = io.BytesIO()
        surface = cairo.SVGSurface(buffer, pw, ph)
        surface.set_document_unit(cairo.SVGUnit.PX)  # one SVG unit per pixel of the video
        ctx = cairo.Context(surface)
        ctx.set_source_rgb(*camera.background_color.to_rgb())
        ctx.paint()
        ctx.set_matrix(
            cairo.Matrix(
                pw / fw, 0, 0, -(ph / fh), pw / 2 - fc[0] * pw / fw, ph / 2 + fc[1] * ph / fh
            )
        )
        skipped = set()
        for mob in camera.get_mobjects_to_display(scene.mobjects):
            if isinstance(mob, VMobject):
                camera.display_vectorized(mob, ctx)
            elif mob.has_points() or hasattr(mob, "pixel_array"):
                skipped.add(type(mob).__name__)
        surface.finish()
        self.svg, self.not_vector = buffer.getvalue(), sorted(skipped)


FORMATS = ("png", "svg")


def render_still(
    scene_id: str,
    params: Params,
    quality: Quality,
    settings: Settings,
    *,
    at: float | None = None,
    beat: str | None = None,
    fmt: str = "png",
    narration: NarrationRequest | None = None,
) -> tuple[Path, Still, list[str]]:
    """One frame as ``out/<id>/<quality>/stills/<id>.<label>.<fmt>``: at ``at`` seconds or a
    beat's picture (exactly one of the two). Returns the file, the frame, and (for SVG) the kinds
    of mobject that could not be drawn as vectors and are missing from it.

    ``narration`` is the voice of the video the frame is taken from (default: silent): a narrated
    scene holds its picture while each line is spoken, so the same second shows another frame."""
    if fmt not in FORMATS:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if (at is None) == (beat is None):
        raise UserError("give exactly one of --at SECONDS and --beat N|NAME")
    if at is not None and at < 0:
        raise UserError(f"--at must be at least 0 seconds, got {at}")
    spec = get_scene(scene_id)
    job = worker_job(spec.id, params, quality, settings)
    job = dataclasses.replace(
        job,
        media_dir=str(job.media.beat(f"still-{at}-{beat}")),
        **narration_job_fields(narration or NarrationRequest(), spec, settings),
    )
    frame = frame_at(at, quality.fps) if at is not None else None
    with output_lock(settings.out_dir):
        vector = VectorFrame()
        try:
            still = grab(
                job, frame=frame, beat=beat, on_capture=vector.draw if fmt == "svg" else None
            )
        finally:
            shutil.rmtree(job.media_dir, ignore_errors=True)
        path = settings.out.still(spec.id, quality.name, still.label, fmt)
        if fmt == "svg":
            write_bytes(path, vector.svg)
        else:
            save_png(still.pixels, path)
    return path, still, vector.not_vector
