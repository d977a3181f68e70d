"""The watch mode's preview page: a folder of files it made, served on the loopback address.

The folder holds ``index.html`` (the page), ``status.json`` (what the page polls) and the current
render as ``render-<n>.mp4`` with its timeline: each render gets a new name, so a browser still
playing the previous one is never handed a file that changes under it; the one before is removed.
The server answers only for files directly in that folder: a path with ``..`` (encoded or not), an
absolute path, a subfolder or a symlink out of it gets 404.
"""

from __future__ import annotations

import dataclasses
import http.server
import json
import shutil
import threading
import urllib.parse
from pathlib import Path
from typing import Any

from render.tools.atomic import atomic_path, write_text

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mathreel watch: __SCENE__</title>
<style>
body{background:#0f1117;color:#e6e6e6;font:15px system-ui,sans-serif;margin:1.5em;}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(14em,1fr);gap:1.5em;}
video{width:100%;background:#000;} h1{font-size:1.2em;} h2{font-size:1em;color:#9aa0aa;}
button{display:block;width:100%;text-align:left;margin:.15em 0;padding:.35em .5em;
background:#1c2030;color:inherit;border:1px solid #2c3244;border-radius:4px;cursor:pointer;}
#errors{white-space:pre-wrap;color:#ff8a80;font-family:monospace;}
#state{color:#9aa0aa;} #beat{color:#c9b458;} ol{padding-left:1.2em;} li{margin:.2em 0;}
</style></head><body>
<h1>__SCENE__ <span id="beat"></span> <span id="state">waiting for the first render</span></h1>
<div id="errors"></div>
<main><div><video id="video" controls muted></video>
<h2>Captions</h2><ol id="cues"></ol></div>
<aside><h2>Beats</h2><div id="beats"></div><h2>Data keys</h2><ol id="keys"></ol></aside></main>
<script>
let version = null;
function list(id, items, make) {
  const box = document.getElementById(id); box.replaceChildren();
  for (const item of items) box.appendChild(make(item));
}
async function poll() {
  try {
    const status = await (await fetch("status.json", {cache: "no-store"})).json();
    document.getElementById("state").textContent = status.state;
    document.getElementById("errors").textContent = status.error || "";
    if (status.version !== version && status.video) {
      version = status.version;
      const video = document.getElementById("video");
      video.src = status.video; video.load();
      const timeline = status.timeline;
      // A beat clip lists its beat and cues on the clip's own clock: say which beat it is.
      document.getElementById("beat").textContent = timeline.beat
        ? `beat ${timeline.beat.number} (times from its start)` : "";
      list("beats", timeline.sections, s => {
        const b = document.createElement("button");
        b.textContent = `${s.start.toFixed(1)} s  ${s.name}`;
        b.onclick = () => { video.currentTime = s.start; video.play(); };
        return b;
      });
      list("cues", timeline.cues, c => {
        const li = document.createElement("li");
        li.textContent = `${c.start.toFixed(1)} s: ${c.text}`; return li;
      });
      list("keys", status.data_keys, k => {
        const li = document.createElement("li"); li.textContent = k; return li;
      });
      document.body.dataset.version = version;
    }
  } catch (e) { document.getElementById("state").textContent = "server stopped"; }
  setTimeout(poll, 700);
}
poll();
</script></body></html>
"""


@dataclasses.dataclass
class PreviewSite:
    """The served folder and what the page shows."""

    root: Path
    scene_id: str
    data_keys: list[str]
    version: int = 0
    state: str = "rendering"
    error: str | None = None
    video: str | None = None
    timeline: dict[str, Any] = dataclasses.field(default_factory=dict)

    def create(self) -> None:
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        write_text(self.root / "index.html", PAGE.replace("__SCENE__", self.scene_id))
        self._write_status()

    def rendering(self) -> None:
        self.state = "rendering"
        self._write_status()

    def publish(self, video: Path, timeline: dict[str, Any], seconds: float) -> None:
        """Show a new render: copied under a new name, the previous copy removed after."""
        old = self.video
        self.version += 1
        name = f"render-{self.version}.mp4"
        with atomic_path(self.root / name) as tmp:
            shutil.copyfile(video, tmp)
        self.video, self.timeline, self.error = name, timeline, None
        self.state = f"render {self.version} ({seconds:.1f} s)"
        self._write_status()
        if old is not None:
            (self.root / old).unlink(missing_ok=True)

    def failed(self, message: str) -> None:
        self.state, self.error = "the last render failed", message
        self._write_status()

    def _write_status(self) -> None:
        status = {
            "version": self.version, "state": self.state, "error": self.error,
            "video": self.video, "timeline": self.timeline, "data_keys": self.data_keys,
        }  # fmt: skip
        write_text(self.root / "status.json", json.dumps(status))


def resolve(root: Path, url_path: str) -> Path | None:
    """The file ``url_path`` names directly inside ``root``, or None (then the answer is 404)."""
    path = urllib.parse.unquote(urllib.parse.urlsplit(url_path).path)
    name = path.removeprefix("/") or "index.html"
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        return None
    candidate = root / name
    if candidate.is_symlink() or not candidate.is_file():
        return None
    return candidate if candidate.resolve().parent == root.resolve() else None


CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".mp4": "video/mp4",
}


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Serves only :func:`resolve`'s files (range requests included, so video seeks work)."""

    site_root: Path

    def send_head(self) -> Any:
        path = resolve(self.site_root, self.path)
        if path is None:
            self.send_error(404, "not found")
            return None
        self.path = "/" + path.name
        return super().send_head()

    def translate_path(self, path: str) -> str:
        found = resolve(self.site_root, path)
        return str(found) if found is not None else str(self.site_root / ".missing")

    def guess_type(self, path: Any) -> str:
        return CONTENT_TYPES.get(Path(str(path)).suffix, "application/octet-stream")

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows render results, not every poll of the page


def serve(root: Path, port: int) -> http.server.ThreadingHTTPServer:
    """Start serving ``root`` on 127.0.0.1:``port`` (0: any free port) in a daemon thread."""
    handler = type("Handler", (PreviewHandler,), {"site_root": root})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="preview-server", daemon=True).start()
    return server
