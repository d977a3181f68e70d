"""The gallery and the HTML embed in a real headless Chromium (Debian's, driven by Selenium).

Served over HTTP from the exported out/ folder, as a site would be: every video must load its
metadata at the size meta.json states, its captions track must load with every cue, the console
must stay empty, no request may leave the page's origin, and autoplay must follow the reader's
reduced-motion preference. A screenshot of each page is kept for a person to look at.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.kit import SCENE, run_cli

webdriver = pytest.importorskip("selenium.webdriver")
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(
        not (CHROMIUM and CHROMEDRIVER), reason="needs chromium and chromium-driver (setup.sh test)"
    ),
]

VIDEO_STATE = """return Array.from(document.querySelectorAll('video')).map(v => {
  const track = v.querySelector('track');
  const cues = v.textTracks.length && v.textTracks[0].cues ? v.textTracks[0].cues.length : 0;
  return {ready: v.readyState, width: v.videoWidth, height: v.videoHeight, src: v.currentSrc,
          attrWidth: v.width, attrHeight: v.height, paused: v.paused, autoplay: v.autoplay,
          track: track ? track.readyState : -1, cues: cues};
});"""
TRACK_LOADED = 2
HAVE_METADATA = 1


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        """Keep the test output free of one access-log line per request."""


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    flags = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
    # A phone-sized window; autoplay allowed as for a muted video on a real site.
    flags += ["--window-size=412,900", "--autoplay-policy=no-user-gesture-required"]
    for flag in flags:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = webdriver.ChromeService(executable_path=CHROMEDRIVER)
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def load(driver, url: str, reduced_motion: bool = False) -> list[dict]:
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


def check_page(driver, url: str, origin: str, meta: dict, shot: Path) -> list[dict]:
    videos = load(driver, url)
    driver.save_screenshot(str(shot))
    assert videos, "no <video> on the page"
    web = meta["files"][f"{SCENE}.web.mp4"]["rung"]["width"]
    cues = len(json.loads((shot.parent / "timeline.json").read_text())["cues"])
    for v in videos:
        assert v["ready"] >= HAVE_METADATA, v
        assert (v["width"], v["height"]) == (v["attrWidth"], v["attrHeight"]) == (web, 144), v
        assert v["src"].endswith(".web.webm")  # the first source Chromium can play
        assert v["track"] == TRACK_LOADED and v["cues"] == cues, v
        assert not v["paused"] and v["autoplay"]
    requests = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert requests and all(r.startswith(origin + "/") for r in requests), requests
    assert driver.get_log("browser") == []
    assert shot.stat().st_size > 0
    return videos


def test_gallery_plays_every_scene_with_captions(browser, demo_kit: Path, tmp_path: Path):
    meta = json.loads((demo_kit / SCENE / "meta.json").read_text())
    shutil.copy(demo_kit / SCENE / "preview" / f"{SCENE}.timeline.json", tmp_path / "timeline.json")
    with serve(demo_kit) as origin:
        check_page(browser, f"{origin}/index.html", origin, meta, tmp_path / "gallery.png")
        title = browser.find_element("css selector", "article h2").text
        assert title == meta["title"]  # shown as text: the markup in it was escaped
        assert browser.execute_script("return document.querySelectorAll('script').length") == 1
        links = browser.find_elements("css selector", "ul.files a")
        assert len(links) == len(meta["files"])


def test_html_embed_works_on_a_page_of_its_own(browser, demo_kit: Path, tmp_path: Path):
    meta = json.loads((demo_kit / SCENE / "meta.json").read_text())
    shutil.copy(demo_kit / SCENE / "preview" / f"{SCENE}.timeline.json", tmp_path / "timeline.json")
    code, snippet = run_cli("embed", SCENE, "--out", str(demo_kit), "--base-url", f"/{SCENE}")
    assert code == 0, snippet
    site = tmp_path / "site"
    shutil.copytree(demo_kit / SCENE, site / SCENE)
    (site / "post.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,"><title>post</title></head>'
        f"<body><p>Before.</p>{snippet}<p>After.</p></body></html>"
    )
    with serve(site) as origin:
        check_page(browser, f"{origin}/post.html", origin, meta, tmp_path / "embed.png")


def test_no_autoplay_when_the_reader_prefers_reduced_motion(browser, demo_kit: Path):
    with serve(demo_kit) as origin:
        videos = load(browser, f"{origin}/index.html", reduced_motion=True)
        time.sleep(0.5)
        assert all(v["paused"] and not v["autoplay"] for v in browser.execute_script(VIDEO_STATE))
        assert videos and browser.get_log("browser") == []
