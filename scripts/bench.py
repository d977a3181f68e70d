"""Benchmark mathreel's engine against plain ``manim render``, side by side in one run.

1. cold batch of the chosen scenes at preview quality vs a sequential loop of ``manim render``;
2. one long scene at 1080p with ``--jobs 2`` (sharded) vs ``manim render``;
3. warm re-run of the batch (mathreel's cache) vs ``manim render`` again (Manim's own cache);
4. the cold batch of (1) vs what a careful user runs: ``manim render --disable_caching``, two
   scenes at a time;
5. the sharded render of (2) vs ``manim render --disable_caching --max-inflight-encoders 2`` with
   the masters' encoder settings (so both sides encode the same way);
6. every chosen scene rendered by this checkout vs by ``--baseline REV`` (e.g. the commit before
   a change) and/or with ``--baseline-without-speedups`` (Manim's own code instead of
   render/engine/manim_speedups.py), at each of ``--per-scene-qualities``: wall and CPU of both,
   their ratios, and whether the two movies have the same frames;
7. ``render --beat 4`` vs rendering the whole scene (the authoring loop's saving), both with the
   Tex cache and the speech store warm (a ``still`` past the end builds every formula and speaks
   every line first) and the render cache cold;
8. narration: a preview render and its export (youtube, web) with the bundled voice vs
   ``--voice none``, and the voice's real-time factor on that scene's own lines;
9. the authoring loop's latency: ``watch SCENE --beat 4`` vs ``watch SCENE`` at preview, each in
   a copy of the project with headless Chromium on the page: the time from saving an edit of a
   caption of that beat to the page showing the new render (after a first render warmed the
   caches), and the watcher's CPU seconds over that time.

Each side starts from an empty folder of its own (no LaTeX, partial-movie or render cache), and
both sides run the same scene files at the same pixel size and frame rate. CPU is the user+sys
seconds of every process a side started; on a shared machine it is the figure that survives the
others' load. Every other side renders silently (``--voice none``), as plain Manim does. Usage:

    nice -n 10 .venv/bin/python scripts/bench.py [--scenes lln,clt] [--long lln]
        [--long-quality 1080p] [--only 1,3] [--jobs 2] [--baseline REV]
        [--baseline-without-speedups] [--per-scene-qualities preview,1080p] [--keep]
        [--beat-scene lln] [--beat 4] [--narrated bayes] [--edit 'OLD=>NEW']
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from frames_match import frame_hashes, frame_psnrs

from render.core.catalog import all_scenes, get_scene
from render.core.quality import get_quality
from render.core.spec import SceneSpec
from render.engine import manim_speedups
from render.engine.worker import MASTER_ENCODER_OPTIONS
from render.narration.voice import BundledVoice

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[1]
GOALS = {1: 1.7, 2: 1.6, 3: 50.0, 4: 2.0, 7: 3.0}  # (5) is printed without a goal
WATCH_GOAL = 30.0  # seconds from saving an edit to the reloaded page, with --beat, at preview
# (9)'s edit: a caption of lln's fourth beat (any edit re-renders; this one is also re-spoken).
LLN_EDIT = "Count the runs at least epsilon=>Count every run at least epsilon"
NARRATION_GOAL = 1.15  # a narrated preview takes at most 15% more wall time than a silent one
SILENT = ("--voice", "none")


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, float] = {}


def timed(
    argv: list[str], cwd: Path, env: dict[str, str] | None = None, expect_failure: bool = False
) -> float:
    """Wall seconds of ``argv``; its CPU seconds (all its processes) accumulate in ``CPU``.

    On a shared machine the wall clock depends on everyone else's load; the CPU time shows how much
    work each side did, independent of that.
    """
    start, cpu = time.perf_counter(), child_cpu()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if (proc.returncode != 0) != expect_failure:
        sys.exit(f"{' '.join(argv)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    CPU["last"] = CPU.get("last", 0.0) + child_cpu() - cpu
    return seconds


def cpu_since_last_report() -> float:
    return CPU.pop("last", 0.0)


Command = tuple[list[str], Path, dict[str, str]]


def run_at_once(commands: list[Command], at_once: int) -> list[tuple[float, float]]:
    """Run ``commands`` (argv, cwd, env), ``at_once`` at a time: wall and CPU seconds of each.

    Each command's CPU comes from its own ``wait4`` (it and every process it waited for), so
    commands running side by side are still measured apart.
    """
    results: list[tuple[float, float]] = [(0.0, 0.0)] * len(commands)
    waiting, running = list(enumerate(commands)), {}
    while waiting or running:
        while waiting and len(running) < at_once:
            index, (argv, cwd, env) = waiting.pop(0)
            out = subprocess.DEVNULL
            proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=out)
            running[proc.pid] = (index, proc, time.perf_counter())
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        index, proc, start = running.pop(pid)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(commands[index][0])} failed (exit {proc.returncode})")
        results[index] = (time.perf_counter() - start, usage.ru_utime + usage.ru_stime)
    return results


def pairs_timed(commands: list[list[str]], cwd: Path, env: dict[str, str]) -> float:
    """Wall seconds of running ``commands`` two at a time (CPU accumulates as in :func:`timed`)."""
    start = time.perf_counter()
    results = run_at_once([(argv, cwd, env) for argv in commands], 2)
    CPU["last"] = CPU.get("last", 0.0) + sum(cpu for _, cpu in results)
    return time.perf_counter() - start


# A careful user of plain Manim: no hashing for Manim's cache, and the masters' encoder.
CAREFUL = ["--disable_caching"]
SAME_ENCODER = [
    "--max-inflight-encoders", "2",
    *(arg for key, value in MASTER_ENCODER_OPTIONS.items()
      for arg in ("--encoder-option", f"{key}={value}")),
]  # fmt: skip


def manim_argv(spec: SceneSpec, quality: str, media: Path, *extra: str) -> list[str]:
    q = get_quality(quality)
    module, _, cls = spec.scene.partition(":")
    source = REPO.joinpath(*module.split(".")).with_suffix(".py")
    return [str(BIN / "manim"), "render", str(source), cls, "--resolution",
            f"{q.width},{q.height}", "--fps", str(q.fps), "--media_dir", str(media),
            "--progress_bar", "none", "-v", "ERROR", *extra]  # fmt: skip


def export_tree(rev: str, into: Path) -> Path:
    """A plain copy of the repository at ``rev`` (nothing of this checkout in it)."""
    into.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], capture_output=True)
    if archive.returncode != 0:
        sys.exit(f"git archive {rev} failed: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    # Installed, assets/ is the package render.assets (setup.py); a tree on PYTHONPATH needs a link.
    if (into / "assets").is_dir() and not (into / "render" / "assets").exists():
        (into / "render" / "assets").symlink_to("../assets")
    return into


class Workspace:
    """An empty folder per side, so each starts without any cache."""

    def __init__(self, root: Path, name: str, code: Path = REPO) -> None:
        self.dir = root / name
        self.dir.mkdir()
        self.env = {**os.environ, "MATHREEL_CACHE": str(self.dir / "cache")}
        self.env["MATHREEL_OUT"] = str(self.dir / "out")
        self.env["PYTHONPATH"] = str(code)

    def mathreel(self, *args: str, expect_failure: bool = False) -> float:
        return timed([str(BIN / "mathreel"), *args], self.dir, self.env, expect_failure)

    def manim_loop(self, specs: list[SceneSpec], quality: str, *extra: str) -> float:
        return sum(
            timed(manim_argv(s, quality, self.dir / "media", *extra), self.dir, self.env)
            for s in specs
        )

    def manim_pairs(self, specs: list[SceneSpec], quality: str, *extra: str) -> float:
        """Each scene in its own media folder, two at a time (Manim's folders are not shared)."""
        commands = [manim_argv(s, quality, self.dir / f"media-{s.id}", *extra) for s in specs]
        return pairs_timed(commands, self.dir, self.env)


def report(number: int, what: str, ours: tuple[float, float], theirs: tuple[float, float]) -> None:
    ratio = theirs[0] / ours[0]
    goal = GOALS.get(number)
    verdict = (
        "" if goal is None else f" ({'meets' if ratio >= goal else 'misses'} the {goal:g}x goal)"
    )
    print(
        f"({number}) {what}: mathreel {ours[0]:.2f} s (cpu {ours[1]:.1f} s), "
        f"manim {theirs[0]:.2f} s (cpu {theirs[1]:.1f} s), wall ratio {ratio:.2f}x, "
        f"cpu ratio {theirs[1] / ours[1]:.2f}x{verdict}, load now {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def per_scene(
    root: Path, baseline: Path, what: str, env: dict[str, str], specs: list[SceneSpec], quality: str
) -> None:
    """(6): each scene rendered by the baseline and by this checkout, the two side by side at once.

    Both render silently. Where the two movies should be the same picture (the same scene code),
    the last column says whether they are: framemd5-identical, or the lowest per-frame PSNR.
    """
    print(f"(6) per scene at {quality}, {what} -> this checkout (wall and cpu seconds, ratios):")
    totals = [0.0, 0.0]
    narrates = any('"--voice"' in f.read_text() for f in (baseline / "render").rglob("*.py"))
    old_silent = SILENT if narrates else ()  # a revision from before narration is silent anyway
    for spec in specs:
        commands: list[Command] = []
        spaces = []
        for side, code, extra, silent in (
            ("before", baseline, env, old_silent),
            ("after", REPO, {}, SILENT),
        ):
            space = Workspace(root, f"{side}-{spec.id}-{quality}", code)
            space.env.update(extra)
            argv = [str(BIN / "mathreel"), "render", spec.id, "--quality", quality, *silent]
            commands.append((argv, space.dir, space.env))
            spaces.append(space)
        old, new = run_at_once(commands, 2)
        totals = [totals[0] + old[1], totals[1] + new[1]]
        movies = [space.dir / "out" / spec.id / quality / f"{spec.id}.mp4" for space in spaces]
        print(
            f"    {spec.id:17} wall {old[0]:7.1f} -> {new[0]:7.1f} s ({old[0] / new[0]:.2f}x), "
            f"cpu {old[1]:7.1f} -> {new[1]:7.1f} s ({old[1] / new[1]:.2f}x), "
            f"frames {same_frames(*movies)}",
            flush=True,
        )
    print(
        f"    {'all':17} cpu {totals[0]:7.1f} -> {totals[1]:7.1f} s ({totals[0] / totals[1]:.2f}x)"
    )


def same_frames(reference: Path, candidate: Path) -> str:
    """``identical`` (framemd5), or how many frames differ and the lowest PSNR."""
    ours, theirs = frame_hashes(candidate), frame_hashes(reference)
    if len(ours) != len(theirs):
        return f"{len(ours)} against {len(theirs)} (not the same picture)"
    differing = sum(a != b for a, b in zip(ours, theirs, strict=True))
    if not differing:
        return f"identical ({len(ours)})"
    lowest = min(frame_psnrs(reference, candidate))
    return f"{differing} of {len(ours)} differ, lowest PSNR {lowest:.1f} dB"


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
    """(8) a narrated preview render and export against silent ones, and the voice's speed."""
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
            f"(8) {scene} {what}: narrated {a[0]:.2f} s (cpu {a[1]:.1f} s), silent {b[0]:.2f} s "
            f"(cpu {b[1]:.1f} s), wall ratio {ratio:.2f}x, cpu ratio {a[1] / b[1]:.2f}x"
            + (f" ({verdict} the {NARRATION_GOAL:g}x goal)" if what == "preview render" else ""),
            flush=True,
        )
    timeline = json.loads((narrated.dir / "out" / scene / "preview" / f"{scene}.timeline.json")
                          .read_text())  # fmt: skip
    lines = [cue["text"] for cue in timeline["cues"]]
    seconds, per_cpu, per_wall = synthesis_factor(lines, root / "speech")
    print(
        f"(8) voice: {len(lines)} lines, {seconds:.1f} s of speech, real-time factor "
        f"{per_cpu:.1f}x per CPU second ({per_wall:.1f}x wall)",
        flush=True,
    )


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def process_cpu(pid: int) -> float:
    """CPU seconds of process ``pid`` and of every child it has waited for (``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


PAGE_STATE = """return {version: document.body.dataset.version || null,
  cues: Array.from(document.querySelectorAll('#cues li')).map(li => li.textContent),
  video: document.getElementById('video').readyState};"""
HAVE_CURRENT_DATA = 2  # the video element has its first frame to show


def page_shows(driver: object, version: str, text: str, bound: float) -> None:
    """Wait until the watch page shows render ``version`` (its first frame) and lists a cue with
    ``text``."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        state = driver.execute_script(PAGE_STATE)  # type: ignore[attr-defined]
        shown = state["version"] == version and state["video"] >= HAVE_CURRENT_DATA
        if shown and any(text in cue for cue in state["cues"]):
            return
        time.sleep(0.1)
    sys.exit(f"the watch page never showed render {version} with {text!r}: {state}")


