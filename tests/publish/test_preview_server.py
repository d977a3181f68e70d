"""The preview server answers only for the files of its own folder, on the loopback address."""

from __future__ import annotations

import http.client

import pytest

from render.core.catalog import get_scene
from render.core.errors import UserError
from render.core.settings import Settings
from render.publish.preview import PreviewSite, serve
from render.publish.watch import watch
from tests.helpers.kit import SCENE
from tests.helpers.tiny import TINY


@pytest.fixture()
def site(tmp_path):
    root = tmp_path / "site"
    preview = PreviewSite(root, "demo", ["mu", "sigma"])
    preview.create()
    (tmp_path / "secret.txt").write_text("not for the browser")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "sub").mkdir()
    (root / "sub" / "inner.txt").write_text("not made by the site")
    server = serve(root, 0)
    yield server
    server.shutdown()
    server.server_close()


def get(server, path: str) -> tuple[int, bytes]:
    """``GET path`` sent exactly as written (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_it_binds_the_loopback_address_only(site):
    assert site.server_address[0] == "127.0.0.1"


def test_the_page_and_its_status_are_served(site):
    status, body = get(site, "/")
    assert status == 200 and b"mathreel watch: demo" in body
    status, body = get(site, "/status.json?t=1")
    assert status == 200 and b'"data_keys": ["mu", "sigma"]' in body


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
        "/%252e%252e/secret.txt", "//etc/passwd", "/etc/passwd", "/%2Fetc%2Fpasswd",
        "/link.txt", "/sub/inner.txt", "/sub", "/.", "/..", "/missing.mp4", "/..\\secret.txt",
    ],
)  # fmt: skip
def test_traversal_absolute_paths_symlinks_and_subfolders_get_404(site, path):
    status, body = get(site, path)
    assert status == 404 and b"not for the browser" not in body


def test_a_taken_port_is_one_error_and_leaves_no_folder(site, tmp_path):
    settings = Settings(out_dir=tmp_path / "out", cache_dir=tmp_path / "cache")
    spec = get_scene(SCENE)
    with pytest.raises(
        UserError, match=r"cannot serve on 127\.0\.0\.1:\d+: Address already in use"
    ):
        watch(spec, spec.default_params(), TINY, settings, port=site.server_address[1])
    assert not settings.cache.preview(SCENE).exists()
