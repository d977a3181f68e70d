"""The bundled voice heard by an independent recognizer, its store, and the ids of cues."""

from __future__ import annotations

from pathlib import Path

import pytest

from render.core.errors import UserError
from render.narration.cues import CueNamer, cue_id
from render.narration.spoken import spoken
from render.narration.voice import BundledVoice, check_voice, wav_seconds
from tests.helpers.listening import recognition_rate, transcribe

LINES = (
    "All possibilities fill a unit square. The prior is a width.",
    "Gold needles cross a line. Count the crossings among all the needles.",
    "Step off the minimum along the top eigenvector and run gradient descent.",
    "A sum of coin flips is binomial, and its histogram is already a bell.",
)
WRONG = "Quantum chromodynamics binds quarks inside protons tightly."


@pytest.fixture(scope="module")
def spoken_lines(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    voice = BundledVoice(tmp_path_factory.mktemp("speech"))
    return {line: voice.speak(line).path for line in LINES}


def test_most_content_words_are_heard_and_a_wrong_caption_is_not(spoken_lines):
    heard = {line: transcribe(path) for line, path in spoken_lines.items()}
    rates = [recognition_rate(line, text) for line, text in heard.items()]
    assert sum(rates) / len(rates) >= 0.5, heard
    assert all(recognition_rate(WRONG, text) <= 0.2 for text in heard.values()), heard


def test_speech_lasts_as_long_as_its_words(spoken_lines):
    # Piper speaks at about 14 to 18 characters a second; a line of 60 characters takes 3 to 5 s.
    for line, path in spoken_lines.items():
        assert 0.04 < wav_seconds(path) / len(line) < 0.1, line


def test_synthesis_is_deterministic_and_stored_by_content(spoken_lines, tmp_path):
    line = LINES[0]
    fresh = BundledVoice(tmp_path).speak(line)
    assert fresh.path.read_bytes() == spoken_lines[line].read_bytes()
    stamp = fresh.path.stat().st_mtime_ns
    again = BundledVoice(tmp_path).speak(line)
    assert again.path == fresh.path and again.path.stat().st_mtime_ns == stamp
    assert BundledVoice(tmp_path).path(line + "!") != fresh.path
    assert not list(tmp_path.glob(".tmp-*"))


def test_unknown_voice_is_refused_in_one_line():
    assert check_voice("joe") == "joe"
    with pytest.raises(UserError, match="unknown voice 'bob'; choose one of: joe, none"):
        check_voice("bob")


def test_spoken_form_reads_symbols_the_phonemizer_misreads():
    assert spoken("P(H|E) = 0.15") == "P(H given E) equals 0.15"
    assert spoken("a tail by 1 - p") == "a tail by 1 minus p"
    assert spoken("½ λ σ²") == "½ λ σ squared"
    assert spoken("odds 1:20") == "odds 1 to 20"
    assert spoken("spread σ√n, 2/λmax") == "spread σ root n, 2 over λmax"


def test_cue_ids_survive_edits_elsewhere_in_the_scene():
    def ids(lines: list[tuple[str, str]]) -> list[str]:
        namer = CueNamer()
        return [namer.name(beat, text) for beat, text in lines]

    scene = [("Prior", "One."), ("Prior", "Two."), ("Update", "Three."), ("Update", "One.")]
    before = ids(scene)
    assert len(set(before)) == 4
    edited = [scene[0], ("Prior", "Two, reworded."), ("Prior", "Inserted."), *scene[2:]]
    after = ids(edited)
    assert set(before) - set(after) == {before[1]}
    moved = [scene[2], scene[0], scene[1], scene[3]]
    assert sorted(ids(moved)) == sorted(before)
    assert ids([("B", "Again."), ("B", "Again.")]) == [
        cue_id("B", "Again."),
        cue_id("B", "Again.", 1),
    ]
    assert cue_id(None, "Hello  there.").startswith("opening-hello-there-")
