"""Narrated renders through the real engine: the picture waits for real speech, the master carries
it mastered, takes replace cues and re-render only what they change, shards carry the same audio.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from render.core.errors import UserError
from render.core.quality import Quality, get_quality
from render.core.settings import Settings
from render.engine.cache import explain
from render.engine.pipeline import Engine
from render.narration.loudness import loudness, speech_spans, speech_within
from render.narration.request import NarrationRequest
from render.narration.voice import wav_seconds
from render.tools.media import FFMPEG_BASE
from render.tools.probe import probe, video_stream
from scenes.shared.base import SPEECH_GAP
from tests.helpers import demo_scene, narration_scene
from tests.helpers.in_process import InProcessExecutor
from tests.helpers.kit import demo_registered, run_cli
from tests.helpers.listening import recognition_rate, tone, transcribe
from tests.helpers.narration_scene import SPEC, narration_registered

pytestmark = pytest.mark.render

# Named like a real quality so that export finds it; 10 fps leaves room for 2 B-frames per GOP.
QUALITY = Quality("preview", 256, 144, 10)
FRAME = 1 / QUALITY.fps


def render(
    root: Path, voice: str = "joe", jobs: int = 1, strict: bool = False, quality: Quality = QUALITY
):
    settings = Settings(root / "out", root / "cache", root / "narration")
    engine = Engine(
        settings,
        InProcessExecutor(),
        jobs=jobs,
        narration=NarrationRequest(voice, settings.narration_dir, strict),
    )
    with narration_registered(settings.cache_dir, settings.narration_dir):
        result = engine.render(SPEC, narration_scene.NarrationParams(), quality)
    return result, json.loads(result.timeline.read_text())


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("narrated")


@pytest.fixture(scope="module")
def narrated(root: Path):
    return render(root)


def test_the_picture_waits_for_the_voice_and_captions_span_the_speech(root, narrated):
    _, timeline = narrated
    cues, speech = timeline["cues"], root / "cache" / "speech"
    assert [c["source"] for c in cues] == ["joe"] * 3
    for cue in cues:
        assert cue["end"] - cue["start"] == pytest.approx(
            wav_seconds(speech / cue["speech"]), abs=1e-5
        )
    # The gap is kept on the scene's nominal clock; the drawn frames may round it by a frame.
    for before, after in itertools.pairwise(cues):
        assert after["start"] >= before["end"] + SPEECH_GAP - FRAME - 1e-6
    assert timeline["duration"] >= cues[-1]["end"] + SPEECH_GAP - FRAME - 1e-6
    # Silent, the scene lasts its animations (3.7 s); three spoken lines take longer.
    assert timeline["duration"] > 6.0


def test_the_master_carries_the_mastered_narration(narrated):
    result, timeline = narrated
    info = probe(result.video)
    (sound,) = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert (sound["codec_name"], sound["profile"], sound["sample_rate"], sound["channels"]) == (
        "aac", "LC", "48000", 2,
    )  # fmt: skip
    assert abs(float(sound["duration"]) - float(video_stream(info)["duration"])) <= FRAME
    measured = loudness(result.video)
    assert abs(measured.integrated_lufs + 14) <= 1.0 and measured.true_peak_dbtp <= -1.0
    spans = speech_spans(result.video)
    first = timeline["cues"][0]
    assert speech_within(spans, 0.0, first["start"] - 0.05) == 0.0
    for cue in timeline["cues"]:
        assert speech_within(spans, cue["start"], cue["end"]) > 0.6 * (cue["end"] - cue["start"])
    heard = transcribe(result.video, first["start"], first["end"] - first["start"])
    assert recognition_rate(first["text"], heard) >= 0.5, heard
    assert recognition_rate("Quantum chromodynamics binds quarks tightly.", heard) <= 0.2


def test_voice_none_renders_the_silent_scene(root):
    result, timeline = render(root, voice="none")
    assert [s["codec_type"] for s in probe(result.video)["streams"]] == ["video"]
    assert all("speech" not in c for c in timeline["cues"])
    assert timeline["duration"] == pytest.approx(3 * 0.4 + 1.0 + 1.0 + 0.5, abs=FRAME)


def test_a_take_replaces_its_cue_delays_the_next_and_rerenders_only_when_changed(root, narrated):
    _, voiced = narrated
    again, _ = render(root)
    assert again.cache == "hit"
    second, third = voiced["cues"][1], voiced["cues"][2]
    takes = root / "narration" / SPEC.id
    takes.mkdir(parents=True, exist_ok=True)
    tone(takes / f"{second['id']}.flac", 6.0)
    result, timeline = render(root)
    assert result.cache == "miss" and result.warnings == (
        f"{SPEC.id}: no take for {voiced['cues'][0]['id']}, {third['id']}; spoken by the joe voice",
    )
    cue = timeline["cues"][1]
    assert cue["source"] == "take" and cue["end"] - cue["start"] == pytest.approx(6.0, abs=0.01)
    delay = 6.0 - (second["end"] - second["start"])
    assert timeline["cues"][2]["start"] == pytest.approx(third["start"] + delay, abs=2 * FRAME)
    assert render(root)[0].cache == "hit"
    tone(takes / f"{second['id']}.flac", 5.0)
    changed, _ = render(root)
    assert changed.cache == "miss"
    with pytest.raises(UserError, match=f"cue {voiced['cues'][0]['id']} has no take"):
        render(root, strict=True)
    (takes / f"{second['id']}.flac").unlink()


def test_the_take_is_part_of_the_key_by_name(root):
    settings = Settings(root / "out", root / "cache", root / "narration")
    request = NarrationRequest("joe", settings.narration_dir)
    before = request.key_inputs(SPEC.id)
    takes = root / "narration" / SPEC.id
    takes.mkdir(parents=True, exist_ok=True)
    tone(takes / "counting-here-are-4-dots-000000.wav", 1.0)
    lines = explain(before, request.key_inputs(SPEC.id))
    (takes / "counting-here-are-4-dots-000000.wav").unlink()
    assert lines == ["take counting-here-are-4-dots-000000: new input"]
    assert before["voice"] == "joe" and before["version voice"].startswith("piper-tts ")
    # The stored render carries the mastered sound, so the mastering's sources are in the key.
    assert {"source render/narration/master.py", "source render/tools/media.py"} <= set(before)
    assert NarrationRequest("none").key_inputs(SPEC.id) == {}


def test_a_sharded_narrated_render_has_the_same_frames_and_sound(tmp_path):
    # At 30 fps skipping is cheap next to drawing, so the second window starts early enough to
    # hold the scene's last animations; the whole render's plan (its run times) places the cut.
    quality = Quality("720p", 256, 144, 30)
    whole, timeline = render(tmp_path / "whole", quality=quality)
    shutil.copytree(tmp_path / "whole" / "cache" / "plans", tmp_path / "pieces" / "cache" / "plans")
    pieces, pieces_timeline = render(tmp_path / "pieces", jobs=2, quality=quality)
    assert pieces.shards == 2
    for piece_cue, cue in zip(pieces_timeline["cues"], timeline["cues"], strict=True):
        assert piece_cue == {**cue, "start": pytest.approx(cue["start"], abs=1e-5),
                             "end": pytest.approx(cue["end"], abs=1e-5)}  # fmt: skip

    def md5(path: Path, stream: str) -> str:
        return subprocess.run(
            [*FFMPEG_BASE, "-i", str(path), "-map", f"0:{stream}", "-f", "framemd5", "-"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    assert md5(pieces.video, "v") == md5(whole.video, "v")
    assert md5(pieces.video, "a") == md5(whole.video, "a")


def test_a_narrated_export_carries_the_sound_and_passes_verify(tmp_path):
    settings = Settings(tmp_path / "out", tmp_path / "cache", tmp_path / "narration")
    engine = Engine(settings, InProcessExecutor(), narration=NarrationRequest("joe"))
    with demo_registered(settings.cache_dir):
        engine.render(demo_scene.SPEC, demo_scene.DemoParams(), QUALITY)
        code, output = run_cli("export", demo_scene.SCENE_ID, "--out", str(settings.out_dir))
        assert code == 0, output
        code, output = run_cli("verify", str(settings.out_dir))
    assert code == 0, output
    kit = settings.out.kit(demo_scene.SCENE_ID)
    codecs = {}
    for name in ("youtube.mp4", "web.mp4", "web.webm", "gif"):
        streams = probe(kit / f"{demo_scene.SCENE_ID}.{name}")["streams"]
        codecs[name] = [s["codec_name"] for s in streams if s["codec_type"] == "audio"]
    assert codecs == {"youtube.mp4": ["aac"], "web.mp4": ["aac"], "web.webm": ["opus"], "gif": []}
    for name in ("youtube.mp4", "web.webm"):
        measured = loudness(kit / f"{demo_scene.SCENE_ID}.{name}")
        assert abs(measured.integrated_lufs + 14) <= 1.0 and measured.true_peak_dbtp <= -1.0


def test_the_recording_script_names_every_cue_of_the_scene(root, narrated):
    _, voiced = narrated
    # The command renders silently at preview (854x480): made here, so the command finds it cached.
    _, timeline = render(root, voice="none", quality=get_quality("preview"))
    with narration_registered(root / "cache", root / "narration"):
        code, output = run_cli("narration", "script", SPEC.id, "--out", str(root / "out"))
    assert code == 0, output
    script = (root / "narration" / f"{SPEC.id}.script.md").read_text()
    # The ids do not depend on the voice: the silent render names the narrated render's cues.
    assert [c["id"] for c in timeline["cues"]] == [c["id"] for c in voiced["cues"]]
    for cue in timeline["cues"]:
        assert f"| `{cue['id']}` | {cue['beat']} |" in script and cue["text"] in script
