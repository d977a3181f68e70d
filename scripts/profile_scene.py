"""Profile one real render of a scene and say where its CPU goes.

Runs the render worker in this process under cProfile (Manim's cache off, the masters' encoder,
exactly what ``mathreel render`` does) and prints, for the whole render, the share of time spent
under a few named places (updaters rebuilding mobjects, ``become``, point alignment, copying,
Cairo drawing, movie writing, LaTeX, the model) followed by the functions with the most time of
their own. The raw profile is kept for ``snakeviz`` or ``python -m pstats``. Usage:

    nice -n 5 .venv/bin/python scripts/profile_scene.py SCENE [--quality preview]
        [--out profile.prof] [--top 15] [--without-speedups] [--movie FILE.mp4] [--voice joe|none]

``--without-speedups`` renders with Manim's own code instead of render/engine/manim_speedups.py.
``--compare BEFORE.prof AFTER.prof`` renders nothing and prints the named places of two saved
profiles side by side (e.g. without and with the speedups). ``--movie`` keeps the rendered
video, so that each side's profile doubles as a frame check:
``scripts/frames_match.py without.mp4 with.mp4`` (profiling does not change a pixel).
``--voice joe`` narrates with the bundled voice from an empty speech store. The voice speaks in a
thread of its own, which cProfile does not follow: its CPU counts in the total (the process's CPU
time) and is charged to whatever the main thread does meanwhile. The mastering that follows a
render is not part of the worker.

The profile counts this process's CPU time (not wall time, which the machine's other load would
inflate); the CPU of the programs the render starts (LaTeX, dvisvgm, ffmpeg) is printed beside it.
cProfile slows a Python-heavy render down about 2 times; the shares are what matter.

After the named places come the scene's own functions (those in its package: its beats, the
helpers they call, its model) by inclusive time, which says which part of the video the CPU
goes to: at 1080p60 a beat that strokes many new shapes a frame can outweigh longer ones.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import pstats
import resource
import shutil
import tempfile
import time
from pathlib import Path

from render.core.catalog import get_scene
from render.core.quality import get_quality
from render.engine.worker import WorkerJob, render_in_process

# (label, file suffix, function name): inclusive time of these functions, as shares of the render.
# They nest (become calls align_points calls consider_points_equal), so the shares do not add up.
PLACES = [
    ("updaters (update_mobjects)", "mobject.py", "update"),
    ("Mobject.become", "mobject.py", "become"),
    ("align_points (alignment for become/transforms)", "mobject.py", "align_data"),
    ("  VMobject.align_points", "vectorized_mobject.py", "align_points"),
    ("  consider_points_equal", "vectorized_mobject.py", "consider_points_equal"),
    ("  get_subpaths / subdivision", "vectorized_mobject.py", "get_subpaths_from_points"),
    ("Mobject.copy (deepcopy)", "mobject.py", "copy"),
    ("interpolate (animations)", "animation.py", "interpolate"),
    ("Cairo drawing (Camera.capture_mobjects)", "camera.py", "capture_mobjects"),
    ("movie writing (write_frame)", "scene_file_writer.py", "write_frame"),
    ("LaTeX / SVG (tex_to_svg_file)", "tex_file_writing.py", "tex_to_svg_file"),
    ("Text (Pango)", "text_mobject.py", "__init__"),
    ("model (simulate)", "model.py", "simulate"),
    ("waits for the voice (speech not ready, still frames)", "base.py", "wait_for_voice"),
]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def profile(
    scene_id: str,
    quality: str,
    out: Path,
    speedups: bool,
    movie: Path | None = None,
    voice: str = "none",
) -> tuple[pstats.Stats, float]:
    """Render ``scene_id`` under cProfile; the stats and the CPU seconds of its child processes.

    With ``movie``, the finished video is copied there.
    """
    q = get_quality(quality)
    spec = get_scene(scene_id)
    with tempfile.TemporaryDirectory(prefix="mathreel-profile-") as media:
        job = WorkerJob(
            scene_id=spec.id,
            params={},
            width=q.width,
            height=q.height,
            fps=q.fps,
            media_dir=media,
            tex_dir=str(Path(media) / "shared-tex"),
            output_stem=spec.id,
            voice=voice,
            speech_dir=str(Path(media) / "speech"),
        )
        profiler = cProfile.Profile(time.process_time)
        start = children_cpu()
        profiler.runcall(render_in_process, job, speedups=speedups)
        cpu = children_cpu() - start
        if movie is not None:
            movies = Path(media).rglob(f"{spec.id}.mp4")
            (finished,) = (m for m in movies if "partial_movie_files" not in m.parts)
            shutil.copyfile(finished, movie)
    profiler.dump_stats(out)
    return pstats.Stats(str(out)), cpu


def inclusive(stats: pstats.Stats, suffix: str, name: str) -> float:
    """Cumulative seconds of the functions called ``name`` in files ending ``suffix``."""
    total = 0.0
    for (file, _, func), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if func == name and file.endswith(suffix):
            total += cumulative
    return total


def scene_folder(scene_id: str) -> Path:
    """The folder of the package that holds the scene's code (``scenes/<name>/``)."""
    module = get_scene(scene_id).scene.partition(":")[0]
    found = importlib.util.find_spec(module)
    assert found is not None and found.origin is not None, module
    return Path(found.origin).resolve().parent


