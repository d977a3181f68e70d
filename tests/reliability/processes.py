"""The tour's process cases: an export killed (``kill -9``, SIGTERM) while ffmpeg writes, and
commands run at the same time on one output folder and on one cache.

Each case starts a real export of the demo's web target (the slowest small encode) through the
command line and acts once ffmpeg has begun writing its temporary file in the kit.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from render.core.paths import TMP_PREFIX
from tests.reliability.tour import MATHREEL, PYTHON, REPO, SCENE, World

FFMPEG = shutil.which("ffmpeg")

Problems = list[str]


def env_for(world: World, gated: bool = False) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATHREEL_")}
    env.update(MATHREEL_CACHE=str(world.cache), PYTHONPATH=str(REPO))
    if gated:
        env["PATH"] = f"{world.bin}:{env['PATH']}"
    return env


def gate(world: World) -> Path:
    """An ffmpeg that waits until the returned file exists: the export then holds its lock and
    its scratch for as long as the test needs."""
    go = world.root / "go"
    world.fake_program("ffmpeg", f'while [ ! -e {go} ]; do sleep 0.05; done\nexec {FFMPEG} "$@"')
    return go


def demo_cli(world: World, *argv: str, out: Path | None = None) -> list[str]:
    return [str(PYTHON), "-m", "tests.helpers.demo_cli", *argv, "--out", str(out or world.out)]


def start_export(world: World, gated: bool = False) -> subprocess.Popen:
    """An export that has to encode the web target again (its record of what it made is gone)."""
    (world.kit / ".export-state.json").unlink(missing_ok=True)
    return subprocess.Popen(
        demo_cli(world, "export", SCENE, "--target", "web"),
        cwd=world.root, env=env_for(world, gated), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob(f"{TMP_PREFIX}*") if p.is_file())


def wait_for_encoder(
    kit: Path, proc: subprocess.Popen, timeout: float = 120, written: int = 1
) -> bool:
    """Until a temporary in the kit holds ``written`` bytes (ffmpeg at work; 0: the encode has
    been started). False if the export ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        with contextlib.suppress(OSError):
            if any(p.stat().st_size >= written for p in temporaries(kit)):
                return True
        time.sleep(0.02)
    return False


