"""The export demo scene is registered in the catalog for every test of this folder, and each
test module drives one headless Chromium."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers.browser import start_chromium
from tests.helpers.export_fixtures import registered_demo  # noqa: F401


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    driver = start_chromium()
    yield driver
    driver.quit()
