"""``mathreel publish``: refusing what is not a site, copying only what changed, and titles that
survive the real Hugo and Jekyll (the browser tests open the built posts)."""

from __future__ import annotations

import html.parser
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from render.cli import app
from render.publish import embed, sites
from tests.helpers.kit import SCENE

HUGO, JEKYLL = shutil.which("hugo"), shutil.which("jekyll")
# Everything Hugo's shortcode parameters or Liquid could take for syntax.
HOSTILE = 'A & B <script>alert("x")</script> {{ .Site }} >}} {% raw %} %} \\ [l](u)'
WEB_FILES = sorted(f"{SCENE}.{s}" for s in ("web.webm", "web.mp4", "poster.png", "vtt"))


def publish(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["publish", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under ``folder`` with its inode and modification time: what a rewrite changes."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("kind", "marker"),
    [("hugo", "config.toml"), ("jekyll", "_config.yml"), ("mdx", "package.json")],
)
def test_a_folder_that_is_not_that_kind_of_site_gets_one_line(
    kind: str, marker: str, kit_copy: Path, tmp_path: Path
):
    site = tmp_path / "site"
    site.mkdir()
    code, out, err = publish(SCENE, "--site", kind, str(site), "--out", str(kit_copy))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and f"is not a {sites.generator(kind).label} site" in err
    assert marker.split(".")[0] in err
    assert list(site.iterdir()) == []
    code, _, err = publish(SCENE, "--site", kind, str(tmp_path / "nowhere"), "--out", str(kit_copy))
    assert code == 2 and "is not a folder" in err and not (tmp_path / "nowhere").exists()


def test_unknown_kind_and_missing_scene_are_refused(kit_copy: Path, tmp_path: Path):
    code, _, err = publish(SCENE, "--site", "wordpress", str(tmp_path), "--out", str(kit_copy))
    assert code == 2 and "unknown site 'wordpress' (choose from hugo, jekyll, mdx, markdown)" in err
    code, _, err = publish("--site", "markdown", str(tmp_path), "--out", str(kit_copy))
    assert code == 2 and "name one scene or pass --all" in err
    assert list(tmp_path.iterdir()) == [kit_copy]


def test_republishing_replaces_only_what_changed(kit_copy: Path, tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "config.toml").write_text('baseURL = "https://example.org/"\n')
    args = (SCENE, "--site", "hugo", str(site), "--out", str(kit_copy))
    code, snippet, err = publish(*args)
    assert code == 0, err
    folder = site / "static" / "mathreel" / SCENE
    assert sorted(p.name for p in folder.iterdir()) == WEB_FILES
    for name in WEB_FILES:
        assert (folder / name).read_bytes() == (kit_copy / SCENE / name).read_bytes()
    assert "installed" in err and "(4 copied, 0 unchanged, 0 removed)" in err
    assert snippet.startswith("{{< mathreel id=`exportdemo` base=`mathreel/exportdemo/` ")
    shortcode = site / "layouts" / "shortcodes" / "mathreel.html"
    assert shortcode.read_text() == embed.hugo_shortcode()

    before = tree(site)
    code, again, err = publish(*args)
    assert code == 0 and again == snippet and "up to date:" in err
    assert "(0 copied, 4 unchanged, 0 removed)" in err
    assert tree(site) == before  # not one file rewritten

    (folder / f"{SCENE}.vtt").write_text("WEBVTT\n")  # a stale copy
    (folder / "old.web.mp4").write_bytes(b"left from an earlier kit")
    code, _, err = publish(*args)
    assert code == 0 and "(1 copied, 3 unchanged, 1 removed)" in err
    assert sorted(p.name for p in folder.iterdir()) == WEB_FILES
    after = tree(site)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {f"static/mathreel/{SCENE}/{SCENE}.vtt"}


def test_site_path_is_a_plain_url_path_for_the_sites_that_need_one(kit_copy: Path, tmp_path: Path):
    for bad in ("blog/", "/blog", '/a"b/', "/a b/", "//x/", "javascript:alert(1)//"):
        code, _, err = publish(SCENE, "--site", "markdown", str(tmp_path), "--site-path", bad)
        assert code == 2 and "is not a URL path like /blog/" in err, bad
    (tmp_path / "config.toml").write_text("")
    code, _, err = publish(SCENE, "--site", "hugo", str(tmp_path), "--site-path", "/blog/")
    assert code == 2 and "Hugo puts its own sub-path in front" in err
    code, out, _ = publish(SCENE, "--site", "markdown", str(tmp_path), "--site-path", "/a/b/",
                           "--out", str(kit_copy))  # fmt: skip
    assert code == 0 and f'poster="/a/b/mathreel/{SCENE}/{SCENE}.poster.png"' in out
    assert f"](</a/b/mathreel/{SCENE}/{SCENE}.web.mp4>)" in out


def test_a_kit_changed_since_its_export_is_refused_before_the_site_is_touched(
    kit_copy: Path, tmp_path: Path
):
    (kit_copy / SCENE / f"{SCENE}.poster.png").write_bytes(b"not the poster")
    code, out, err = publish(
        SCENE, "--site", "markdown", str(tmp_path / "x"), "--out", str(kit_copy)
    )
    assert code == 2 and "is not a folder" in err  # the site is checked first
    site = tmp_path / "site"
    site.mkdir()
    code, out, err = publish(SCENE, "--site", "markdown", str(site), "--out", str(kit_copy))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{SCENE}.poster.png is missing or differs from meta.json" in err
    assert list(site.iterdir()) == []


def test_all_publishes_every_exported_scene(kit_copy: Path, tmp_path: Path):
    site = tmp_path / "site"
    (site / "public").mkdir(parents=True)
    (site / "package.json").write_text("{}\n")
    code, out, err = publish("--all", "--site", "mdx", str(site), "--out", str(kit_copy))
    assert code == 0, err
    assert f'poster={{"/mathreel/{SCENE}/{SCENE}.poster.png"}}' in out
    assert sorted(p.name for p in (site / "public" / "mathreel" / SCENE).iterdir()) == WEB_FILES
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = publish("--all", "--site", "mdx", str(site), "--out", str(empty))
    assert code == 2 and "has no exported scene" in err


def test_the_interactive_page_travels_with_the_kit_when_there_is_one():
    meta = {"id": "s", "files": {"s.interactive.html": {}}}
    assert sites.kit_names(meta)[-1] == "s.interactive.html"
    assert "s.interactive.html" not in sites.kit_names({"id": "s", "files": {}})


class Captions(html.parser.HTMLParser):
    """The text of every <figcaption> and the aria-label of every <video>, entities decoded."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        self._inside = tag == "figcaption"
        if tag == "video":
            self.found.append(dict(attrs)["aria-label"])

    def handle_data(self, data):
        if self._inside:
            self.found.append(data)
            self._inside = False


def captions(page: Path) -> list[str]:
    parser = Captions()
    parser.feed(page.read_text())
    return parser.found


def hostile() -> embed.Embed:
    return embed.Embed("s", HOSTILE, 64, 36, "", "", "", "")


def run(*argv: str | Path) -> None:
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(not HUGO, reason="needs hugo")
def test_hugo_prints_the_title_it_was_given(tmp_path: Path):
    site = tmp_path / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "content").mkdir()
    (site / "config.toml").write_text('baseURL = "https://example.org/blog/"\n')
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}")
    sites.install_template(sites.generator("hugo"), site)
    call = embed.to_hugo(hostile(), "mathreel/s/")
    (site / "content" / "t.md").write_text(f"---\ntitle: t\n---\n{call}\n")
    run(HUGO, "--source", site, "--destination", tmp_path / "www", "--quiet")
    built = tmp_path / "www" / "t" / "index.html"
    assert captions(built) == [HOSTILE, HOSTILE]
    assert 'poster="/blog/mathreel/s/s.poster.png"' in built.read_text()


@pytest.mark.skipif(not JEKYLL, reason="needs jekyll")
def test_jekyll_prints_the_title_it_was_given(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text('baseurl: "/blog"\n')
    sites.install_template(sites.generator("jekyll"), site)
    call = sites.to_jekyll_include(hostile(), "/mathreel/s/")
    (site / "t.md").write_text(f"---\npermalink: /t/\n---\n{call}\n")
    run(JEKYLL, "build", "--source", site, "--destination", tmp_path / "www", "--quiet")
    built = tmp_path / "www" / "t" / "index.html"
    assert captions(built) == [HOSTILE, HOSTILE]
    assert 'poster="/blog/mathreel/s/s.poster.png"' in built.read_text()
