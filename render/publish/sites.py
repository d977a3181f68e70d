"""Publishing a scene's web kit into a blog's source folder: Hugo, Jekyll, an MDX site, Markdown.

``embed`` prints a snippet and leaves placing the files to the reader, which is where embeds
break: a relative base URL resolves against the post's own URL (``/posts/lln/``), not the site's
root, and a site served under a sub-path (``baseURL = "https://example.org/blog/"``) needs that
path in every URL. Publishing puts the files where the generator serves static files from, in one
folder per scene (``mathreel/<id>/``, which belongs to mathreel: publishing makes it hold exactly
the kit's web files), installs the generator's shortcode or include, and returns a snippet whose
URLs the generator resolves against the site's base itself (Hugo's ``relURL``, Jekyll's
``relative_url``), or that are site-absolute where it has no such function (MDX, Markdown).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from render.core.errors import UserError
from render.core.paths import OutPaths
from render.publish.embed import (
    Embed,
    embed_from_meta,
    hugo_shortcode,
    liquid_escape,
    to_html,
    to_hugo,
    to_markdown,
    to_mdx,
)
from render.publish.presskit import load_meta
from render.tools.atomic import copy_unless_same, write_bytes
from render.tools.hashing import file_sha256
from render.tools.lock import output_lock

KIT_FOLDER = "mathreel"


def jekyll_include() -> str:
    """``_includes/mathreel.html``: the embed's figure, its values Liquid expressions. The base
    goes through ``relative_url``, which prefixes the site's ``baseurl`` wherever the post is."""
    kit = "{{ base }}{{ include.id }}"
    template = Embed(
        scene_id="{{ include.id }}", title="{{ include.title }}", width="{{ include.width }}",
        height="{{ include.height }}", poster=f"{kit}.poster.png", webm=f"{kit}.web.webm",
        mp4=f"{kit}.web.mp4", captions=f"{kit}.vtt",
    )  # fmt: skip
    header = "{%- assign base = include.base | relative_url -%}"
    return f"{header}\n{to_html(template, escape=str)}\n"


def liquid_literal(text: str) -> str:
    """A quoted Liquid parameter. Liquid has no escapes inside quotes, so the text arrives
    HTML-escaped (no quote left) with braces as entities too (no ``{{`` for Liquid to expand, no
    ``%}`` to end the tag early); the include prints it as it is."""
    return '"' + liquid_escape(text) + '"'


def to_jekyll_include(embed: Embed, base_url: str) -> str:
    """A call of the include that :func:`jekyll_include` writes."""
    params = {
        "id": embed.scene_id, "base": base_url, "width": str(embed.width),
        "height": str(embed.height), "title": embed.title,
    }  # fmt: skip
    args = " ".join(f"{key}={liquid_literal(value)}" for key, value in params.items())
    return "{% include mathreel.html " + args + " %}"


@dataclasses.dataclass(frozen=True)
class Template:
    """The shortcode or include a generator needs installed: its place in the site, its text."""

    path: str
    text: Callable[[], str]


@dataclasses.dataclass(frozen=True)
class Generator:
    """How one kind of site is recognised, where it serves static files from, what it needs
    installed, and the snippet a post embeds a kit published at ``<static>/mathreel/<id>/`` with."""

    name: str
    label: str
    markers: tuple[str, ...]  # any one at the top of the folder marks such a site; () takes any
    looks_for: str  # the markers, as the error line names them
    static_dir: str  # the folder the generator serves at the site's root; "" is the site itself
    template: Template | None
    base_url: Callable[[str], str]  # scene id -> the base URL the snippet is written with
    resolves_base: bool  # the generator puts the site's own sub-path in front of the base
    render: Callable[[Embed, str], str]  # (embed, base URL) -> the snippet


def _site_absolute(scene_id: str) -> str:
    return f"/{KIT_FOLDER}/{scene_id}/"


HUGO_CONFIGS = tuple(
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
)
GENERATORS = {
    g.name: g
    for g in (
        Generator(
            "hugo", "Hugo", (*HUGO_CONFIGS, "config/_default"),
            "hugo.toml or config.toml (or .yaml, .json, config/_default/)", "static",
            Template("layouts/shortcodes/mathreel.html", hugo_shortcode),
            # No leading slash: relURL then prefixes the path of the site's baseURL.
            lambda scene_id: f"{KIT_FOLDER}/{scene_id}/", True, to_hugo,
        ),
        Generator(
            "jekyll", "Jekyll", ("_config.yml", "_config.yaml", "_config.toml"),
            "_config.yml (or .yaml, .toml)", "",
            Template("_includes/mathreel.html", jekyll_include),
            _site_absolute, True, to_jekyll_include,  # relative_url prefixes baseurl
        ),
        Generator(
            "mdx", "MDX", ("package.json",), "package.json", "public", None, _site_absolute, False,
            lambda embed, _base: to_mdx(embed),
        ),
        Generator(
            "markdown", "Markdown", (), "", "", None, _site_absolute, False,
            lambda embed, _base: to_markdown(embed),
        ),
    )
}  # fmt: skip


