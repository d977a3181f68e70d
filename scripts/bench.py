"""Benchmark mathreel's engine against plain ``manim render``, side by side in one run.

1. cold batch of the chosen scenes at preview quality vs a sequential loop of ``manim render``;
2. one long scene at 1080p with ``--jobs 2`` (sharded) vs ``manim render``;
3. warm re-run of the batch (mathreel's cache) vs ``manim render`` again (Manim's own cache);
4. narration: a preview render and its export (youtube, web) with the bundled voice vs
   ``--voice none``, and the voice's real-time factor on that scene's own lines.

Each side starts from an empty folder of its own (no LaTeX, partial-movie, render or speech cache),
and both sides run the same scene files at the same pixel size and frame rate. (1) to (3) render
silently (``--voice none``), as plain Manim does. Usage:

    nice -n 10 .venv/bin/python scripts/bench.py [--scenes lln,clt] [--long lln]
        [--long-quality 1080p] [--only 1,3,4] [--jobs 2] [--narrated bayes]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from render.core.catalog import all_scenes, get_scene
from render.core.quality import get_quality
from render.core.spec import SceneSpec
from render.narration.voice import BundledVoice

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]
GOALS = {1: 1.7, 2: 1.6, 3: 50.0}
NARRATION_GOAL = 1.15  # a narrated preview takes at most 15% more wall time than a silent one
SILENT = ("--voice", "none")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}


def timed(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Wall seconds of ``argv``; its CPU seconds (all its processes) accumulate in ``CPU``.

    On a shared machine the wall clock depends on everyone else's load; the CPU time shows how much
    work each side did, independent of that.
    """
    start, cpu = time.perf_counter(), child_cpu()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    CPU["last"] = CPU.get("last", 0.0) + child_cpu() - cpu
    return seconds


def cpu_since_last_report() -> float:
    return CPU.pop("last", 0.0)


def manim_argv(spec: SceneSpec, quality: str, media: Path) -> list[str]:
    q = get_quality(quality)
    module, _, cls = spec.scene.partition(":")
    source = REPO.joinpath(*module.split(".")).with_suffix(".py")
    return [str(BIN / "manim"), "render", str(source), cls, "--resolution",
            f"{q.width},{q.height}", "--fps", str(q.fps), "--media_dir", str(media),
            "--progress_bar", "none", "-v", "ERROR"]  # fmt: skip


class Workspace:
    """An empty folder per side, so each starts without any cache."""

    def __init__(self, root: Path, name: str) -> None:
        self.dir = root / name
        self.dir.mkdir()
        self.env = {**os.environ, "MATHREEL_CACHE": str(self.dir / "cache")}
        self.env["MATHREEL_OUT"] = str(self.dir / "out")
        self.env["PYTHONPATH"] = str(REPO)

    def mathreel(self, *args: str) -> float:
        return timed([str(BIN / "mathreel"), *args], self.dir, self.env)

    def manim_loop(self, specs: list[SceneSpec], quality: str) -> float:
        return sum(
            timed(manim_argv(s, quality, self.dir / "media"), self.dir, self.env) for s in specs
        )