def scene_functions(stats: pstats.Stats, folder: Path) -> list[tuple[float, str]]:
    """The functions defined in ``folder`` with their inclusive seconds, the costliest first.

    They nest (a beat's time holds the helpers it calls), so the seconds do not add up.
    """
    rows = []
    for (file, line, func), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        if Path(file).resolve().is_relative_to(folder):
            rows.append((cumulative, f"{Path(file).name}:{line}({func})"))
    return sorted(rows, reverse=True)


def summary(stats: pstats.Stats, children: float, top: int, folder: Path | None = None) -> str:
    total = stats.total_tt  # type: ignore[attr-defined]
    lines = [f"render: {total:.1f} s CPU profiled, {children:.1f} s CPU in LaTeX and ffmpeg", ""]
    for label, suffix, name in PLACES:
        seconds = inclusive(stats, suffix, name)
        if seconds:
            lines.append(f"{100 * seconds / total:5.1f}%  {seconds:7.1f} s  {label}")
    if folder is not None:
        lines += ["", f"top {top} of the scene's own functions, inclusive (they nest):"]
        for seconds, where in scene_functions(stats, folder)[:top]:
            lines.append(f"{100 * seconds / total:5.1f}%  {seconds:7.1f} s  {where}")
    lines += ["", f"top {top} by own time:"]
    own = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)  # type: ignore[attr-defined]
    for (file, line, func), (_, calls, tottime, cumulative, _) in own[:top]:
        where = f"{Path(file).name}:{line}({func})"
        lines.append(
            f"{100 * tottime / total:5.1f}%  {tottime:7.1f} s own {cumulative:7.1f} s incl "
            f"{calls:>9} calls  {where}"
        )
    return "\n".join(lines)


def comparison(before: pstats.Stats, after: pstats.Stats) -> str:
    """The named places of two profiles: seconds and shares of each, and how much less after."""
    totals = [stats.total_tt for stats in (before, after)]  # type: ignore[attr-defined]
    lines = [f"{'':48} {'before':>16} {'after':>16}  ratio"]
    rows = [("whole render", totals[0], totals[1])]
    for label, suffix, name in PLACES:
        seconds = [inclusive(stats, suffix, name) for stats in (before, after)]
        rows.append((label.strip(), *seconds))
    for label, old, new in rows:
        if old or new:
            ratio = f"{old / new:5.2f}x" if new else "    -"
            lines.append(
                f"{label:48} {old:7.1f} s {100 * old / totals[0]:4.0f}% "
                f"{new:7.1f} s {100 * new / totals[1]:4.0f}%  {ratio}"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scene", nargs="?")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    parser.add_argument("--quality", default="preview")
    parser.add_argument("--out", type=Path, help="where to keep the raw profile")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--without-speedups", action="store_true")
    parser.add_argument("--movie", type=Path, help="where to keep the rendered video")
    parser.add_argument("--voice", default="none", help="joe: narrate (from an empty store)")
    args = parser.parse_args()
    if args.compare:
        print(comparison(*(pstats.Stats(str(path)) for path in args.compare)))
        return
    if not args.scene:
        parser.error("name a scene to profile, or --compare two saved profiles")
    out = args.out or Path(f"{args.scene}.{args.quality}.prof")
    stats, children = profile(
        args.scene, args.quality, out, not args.without_speedups, args.movie, args.voice
    )
    print(f"{args.scene} at {args.quality} (raw profile: {out})")
    print(summary(stats, children, args.top, scene_folder(args.scene)))


if __name__ == "__main__":
    main()
