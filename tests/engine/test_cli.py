"""The command line through Typer's CliRunner, in a temporary working folder."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest
from typer.testing import CliRunner

from render.cli import app
from render.core.catalog import scene_ids
from render.tools.probe import is_faststart, probe, video_stream


@pytest.fixture()
def cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MATHREEL_OUT", raising=False)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), catch_exceptions=False)

    return invoke


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


def test_list_shows_every_scene_in_order(cli):
    result = cli("list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == scene_ids()
    assert all(r["title"] and r["description"] and r["tags"] and r["duration"] > 0 for r in rows)
    table = cli("list")
    assert table.exit_code == 0 and "lln" in table.stdout


def test_data_json_holds_the_documented_keys(cli, tmp_path):
    result = cli("data", "lln", "--seed", "3", "--set", "n=200", "--set", "paths=10")
    assert result.exit_code == 0, result.output
    path = tmp_path / "out" / "lln" / "lln.data.json"
    record = json.loads(path.read_text())
    assert record["params"]["seed"] == 3 and record["params"]["n"] == 200
    data = record["data"]
    for key in (
        "mu",
        "sigma",
        "n",
        "paths",
        "band_low",
        "band_high",
        "outside_fraction",
        "chebyshev_bound",
        "cauchy_paths",
    ):
        assert key in data
    paths = np.array(data["paths"])
    assert paths.shape == (10, 200)
    assert np.allclose(paths, np.cumsum(data["rolls"], axis=1) / np.arange(1, 201))


def test_data_npz_matches_json(cli, tmp_path):
    assert cli("data", "lln", "--set", "n=50", "--format", "npz").exit_code == 0
    assert cli("data", "lln", "--set", "n=50").exit_code == 0
    npz = np.load(tmp_path / "out" / "lln" / "lln.data.npz")
    record = json.loads((tmp_path / "out" / "lln" / "lln.data.json").read_text())
    assert np.allclose(npz["paths"], record["data"]["paths"])
    assert np.allclose(npz["histograms.10.density"], record["data"]["histograms"]["10"]["density"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render", "lnn"], "unknown scene 'lnn' (did you mean 'lln'?)"),
        (["data", "lnn"], "unknown scene 'lnn' (did you mean 'lln'?)"),
        (["data", "lln", "--set", "bogus=1"], "unknown parameter 'bogus'"),
        (["data", "lln", "--set", "n=many"], "parameter 'n' of scene lln expects int, got 'many'"),
        (["data", "lln", "--set", "n=3"], "parameter 'n' of scene lln must be 10 to 100000, got 3"),
        (["data", "lln", "--set", "epsilon=nan"], "parameter 'epsilon' of scene lln expects float"),
        (["data", "lln", "--set", "n"], "--set expects key=value, got 'n'"),
        (["data", "lln", "--format", "csv"], "unknown format 'csv'"),
        (["render", "lln", "--quality", "8k"], "unknown quality '8k'"),
        (["render", "lln", "--fps", "0"], "--fps must be between 1 and 240"),
        (["render", "lln", "--seed", "-1"], "parameter 'seed' of scene lln must be 0 to"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(cli, tmp_path, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert files_under(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('ouT = "elsewhere"\n', "mathreel.toml: unknown key 'ouT' (known: out, cache, narration)"),
        ("out = 3\n", "mathreel.toml: 'out' must be a string"),
        ("out = [\n", "mathreel.toml: not valid TOML"),
    ],
)
def test_a_bad_project_file_is_refused_with_one_line(cli, tmp_path, toml, message):
    (tmp_path / "mathreel.toml").write_text(toml)
    result = cli("data", "lln")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert files_under(tmp_path / "out") == [] and not (tmp_path / "elsewhere").exists()


def test_the_project_file_chooses_the_output_folder(cli, tmp_path):
    (tmp_path / "mathreel.toml").write_text('out = "site/media"\n')
    result = cli("data", "lln", "--set", "n=20", "--set", "paths=2")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "media" / "lln" / "lln.data.json").is_file()


def test_doctor_reports_every_dependency(cli):
    result = cli("doctor")
    assert result.exit_code == 0, result.stdout
    for name in ("cairo/pango", "ffmpeg", "ffprobe", "latex", "dvisvgm", "fonts", "manim"):
        assert name in result.stdout


def test_doctor_names_the_fix_when_a_program_is_missing(cli, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    result = cli("doctor")
    assert result.exit_code == 1
    assert "MISSING ffmpeg" in result.stdout and "apt-get install -y ffmpeg" in result.stdout


@pytest.mark.render
def test_render_writes_a_faststart_mp4_where_promised(cli, tmp_path):
    result = cli("render", "lln", "--quality", "preview", "--fps", "4", "--set", "paths=20")
    assert result.exit_code == 0, result.output
    video = tmp_path / "out" / "lln" / "preview" / "lln.mp4"
    assert str(video) in result.stdout and re.search(r"\(\d+\.\d s\b", result.stdout)
    stream = video_stream(probe(video))
    assert (stream["width"], stream["height"], stream["r_frame_rate"]) == (854, 480, "4/1")
    assert is_faststart(video)
    leftovers = [p for p in files_under(tmp_path / "out") if p.name.startswith(".tmp-")]
    assert leftovers == []
    assert not (tmp_path / "media").exists(), "Manim scratch output stays in the cache folder"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["render"], "Missing argument 'scene'"),
        (["render", "lln", "--jobs", "0"], "Invalid value for '--jobs'"),
        (["list", "--bogus"], "No such option: --bogus"),
    ],
)
def test_usage_errors_of_the_installed_command_are_one_line(tmp_path, args, message):
    """The console script (not CliRunner) turns Click's usage errors into one line, exit 2."""
    proc = subprocess.run(
        [sys.executable, "-c", "from render.cli import main; main()", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], proc.stderr
