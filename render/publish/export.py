"""Export one scene: find (or render) its video, encode what changed, write captions and the kit.

Incremental: each output remembers a key made of the source video's sha256 and the exact argv that
made it (which holds every encoder setting, the title file and the clip window); an output whose
key is unchanged and whose file is still there is not encoded again. Files made from an older
render are removed, so the kit never mixes two versions of a scene, but only after the new source
has been checked (a truncated or unreadable render is refused before anything is touched), and an
output is published and recorded only once ffprobe has read it back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from render.core.errors import CorruptRecord, ToolFailed, UserError
from render.core.params import Params
from render.core.paths import OutPaths, timeline_beside
from render.core.quality import QUALITIES, Quality, get_quality
from render.core.records import Fields, load_json, require
from render.core.settings import Settings
from render.core.spec import SceneSpec
from render.engine.pipeline import render_scene
from render.narration.request import NarrationRequest
from render.narration.voice import BUNDLED, check_voice
from render.publish import captions, interactive, presskit
from render.publish.context import ExportContext
from render.publish.targets import (
    CHAPTER,
    CHAPTER_SUFFIX,
    TARGETS,
    Output,
    Rung,
    Target,
    chapter_suffix,
    title_lines,
    write_title_file,
)
from render.tools import probe
from render.tools.atomic import atomic_path, write_text
from render.tools.folders import usable_folder
from render.tools.hashing import file_sha256
from render.tools.lock import writing
from render.tools.proc import format_argv, run

DEFAULT_RENDER_QUALITY = "1080p"

Say = Callable[[str], None]


@dataclasses.dataclass(frozen=True)
class ExportOptions:
    targets: tuple[Target, ...]
    quality: str | None = None
    web_width: int = 1280
    max_bytes: int | None = None
    dry_run: bool = False
    seeds: int = interactive.DEFAULT_SEEDS  # of the interactive page
    voice: str = BUNDLED  # of a render export has to make first

    def __post_init__(self) -> None:
        interactive.check_seeds(self.seeds)
        check_voice(self.voice)
        if not 16 <= self.web_width <= 7680:
            raise UserError(f"--width must be between 16 and 7680, got {self.web_width}")
        if self.max_bytes is not None and self.max_bytes < 1024:
            raise UserError(f"--max-bytes must be at least 1 KB, got {self.max_bytes}")
        if self.quality is not None:
            get_quality(self.quality)

    @property
    def encodes(self) -> bool:
        """Whether any target is made from the video (the interactive page is not)."""
        return any(t.outputs for t in self.targets)

    @property
    def page(self) -> bool:
        return any(t.name == interactive.TARGET for t in self.targets)


def parse_bytes(text: str) -> int:
    """``800k``, ``2MB``, ``1.5M`` or a plain number of bytes (binary units: k = 1024)."""
    units = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
    raw = text.strip().lower().removesuffix("ib").removesuffix("b")
    number, unit = (raw[:-1], raw[-1]) if raw[-1:] in ("k", "m", "g") else (raw, "")
    try:
        value = float(number) * units[unit]
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or len(text) > 32:
        raise UserError(f"--max-bytes: '{text}' is not a size (e.g. 800k, 2MB)")
    return int(value)


def video_on_disk(spec: SceneSpec, options: ExportOptions, settings: Settings) -> Path | None:
    """The render at the chosen quality, else the best one on disk; None if there is none."""
    qualities = [get_quality(options.quality)] if options.quality else QUALITIES.values()
    for quality in reversed(list(qualities)):
        if settings.out.video(spec.id, quality.name).is_file():
            return settings.out.video(spec.id, quality.name)
    return None


def source_video(spec: SceneSpec, options: ExportOptions, settings: Settings, say: Say) -> Path:
    """The rendered video export starts from: the chosen quality, else the best one on disk.

    A missing render is made first (at ``--quality``, else 1080p), except in a dry run.
    """
    found = video_on_disk(spec, options, settings)
    if found is not None:
        return found
    quality = get_quality(options.quality or DEFAULT_RENDER_QUALITY)
    path = settings.out.video(spec.id, quality.name)
    if options.dry_run:
        voice = "" if options.voice == BUNDLED else f" --voice {options.voice}"
        say(f"# would render {spec.id} at {quality.name} first: mathreel render {spec.id} "
            f"--quality {quality.name}{voice}")  # fmt: skip
        return path
    say(f"rendering {spec.id} at {quality.name} (no render found)")
    narration = NarrationRequest(options.voice, settings.narration_dir)
    return render_scene(
        spec.id, spec.default_params(), quality, settings, narration=narration
    ).video


def check_source(source: Path) -> None:
    """Refuse a render that is cut short or unreadable, before the kit is touched: export would
    otherwise replace good files with ones made from a broken video."""
    damage = probe.mp4_damage(source)
    if damage is not None:
        raise CorruptRecord(
            f"{source}: the render is damaged ({damage}); render it again "
            f"(mathreel render {source.stem} --quality {source.parent.name})"
        )


def _context(
    spec: SceneSpec, source: Path, options: ExportOptions, settings: Settings
) -> ExportContext:
    base: dict[str, Any] = {
        "scene_id": spec.id, "title": spec.title, "hero_time": spec.hero_time,
        "web_width": options.web_width, "max_bytes": options.max_bytes,
        "work_dir": settings.cache.export_work(spec.id),
    }  # fmt: skip
    if source.is_file():
        check_source(source)
        info = probe.probe(source)
        stream = probe.video_stream(info, source)
        timeline = captions.Timeline.load(timeline_beside(source))
        probed = float(info.get("format", {}).get("duration", "nan"))
        if not abs(probed - timeline.duration) < 1.0:
            raise CorruptRecord(
                f"{source}: lasts {probed:.2f} s but its timeline says {timeline.duration:.2f} s; "
                "render it again"
            )
        fps = round(probe.frame_rate(stream))
        return ExportContext(
            **base,
            duration=timeline.duration,
            width=stream["width"],
            height=stream["height"],
            fps=fps,
            source_color_space=stream.get("color_space", "unknown"),
            narrated=any(s.get("codec_type") == "audio" for s in info.get("streams", [])),
        )
    quality: Quality = get_quality(source.parent.name)
    return ExportContext(
        **base, duration=spec.duration, width=quality.width, height=quality.height, fps=quality.fps
    )


def _key(source_sha: str, ctx: ExportContext, output: Output, rungs: list[Rung]) -> str:
    """What an output depends on. Paths are placeholders, so a moved out/ folder stays current."""
    portable = dataclasses.replace(ctx, work_dir=Path("WORK"))
    recipe = {
        "source": source_sha,
        "argv": [output.build(portable, Path("SOURCE"), Path("OUTPUT"), rung) for rung in rungs],
        "title": title_lines(ctx.title),
        "max_bytes": ctx.max_bytes if output.fits_max_bytes else None,
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def _rungs(ctx: ExportContext, output: Output) -> list[Rung]:
    rungs = output.rungs(ctx)
    return rungs if output.fits_max_bytes and ctx.max_bytes is not None else rungs[:1]


def _encode(
    ctx: ExportContext, output: Output, src: Path, dst: Path, rungs: list[Rung], log: Path
) -> Rung:
    """Encode at each rung in turn until the file fits ``max_bytes``; only the winner is kept.

    A failed encode leaves nothing under ``dst`` (the attempt is a temporary beside it) and names
    the file it was making and the log holding ffmpeg's output.
    """
    with atomic_path(dst) as tmp:
        for rung in rungs:
            try:
                run(output.build(ctx, src, tmp, rung), log=log)
            except ToolFailed as exc:
                raise ToolFailed(f"making {dst.name}: {exc}", exc.log) from None
            size = tmp.stat().st_size
            readable(tmp, dst.name)
            if not output.fits_max_bytes or ctx.max_bytes is None or size <= ctx.max_bytes:
                return rung
        raise UserError(
            f"{dst.name}: cannot fit in {ctx.max_bytes} bytes; the smallest attempt "
            f"({rung.fps} fps, {rung.width} px) was {size} bytes; raise --max-bytes"
        )


def readable(path: Path, name: str) -> None:
    """ffmpeg can exit 0 having written nothing (a clip past the end of its input): an output
    is kept only if it has bytes and ffprobe finds a picture in it."""
    try:
        if path.stat().st_size == 0:
            raise ToolFailed(f"{name}: ffmpeg wrote an empty file")
        probe.video_stream(probe.probe(path), path)
    except ToolFailed as exc:
        raise ToolFailed(f"{name}: the encode produced no usable file ({exc})") from None


def export_scene(spec: SceneSpec, options: ExportOptions, settings: Settings, say: Say) -> Path:
    """Export ``spec`` into ``out/<id>/``; return the kit folder. ``say`` reports each step.

    Holds the output folder's lock (a dry run writes nothing and takes none).
    """
    if not options.dry_run:
        with writing(settings):
            return _export_scene(spec, options, settings, say)
    return _export_scene(spec, options, settings, say)


def _export_scene(spec: SceneSpec, options: ExportOptions, settings: Settings, say: Say) -> Path:
    if not options.encodes:
        return export_page_only(spec, options, settings, say)
    source = source_video(spec, options, settings, say)
    ctx = _context(spec, source, options, settings)
    out = settings.out
    kit = out.kit(spec.id)
    if options.dry_run:
        for output in (o for t in options.targets for o in t.outputs):
            for rung in _rungs(ctx, output):
                say(
                    format_argv(
                        output.build(ctx, source, out.kit_file(spec.id, output.suffix), rung)
                    )
                )
        return kit
    write_title_file(ctx)
    source_sha = file_sha256(source)
    state_path = out.export_state(spec.id)
    state = load_state(state_path, say)
    for suffix, entry in list(state.items()):
        if entry["source"] != source_sha:
            out.kit_file(spec.id, suffix).unlink(missing_ok=True)
            del state[suffix]
            say(f"removed {spec.id}.{suffix} (made from an older render)")
    for target in options.targets:
        for output, suffix, out_ctx in _copies(target, ctx, source):
            dst = out.kit_file(spec.id, suffix)
            rungs = _rungs(out_ctx, output)
            key = _key(source_sha, out_ctx, output, rungs)
            if dst.is_file() and state.get(suffix, {}).get("key") == key:
                say(f"{dst.name}: up to date")
                continue
            log = settings.cache.log(f"export-{spec.id}")
            rung = _encode(out_ctx, output, source, dst, rungs, log)
            state[suffix] = {
                "key": key, "source": source_sha, "target": target.name,
                "rung": dataclasses.asdict(rung), "options": out_ctx.options(),
            }  # fmt: skip
            write_text(state_path, json.dumps(state, indent=1))
            chosen = f" at {rung.fps} fps, {rung.width} px" if output.fits_max_bytes else ""
            say(f"{dst.name}: {dst.stat().st_size} bytes{chosen}")
    if options.page:
        params, _ = _parameters(spec, captions.Timeline.load(timeline_beside(source)))
        _write_page(spec, spec.params(**params), options, out, say)
    write_kit(spec, ctx, source, source_sha, state, out)
    presskit.write_manifest(settings.out_dir, say)
    return kit


def _copies(
    target: Target, ctx: ExportContext, source: Path
) -> Iterator[tuple[Output, str, ExportContext]]:
    """The files ``target`` makes: each output once, except the chapters target's, once per beat
    of the source's timeline (with that beat's window)."""
    if target.name != "chapters":
        yield from ((output, output.suffix, ctx) for output in target.outputs)
        return
    timeline = captions.Timeline.load(timeline_beside(source))
    ends = [s.start for s in timeline.sections[1:]] + [timeline.duration]
    for number, (section, end) in enumerate(zip(timeline.sections, ends, strict=True), 1):
        clip = dataclasses.replace(ctx, clip_start=section.start, clip_length=end - section.start)
        yield CHAPTER, chapter_suffix(number), clip


OUTPUT_SUFFIXES = frozenset(o.suffix for t in TARGETS.values() for o in t.outputs)
STATE_FIELDS: Fields = {"key": str, "source": str, "target": str, "rung": dict, "options": dict}


def load_state(path: Path, say: Say) -> dict[str, Any]:
    """``.export-state.json``: for each exported file, the key and source it was made from.

    It only saves work, so a damaged one is dropped with a note (every file is encoded again)."""
    if not path.is_file():
        return {}
    try:
        state = require(path, load_json(path), {}, "export state")
        for suffix, entry in state.items():
            require(path, entry, STATE_FIELDS, suffix)
            if suffix not in OUTPUT_SUFFIXES and not CHAPTER_SUFFIX.fullmatch(suffix):
                raise CorruptRecord(f"{path} (export state): no target makes '{suffix}'")
    except CorruptRecord as exc:
        say(f"note: {exc}; encoding every file again")
        return {}
    return state


def write_kit(
    spec: SceneSpec, ctx: ExportContext, source: Path, source_sha: str,
    state: dict[str, Any], out: OutPaths,
) -> None:  # fmt: skip
    """Captions, description and ``meta.json`` (which lists every file with its hash)."""
    kit = out.kit(spec.id)
    timeline = captions.Timeline.load(timeline_beside(source))
    srt, vtt, text = (
        out.kit_file(spec.id, "srt"),
        out.kit_file(spec.id, "vtt"),
        out.description(spec.id),
    )
    write_text(srt, captions.to_srt(timeline.cues))
    write_text(vtt, captions.to_vtt(timeline.cues))
    write_text(text, captions.description(spec, timeline))
    files: dict[str, Any] = {}
    codecs: dict[str, str] = {}
    for suffix, entry in state.items():
        path = out.kit_file(spec.id, suffix)
        stream = probe.video_stream(probe.probe(path), path)
        # ffprobe cannot size an animated WebP (it reports 0x0): leave its size out.
        size = {"width": stream["width"], "height": stream["height"]} if stream["width"] else {}
        files[path.name] = presskit.file_entry(
            path, target=entry["target"], rung=entry["rung"], options=entry["options"], **size
        )
        codecs[path.name] = stream["codec_name"]
    for path in (srt, vtt, text):
        files[path.name] = presskit.file_entry(path, target="captions")
    params, source_of_params = _parameters(spec, timeline)
    page = out.kit_file(spec.id, interactive.SUFFIX)
    if page.is_file():
        files[page.name] = interactive.page_entry(page)
        if files[page.name]["parameters"] != params:  # made for another render: not this kit's
            del files[page.name]
            page.unlink()
    presskit.write_meta(kit, {
        "id": spec.id, "title": spec.title, "summary": spec.summary or spec.description,
        "description": spec.description, "tags": list(spec.tags),
        "duration": ctx.duration, "width": ctx.width, "height": ctx.height, "fps": ctx.fps,
        "hero_time": ctx.hero, "codecs": codecs, "files": dict(sorted(files.items())),
        "seed": params["seed"], "parameters": params, "parameters_from": source_of_params,
        "manim_version": presskit.manim_version(),
        "source": {"path": str(source.relative_to(kit)), "bytes": source.stat().st_size,
                   "sha256": source_sha},
    })  # fmt: skip


def _parameters(spec: SceneSpec, timeline: captions.Timeline) -> tuple[dict[str, Any], str]:
    """The render's parameters: from its timeline when it records them, else the scene's defaults
    (what ``mathreel render`` and this module's own renders use unless told otherwise)."""
    if timeline.params is not None:
        return dict(timeline.params), "timeline"
    defaults: Params = spec.default_params()
    return defaults.as_dict(), "defaults"


def _write_page(
    spec: SceneSpec, params: Params, options: ExportOptions, out: OutPaths, say: Say
) -> Path | None:
    """The interactive page for the video's parameters, or a note if the scene has none."""
    path = out.kit_file(spec.id, interactive.SUFFIX)
    if not interactive.has_page(spec.id):
        say(f"{spec.id}: no interactive page (pages exist for {', '.join(interactive.COMPANIONS)})")
        return None
    seeds = interactive.page_seeds(params.seed, options.seeds)
    if options.dry_run:
        say(f"# would write {path} (seeds {', '.join(map(str, seeds))})")
        return None
    interactive.write_page(spec, params, seeds, path)
    say(f"{path.name}: {path.stat().st_size} bytes, seeds {', '.join(map(str, seeds))}")
    return path


def export_page_only(spec: SceneSpec, options: ExportOptions, settings: Settings, say: Say) -> Path:
    """``--target interactive`` alone: the page needs the model, not a render. It is made for the
    parameters of the render on disk (the defaults without one) and joins an existing kit's
    ``meta.json``."""
    if not interactive.has_page(spec.id):
        pages = ", ".join(interactive.COMPANIONS)
        raise UserError(f"scene {spec.id} has no interactive page (pages exist for {pages})")
    video = video_on_disk(spec, options, settings)
    params = spec.default_params()
    if video is not None:
        params = spec.params(**_parameters(spec, captions.Timeline.load(timeline_beside(video)))[0])
    out = settings.out
    page = _write_page(spec, params, options, out, say)
    if page is not None and out.meta(spec.id).is_file():
        meta = presskit.load_meta(out.kit(spec.id))
        if meta.get("parameters") == params.as_dict():
            meta["files"] = dict(
                sorted({**meta["files"], page.name: interactive.page_entry(page)}.items())
            )
            presskit.write_meta(out.kit(spec.id), meta)
            presskit.write_manifest(settings.out_dir, say)
    return out.kit(spec.id)


def export_many(
    specs: Iterable[SceneSpec], options: ExportOptions, settings: Settings, say: Say
) -> list[Path]:
    """Export each scene. A dry run writes nothing (not even the lock) but still refuses an output
    folder that could never be written; a real one holds the output lock and the cache."""
    if options.dry_run:
        usable_folder(settings.out_dir, settings.out_origin)
        return [export_scene(spec, options, settings, say) for spec in specs]
    with writing(settings):
        return [export_scene(spec, options, settings, say) for spec in specs]


def all_target_names() -> str:
    return ",".join(TARGETS)


def default_target_names() -> str:
    """What a plain ``mathreel export SCENE`` makes (every target but the opt-in ones)."""
    return ",".join(name for name, target in TARGETS.items() if target.by_default)
