"""Every command that renders takes ``--voice``, the one shared option, checked before rendering."""

from __future__ import annotations

from typing import Any

import pytest
import typer

from render.cli import app
from tests.helpers.kit import run_cli

RENDERING = {
    "render": ("render", "lln"),
    "batch": ("batch", "lln"),
    "still": ("still", "lln", "--at", "1"),
    "watch": ("watch", "lln", "--port", "0"),
    "export": ("export", "lln"),
}


def voice_option(command: str) -> Any:
    found = typer.main.get_command(app).commands[command]  # type: ignore[attr-defined]
    return next(p for p in found.params if "--voice" in getattr(p, "opts", ()))


def test_every_rendering_command_has_the_shared_voice_option():
    options = {name: voice_option(name) for name in RENDERING}
    assert {(o.help, o.default) for o in options.values()} == {(options["render"].help, "joe")}


@pytest.mark.parametrize("command", sorted(RENDERING))
def test_an_unknown_voice_is_one_line_and_exit_2_before_anything_renders(
    command, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MATHREEL_CACHE", str(tmp_path / "cache"))
    code, output = run_cli(*RENDERING[command], "--voice", "bob")
    assert code == 2
    assert output.strip() == "error: unknown voice 'bob'; choose one of: joe, none"
    assert not (tmp_path / "out").exists() and not (tmp_path / "cache").exists()
