"""Parsed SVGs kept between renders: each Text or Tex outline is read from its SVG once.

Building a ``Text`` or ``MathTex`` is mostly svgelements parsing the SVG that Pango or dvisvgm
wrote and Manim turning every path into a VMobject: a tenth of a scene's CPU, paid again by every
render, every shard and every beat of the same scene, because Manim remembers a parsed SVG only
inside one process (``SVG_HASH_TO_MOB_MAP``, filled with a copy of the first mobject built from
it), and a ``Text``'s not at all. When an SVG is first parsed, the copy Manim keeps is
pickled into the store under a key made of the SVG's bytes and the rest of Manim's own key (the
class, its style and path settings, the renderer), plus the Manim and store versions; a later
render unpickles it and hands its parts over the way Manim's in-memory path does, as if the file
had been parsed in this process. Entries are written once, by a rename, and one that cannot be
read is parsed again and replaced (:mod:`render.tools.pickles`).

The store lives in the user's own cache folder, beside the shared Tex cache.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from render.tools.pickles import load_pickle, save_pickle

STORE_VERSION = 1
_ORIGINAL: Any = None
_STORE: Path | None = None


def entry_key(mob: Any) -> str:
    """The store's name for the SVG ``mob`` is built from: its bytes and the rest of Manim's key."""
    import manim

    name, style, path_config, _file_name, renderer = mob.hash_seed
    digest = hashlib.sha256()
    digest.update(repr((STORE_VERSION, manim.__version__, name, style, path_config)).encode())
    digest.update(str(renderer).encode())
    digest.update(Path(mob.get_file_path()).read_bytes())
    return digest.hexdigest()


def init_svg_mobject(self: Any, use_svg_cache: bool) -> Any:
    """``SVGMobject.init_svg_mobject``, with the parse read from the store when it is there.

    With ``use_svg_cache`` (Tex, and SVGMobject's default) the stored mobject goes into Manim's
    in-memory map and Manim's own code takes it from there. ``Text`` asks Manim not to keep
    parses in memory; it gets the stored mobject's parts the way Manim's in-memory path hands them
    over, and nothing is kept in memory for it.
    """
    from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP
    from manim.utils.iterables import hash_obj

    if _STORE is None:
        return _ORIGINAL(self, use_svg_cache)
    in_memory = hash_obj(self.hash_seed)
    if use_svg_cache and in_memory in SVG_HASH_TO_MOB_MAP:
        return _ORIGINAL(self, use_svg_cache)
    entry = _STORE / f"{entry_key(self)}.pickle"
    stored = load_pickle(entry)
    if stored is None:
        result = _ORIGINAL(self, use_svg_cache)  # parses (and with the cache keeps a copy)
        # Pickling writes the parse as it is now, so a Text needs no copy of its own for it.
        save_pickle(entry, SVG_HASH_TO_MOB_MAP[in_memory] if use_svg_cache else self)
        return result
    if use_svg_cache:
        SVG_HASH_TO_MOB_MAP[in_memory] = stored
        return _ORIGINAL(self, use_svg_cache)
    self.add(*stored)
    self.id_to_vgroup_dict = stored.id_to_vgroup_dict
    return self


@contextlib.contextmanager
def svg_store(store: Path) -> Iterator[None]:
    """Inside the block, SVG mobjects are read from and written to ``store``."""
    global _ORIGINAL, _STORE
    from manim import SVGMobject

    _ORIGINAL, _STORE = SVGMobject.__dict__["init_svg_mobject"], store
    setattr(SVGMobject, "init_svg_mobject", init_svg_mobject)  # noqa: B010 (a method, for mypy)
    try:
        yield
    finally:
        setattr(SVGMobject, "init_svg_mobject", _ORIGINAL)  # noqa: B010
        _ORIGINAL, _STORE = None, None
