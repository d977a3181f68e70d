"""The bad-input tour: bad flags, paths, records and tools against every command, run the way a
user runs them (the installed ``mathreel`` in a subprocess), each in a fresh copy of the demo kit.

A case *holds* when the command exits with the expected status, prints no traceback, says what
went wrong on one ``error:`` line (``note:`` lines may precede it) and, unless the case allows it,
leaves every file under its folder exactly as it was. ``python -m tests.reliability.tour`` runs
every case (and the process cases of :mod:`tests.reliability.processes`) and prints a table of
classes with how many cases were tried and how many held; ``tests/reliability/test_tour.py`` runs
the same cases one test per class.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from render.core.paths import OutPaths
from tests.helpers.demo_scene import SCENE_ID as SCENE

REPO = Path(__file__).resolve().parents[2]
MATHREEL = REPO / ".venv" / "bin" / "mathreel"
PYTHON = REPO / ".venv" / "bin" / "python"
NOBODY = 65534
# Files every run may touch without writing anything a user sees.
IGNORED = {".mathreel.lock"}


@dataclasses.dataclass
class World:
    """One case's folder: ``out/`` (a copy of the exported demo kit), ``cache/``, ``bin/``."""

    root: Path

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def kit(self) -> Path:
        return self.out / SCENE

    @property
    def master(self) -> Path:
        return OutPaths(self.out).video(SCENE, "preview")

    @property
    def timeline(self) -> Path:
        return OutPaths(self.out).timeline(SCENE, "preview")

    @property
    def meta(self) -> Path:
        return OutPaths(self.out).meta(SCENE)

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    def fake_program(self, name: str, script: str) -> None:
        """A stand-in for ``name`` first on PATH (a broken ffmpeg, say)."""
        self.bin.mkdir(exist_ok=True)
        path = self.bin / name
        path.write_text(f"#!/bin/sh\n{script}\n")
        path.chmod(0o755)

    def edit_meta(self, change: Callable[[dict], object]) -> None:
        meta = json.loads(self.meta.read_text())
        change(meta)
        self.meta.write_text(json.dumps(meta))


Prepare = Callable[[World], None]


@dataclasses.dataclass(frozen=True)
class Case:
    group: str
    name: str
    argv: tuple[str, ...]  # "{out}", "{cache}", "{root}", "{kit}" are filled in per world
    code: int = 2
    says: str = ""  # what the error line (or, for code 0, the output) must contain
    prepare: Prepare | None = None
    env: tuple[tuple[str, str], ...] = ()
    demo: bool = False  # the demo scene is registered (tests.helpers.demo_cli)
    writes: bool = False  # the command may change files (it repairs something and says so)
    nobody: bool = False  # run as an unprivileged user (root passes every permission check)
    table: bool = False  # the command reports failures in its table on stdout (verify)
    # In the test suite's sample (one or a few of each family of similar cases); the tour
    # script runs every case.
    sample: bool = True


@dataclasses.dataclass(frozen=True)
class Outcome:
    case: Case
    problems: tuple[str, ...]
    stderr: str

    @property
    def held(self) -> bool:
        return not self.problems


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and path.name not in IGNORED and "logs" not in rel.parts:
            stat = path.stat()
            found[rel.as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def command(case: Case) -> list[str]:
    if case.demo:
        return [str(PYTHON), "-m", "tests.helpers.demo_cli"]
    return [str(MATHREEL)]


def fill(world: World, text: str) -> str:
    return text.format(out=world.out, cache=world.cache, root=world.root, kit=world.kit)


def environment(world: World, case: Case) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATHREEL_")}
    env.update(MATHREEL_CACHE=str(world.cache), PYTHONPATH=str(REPO), COLUMNS="200")
    if world.bin.is_dir():
        env["PATH"] = f"{world.bin}:{env['PATH']}"
    if case.nobody:
        env["HOME"] = str(world.root / "home")
    env.update((k, fill(world, v)) for k, v in case.env)
    return env


def run_case(case: Case, world: World) -> Outcome:
    """Run ``case`` in ``world`` (already holding the demo kit) and judge it."""
    if case.prepare is not None:
        case.prepare(world)
    argv = [*command(case), *(fill(world, a) for a in case.argv)]
    if case.nobody:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
    before = snapshot(world.root)
    proc = subprocess.run(
        argv, cwd=world.root, env=environment(world, case), capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    problems = judge(case, proc)
    if not case.writes and snapshot(world.root) != before:
        changed = set(snapshot(world.root).items()) ^ set(before.items())
        problems.append(f"files changed: {sorted({name for name, _ in changed})[:4]}")
    return Outcome(case, tuple(problems), proc.stderr)


def judge(case: Case, proc: subprocess.CompletedProcess[str]) -> list[str]:
    problems = []
    if proc.returncode != case.code:
        problems.append(f"exit {proc.returncode}, expected {case.code}")
    if "Traceback" in proc.stderr:
        problems.append("traceback")
    lines = [line for line in proc.stderr.splitlines() if not line.startswith("note:")]
    if case.table:
        if lines:
            problems.append(f"{len(lines)} stderr lines besides the table")
        if case.says not in proc.stdout:
            problems.append(f"the table does not say {case.says!r}")
    elif case.code != 0:
        if len(lines) != 1 or not lines[0].startswith("error: "):
            problems.append(f"{len(lines)} stderr lines, not one error line")
        elif case.says not in lines[0]:
            problems.append(f"the error line does not say {case.says!r}")
    elif case.says not in proc.stdout + proc.stderr:
        problems.append(f"the output does not say {case.says!r}")
    return problems


def seed_cache(world: World, cache: Path | None = None) -> Path:
    """Store the demo's render in the cache as the entry of ``render exportdemo -q preview``
    (what a render would have left); return the entry's folder."""
    from render.core.paths import CachePaths
    from render.core.quality import get_quality
    from render.engine.cache import RenderCache, cache_key
    from tests.helpers.demo_scene import SPEC

    paths = CachePaths(cache or world.cache)
    key = cache_key(SPEC, SPEC.default_params(), get_quality("preview"))
    paths.root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=paths.root))
    shutil.copyfile(world.master, scratch / "video.mp4")
    shutil.copyfile(world.timeline, scratch / "timeline.json")
    entry = RenderCache(paths).store(key, scratch / "video.mp4", scratch / "timeline.json", 1.0)
    shutil.rmtree(scratch)
    shutil.rmtree(paths.runs, ignore_errors=True)
    return entry.folder


