"""Injection payloads in a tampered ``meta.json`` and in embed base URLs, opened in Chromium.

Every payload tries to set ``window.pwned``; the test passes only if none did, the payloads show
as text, and the page's own autoplay script (allowed by its hash in the gallery's CSP) still ran.
Hugo and MDX snippets need their site generators to become HTML, so their escaping is checked
as text (and their base URL is refused the same way by the command line).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from markdown_it import MarkdownIt

from render.publish.embed import hugo_quote, jsx_string
from tests.helpers.browser import VIDEO_STATE, serve
from tests.helpers.kit import SCENE
from tests.reliability.tour import PYTHON, REPO

PAYLOAD = '</figcaption><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
# Allowed characters that mean something in HTML, Markdown or Liquid, inside a valid URL.
TRICKY_BASE = "https://cdn.example/a'b&c=(1)*[2]/"


def mathreel(out: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PYTHON), "-m", "tests.helpers.demo_cli", *argv, "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=out.parent,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO),
             "MATHREEL_CACHE": str(out.parent / "cache")},
    )  # fmt: skip


@pytest.fixture()
def tampered(kit_copy: Path) -> Path:
    """The kit with markup in every text field of meta.json that the pages show."""
    meta_path = kit_copy / SCENE / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta.update(title=PAYLOAD, summary=PAYLOAD)
    meta_path.write_text(json.dumps(meta))
    return kit_copy


def no_script_ran(driver) -> None:
    assert driver.execute_script("return window.pwned === undefined")
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0


def test_gallery_of_a_tampered_kit_runs_no_script(browser, tampered: Path):
    made = mathreel(tampered, "gallery")
    assert made.returncode == 0, made.stderr
    page = tampered / "index.html"
    # Even markup that escaping missed would not run: the policy allows only the hashed script.
    html = page.read_text().replace("</main>", "<script>window.pwned=3</script></main>")
    page.write_text(html)
    with serve(tampered) as server:
        origin = server.origin
        browser.get(f"{origin}/index.html")
        no_script_ran(browser)
        assert browser.find_element("css selector", "article h2").text == PAYLOAD
        videos = browser.execute_script(VIDEO_STATE)
        assert videos and all(v["autoplay"] for v in videos)  # the hashed script did run


@pytest.mark.parametrize("fmt", ["html", "markdown", "jekyll"])
def test_embeds_of_a_tampered_kit_run_no_script(browser, tampered: Path, tmp_path: Path, fmt):
    made = mathreel(tampered, "embed", SCENE, "--format", fmt, "--base-url", TRICKY_BASE)
    assert made.returncode == 0, made.stderr
    body = MarkdownIt("commonmark").render(made.stdout) if fmt == "markdown" else made.stdout
    site = tmp_path / "site"
    site.mkdir()
    (site / "post.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>post</title></head>'
        f"<body>{body}</body></html>"
    )
    with serve(site) as server:
        origin = server.origin
        browser.get(f"{origin}/post.html")
        no_script_ran(browser)
        sources = browser.execute_script(
            "return Array.from(document.querySelectorAll('source,a')).map(e => e.src || e.href)"
        )
        # (A Markdown renderer may percent-encode '[' and ']': the same URL.)
        assert sources and all(unquote(s).startswith(TRICKY_BASE) for s in sources), sources
        assert browser.find_element("css selector", "figcaption").text == PAYLOAD


@pytest.mark.parametrize(
    ("fmt", "quoted"), [("hugo", hugo_quote(PAYLOAD)), ("mdx", jsx_string(PAYLOAD))]
)
def test_hugo_and_mdx_keep_the_payload_inside_one_string(tampered: Path, fmt, quoted):
    made = mathreel(tampered, "embed", SCENE, "--format", fmt)
    assert made.returncode == 0, made.stderr
    # The payload appears only as that format's quoted string (Hugo escapes it when rendering).
    assert made.stdout.count("window.pwned=1") == made.stdout.count(quoted) >= 1
