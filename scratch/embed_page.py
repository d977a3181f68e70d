"""Draft: the interactive page's embed, to join embed.py after the new layout."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from render.embed import hugo_quote, html_escape, jsx_string, liquid_escape, markdown_escape

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
    header = '{{- $id := .Get "id" -}}{{- $base := .Get "base" -}}'
    return f"{header}\n{page_to_html(template, escape=str)}\n"


_ = (json, liquid_escape)
