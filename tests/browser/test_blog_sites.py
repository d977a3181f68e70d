"""``mathreel publish`` into real sites, built by the generators themselves and opened in Chromium.

Each test makes a minimal site in a temporary folder (Hugo, Jekyll, an MDX site compiled with
@mdx-js/mdx, a Markdown folder rendered by markdown-it-py), publishes the export tests' demo kit
into it, writes a post holding exactly the snippet the command printed, builds the site, serves the
built folder on loopback (under ``/blog/`` where the site says so) and opens the post: the video's
metadata loads at the size meta.json states, the captions track loads every cue of the kit's
WebVTT file, the poster is fetched, no request fails or leaves the origin, the console holds no
warning or error, and the title the generator printed is the scene's, character for character
(the demo title carries markup and template braces). Sub-path sites are what a page-relative base
URL gets wrong. A screenshot of each post, taken once the first caption is showing, is kept for a
person to look at.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from render.cli import app
from tests.helpers.browser import (
    CHROMEDRIVER,
    CHROMIUM,
    HAVE_METADATA,
    NEEDS_CHROMIUM,
    TRACK_LOADED,
    Server,
    load,
    serve,
)
from tests.helpers.kit import SCENE

pytest.importorskip("selenium.webdriver")
pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason=NEEDS_CHROMIUM),
]

HUGO, JEKYLL, NODE = shutil.which("hugo"), shutil.which("jekyll"), shutil.which("node")
MDX_PAGE = Path(__file__).with_name("mdx_page.mjs")
NPM_INSTALLED = Path(__file__).with_name("node_modules").joinpath("@mdx-js", "mdx").is_dir()
HEAD = '<meta charset="utf-8"><link rel="icon" href="data:,">'


def page(title: str, body: str) -> str:
    return f'<!doctype html><html lang="en"><head>{HEAD}<title>{title}</title></head><body>{body}</body></html>\n'  # noqa: E501


def run(*argv: str | Path) -> None:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def cli(args: list[str]) -> str:
    """``mathreel ARGS`` as a user runs it; returns what it printed on stdout."""
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout


def publish(out: Path, kind: str, site: Path) -> str:
    """The snippet ``mathreel publish`` printed."""
    return cli(["publish", SCENE, "--site", kind, str(site), "--out", str(out)])


def post(snippet: str) -> str:
    return f"Before the video.\n\n{snippet}\nAfter the video.\n"


@dataclasses.dataclass(frozen=True)
class Built:
    www: Path  # the folder served at the origin's root
    path: str  # the post's URL path


def hugo_site(root: Path, base_path: str) -> Path:
    site = root / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "content" / "posts").mkdir(parents=True)
    (site / "config.toml").write_text(
        f'baseURL = "https://example.org{base_path}"\ntitle = "A blog"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
    )
    layout = page("{{ .Title }}", "{{ .Content }}")
    for name in ("single.html", "list.html"):
        (site / "layouts" / "_default" / name).write_text(layout)
    return site


def build_hugo_post(site: Path, www: Path, base_path: str, snippet: str) -> Built:
    (site / "content" / "posts" / "demo.md").write_text(
        f'---\ntitle: "A post"\n---\n{post(snippet)}'
    )
    run(HUGO, "--source", site, "--destination", www / base_path.strip("/"), "--quiet")
    return Built(www, f"{base_path}posts/demo/")


def build_hugo(base_path: str) -> Callable[[Path, Path], Built]:
    def build(root: Path, out: Path) -> Built:
        site = hugo_site(root, base_path)
        return build_hugo_post(site, root / "www", base_path, publish(out, "hugo", site))

    return build


def build_hugo_by_hand(root: Path, out: Path) -> Built:
    """What the README tells a reader who places the files: the kit in ``static/<id>/``, the
    shortcode from ``embed --hugo-shortcode``, the call from ``embed --format hugo``."""
    site = hugo_site(root, "/blog/")
    (site / "static" / SCENE).mkdir(parents=True)
    for name in ("web.webm", "web.mp4", "poster.png", "vtt"):
        shutil.copy(out / SCENE / f"{SCENE}.{name}", site / "static" / SCENE)
    cli(["embed", "--hugo-shortcode", str(site)])
    snippet = cli(["embed", SCENE, "--format", "hugo", "--out", str(out)])
    return build_hugo_post(site, root / "www", "/blog/", snippet)


def build_jekyll(root: Path, out: Path) -> Built:
    site, www = root / "site", root / "www"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text('title: "A blog"\nbaseurl: "/blog"\n')
    (site / "_layouts" / "default.html").write_text(page("{{ page.title }}", "{{ content }}"))
    snippet = publish(out, "jekyll", site)
    (site / "demo.md").write_text(
        f"---\nlayout: default\ntitle: A post\npermalink: /posts/demo/\n---\n{post(snippet)}"
    )
    run(JEKYLL, "build", "--source", site, "--destination", www / "blog", "--quiet")
    return Built(www, "/blog/posts/demo/")


def build_mdx(root: Path, out: Path) -> Built:
    """An MDX site's public/ is served at the root; the post compiles to a page of its own."""
    site, www = root / "site", root / "www"
    site.mkdir()
    (site / "package.json").write_text('{"name": "blog", "private": true}\n')
    snippet = publish(out, "mdx", site)
    (site / "demo.mdx").write_text(f"# A post\n\n{post(snippet)}")
    shutil.copytree(site / "public", www)
    run(NODE, MDX_PAGE, site / "demo.mdx", www / "posts" / "demo")
    return Built(www, "/posts/demo/")


