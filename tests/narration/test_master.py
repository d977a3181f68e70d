"""The mix and the two-pass master, measured with ebur128; takes checked before a render."""

from __future__ import annotations

import subprocess

import pytest

from render.core.errors import UserError
from render.narration.loudness import loudness, speech_spans, speech_within
from render.narration.master import RATE, Placed, master, mix
from render.narration.takes import Take, find_takes, prepare, unmatched
from render.narration.voice import BundledVoice
from render.tools.probe import probe
from tests.helpers.listening import recognition_rate, tone, transcribe

LINES = (
    "The likelihoods are heights: how often the evidence shows up under each.",
    "Evidence rescales belief; the model decides what the evidence can mean.",
)


@pytest.fixture(scope="module")
def mastered(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("master")
    voice = BundledVoice(folder / "speech")
    first, second = (voice.speak(line) for line in LINES)
    take = prepare(Take("c", tone(folder / "take.flac", 1.5), "0" * 64), folder / "speech", 60)
    starts = [0.5, 0.5 + first.seconds + 0.4, 0.5 + first.seconds + second.seconds + 0.8]
    cues = [Placed(s, sp.path) for s, sp in zip(starts, [first, second, take], strict=True)]
    seconds = starts[-1] + take.seconds + 1.0
    result = master(mix(cues, seconds), folder / "master.wav")
    return result, starts, [first.seconds, second.seconds, take.seconds], seconds


def test_master_is_48k_stereo_and_exactly_as_long_as_the_video(mastered):
    result, _, _, seconds = mastered
    (stream,) = probe(result.path)["streams"]
    assert (stream["sample_rate"], stream["channels"]) == (str(RATE), 2)
    assert abs(int(stream["duration_ts"]) / RATE - seconds) < 1 / RATE


def test_master_meets_loudness_and_true_peak_by_linear_gain(mastered):
    result = mastered[0]
    measured = loudness(result.path)
    assert abs(measured.integrated_lufs - -14.0) <= 1.0
    assert measured.true_peak_dbtp <= -1.0
    assert result.normalization == "linear"


def test_every_cue_is_heard_at_its_start_and_the_voice_is_intelligible(mastered):
    result, starts, lengths, _ = mastered
    spans = speech_spans(result.path)
    for start, length in zip(starts, lengths, strict=True):
        assert speech_within(spans, start, start + length) > 0.7 * length
    assert speech_within(spans, 0.0, starts[0] - 0.05) == 0.0
    heard = transcribe(result.path, starts[0], lengths[0])
    assert recognition_rate(LINES[0], heard) >= 0.4, heard


def test_a_take_in_another_format_is_resampled(tmp_path):
    take = Take("c", tone(tmp_path / "c.mp3", 2.0, rate=22050), "1" * 64)
    speech = prepare(take, tmp_path / "speech", 60)
    assert probe(speech.path)["streams"][0]["sample_rate"] == str(RATE)
    assert abs(speech.seconds - 2.0) < 0.06


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"RIFF not really a wave file"), "not an audio file ffmpeg"),
        (lambda p: p.write_bytes(b""), "not an audio file ffmpeg"),
        (
            lambda p: subprocess.run(
                ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=d=1", str(p)], check=True
            ),
            "the take is empty",
        ),
        (lambda p: tone(p, 12.0), "lasts 12.0 s, longer than the whole scene"),
    ],
)
def test_bad_takes_are_refused_in_one_line_naming_the_file(tmp_path, make, message):
    path = tmp_path / "narration" / "demo" / "opening-hello-abc123.wav"
    path.parent.mkdir(parents=True)
    make(path)
    (take,) = find_takes(path.parent).values()
    with pytest.raises(UserError, match=message) as caught:
        prepare(take, tmp_path / "speech", longest=10.0)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert not (tmp_path / "speech").exists() or not list((tmp_path / "speech").iterdir())


def test_an_unreadable_take_is_named(tmp_path):
    # A link to a file that is gone cannot be read, whoever runs the tests (root reads anything).
    (tmp_path / "opening-hello-abc123.wav").symlink_to(tmp_path / "moved-away.wav")
    with pytest.raises(
        UserError, match=r"opening-hello-abc123.wav: cannot read the take \(No such"
    ):
        find_takes(tmp_path)


def test_takes_matching_no_cue_are_reported(tmp_path):
    tone(tmp_path / "kept.wav", 0.5)
    tone(tmp_path / "orphan.ogg", 0.5)
    takes = find_takes(tmp_path)
    assert [t.path.name for t in unmatched(takes, {"kept"})] == ["orphan.ogg"]
