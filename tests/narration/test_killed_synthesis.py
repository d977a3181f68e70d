"""A narrated render killed while the voice speaks: SIGTERM and SIGKILL of its process group.

The render runs through the command line in a process group of its own and is killed while Piper
makes a line after the first (its store's lock file is there, the line's speech not yet). Nothing
partial may be left: no file in ``out/`` but the folder's lock, no temporary in the cache, every
speech file in the store whole. The next run renders the scene, and every line it uses is exactly
what the voice makes from scratch: nothing damaged was reused.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from render.core.paths import TMP_PREFIX
from render.narration.voice import BundledVoice
from render.tools.probe import probe
from tests.helpers.narration_scene import SCENE_ID
from tests.helpers.project_copy import REPO
from tests.helpers.tiny import TINY

pytestmark = pytest.mark.render

OUT_LOCK = ".mathreel.lock"


def render_argv(root: Path) -> list[str]:
    return [sys.executable, "-m", "tests.helpers.narration_cli", "render", SCENE_ID,
            "--quality", TINY.name, "--out", str(root / "out")]  # fmt: skip


def environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATHREEL_")}
    env.update(
        MATHREEL_CACHE=str(root / "cache"),
        MATHREEL_NARRATION=str(root / "narration"),
        PYTHONPATH=str(REPO),
    )
    return env


def synthesizing(speech: Path) -> Path | None:
    """A line the voice is making now: its lock is taken and its speech is not stored yet. Only
    once an earlier line is stored: until then the render may still be importing the voice."""
    if not any(speech.glob("joe-*.wav")):
        return None
    for lock in speech.glob("joe-*.lock"):
        if not lock.with_suffix(".wav").exists():
            return lock.with_suffix(".wav")
    return None


def kill_while_speaking(root: Path, sig: signal.Signals) -> tuple[Path, int]:
    """Start the render, kill its process group as soon as a line is being made; the line's
    speech file and the render's exit status."""
    proc = subprocess.Popen(
        render_argv(root), cwd=root, env=environment(root), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    speech, line = root / "cache" / "speech", None
    deadline = time.monotonic() + 120
    while line is None and proc.poll() is None and time.monotonic() < deadline:
        line = synthesizing(speech) if speech.is_dir() else None
        if line is None:
            time.sleep(0.002)
    if line is None:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"the voice never started: {proc.communicate()[1][-500:]!r}")
    os.killpg(proc.pid, sig)
    proc.communicate(timeout=60)
    return line, proc.returncode


def whole(wav_file: Path) -> bool:
    """A WAV whose header accounts for every byte of it (a cut-off file does not)."""
    try:
        with wave.open(str(wav_file), "rb") as wav:
            frames, width, channels = wav.getnframes(), wav.getsampwidth(), wav.getnchannels()
    except (wave.Error, EOFError):
        return False
    return frames > 0 and wav_file.stat().st_size == 44 + frames * width * channels


def published(root: Path) -> list[str]:
    """The files in out/ (but the folder's lock)."""
    out = root / "out"
    return [str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != OUT_LOCK]


def partial(root: Path) -> list[str]:
    """Temporaries in out/ or the cache, and speech files in the store that are not whole."""
    temporaries = [p for p in root.rglob(f"{TMP_PREFIX}*") if p.is_file()]
    broken = [p for p in (root / "cache" / "speech").glob("*.wav") if not whole(p)]
    return [str(p.relative_to(root)) for p in (*temporaries, *broken)]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_a_render_killed_during_synthesis_leaves_no_partial_audio(tmp_path, sig):
    line, code = kill_while_speaking(tmp_path, sig)
    if sig == signal.SIGKILL:  # stopped where it stood: the line was still being made
        assert code == -sig and not line.exists()
    else:  # SIGTERM unwinds like Ctrl-C
        assert code == 128 + sig
    assert published(tmp_path) == [] and partial(tmp_path) == []
    if sig == signal.SIGTERM:  # unwound: its scratch folder is gone too
        assert not list((tmp_path / "cache" / "runs").glob("*"))

    again = subprocess.run(
        render_argv(tmp_path), cwd=tmp_path, env=environment(tmp_path), capture_output=True,
        text=True, timeout=300, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert partial(tmp_path) == [] and not list((tmp_path / "cache" / "runs").glob("*"))
    video = tmp_path / "out" / SCENE_ID / TINY.name / f"{SCENE_ID}.mp4"
    assert sorted(published(tmp_path)) == [
        f"{SCENE_ID}/{TINY.name}/{video.name}",
        f"{SCENE_ID}/{TINY.name}/{video.stem}.timeline.json",
    ]
    assert [s["codec_type"] for s in probe(video)["streams"]] == ["video", "audio"]
    timeline = json.loads(video.with_suffix(".timeline.json").read_text())
    fresh = BundledVoice(tmp_path / "fresh")
    for cue in timeline["cues"]:
        stored = tmp_path / "cache" / "speech" / cue["speech"]
        assert stored.read_bytes() == fresh.speak(cue["text"]).path.read_bytes(), cue["text"]