@contextlib.contextmanager
def world_for(case: Case, demo_out: Path) -> Iterator[World]:
    """A fresh folder holding a copy of the exported demo ``out/``. A case run as nobody gets it
    in a folder nobody can enter, with the copy (root's) read-only to them and a cache and home
    of their own."""
    root = Path(tempfile.mkdtemp(prefix="mathreel-tour-"))
    try:
        world = World(root)
        shutil.copytree(demo_out, world.out, symlinks=True)
        if case.nobody:
            root.chmod(0o755)
            for folder in (world.cache, root / "home"):
                folder.mkdir()
                os.chown(folder, NOBODY, NOBODY)
        yield world
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run(
    cases: list[Case], demo_out: Path, report: Callable[[Outcome], None] = lambda _: None
) -> list[Outcome]:
    outcomes = []
    for case in cases:
        with world_for(case, demo_out) as world:
            outcomes.append(run_case(case, world))
        report(outcomes[-1])
    return outcomes


def show(outcome: Outcome) -> None:
    """One line per case as the tour goes (a failure with the command's stderr)."""
    mark = "held" if outcome.held else "FAILED"
    print(f"{mark} [{outcome.case.group}] {outcome.case.name}", flush=True)
    if not outcome.held:
        print(f"   {'; '.join(outcome.problems)}")
        print("   " + outcome.stderr.strip().replace("\n", "\n   ")[:600], flush=True)


def table(rows: list[tuple[str, int, int]]) -> str:
    width = max(len(group) for group, _, _ in rows)
    lines = [f"| {'class':<{width}} | tried | held |", f"|{'-' * (width + 2)}|------:|-----:|"]
    lines += [f"| {group:<{width}} | {tried:>5} | {held:>4} |" for group, tried, held in rows]
    return "\n".join(lines)


def main() -> None:
    """Render and export the demo once (or take the exported ``out/`` given as the argument),
    run every case, print the failures and the table of classes."""
    from tests.helpers.export_fixtures import export_demo, render_demo
    from tests.reliability import processes
    from tests.reliability.cases import CASES, groups

    with tempfile.TemporaryDirectory(prefix="mathreel-tour-kit-") as scratch:
        if len(sys.argv) > 1:
            demo_out = Path(sys.argv[1]).resolve()
        else:
            render_demo(Path(scratch))
            demo_out = export_demo(Path(scratch))
        only = os.environ.get("TOUR_ONLY", "")
        outcomes = run([c for c in CASES if only in c.group], demo_out, show)
        process_results = processes.run_all(demo_out) if not only else {}
    rows = []
    for group in (g for g in groups() if only in g):
        mine = [o for o in outcomes if o.case.group == group]
        rows.append((group, len(mine), sum(o.held for o in mine)))
    for group, results in process_results.items():
        rows.append((group, len(results), sum(not problems for _, problems in results)))
        for name, problems in results:
            if problems:
                print(f"FAILED [{group}] {name}: {'; '.join(problems)}")
    print(table(rows))
    total, held = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{held} of {total} held")
    sys.exit(0 if held == total else 1)


if __name__ == "__main__":
    main()
