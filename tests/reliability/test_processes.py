"""An export killed while ffmpeg writes, and commands at the same time on one folder and cache.

No encoder outlives a killed export (its children die with it), SIGTERM removes the temporary,
``verify`` names a stray that ``kill -9`` leaves, and the next export finishes a clean kit; a
render, batch or gallery started during an export stops at once; two exports sharing a cache
keep to their own scratch folders.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.reliability import processes

pytestmark = pytest.mark.render


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_killed_export_leaves_no_encoder_and_no_partial_file(demo_kit: Path, sig):
    with processes.world_from(demo_kit) as world:
        assert processes.kill_during_export(world, sig) == []


def test_nothing_else_writes_the_folder_while_an_export_does(demo_kit: Path):
    with processes.world_from(demo_kit) as world:
        assert processes.lock_during_export(world) == []


def test_runs_sharing_a_cache_keep_to_their_own_scratch(demo_kit: Path):
    with processes.world_from(demo_kit) as world:
        assert processes.shared_cache(world) == []