def watch_latency(
    root: Path, name: str, scene: str, edit: tuple[str, str], *flags: str
) -> tuple[float, float]:
    """(9) one side: the edit-to-reloaded-page time of ``watch SCENE FLAGS`` and its CPU."""
    sys.path.insert(0, str(REPO))
    from tests.helpers.browser import start_chromium
    from tests.helpers.project_copy import copy_project

    project = copy_project(root / name)
    env = {**os.environ, "PYTHONPATH": str(project), "MATHREEL_CACHE": str(project / "cache")}
    argv = [sys.executable, "-c", "from render.cli import main; main()", "watch", scene,
            "--quality", "preview", "--port", "0", *flags]  # fmt: skip
    # Ctrl-C stops a watcher; a bench started in the background (SIGINT ignored) must pass that on.
    watcher = subprocess.Popen(argv, cwd=project, env=env, text=True, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, preexec_fn=default_sigint)  # fmt: skip
    driver = start_chromium(1280, 900)
    try:
        assert watcher.stdout is not None
        lines = iter(watcher.stdout.readline, "")
        url = next((m[0] for line in lines if (m := re.search(r"http://\S+/", line))), None)
        if url is None:
            sys.exit(f"watch {scene} printed no address")
        driver.get(url)
        page_shows(driver, "1", edit[0], 1200)  # the first render: caches warm
        module = get_scene(scene).scene.partition(":")[0]
        source = project.joinpath(*module.split(".")).with_suffix(".py")
        text = source.read_text()
        if edit[0] not in text:
            sys.exit(f"{source} has no {edit[0]!r} to edit (see --edit)")
        cpu = process_cpu(watcher.pid)
        source.write_text(text.replace(edit[0], edit[1]))
        saved = time.perf_counter()
        page_shows(driver, "2", edit[1], 1200)
        measured = time.perf_counter() - saved, process_cpu(watcher.pid) - cpu
        driver.save_screenshot(str(root / f"{name}.png"))  # kept with --keep, to look at
        return measured
    finally:
        driver.quit()
        watcher.send_signal(signal.SIGINT)
        watcher.communicate(timeout=60)


