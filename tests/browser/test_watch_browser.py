"""``watch`` in a copy of the project, seen through headless Chromium: the page shows the render
with its beats and captions, an edit of a caption in the scene's source reaches the page within a
bound, and Ctrl-C stops the watcher leaving neither its folder nor a temporary file behind."""

from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest

from tests.helpers.browser import needs_chromium, start_chromium
from tests.helpers.project_copy import copy_project, python_in, run_in

pytest.importorskip("selenium.webdriver")
pytestmark = [pytest.mark.render, needs_chromium]

CLI = "from render.cli import main; main()"
WATCH_TINY = """
import signal
import sys
from pathlib import Path
# Ctrl-C as at a terminal, even when this test runs with SIGINT ignored (a background job).
signal.signal(signal.SIGINT, signal.default_int_handler)
from render.core.catalog import get_scene
from render.core.settings import Settings
from render.publish.watch import watch
from tests.helpers.tiny import TINY
spec = get_scene(sys.argv[1])
settings = Settings(Path("out"), Path("cache"))
try:
    watch(spec, spec.default_params(), TINY, settings, beat=sys.argv[2], port=0,
          say=lambda line: print(line, flush=True))
except KeyboardInterrupt:
    print("stopped", flush=True)
"""
# Generous: this machine's two cores are shared; the measured latency is printed.
RENDER_BOUND = 600.0
PAGE_STATE = """return {version: document.body.dataset.version || null,
  beats: Array.from(document.querySelectorAll('#beats button')).map(b => b.textContent),
  cues: Array.from(document.querySelectorAll('#cues li')).map(li => li.textContent),
  keys: Array.from(document.querySelectorAll('#keys li')).map(li => li.textContent),
  beat: document.getElementById('beat').textContent,
  error: document.getElementById('errors').textContent,
  video: document.getElementById('video').readyState};"""


@pytest.fixture()
def browser():
    driver = start_chromium(1280, 900)
    yield driver
    driver.quit()


def wait_for(driver, condition, bound: float) -> dict:
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        state = driver.execute_script(PAGE_STATE)
        if condition(state):
            return state
        time.sleep(0.5)
    raise AssertionError(f"page never got there within {bound} s: {state}")


def test_an_edited_caption_reaches_the_page(browser, tmp_path):
    project = copy_project(tmp_path / "project")
    made = run_in(project, "-c", CLI, "new", "coin-walk", "--title", "A coin's walk")
    assert made.returncode == 0, made.stderr
    watcher = python_in(
        project, "-c", WATCH_TINY, "coin-walk", "2",
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert watcher.stdout is not None
        lines = iter(watcher.stdout.readline, "")
        url = next(
            (m for line in lines if (m := re.search(r"http://127\.0\.0\.1:\d+/", line))), None
        )
        assert url, "the watcher printed no address"
        browser.get(url[0])
        state = wait_for(browser, lambda s: s["version"] == "1", RENDER_BOUND)
        assert [b.split("  ", 1)[1] for b in state["beats"]] == ["The running mean"]
        assert state["beat"] == "beat 2 (times from its start)"  # a clip says which beat it is
        assert any("the mean is" in cue for cue in state["cues"]) and state["keys"]
        assert not state["error"]
        browser.save_screenshot(str(tmp_path / "watch-1.png"))

        scene = project / "scenes" / "coin_walk" / "scene.py"
        scene.write_text(scene.read_text().replace("draws the mean is", "draws the average is"))
        saved = time.monotonic()
        state = wait_for(browser, lambda s: s["version"] == "2", RENDER_BOUND)
        latency = time.monotonic() - saved
        assert any("the average is" in cue for cue in state["cues"]), state["cues"]
        browser.save_screenshot(str(tmp_path / "watch-2.png"))
        print(f"edit to reloaded page: {latency:.1f} s")
        # The first render's file is gone, the page plays the new one.
        site = project / "cache" / "preview" / "coin-walk"
        assert sorted(p.name for p in site.glob("*.mp4")) == ["render-2.mp4"]
    finally:
        watcher.send_signal(signal.SIGINT)
        try:
            rest, _ = watcher.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            watcher.kill()
            raise
    assert watcher.returncode == 0 and "stopped" in rest, rest
    assert not (project / "cache" / "preview" / "coin-walk").exists()
    assert not [p for p in (project / "out").rglob(".tmp-*")]
