"""The export demo scene is registered for every test of this folder (the tour seeds the cache
with its render in-process)."""

from tests.helpers.export_fixtures import registered_demo  # noqa: F401