def authoring_latency(root: Path, scene: str, beat: str, edit: str) -> None:
    """(9) ``watch --beat`` against ``watch`` of the whole scene, edit to reloaded page."""
    old, sep, new = edit.partition("=>")
    if not (sep and old and new):
        sys.exit("--edit must be OLD=>NEW")
    one = watch_latency(root, "watch-beat", scene, (old, new), "--beat", beat)
    print(f"(9) {scene} --beat {beat}: {one[0]:.1f} s (cpu {one[1]:.1f} s)", flush=True)
    whole = watch_latency(root, "watch-whole", scene, (old, new))
    verdict = "meets" if one[0] <= WATCH_GOAL else "misses"
    print(
        f"(9) {scene} edit to reloaded page at preview: --beat {beat} {one[0]:.1f} s (cpu "
        f"{one[1]:.1f} s), whole scene {whole[0]:.1f} s (cpu {whole[1]:.1f} s), wall ratio "
        f"{whole[0] / one[0]:.2f}x, cpu ratio {whole[1] / one[1]:.2f}x ({verdict} the "
        f"{WATCH_GOAL:g} s goal), load now {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", help="comma-separated scene ids (default: all)")
    parser.add_argument("--long", help="scene for (2) (default: the longest)")
    parser.add_argument("--long-quality", default="1080p")
    parser.add_argument("--only", default="1,2,3,4", help="which measurements, e.g. 1,3")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", help="git revision for (6), e.g. the commit before a change")
    parser.add_argument(
        "--baseline-without-speedups",
        action="store_true",
        help="(6): the baseline renders with Manim's own code (default revision: HEAD)",
    )
    parser.add_argument("--per-scene-qualities", default="preview")
    parser.add_argument("--keep", action="store_true", help="keep every side's folder")
    parser.add_argument("--beat-scene", default="lln", help="scene for (7)")
    parser.add_argument("--beat", default="4", help="beat for (7)")
    parser.add_argument("--narrated", default="bayes", help="scene for (8)")
    parser.add_argument("--edit", default=LLN_EDIT, help="(9): OLD=>NEW in the scene's source")
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
        if only & {1, 3, 4}:
            cold = measured(ours.mathreel("batch", *ids, "--quality", "preview", *jobs))
        if only & {1, 3}:
            cold_manim = measured(theirs.manim_loop(specs, "preview"))
            if 1 in only:
                report(1, "cold batch at preview", cold, cold_manim)
        if 3 in only:
            warm = measured(ours.mathreel("batch", *ids, "--quality", "preview", *jobs))
            warm_manim = measured(theirs.manim_loop(specs, "preview"))
            report(3, "warm re-run at preview", warm, warm_manim)
        if 4 in only:
            careful = Workspace(root, "manim-careful")
            pairs = measured(careful.manim_pairs(specs, "preview", *CAREFUL))
            report(4, "cold batch at preview vs careful manim, two at a time", cold, pairs)
        q = args.long_quality
        if only & {2, 5}:
            long_ours = Workspace(root, "long-mathreel")
            sharded = measured(long_ours.mathreel("render", long_spec.id, "--quality", q, *jobs))
        if 2 in only:
            long_theirs = Workspace(root, "long-manim")
            plain = measured(long_theirs.manim_loop([long_spec], q))
            report(2, f"{long_spec.id} at {q}, --jobs {args.jobs}", sharded, plain)
            print(f"    movie sizes: mathreel {megabytes(long_ours.dir / 'out')}, "
                  f"manim {megabytes(long_theirs.dir / 'media' / 'videos')} "
                  "(masters are encoded for fidelity, see render/engine/worker.py)")  # fmt: skip
        if 5 in only:
            long_careful = Workspace(root, "long-manim-careful")
            same = measured(long_careful.manim_loop([long_spec], q, *CAREFUL, *SAME_ENCODER))
            report(5, f"{long_spec.id} at {q} vs manim with the masters' encoder", sharded, same)
        if 6 in only:
            if not (args.baseline or args.baseline_without_speedups):
                sys.exit("(6) needs --baseline REV or --baseline-without-speedups")
            rev = args.baseline or "HEAD"
            baseline = export_tree(rev, root / "baseline-tree")
            env, what = {}, rev
            if args.baseline_without_speedups:
                env, what = {manim_speedups.SWITCH: "off"}, f"{rev} without the Manim speedups"
            for quality in args.per_scene_qualities.split(","):
                per_scene(root, baseline, what, env, specs, quality)
        if 7 in only:
            authoring = Workspace(root, "beat")
            scene, preview = args.beat_scene, ["--quality", "preview"]
            authoring.mathreel("still", scene, "--at", "100000", *preview, expect_failure=True)
            cpu_since_last_report()
            whole = measured(authoring.mathreel("render", scene, *preview))
            beat = measured(authoring.mathreel("render", scene, "--beat", args.beat, *preview))
            ratio = whole[1] / beat[1]
            verdict = "meets" if ratio >= GOALS[7] else "misses"
            print(
                f"(7) {scene} --beat {args.beat} at preview: beat {beat[0]:.1f} s (cpu "
                f"{beat[1]:.1f} s), whole scene {whole[0]:.1f} s (cpu {whole[1]:.1f} s), cpu "
                f"ratio {ratio:.2f}x ({verdict} the {GOALS[7]:g}x goal)",
                flush=True,
            )
        if 8 in only:
            narration_overhead(root, args.narrated)
        if 9 in only:
            authoring_latency(root, args.beat_scene, args.beat, args.edit)
    finally:
        if args.keep:
            print(f"kept: {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