def build_markdown(root: Path, out: Path) -> Built:
    """A folder served under ``/blog/`` as it is, its posts rendered by a CommonMark renderer."""
    www = root / "www"
    site = www / "blog"
    site.mkdir(parents=True)
    args = ["publish", SCENE, "--site", "markdown", str(site), "--site-path", "/blog/"]
    snippet = cli([*args, "--out", str(out)])
    body = MarkdownIt("commonmark").render(f"# A post\n\n{post(snippet)}")
    (site / "posts" / "demo").mkdir(parents=True)
    (site / "posts" / "demo" / "index.html").write_text(page("A post", body))
    return Built(www, "/blog/posts/demo/")


needs = pytest.mark.skipif
SITES = [
    pytest.param(build_hugo("/"), id="hugo", marks=needs(not HUGO, reason="needs hugo")),
    pytest.param(
        build_hugo("/blog/"), id="hugo-under-blog", marks=needs(not HUGO, reason="needs hugo")
    ),
    pytest.param(build_hugo_by_hand, id="hugo-by-hand", marks=needs(not HUGO, reason="needs hugo")),
    pytest.param(
        build_jekyll, id="jekyll-under-blog", marks=needs(not JEKYLL, reason="needs jekyll")
    ),
    pytest.param(
        build_mdx,
        id="mdx",
        marks=needs(not (NODE and NPM_INSTALLED), reason="needs tests/browser's npm packages"),
    ),
    pytest.param(build_markdown, id="markdown-under-blog"),
]

CAPTION_SHOWING = """const v = document.querySelector('video');
return v.textTracks[0].activeCues ? v.textTracks[0].activeCues.length : 0;"""


@pytest.mark.parametrize("build", SITES)
def test_the_published_video_plays_in_the_built_post(
    build, browser, demo_kit: Path, tmp_path: Path, request: pytest.FixtureRequest
):
    meta = json.loads((demo_kit / SCENE / "meta.json").read_text())
    web = meta["files"][f"{SCENE}.web.mp4"]
    cues = (demo_kit / SCENE / f"{SCENE}.vtt").read_text().count(" --> ")
    built = build(tmp_path, demo_kit)
    with serve(built.www) as server:
        videos = load(browser, server.origin + built.path)
        wait_for(lambda: browser.execute_script(CAPTION_SHOWING) > 0)
        shot = tmp_path / f"{request.node.callspec.id}.png"
        browser.save_screenshot(str(shot))
        assert len(videos) == 1, videos
        video = videos[0]
        assert video["ready"] >= HAVE_METADATA, video
        size = (video["width"], video["height"])
        assert size == (video["attrWidth"], video["attrHeight"]) == (web["width"], web["height"])
        assert video["src"].endswith(f"/{SCENE}/{SCENE}.web.webm"), video
        assert video["track"] == TRACK_LOADED and video["cues"] == cues, video
        assert not video["paused"], video
        caption = browser.find_element("css selector", "figure figcaption").text
        assert caption == meta["title"]  # markup and braces shown as text, nothing expanded
        check_requests(server, browser, urlsplit(video["poster"]).path)
        problems = [e for e in browser.get_log("browser") if e["level"] in ("WARNING", "SEVERE")]
        assert problems == []
    assert shot.stat().st_size > 0


def check_requests(server: Server, browser, poster: str) -> None:
    """Every request the page made was answered from its own origin, none failed, and the kit's
    poster, WebM and captions were among them."""
    answered = dict(server.requests)
    assert all(status < 400 for status in answered.values()), server.requests
    kit = poster.rsplit("/", 1)[0]
    for name in (f"{SCENE}.poster.png", f"{SCENE}.web.webm", f"{SCENE}.vtt"):
        assert f"{kit}/{name}" in answered, server.requests
    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(r.startswith(server.origin + "/") for r in resources), resources


def wait_for(condition: Callable[[], bool], seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