def generator(name: str) -> Generator:
    if name not in GENERATORS:
        raise UserError(f"unknown site '{name}' (choose from {', '.join(GENERATORS)})")
    return GENERATORS[name]


def check_site(gen: Generator, root: Path) -> None:
    """One line when ``root`` is not that generator's site, before anything is written."""
    if not root.is_dir():
        raise UserError(f"{root} is not a folder (give the root of a {gen.label} site)")
    if gen.markers and not any((root / marker).exists() for marker in gen.markers):
        raise UserError(f"{root} is not a {gen.label} site (it has no {gen.looks_for})")


SITE_PATH = re.compile(r"/(?:[A-Za-z0-9._~-]+/)*")


def check_site_path(gen: Generator, site_path: str) -> None:
    """The sub-path a site is served under, for generators that cannot find it themselves."""
    if not SITE_PATH.fullmatch(site_path):
        raise UserError(
            f"--site-path '{site_path}' is not a URL path like /blog/ (letters, digits, . _ ~ -)"
        )
    if gen.resolves_base and site_path != "/":
        raise UserError(
            f"--site-path is for mdx and markdown; {gen.label} puts its own sub-path in front"
        )


def kit_names(meta: dict[str, Any]) -> list[str]:
    """What a post needs from a kit: both web encodes, the poster, the captions and, where the
    scene has one, its interactive page."""
    sid = meta["id"]
    names = [f"{sid}.web.webm", f"{sid}.web.mp4", f"{sid}.poster.png", f"{sid}.vtt"]
    return names + [name for name in (f"{sid}.interactive.html",) if name in meta["files"]]


def check_kit(kit: Path, meta: dict[str, Any]) -> list[str]:
    """The kit's web files, each on disk with the bytes meta.json records: a kit that is missing
    a file or was changed since its export is refused before anything is copied."""
    embed_from_meta(meta, "")  # names the export to run when a web file is missing
    names = kit_names(meta)
    for name in names:
        path = kit / name
        if not path.is_file() or file_sha256(path) != meta["files"][name]["sha256"]:
            raise UserError(
                f"{path} is missing or differs from meta.json "
                f"(run 'mathreel export {meta['id']}' again)"
            )
    return names


@dataclasses.dataclass(frozen=True)
class Published:
    """What publishing one scene did, and the snippet for its post."""

    scene_id: str
    folder: Path
    copied: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    snippet: str


def publish_kit(
    gen: Generator, site: Path, kit: Path, meta: dict[str, Any], site_path: str = "/"
) -> Published:
    """Make ``<static>/mathreel/<id>/`` hold exactly the kit's web files: copy those whose bytes
    differ (each under a temporary name renamed into place), remove those the kit no longer has.
    ``kit`` must have passed :func:`check_kit`."""
    names = kit_names(meta)
    folder = site / gen.static_dir / KIT_FOLDER / meta["id"]
    copied = [
        name
        for name in names
        if copy_unless_same(kit / name, folder / name, meta["files"][name]["sha256"])
    ]
    removed = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name not in names)
    for name in removed:
        (folder / name).unlink()
    unchanged = [name for name in names if name not in copied]
    base = gen.base_url(meta["id"])
    if not gen.resolves_base:
        base = site_path.removesuffix("/") + base
    text = gen.render(embed_from_meta(meta, base), base)
    return Published(meta["id"], folder, tuple(copied), tuple(unchanged), tuple(removed), text)


def install_template(gen: Generator, site: Path) -> tuple[Path, bool] | None:
    """Write the generator's shortcode or include unless it already holds this text; returns its
    path and whether it was written (None for a generator that has none)."""
    if gen.template is None:
        return None
    path = site / gen.template.path
    data = gen.template.text().encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return path, False
    write_bytes(path, data)
    return path, True


@dataclasses.dataclass(frozen=True)
class SiteRun:
    """One ``publish`` into a site: the shortcode or include (path, whether written), each scene."""

    template: tuple[Path, bool] | None
    scenes: tuple[Published, ...]


def publish_site(
    gen: Generator, site: Path, out: OutPaths, scene_ids: list[str], site_path: str = "/"
) -> SiteRun:
    """Publish the kits of ``scene_ids`` into ``site``. The site and every kit are checked before
    anything is written, under the output folder's lock, so no export changes a kit meanwhile."""
    check_site(gen, site)
    check_site_path(gen, site_path)
    with output_lock(out.root):
        kits = [(out.kit(sid), load_meta(out.kit(sid))) for sid in scene_ids]
        for kit, meta in kits:
            check_kit(kit, meta)
        template = install_template(gen, site)
        scenes = tuple(publish_kit(gen, site, kit, meta, site_path) for kit, meta in kits)
        return SiteRun(template, scenes)
