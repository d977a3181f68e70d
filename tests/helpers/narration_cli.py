"""``mathreel`` with the narration test scene registered, for tests that kill a narrated render
(``python -m tests.helpers.narration_cli ARGS``): the command line's own ``main()``, so signals,
locks, clean-up and exit codes are exactly a user's. The scene exists only in this process, so
renders are drawn here instead of in a worker process (whose catalog would not know it), at the
tests' tiny size (``--quality tiny``)."""

from __future__ import annotations

import render.core.catalog
import render.engine.pipeline
from render.cli import main
from render.core.quality import QUALITIES
from tests.helpers import narration_scene
from tests.helpers.in_process import InProcessExecutor
from tests.helpers.tiny import TINY

_registered = render.core.catalog.all_scenes
render.core.catalog.all_scenes = lambda: (*_registered(), narration_scene.SPEC)
render.engine.pipeline.LocalExecutor = lambda jobs: InProcessExecutor()  # type: ignore[assignment,misc]
QUALITIES[TINY.name] = TINY

if __name__ == "__main__":
    main()
