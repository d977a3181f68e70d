"""Files passed between stages are checked on load: a damaged one is one clear error naming it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from render.cli import app
from render.core.errors import CorruptRecord
from render.core.paths import CachePaths
from render.core.records import PlayRecord, Timeline
from render.engine.cache import CacheKey, RenderCache
from render.engine.shard import Plan
from render.publish.export import load_state
from render.publish.presskit import load_meta

GOOD_TIMELINE = {
    "duration": 12.0,
    "sections": [{"name": "One", "start": 0.0}],
    "cues": [{"start": 1.0, "end": 20.0, "text": "past the end"}],
}


def write(path: Path, content: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def test_a_good_timeline_loads_typed_and_clipped(tmp_path):
    timeline = Timeline.load(write(tmp_path / "t.timeline.json", GOOD_TIMELINE))
    assert timeline.duration == 12.0 and timeline.sections[0].name == "One"
    assert timeline.cues[0].end == 12.0  # clipped to the video


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('{"duration": 12.0, "cues": [', "unreadable"),
        ({"sections": []}, "no 'duration'"),
        ({"duration": "12"}, "'duration' is str"),
        ({**GOOD_TIMELINE, "cues": [{"start": 1.0, "text": "x"}]}, "(cue 0): no 'end'"),
        ({**GOOD_TIMELINE, "sections": [{"start": 0.0, "name": 3}]}, "(section 0): 'name' is int"),
    ],
)
def test_a_damaged_timeline_is_one_error_naming_its_path(tmp_path, content, problem):
    path = write(tmp_path / "t.timeline.json", content)
    with pytest.raises(CorruptRecord) as caught:
        Timeline.load(path)
    assert str(caught.value).startswith(str(path)) and problem in str(caught.value)


def test_play_records_round_trip_and_are_checked(tmp_path):
    record = PlayRecord((1.0, 2.5), (1.0, 3.5), (False, True), False)
    record.save(tmp_path / "p.plays.json")
    assert PlayRecord.load(tmp_path / "p.plays.json") == record
    bad = {"durations": [1.0], "ends": [1.0, 2.0], "rendered": [True], "time_based": False}
    with pytest.raises(CorruptRecord, match="differ in length"):
        PlayRecord.load(write(tmp_path / "bad.plays.json", bad))
    with pytest.raises(CorruptRecord, match="no 'rendered'"):
        PlayRecord.load(write(tmp_path / "old.plays.json", {"durations": [], "ends": []}))


def test_a_damaged_plan_is_an_error_naming_it(tmp_path):
    with pytest.raises(CorruptRecord, match="'time_based' is int, not bool"):
        Plan.load(write(tmp_path / "plan.json", {"durations": [1.0], "time_based": 1}))


def test_a_damaged_cache_entry_counts_as_corrupt_and_is_removed(tmp_path):
    cache = RenderCache(CachePaths(tmp_path))
    key = CacheKey("lln", "preview", {"scene": "lln"})
    folder = cache.root / key.digest
    write(folder / "entry.json", {"scene_id": "lln", "quality": "preview"})
    assert cache.lookup(key).status == "corrupt"
    assert not folder.exists()


def test_damaged_export_state_and_meta_name_their_files(tmp_path):
    state = write(tmp_path / "lln" / ".export-state.json", {"web.mp4": {"key": "k"}})
    notes: list[str] = []
    assert load_state(state, notes.append) == {}  # only saved work: dropped, every file redone
    assert re.search(r"\.export-state\.json \(web\.mp4\): no 'source'", notes[0]), notes
    write(tmp_path / "lln" / "meta.json", {"id": "lln", "title": "T"})
    with pytest.raises(CorruptRecord, match=r"lln/meta\.json \(press kit\): no 'summary'"):
        load_meta(tmp_path / "lln")


def test_verify_on_a_truncated_meta_json_is_one_line_exit_1(tmp_path):
    meta = write(tmp_path / "out" / "lln" / "meta.json", '{"id": "lln", "files": {')
    result = CliRunner().invoke(app, ["verify", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {meta}: unreadable"), result.stderr
    assert "Traceback" not in result.output
