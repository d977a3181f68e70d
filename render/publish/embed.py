"""Embed snippets for a scene's web video: HTML, Markdown, Hugo, Jekyll and MDX.

Every format renders one :class:`Embed` (built from ``meta.json``), so they all carry the same
elements the web reference asks for: WebM then MP4 sources, the poster, the real width and height
(no layout shift), controls, muted, loop, playsinline, preload="metadata" and a captions track.
Autoplay is switched on by a few lines of inline script only when the reader has not asked for
reduced motion. Every text taken from scene metadata goes through the format's own escaping.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
import string
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.core.errors import UserError
from render.tools.atomic import write_text

FORMATS = ("html", "markdown", "hugo", "jekyll", "mdx")
REDUCED_MOTION = "(prefers-reduced-motion: reduce)"
# Runs right after the figure it follows; plays the video unless the reader prefers reduced motion.
AUTOPLAY_JS = (
    "(function(s){var v=s.previousElementSibling.querySelector('video');"
    f"if(v&&!window.matchMedia('{REDUCED_MOTION}').matches){{v.autoplay=true;"
    "v.play().catch(function(){});}})(document.currentScript);"
)
STYLE = "max-width:100%;height:auto"


@dataclasses.dataclass(frozen=True)
class Embed:
    scene_id: str
    title: str
    width: int | str  # a template expression in the Hugo shortcode
    height: int | str
    poster: str
    webm: str
    mp4: str
    captions: str

    @property
    def sources(self) -> tuple[tuple[str, str], ...]:
        """WebM first (smaller where it plays), MP4 last (plays everywhere)."""
        return ((self.webm, "video/webm"), (self.mp4, "video/mp4"))


# RFC 3986's unreserved and reserved characters and '%': nothing that could end an attribute,
# a Markdown link, a shortcode parameter or a Liquid tag ('"', '<', '>', '{', '}', '\\', blanks).
URL_CHARS = frozenset(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'()*+,;=%")


def base_url(text: str) -> str:
    """Check where the kit is served: a relative path (``media/lln/``) or an http(s) URL with a
    host. Anything else (``javascript:``, ``data:``, ``//host``, markup) is refused; the result
    ends with ``/`` so file names can be appended."""
    bad = sorted(set(text) - URL_CHARS)
    parts = urllib.parse.urlsplit(text)
    web = parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    relative = not parts.scheme and not text.startswith("//") and ":" not in text.split("/")[0]
    if bad:
        problem = f"contains {bad[0]!r}"
    elif not (web or relative):
        problem = "is neither a relative path nor an http(s) URL with a host"
    else:
        return text if text.endswith("/") or not text else text + "/"
    raise UserError(f"--base-url {text!r} {problem} (give a relative path or an http(s) URL)")


def missing_files(kit: Path, meta: dict[str, Any]) -> list[str]:
    """The files an embed links to that are not in the kit folder (listed or on disk)."""
    sid = meta["id"]
    names = [f"{sid}.web.webm", f"{sid}.web.mp4", f"{sid}.poster.png", f"{sid}.vtt"]
    return [n for n in names if n not in meta["files"] or not (kit / n).is_file()]


def embed_from_meta(meta: dict[str, Any], base_url: str) -> Embed:
    """The scene's web video as published in its kit; ``base_url`` is where the kit is served."""
    sid = meta["id"]
    needed = [f"{sid}.web.webm", f"{sid}.web.mp4", f"{sid}.poster.png", f"{sid}.vtt"]
    missing = [name for name in needed if name not in meta["files"]]
    if missing:
        raise UserError(
            f"{sid}: the kit has no {', '.join(missing)} (run 'mathreel export {sid} "
            "--target web,poster')"
        )
    webm, mp4, poster, vtt = (base_url + name for name in needed)
    mp4_entry = meta["files"][f"{sid}.web.mp4"]
    width, height = mp4_entry["width"], mp4_entry["height"]  # as ffprobe measured the encode
    return Embed(sid, meta["title"], width, height, poster, webm, mp4, vtt)


def html_escape(text: str) -> str:
    return html.escape(text, quote=True)


def liquid_escape(text: str) -> str:
    """HTML escaping plus braces, so Liquid sees no ``{{`` or ``{%`` in a title."""
    return html_escape(text).replace("{", "&#123;").replace("}", "&#125;")


def to_html(embed: Embed, escape: Callable[[str], str] = html_escape) -> str:
    """A figure with the video and its title, then the reduced-motion-aware autoplay script.

    No blank lines, so Markdown processors pass it through as one HTML block.
    """
    a = escape
    lines = [
        '<figure class="mathreel">',
        f'<video width="{embed.width}" height="{embed.height}" poster="{a(embed.poster)}" '
        f'controls muted loop playsinline preload="metadata" style="{STYLE}" '
        f'aria-label="{a(embed.title)}">',
        *(f'<source src="{a(src)}" type="{kind}">' for src, kind in embed.sources),
        f'<track kind="captions" src="{a(embed.captions)}" srclang="en" label="English" default>',
        f'<a href="{a(embed.mp4)}">{a(embed.title)} (MP4)</a>',
        "</video>",
        f"<figcaption>{a(embed.title)}</figcaption>",
        "</figure>",
        f"<script>{AUTOPLAY_JS}</script>",
    ]
    return "\n".join(lines)


def markdown_escape(text: str) -> str:
    """Backslash before every ASCII punctuation mark: CommonMark then shows each one literally
    (``\\&`` cannot start an entity, ``\\<`` cannot start a tag, ``\\[`` cannot end the link)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def to_markdown(embed: Embed) -> str:
    # An angle-bracket destination: the URL holds no '<', '>' or blank (see base_url).
    link = f"[Download: {markdown_escape(embed.title)} (MP4)](<{embed.mp4}>)"
    return f"{to_html(embed)}\n\n{link}"


def hugo_quote(text: str) -> str:
    """A Hugo shortcode parameter: a raw string in backquotes, which Hugo takes literally.

    Hugo's quoted strings unescape only ``\\"``, and drop every other backslash of a parameter
    that has one, so a title with a backquote (rare) is the only one double-quoted.
    """
    if "`" not in text:
        return f"`{text}`"
    return '"' + text.replace('"', '\\"') + '"'


def to_hugo(embed: Embed, base_url: str) -> str:
    """A call of the shortcode that ``--hugo-shortcode`` installs (Hugo escapes its output)."""
    params = {
        "id": embed.scene_id, "base": base_url, "width": str(embed.width),
        "height": str(embed.height), "title": embed.title,
    }  # fmt: skip
    return "{{< mathreel " + " ".join(f"{k}={hugo_quote(v)}" for k, v in params.items()) + " >}}"


def jsx_string(text: str) -> str:
    """A JS string literal inside JSX braces: JSON, with ``<`` escaped as well."""
    return "{" + json.dumps(text).replace("<", "\\u003c") + "}"


def to_mdx(embed: Embed) -> str:
    """JSX: camelCase attributes, braces for values, and a ref that starts playback."""
    j = jsx_string
    autoplay = (
        f"(v) => {{ if (v && !window.matchMedia({j(REDUCED_MOTION)[1:-1]}).matches) "
        "{ v.autoplay = true; v.play().catch(() => {}); } }"
    )
    lines = [
        '<figure className="mathreel">',
        f"  <video width={{{embed.width}}} height={{{embed.height}}} poster={j(embed.poster)} "
        'controls muted loop playsInline preload="metadata" '
        'style={{ maxWidth: "100%", height: "auto" }} '
        f"aria-label={j(embed.title)} ref={{{autoplay}}}>",
        *(f"    <source src={j(src)} type={j(kind)} />" for src, kind in embed.sources),
        f"    <track kind={j('captions')} src={j(embed.captions)} srcLang={j('en')} "
        f"label={j('English')} default />",
        "  </video>",
        f"  <figcaption>{j(embed.title)}</figcaption>",
        "</figure>",
    ]
    return "\n".join(lines)


def snippet(meta: dict[str, Any], fmt: str, base_url: str) -> str:
    if fmt not in FORMATS:
        raise UserError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    embed = embed_from_meta(meta, base_url)
    renderers: dict[str, Callable[[], str]] = {
        "html": lambda: to_html(embed),
        "markdown": lambda: to_markdown(embed),
        "hugo": lambda: to_hugo(embed, base_url),
        "jekyll": lambda: to_html(embed, liquid_escape),
        "mdx": lambda: to_mdx(embed),
    }
    return renderers[fmt]()


def hugo_shortcode() -> str:
    """The shortcode: the same figure, its values Hugo template expressions (Hugo escapes them)."""
    kit = "{{ $base }}{{ $id }}"
    template = Embed(
        scene_id="{{ $id }}", title='{{ .Get "title" }}', width='{{ .Get "width" }}',
        height='{{ .Get "height" }}', poster=f"{kit}.poster.png", webm=f"{kit}.web.webm",
        mp4=f"{kit}.web.mp4", captions=f"{kit}.vtt",
    )  # fmt: skip
    return f"{HUGO_SHORTCODE_HEADER}\n{to_html(template, escape=str)}\n"


# relURL resolves the base against the site's baseURL, not the page: "lln/" is /lln/ on a site
# at the root and /blog/lln/ under baseURL .../blog/, from every post.
HUGO_SHORTCODE_HEADER = '{{- $id := .Get "id" -}}{{- $base := .Get "base" | relURL -}}'


def write_hugo_shortcode(site: Path, name: str, text: str) -> Path:
    """Write the shortcode ``name`` (``layouts/shortcodes/<name>.html``) into the Hugo site."""
    if not site.is_dir():
        raise UserError(f"{site} is not a folder (give the root of a Hugo site)")
    path = site / "layouts" / "shortcodes" / f"{name}.html"
    write_text(path, text)
    return path


def install_hugo_shortcode(site: Path) -> Path:
    """Write ``layouts/shortcodes/mathreel.html`` into the Hugo site at ``site``."""
    return write_hugo_shortcode(site, "mathreel", hugo_shortcode())
