"""Embed snippets for a scene's interactive page: an iframe in HTML, Markdown, Hugo, Jekyll, MDX.

The page is framed rather than inlined, so its own Content-Security-Policy, script and style stay
its own whatever the blog's are; the frame is sandboxed to scripts only (no same-origin access, no
forms, no navigation of the blog). It starts at the page's desktop height and follows the height
the page posts to its parent (taller on a phone), through a few lines of script that accept only
that frame's message. Every text from the scene's metadata is escaped as in :mod:`embed`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.core.errors import UserError
from render.publish.embed import (
    FORMATS,
    HUGO_SHORTCODE_HEADER,
    html_escape,
    hugo_quote,
    jsx_string,
    liquid_escape,
    markdown_escape,
    write_hugo_shortcode,
)
from render.publish.interactive import SUFFIX, TARGET

PAGE_WIDTH = 960
# Follows the height the page posts (it grows on a phone), for the iframe right before it.
PAGE_RESIZE_JS = (
    "(function(s){var f=s.previousElementSibling.querySelector('iframe');"
    "window.addEventListener('message',function(e){var d=e.data;"
    "if(f&&e.source===f.contentWindow&&d&&d.mathreel==='height'&&d.height>0&&d.height<1e5)"
    "{f.height=String(Math.ceil(d.height));}});})(document.currentScript);"
)
PAGE_STYLE = "width:100%;max-width:100%;border:0"


@dataclasses.dataclass(frozen=True)
class PageEmbed:
    scene_id: str
    title: str
    src: str
    height: int | str  # a template expression in the Hugo shortcode

    @property
    def label(self) -> str:
        return f"{self.title}: interactive"


def page_to_html(embed: PageEmbed, escape: Callable[[str], str] = html_escape) -> str:
    """An iframe of the page, sandboxed to scripts only, then the script that follows its height."""
    a = escape
    return "\n".join([
        '<figure class="mathreel-interactive">',
        f'<iframe src="{a(embed.src)}" title="{a(embed.label)}" width="{PAGE_WIDTH}" '
        f'height="{embed.height}" style="{PAGE_STYLE}" loading="lazy" sandbox="allow-scripts">'
        "</iframe>",
        f'<figcaption><a href="{a(embed.src)}">{a(embed.label)}</a></figcaption>',
        "</figure>",
        f"<script>{PAGE_RESIZE_JS}</script>",
    ])  # fmt: skip


def page_to_markdown(embed: PageEmbed) -> str:
    link = f"[Open: {markdown_escape(embed.label)}](<{embed.src}>)"
    return f"{page_to_html(embed)}\n\n{link}"


def page_to_mdx(embed: PageEmbed) -> str:
    j = jsx_string
    follow = (
        "(f) => { if (f && !f.dataset.follows) { f.dataset.follows = '1'; "
        "window.addEventListener('message', (e) => { const d = e.data; "
        "if (e.source === f.contentWindow && d && d.mathreel === 'height' && d.height > 0 "
        "&& d.height < 1e5) f.height = String(Math.ceil(d.height)); }); } }"
    )
    return "\n".join([
        '<figure className="mathreel-interactive">',
        f"  <iframe src={j(embed.src)} title={j(embed.label)} width={{{PAGE_WIDTH}}} "
        f"height={{{embed.height}}} style={{{{ width: \"100%\", maxWidth: \"100%\", border: 0 }}}} "
        f'loading="lazy" sandbox="allow-scripts" ref={{{follow}}} />',
        f"  <figcaption><a href={j(embed.src)}>{j(embed.label)}</a></figcaption>",
        "</figure>",
    ])  # fmt: skip


def page_to_hugo(embed: PageEmbed, base_url: str) -> str:
    params = {"id": embed.scene_id, "base": base_url, "height": str(embed.height),
              "title": embed.title}  # fmt: skip
    call = " ".join(f"{k}={hugo_quote(v)}" for k, v in params.items())
    return "{{< mathreel-interactive " + call + " >}}"


def page_hugo_shortcode() -> str:
    template = PageEmbed(
        scene_id="{{ $id }}", title='{{ .Get "title" }}',
        src="{{ $base }}{{ $id }}.interactive.html", height='{{ .Get "height" }}',
    )  # fmt: skip
    return f"{HUGO_SHORTCODE_HEADER}\n{page_to_html(template, escape=str)}\n"


def page_from_meta(meta: dict[str, Any], base_url: str) -> PageEmbed:
    sid = meta["id"]
    name = f"{sid}.{SUFFIX}"
    entry = meta["files"].get(name)
    if entry is None:
        raise UserError(
            f"{sid}: the kit has no {name} (run 'mathreel export {sid} --target {TARGET}')"
        )
    return PageEmbed(sid, meta["title"], base_url + name, entry["height"])


def snippet(meta: dict[str, Any], markup: str, base_url: str) -> str:
    if markup not in FORMATS:
        raise UserError(f"unknown markup '{markup}' (choose from {', '.join(FORMATS)})")
    embed = page_from_meta(meta, base_url)
    renderers: dict[str, Callable[[], str]] = {
        "html": lambda: page_to_html(embed),
        "markdown": lambda: page_to_markdown(embed),
        "hugo": lambda: page_to_hugo(embed, base_url),
        "jekyll": lambda: page_to_html(embed, liquid_escape),
        "mdx": lambda: page_to_mdx(embed),
    }
    return renderers[markup]()


def install_hugo_shortcode(site: Path) -> Path:
    """Write ``layouts/shortcodes/mathreel-interactive.html`` into the Hugo site at ``site``."""
    return write_hugo_shortcode(site, "mathreel-interactive", page_hugo_shortcode())
