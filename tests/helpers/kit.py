"""What the export tests share besides fixtures (a module of its own: two conftest.py files exist,
so ``from conftest import`` would be ambiguous)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

import render.core.catalog
from render.cli import app
from tests.helpers import demo_scene

SCENE = demo_scene.SCENE_ID


@contextlib.contextmanager
def demo_registered(cache: Path) -> Iterator[None]:
    """The demo scene in the catalog and scratch files in ``cache``, for the length of a block."""
    original = render.core.catalog.all_scenes
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render.core.catalog, "all_scenes", lambda: (*original(), demo_scene.SPEC))
        mp.setenv("MATHREEL_CACHE", str(cache))
        mp.delenv("MATHREEL_OUT", raising=False)
        yield


def run_cli(*args: str) -> tuple[int, str]:
    """``mathreel ARGS`` in-process; returns the exit code and everything printed."""
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output