def report(number: int, what: str, ours: tuple[float, float], theirs: tuple[float, float]) -> None:
    ratio = theirs[0] / ours[0]
    verdict = "meets" if ratio >= GOALS[number] else "misses"
    print(
        f"({number}) {what}: mathreel {ours[0]:.2f} s (cpu {ours[1]:.1f} s), "
        f"manim {theirs[0]:.2f} s (cpu {theirs[1]:.1f} s), wall ratio {ratio:.2f}x "
        f"({verdict} the {GOALS[number]:g}x goal), load now {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def megabytes(folder: Path) -> str:
    """Size of the one finished movie under ``folder`` (Manim's partial movies are skipped)."""
    movies = [m for m in folder.rglob("*.mp4") if "partial_movie_files" not in m.parts]
    return f"{sum(m.stat().st_size for m in movies) / 1e6:.1f} MB"


def measured(seconds: float) -> tuple[float, float]:
    """Wall and CPU seconds of what just ran."""
    return seconds, cpu_since_last_report()


def synthesis_factor(lines: list[str], store: Path) -> tuple[float, float, float]:
    """Seconds of speech made for ``lines``, per CPU second and per wall second of making them
    (loading the voice included)."""
    start, cpu = time.perf_counter(), time.process_time()
    voice = BundledVoice(store)
    spoken = sum(voice.speak(line).seconds for line in lines)
    return spoken, spoken / (time.process_time() - cpu), spoken / (time.perf_counter() - start)


def narration_overhead(root: Path, scene: str) -> None:
    """(4) a narrated preview render and export against silent ones, and the voice's speed."""
    silent, narrated = Workspace(root, "silent"), Workspace(root, "narrated")
    export = ("export", scene, "--quality", "preview", "--target", "youtube,web")
    quiet = measured(silent.mathreel("render", scene, "--quality", "preview", *SILENT))
    spoken = measured(narrated.mathreel("render", scene, "--quality", "preview"))
    quiet_export = measured(silent.mathreel(*export))
    spoken_export = measured(narrated.mathreel(*export))
    for what, a, b in (("preview render", spoken, quiet), ("export", spoken_export, quiet_export)):
        ratio = a[0] / b[0]
        verdict = "meets" if ratio <= NARRATION_GOAL or what == "export" else "misses"
        print(
            f"(4) {scene} {what}: narrated {a[0]:.2f} s (cpu {a[1]:.1f} s), silent {b[0]:.2f} s "
            f"(cpu {b[1]:.1f} s), wall ratio {ratio:.2f}x, cpu ratio {a[1] / b[1]:.2f}x"
            + (f" ({verdict} the {NARRATION_GOAL:g}x goal)" if what == "preview render" else ""),
            flush=True,
        )
    timeline = json.loads((narrated.dir / "out" / scene / "preview" / f"{scene}.timeline.json")
                          .read_text())  # fmt: skip
    lines = [cue["text"] for cue in timeline["cues"]]
    seconds, per_cpu, per_wall = synthesis_factor(lines, root / "speech")
    print(
        f"(4) voice: {len(lines)} lines, {seconds:.1f} s of speech, real-time factor "
        f"{per_cpu:.1f}x per CPU second ({per_wall:.1f}x wall)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", help="comma-separated scene ids (default: all)")
    parser.add_argument("--long", help="scene for (2) (default: the longest)")
    parser.add_argument("--long-quality", default="1080p")
    parser.add_argument("--only", default="1,2,3,4", help="which measurements, e.g. 1,3")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--narrated", default="bayes", help="scene for (4)")
    args = parser.parse_args()
    specs = [get_scene(s) for s in args.scenes.split(",")] if args.scenes else list(all_scenes())
    long_spec = get_scene(args.long) if args.long else max(all_scenes(), key=lambda s: s.duration)
    only = {int(n) for n in args.only.split(",")}
    ids = [s.id for s in specs]
    print(f"cores: {os.cpu_count()}, load: {os.getloadavg()[0]:.1f}, scenes: {', '.join(ids)}")
    root = Path(tempfile.mkdtemp(prefix="mathreel-bench-"))
    try:
        ours, theirs = Workspace(root, "mathreel"), Workspace(root, "manim")
        jobs = ["--jobs", str(args.jobs), *SILENT]
        if only & {1, 3}:
            cold = measured(ours.mathreel("batch", *ids, "--quality", "preview", *jobs))
            cold_manim = measured(theirs.manim_loop(specs, "preview"))
            if 1 in only:
                report(1, "cold batch at preview", cold, cold_manim)
        if 3 in only:
            warm = measured(ours.mathreel("batch", *ids, "--quality", "preview", *jobs))
            warm_manim = measured(theirs.manim_loop(specs, "preview"))
            report(3, "warm re-run at preview", warm, warm_manim)
        if 2 in only:
            long_ours, long_theirs = Workspace(root, "long-mathreel"), Workspace(root, "long-manim")
            q = args.long_quality
            sharded = measured(long_ours.mathreel("render", long_spec.id, "--quality", q, *jobs))
            plain = measured(long_theirs.manim_loop([long_spec], q))
            report(2, f"{long_spec.id} at {q}, --jobs {args.jobs}", sharded, plain)
            print(f"    movie sizes: mathreel {megabytes(long_ours.dir / 'out')}, "
                  f"manim {megabytes(long_theirs.dir / 'media' / 'videos')} "
                  "(masters are encoded for fidelity, see render/worker.py)")  # fmt: skip
        if 4 in only:
            narration_overhead(root, args.narrated)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
