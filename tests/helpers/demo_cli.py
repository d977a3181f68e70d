"""``mathreel`` with the export demo scene registered, for tests that drive the command line in a
subprocess (``python -m tests.helpers.demo_cli ARGS``): the same ``main()`` the console script
runs, so exit codes, signals and stderr are exactly a user's. Only the catalog differs."""

from __future__ import annotations

import render.core.catalog
from render.cli import main
from tests.helpers import demo_scene

_registered = render.core.catalog.all_scenes
render.core.catalog.all_scenes = lambda: (*_registered(), demo_scene.SPEC)

if __name__ == "__main__":
    main()
