"""The export demo scene is registered in the catalog for every test of this folder."""

from tests.helpers.export_fixtures import registered_demo  # noqa: F401
