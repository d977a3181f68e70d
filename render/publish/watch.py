"""``mathreel watch``: render, serve the preview page, and render again whenever a source changes.

What counts as a change is what the render cache keys on: every project file in the scene's
import graph and every asset those files name (:func:`render.engine.cache.source_inputs`), polled
by content hash, so an editor's save-by-rename and a ``touch`` without edits both do the right
thing. Each render runs in a fresh worker process, so it sees the edited code; a failed render
leaves the last good video on the page with the error above it.
"""

from __future__ import annotations

import contextlib
import shutil
import threading
import time
from collections.abc import Callable
from typing import Any

from render.core.errors import MathreelError, UserError
from render.core.params import Params
from render.core.quality import Quality
from render.core.records import load_json
from render.core.settings import Settings
from render.core.spec import SceneSpec
from render.engine.beat import render_beat
from render.engine.cache import source_inputs
from render.engine.pipeline import render_scene
from render.narration.request import NarrationRequest
from render.publish.data_export import model_dict
from render.publish.preview import PreviewSite, serve

POLL_SECONDS = 0.5


def current_sources(spec: SceneSpec) -> dict[str, str] | str:
    """The hashes of the scene's sources, or why they cannot be read right now (a syntax error
    half-way through an edit is shown on the page, and the next save is picked up)."""
    try:
        return source_inputs(spec)
    except (SyntaxError, OSError, UnicodeDecodeError) as exc:
        return f"cannot read the scene's sources: {exc}"


def render_once(
    spec: SceneSpec,
    params: Params,
    quality: Quality,
    settings: Settings,
    beat: str | None,
    narration: NarrationRequest | None = None,
) -> tuple[Any, dict[str, Any], float]:
    """One render (the whole scene, or one beat): its video, timeline and seconds."""
    if beat is not None:
        clip = render_beat(spec.id, params, quality, settings, beat, narration=narration)
        return clip.video, load_json(clip.timeline), clip.seconds
    result = render_scene(spec.id, params, quality, settings, narration=narration)
    return result.video, load_json(result.timeline), result.seconds


def watch(
    spec: SceneSpec,
    params: Params,
    quality: Quality,
    settings: Settings,
    *,
    beat: str | None = None,
    port: int = 8765,
    say: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    narration: NarrationRequest | None = None,
) -> None:
    """Serve the page and re-render on every change until ``stop`` is set (or Ctrl-C).

    ``narration`` is the voice the renders speak with (default: silent); unchanged lines come
    from the speech store, so only an edited line is spoken again.

    The served folder is removed on the way out, whatever stops the loop.
    """
    stop = stop or threading.Event()
    site = PreviewSite(
        settings.cache.preview(spec.id), spec.id, sorted(model_dict(spec.compute(params)))
    )
    site.create()
    try:
        server = serve(site.root, port)
    except OSError as exc:
        shutil.rmtree(site.root, ignore_errors=True)
        raise UserError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror}") from None
    say(f"preview: http://127.0.0.1:{server.server_address[1]}/  (Ctrl-C stops)")
    try:
        seen: dict[str, str] | str | None = None
        while not stop.is_set():
            sources = current_sources(spec)
            if sources != seen:
                seen = sources
                if isinstance(sources, str):
                    site.failed(sources)
                else:
                    _render_and_show(site, spec, params, quality, settings, beat, narration, say)
            stop.wait(POLL_SECONDS)
    finally:
        server.shutdown()
        server.server_close()
        with contextlib.suppress(OSError):
            shutil.rmtree(site.root)


def _render_and_show(
    site: PreviewSite, spec: SceneSpec, params: Params, quality: Quality, settings: Settings,
    beat: str | None, narration: NarrationRequest | None, say: Callable[[str], None],
) -> None:  # fmt: skip
    site.rendering()
    start = time.perf_counter()
    try:
        video, timeline, _ = render_once(spec, params, quality, settings, beat, narration)
    except MathreelError as exc:
        message = " ".join(str(exc).split())
        site.failed(message)
        say(f"render failed: {message}")
        return
    seconds = time.perf_counter() - start
    site.publish(video, timeline, seconds)
    say(f"rendered {video} in {seconds:.1f} s")
