"""What the browser tests share: a loopback file server that records every request, Debian's
headless Chromium driven by Selenium, and the state of a page's videos."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
NEEDS_CHROMIUM = "needs chromium and chromium-driver (setup.sh test)"
needs_chromium = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason=NEEDS_CHROMIUM)

VIDEO_STATE = """return Array.from(document.querySelectorAll('video')).map(v => {
  const track = v.querySelector('track');
  const cues = v.textTracks.length && v.textTracks[0].cues ? v.textTracks[0].cues.length : 0;
  return {ready: v.readyState, width: v.videoWidth, height: v.videoHeight, src: v.currentSrc,
          attrWidth: v.width, attrHeight: v.height, paused: v.paused, autoplay: v.autoplay,
          poster: v.poster, track: track ? track.readyState : -1, cues: cues};
});"""
TRACK_LOADED = 2
HAVE_METADATA = 1


class Server:
    """A folder served on 127.0.0.1; ``requests`` lists (path, status) of every answer."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.requests: list[tuple[str, int]] = []


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Server]:
    server_state = Server("")
    handler = functools.partial(RecordingHandler, server_state, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server_state.origin = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class RecordingHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, state: Server, *args: Any, **kwargs: Any) -> None:
        self.state = state
        super().__init__(*args, **kwargs)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.state.requests.append((self.path, int(code)))

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output free of one access-log line per request."""


def start_chromium(width: int = 412, height: int = 900, *extra: str) -> Any:
    """Headless Chromium (a phone's width by default), autoplay allowed as for a muted video on a
    site, recording every console message.

    Chromium leaves a directory of its own in the temporary folder on every start, so it gets a
    scratch folder as its temporary folder, removed with the driver."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    flags += [f"--window-size={width},{height}", "--autoplay-policy=no-user-gesture-required"]
    flags += extra
    for flag in flags:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    scratch = tempfile.TemporaryDirectory(prefix="mathreel-chromium-")
    env = {**os.environ, "TMPDIR": scratch.name}
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER, env=env)
    driver = webdriver.Chrome(service=service, options=options)
    driver.scratch = scratch  # the folder goes when the driver does
    driver.set_page_load_timeout(60)
    return driver


def load(driver: Any, url: str, reduced_motion: bool = False) -> list[dict]:
    """Open ``url`` and wait until every video has metadata and every track its cues."""
    value = "reduce" if reduced_motion else "no-preference"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": value}]},
    )
    driver.get_log("browser")  # start each page with an empty console
    driver.get(url)
    deadline = time.monotonic() + 30
    while True:
        videos = driver.execute_script(VIDEO_STATE)
        done = all(v["ready"] >= HAVE_METADATA and v["track"] == TRACK_LOADED for v in videos)
        if done or time.monotonic() > deadline:
            return videos
        time.sleep(0.2)