def programs_writing_into(folder: Path) -> list[int]:
    """Pids of processes whose command line names a file in ``folder`` (an encoder at work)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if str(folder).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found


def orphans_after(folder: Path, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := programs_writing_into(folder)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def run_cli(world: World, argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, cwd=world.root, env=env_for(world), capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip


def one_error_line(proc: subprocess.CompletedProcess[str], code: int, says: str) -> Problems:
    lines = proc.stderr.strip().splitlines()
    if proc.returncode != code or len(lines) != 1 or says not in lines[0]:
        return [f"expected exit {code} and one line saying {says!r}: {proc.returncode} {lines}"]
    return []


def kill_during_export(world: World, sig: signal.Signals) -> Problems:
    """Kill the export while ffmpeg writes: no encoder outlives it, SIGTERM leaves no temporary,
    ``verify`` names any stray, and the next export finishes with a clean kit."""
    problems: Problems = []
    proc = start_export(world)
    if not wait_for_encoder(world.kit, proc):
        proc.kill()
        return [f"ffmpeg never started writing: {proc.communicate()[1][-300:]}"]
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=60)
    if orphans := orphans_after(world.kit):
        problems.append(f"encoder still running after the export died: pids {orphans}")
    strays = temporaries(world.kit)
    if sig == signal.SIGTERM:
        if proc.returncode != 128 + signal.SIGTERM:
            problems.append(f"SIGTERM: exit {proc.returncode}, expected 143")
        if strays or "Traceback" in stderr:
            problems.append(f"SIGTERM left {strays} {stderr[-200:]}")
    elif strays:
        verify = run_cli(world, [str(MATHREEL), "verify", str(world.out)])
        if verify.returncode != 1 or "stray" not in verify.stdout:
            problems.append(f"verify does not report the stray: {verify.stdout[-300:]}")
    again = run_cli(world, demo_cli(world, "export", SCENE, "--target", "web"))
    if again.returncode != 0 or temporaries(world.out):
        problems.append(f"the next export: exit {again.returncode}, {temporaries(world.out)}")
    state = json.loads((world.kit / ".export-state.json").read_text())
    if set(state) != {"web.mp4", "web.webm"}:
        problems.append(f"the next export recorded {sorted(state)}")
    return problems


def lock_during_export(world: World) -> Problems:
    """While an export writes the kit, a render, a batch, a gallery and a data export into the
    same folder stop at once."""
    go = gate(world)
    proc = start_export(world, gated=True)
    if not wait_for_encoder(world.kit, proc, written=0):
        proc.kill()
        return [f"the export never started encoding: {proc.communicate()[1][-300:]}"]
    problems: Problems = []
    for argv in (["render", "lln"], ["batch", "lln"], ["gallery"], ["data", "lln"]):
        other = run_cli(world, [str(MATHREEL), *argv, "--out", str(world.out)])
        problems += one_error_line(other, 2, "another mathreel run")
    go.touch()
    _, stderr = proc.communicate(timeout=300)
    if proc.returncode != 0 or temporaries(world.out):
        problems.append(f"the export: exit {proc.returncode} {stderr[-300:]}")
    return problems


def shared_cache(world: World) -> Problems:
    """Two exports into different folders with one cache: each works in its own scratch folder,
    the one that ends first leaves the other's alone, and leftovers of a killed run are removed
    by the first run that has the cache to itself."""
    leftover = world.cache / "runs" / "1-dead00" / "manim" / "x.mp4"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"left by a killed run")
    second = world.root / "second"
    shutil.copytree(world.out, second)
    go = gate(world)
    first = start_export(world, gated=True)
    problems: Problems = []
    if not wait_for_encoder(world.kit, first, written=0):
        first.kill()
        return ["the first export never started encoding"]
    mine = [p.name for p in (world.cache / "runs").iterdir()]
    if leftover.exists() or len(mine) != 1 or not mine[0].startswith(f"{first.pid}-"):
        problems.append(f"the first run's cache scratch: {mine}, leftover {leftover.exists()}")
    (second / SCENE / ".export-state.json").unlink()
    other = run_cli(world, demo_cli(world, "export", SCENE, "--target", "thumbnail", out=second))
    if other.returncode != 0:
        problems.append(f"the second export: {other.stderr[-300:]}")
    if [p.name for p in (world.cache / "runs").iterdir()] != mine:
        problems.append("the second run removed the first run's scratch folder")
    go.touch()
    _, stderr = first.communicate(timeout=300)
    if first.returncode != 0:
        problems.append(f"the first export: {stderr[-300:]}")
    if list((world.cache / "runs").iterdir()):
        problems.append("a run's scratch folder outlived it")
    return problems


CASES: dict[str, dict[str, Callable[[World], Problems]]] = {
    "interrupted export": {
        "kill -9 while ffmpeg writes": lambda w: kill_during_export(w, signal.SIGKILL),
        "SIGTERM while ffmpeg writes": lambda w: kill_during_export(w, signal.SIGTERM),
    },
    "races": {
        "render, batch and gallery during an export": lock_during_export,
        "two exports sharing one cache": shared_cache,
    },
}


@contextlib.contextmanager
def world_from(demo_out: Path) -> Iterator[World]:
    root = Path(tempfile.mkdtemp(prefix="mathreel-race-"))
    try:
        world = World(root)
        shutil.copytree(demo_out, world.out)
        yield world
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_all(demo_out: Path) -> dict[str, list[tuple[str, Problems]]]:
    results: dict[str, list[tuple[str, Problems]]] = {}
    for group, cases in CASES.items():
        for name, case in cases.items():
            with world_from(demo_out) as world:
                results.setdefault(group, []).append((name, case(world)))
    return results
