"""Narration at the command line and in verify: bad input in one line, audio checks that fail."""

from __future__ import annotations

import subprocess
from pathlib import Path

from render.narration.script import recording_script
from render.publish.captions import Cue
from render.publish.targets import YOUTUBE_AUDIO
from render.publish.verify import check_audio
from render.tools.media import FFMPEG_BASE
from tests.helpers.kit import run_cli
from tests.helpers.narration_scene import SPEC, narration_registered


def test_an_unknown_voice_is_one_line_and_exit_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, output = run_cli("render", "lln", "--voice", "bob")
    assert code == 2
    assert output.strip() == "error: unknown voice 'bob'; choose one of: joe, none"
    assert not (tmp_path / "out" / "lln").exists()


def test_export_takes_the_voice_of_the_render_it_has_to_make(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, output = run_cli("export", "lln", "--voice", "bob")
    assert (code, output.strip()) == (2, "error: unknown voice 'bob'; choose one of: joe, none")
    code, output = run_cli("export", "lln", "--voice", "none", "--dry-run")
    assert code == 0, output
    assert "mathreel render lln --quality 1080p --voice none" in output
    assert not (tmp_path / "out" / "lln").exists()


def test_a_corrupt_take_stops_the_render_before_it_starts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    take = tmp_path / "narration" / SPEC.id / "counting-here-are-4-dots-3c1c2f.wav"
    take.parent.mkdir(parents=True)
    take.write_bytes(b"RIFF....WAVEfmt garbage")
    with narration_registered(tmp_path / "cache", tmp_path / "narration"):
        code, output = run_cli("render", SPEC.id, "--quality", "preview")
        batch_code, batch_output = run_cli("batch", SPEC.id)
    assert (code, batch_code) == (2, 2)
    assert output.strip() == f"error: {take}: not an audio file ffmpeg can decode"
    assert batch_output.strip() == output.strip()
    assert not list((tmp_path / "out").rglob("*.mp4"))


def test_the_recording_script_lists_every_cue_with_its_time():
    timeline = {
        "duration": 9.0,
        "cues": [
            {"id": "a-one-111111", "beat": "A", "start": 0.0, "end": 2.0, "text": "One | two."},
            {"id": "b-three-222222", "beat": "B", "start": 5.5, "end": 7.0, "text": "Three."},
        ],
    }
    text = recording_script("demo", timeline, Path("narration/demo"))
    assert "`narration/demo/<cue id>.wav`" in text
    assert "| `a-one-111111` | A | 5.5 s | One \\| two. |" in text
    assert "| `b-three-222222` | B | 3.5 s | Three. |" in text


def test_verify_fails_quiet_short_mono_audio_and_a_silent_cue(tmp_path):
    bad = tmp_path / "bad.mp4"
    picture = ["-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=3"]
    sound = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=1.5"]
    encode = ["-af", "volume=0.05", "-c:v", "libx264", "-c:a", "aac", "-ac", "1", str(bad)]
    subprocess.run([*FFMPEG_BASE, *picture, *sound, *encode], check=True)
    cues = [Cue(0.2, 1.2, "heard"), Cue(2.0, 2.8, "silent")]
    failed = {name: detail for name, ok, detail in check_audio(bad, YOUTUBE_AUDIO, cues) if not ok}
    assert set(failed) == {
        "sample rate",
        "channels",
        "audio length",
        "loudness",
        "speech under cues",
    }
    assert failed["speech under cues"] == "1 of 2 cues silent, first at 2.00 s"


def test_doctor_checks_that_the_voice_speaks():
    from render.tools.doctor import check_voice

    check = check_voice()
    assert check.ok and check.name == "voice" and "en_US-joe-medium" in check.detail
