"""``out/index.html``: every exported scene on one self-contained page.

Each scene shows its web video (the same figure :mod:`render.publish.embed` prints), its
interactive page if it has one (framed, as :mod:`render.publish.page_embed` prints it), its
summary, a transcript of its captions and download links for every file in its kit. The page
loads nothing from anywhere else: the style is inline, the media are the kits' own files beside
it, and a Content-Security-Policy forbids any other origin, so a gallery opened offline looks the
same.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.core.catalog import scene_ids
from render.core.errors import UserError
from render.core.paths import OutPaths
from render.publish import captions, interactive, page_embed, presskit
from render.publish.embed import AUTOPLAY_JS, embed_from_meta, html_escape, missing_files, to_html
from render.tools.atomic import write_text
from render.tools.lock import output_lock

# The only scripts on the page are the embed's autoplay snippet and the interactive frame's height
# follower (the same texts in every figure), so the policy allows exactly those texts by their
# hashes; an injected script, inline or not, never runs.
SCRIPT_SOURCES = " ".join(
    f"'sha256-{base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()}'"
    for js in (AUTOPLAY_JS, page_embed.PAGE_RESIZE_JS)
)
CSP = (
    "default-src 'none'; media-src 'self'; frame-src 'self'; img-src 'self' data:; "
    "style-src 'unsafe-inline'; "
    f"script-src {SCRIPT_SOURCES}; base-uri 'none'; form-action 'none'"
)
CSS = """
:root { color-scheme: dark; --bg: #0f1117; --text: #ece9e1; --muted: #8a8f98; --accent: #58c4dd; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
       font: 1.05rem/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 56rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.9rem; margin: 0 0 1.5rem; }
article { margin: 0 0 3rem; }
h2 { font-size: 1.4rem; margin: 0 0 .75rem; }
figure { margin: 0 0 1rem; }
video { display: block; width: 100%; height: auto; background: #000; border-radius: 6px; }
figcaption, .facts { color: var(--muted); font-size: .9rem; }
a { color: var(--accent); }
ul.files { padding-left: 1.2rem; columns: 2 16rem; }
details { margin: .75rem 0; }
dl.transcript dt { color: var(--muted); font-variant-numeric: tabular-nums; }
dl.transcript dd { margin: 0 0 .5rem; }
"""


def _kib(n: int) -> str:
    return f"{n / 1024:.0f} KB" if n < 1024**2 else f"{n / 1024**2:.1f} MB"


def interactive_figure(meta: dict[str, Any], base: str) -> list[str]:
    """The scene's interactive page under its video, when the kit has one."""
    if f"{meta['id']}.{interactive.SUFFIX}" not in meta["files"]:
        return []
    return [page_embed.page_to_html(page_embed.page_from_meta(meta, base))]


def scene_section(kit: Path, meta: dict[str, Any]) -> str:
    e = html_escape
    base = f"{kit.name}/"
    vtt = OutPaths(kit.parent).kit_file(meta["id"], "vtt").read_text(encoding="utf-8")
    transcript = "".join(
        f"<dt>{captions.youtube_timestamp(c.start)}</dt><dd>{e(c.text)}</dd>"
        for c in captions.parse_vtt(vtt)
    )
    files = "".join(
        f'<li><a href="{e(base + name)}" download>{e(name)}</a> ({_kib(entry["bytes"])})</li>'
        for name, entry in meta["files"].items()
    )
    size = f"{e(str(meta['width']))}×{e(str(meta['height']))}"
    facts = f"{meta['duration']:.0f} s · {size} · {e(str(meta['fps']))} fps"
    return "\n".join([
        f'<article id="{e(meta["id"])}">',
        f"<h2>{e(meta['title'])}</h2>",
        to_html(embed_from_meta(meta, base)),
        *interactive_figure(meta, base),
        f"<p>{e(meta['summary'])}</p>",
        f'<p class="facts">{facts} · seed {e(str(meta["seed"]))}</p>',
        f'<details><summary>Transcript</summary><dl class="transcript">{transcript}</dl></details>',
        f'<details><summary>Downloads</summary><ul class="files">{files}</ul></details>',
        "</article>",
    ])  # fmt: skip


def write_gallery(
    out_dir: Path, title: str = "mathreel gallery", note: Callable[[str], None] = lambda _: None
) -> Path:
    """Write ``out/index.html`` from every press kit, holding the output folder's lock (so no
    export rewrites a kit while the page is built from it). Only registered scenes' kits with a
    readable ``meta.json`` and their web files are shown; ``note`` hears about the others."""
    with output_lock(out_dir):
        return _write_gallery(out_dir, title, note)


def _write_gallery(out_dir: Path, title: str, note: Callable[[str], None]) -> Path:
    registered = set(scene_ids())
    sections = []
    for kit, meta in presskit.readable_kits(out_dir, note):
        missing = missing_files(kit, meta)
        if kit.name not in registered:
            note(f"note: left out {kit.name}: not a registered scene")
        elif missing:
            note(f"note: left out {kit.name}: {', '.join(missing)} missing")
        else:
            try:
                sections.append(scene_section(kit, meta))
            except (ValueError, UnicodeDecodeError):
                note(f"note: left out {kit.name}: {kit.name}.vtt is damaged")
    if not sections:
        raise UserError(f"no press kit under {out_dir} (run 'mathreel export SCENE' first)")
    page = "\n".join([
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<link rel="icon" href="data:,">',
        f"<title>{html_escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{html_escape(title)}</h1>",
        *sections,
        "</main>",
        "</body>",
        "</html>",
    ])  # fmt: skip
    path = OutPaths(out_dir).gallery
    write_text(path, page + "\n")
    return path
