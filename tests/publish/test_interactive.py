"""The interactive pages without a browser: what they embed, their policy and their size.

The embedded arrays are decoded here by a second, independent reader (base64 and numpy, not the
page's JavaScript) and compared with the model's output bit for bit; the Content-Security-Policy's
hashes are recomputed from the page's own inline blocks; and every page must fit its budget with
the default number of seeds.
"""

from __future__ import annotations

import base64
import hashlib
import html.parser
import json
import re

import numpy as np
import pytest

from render.core.catalog import get_scene
from render.core.errors import UserError
from render.core.paths import OutPaths
from render.publish import interactive
from render.publish.data_export import model_dict

PAGES = ("buffon", "lln", "clt", "bayes")
DTYPES = {"f64": "<f8", "f32": "<f4", "u8": "<u1", "u16": "<u2", "u32": "<u4", "q16": "<u2"}


def unpack(packed: dict) -> np.ndarray:
    raw = np.frombuffer(base64.b64decode(packed["b"]), dtype=DTYPES[packed["t"]])
    if packed["t"] == "q16":
        return packed["lo"] + raw * (packed["hi"] - packed["lo"]) / 65535
    return raw


class Blocks(html.parser.HTMLParser):
    """The page's inline <style> and <script> blocks and its CSP, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.styles: list[str] = []
        self.scripts: list[tuple[str, str]] = []
        self.csp = ""
        self.urls: list[str] = []
        self._open: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"]
        if tag in ("style", "script"):
            self._open = (tag, a.get("type", ""))
        self.urls += [v for k, v in attrs if k in ("src", "href") and v]

    def handle_data(self, data):
        if self._open and self._open[0] == "style":
            self.styles.append(data)
        elif self._open:
            self.scripts.append((self._open[1], data))

    def handle_endtag(self, tag):
        self._open = None


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return {
        sid: interactive.build_page(
            get_scene(sid), get_scene(sid).default_params(), interactive.page_seeds(0, 4)
        )
        for sid in PAGES
    }


def embedded(page: str) -> dict:
    blocks = Blocks()
    blocks.feed(page)
    (data,) = [text for kind, text in blocks.scripts if kind == "application/json"]
    return json.loads(data)


@pytest.mark.parametrize("scene", PAGES)
def test_the_page_fits_its_budget_with_four_seeds(pages, scene):
    assert len(pages[scene].encode()) <= 600 * 1024


@pytest.mark.parametrize("scene", PAGES)
def test_nothing_but_hashed_inline_blocks_may_run(pages, scene):
    blocks = Blocks()
    blocks.feed(pages[scene])
    (style,) = blocks.styles
    (script,) = [text for kind, text in blocks.scripts if kind == ""]
    policy = dict(part.strip().split(" ", 1) for part in blocks.csp.split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == sha256(script)
    assert policy["style-src"] == sha256(style)
    assert "unsafe-inline" not in blocks.csp
    assert all(url.startswith("data:") for url in blocks.urls), blocks.urls
    assert not re.search(r"https?://", script), "the script names an address"


def test_buffon_embeds_the_models_numbers_bit_for_bit(pages):
    data = embedded(pages["buffon"])
    assert data["seeds"] == [0, 1, 2, 3]
    for seed, run in zip(data["seeds"], data["runs"], strict=True):
        spec = get_scene("buffon")
        d = model_dict(spec.compute(spec.params(seed=seed)))
        for page_key, model_key in [
            ("estimate", "running_estimate"),
            ("dart_estimate", "dart_running_estimate"),
            ("long_estimate", "long_corrected_estimate"),
            ("hits", "hits"),
            ("dart_inside", "dart_inside"),
            ("long_crossings", "long_crossings"),
        ]:
            got, want = unpack(run[page_key]), np.asarray(d[model_key])
            assert np.array_equal(got, want, equal_nan=True), page_key
        counted = np.cumsum(np.asarray(d["long_crossings"]) > 0)
        assert np.array_equal(unpack(run["long_hits"]), counted)
        level = d["board_height"] / 65535
        assert np.abs(unpack(run["needles"]["y"]) - d["needles"][:, 1]).max() <= level / 2 + 1e-12
    assert np.array_equal(unpack(data["shared"]["standard_error"]), d["standard_error"])


def test_lln_and_bayes_embed_the_readouts_exactly(pages):
    lln, bayes = embedded(pages["lln"]), embedded(pages["bayes"])
    for seed in (0, 3):
        d = model_dict(get_scene("lln").compute(get_scene("lln").params(seed=seed)))
        run = lln["runs"][seed]
        assert np.array_equal(unpack(run["mean"]), d["paths"][0])
        assert np.array_equal(unpack(run["outside"]), d["outside_band_fraction"])
        assert np.array_equal(unpack(run["cauchy_mean"]), d["cauchy_paths"][0])
        assert np.array_equal(unpack(run["rolls"]), d["rolls"][0])
        b = model_dict(get_scene("bayes").compute(get_scene("bayes").params(seed=seed)))
        run = bayes["runs"][seed]
        assert np.array_equal(unpack(run["mean"]), b["posterior_mean"])
        assert np.array_equal(unpack(run["heads"]), np.concatenate([[0], np.cumsum(b["flips"])]))
        assert np.array_equal(unpack(run["stubborn_mean"]), b["stubborn"]["posterior_mean"])


def test_the_drawn_bayes_density_is_the_beta_posterior(pages):
    """Densities are drawn for every flip (the model keeps a ladder of them): on the model's own
    ladder they must match the model's density to the drawing's 8-bit resolution."""
    run = embedded(pages["bayes"])["runs"][0]
    spec = get_scene("bayes")
    d = model_dict(spec.compute(spec.params()))
    packed = run["density"]
    levels = np.frombuffer(base64.b64decode(packed["b"]), "<u1").reshape(-1, packed["cols"])
    rows = levels / 255 * unpack(packed["max"])[:, None]
    ladder = np.asarray(d["density_steps"])
    want = np.asarray(d["posterior_density"])[:, :: interactive.BAYES_GRID_STEP]
    top = want.max(axis=1, keepdims=True)
    assert np.all(np.abs(rows[ladder] - want) <= top / 255 * 0.5 + 1e-9 * top)


def test_too_many_seeds_for_the_budget_is_refused_in_one_line():
    spec = get_scene("buffon")
    refused = r"^buffon: .* over its 600 KB budget \(use fewer --seeds\)$"
    with pytest.raises(UserError, match=refused):
        interactive.build_page(spec, spec.default_params(), interactive.page_seeds(0, 6))
    with pytest.raises(UserError, match="--seeds must be between 1 and"):
        interactive.page_seeds(0, 0)


def test_a_scene_without_a_page_is_named():
    spec = get_scene("gradient-descent")
    with pytest.raises(UserError, match="scene gradient-descent has no interactive page"):
        interactive.page_data(spec, spec.default_params(), [0])


def test_drawn_indices_cover_the_curve_from_its_start_to_its_end():
    idx = interactive.drawn_indices(2000)
    assert idx[0] == 0 and idx[-1] == 1999 and np.all(np.diff(idx) > 0)
    assert len(idx) <= interactive.DRAWN_POINTS + 1


def test_export_writes_the_page_and_refuses_bad_seeds_without_leaving_a_file(tmp_path):
    from tests.helpers.kit import run_cli

    out = tmp_path / "out"
    code, output = run_cli(
        "export", "lln", "--target", "interactive", "--seeds", "3", "--out", str(out)
    )
    assert code == 0, output
    page = out / "lln" / "lln.interactive.html"
    assert embedded(page.read_text())["seeds"] == [0, 1, 2]
    assert list(interactive.page_problems(page)) == [
        ("max bytes", True, f"{page.stat().st_size} > {interactive.PAGE_BUDGET_BYTES}"),
        ("policy", True, "the CSP hashes do not match"),
        ("data", True, "no model data"),
    ]
    for bad, message in [
        (["buffon", "--seeds", "9"], "error: buffon: the interactive page with 9 seeds would be"),
        (["buffon", "--seeds", "0"], "error: --seeds must be between 1 and 16, got 0"),
        (["gradient-descent"], "error: scene gradient-descent has no interactive page"),
    ]:
        code, output = run_cli("export", *bad, "--target", "interactive", "--out", str(out))
        assert code == 2 and output.startswith(message) and output.count("\n") == 1, output
    written = {p for p in out.rglob("*") if p.is_file()} - {OutPaths(out).lock}
    assert written == {page}


def test_a_page_edited_by_hand_fails_verify(tmp_path, pages):
    page = tmp_path / "bayes.interactive.html"
    page.write_text(pages["bayes"].replace("this.k + Number", "this.k + 2 * Number", 1))
    failed = [name for name, ok, _ in interactive.page_problems(page) if not ok]
    assert failed == ["policy"]


@pytest.mark.parametrize("markup", ["html", "markdown", "hugo", "jekyll", "mdx"])
def test_the_page_embed_escapes_the_title_for_each_markup(markup, tmp_path):
    from render.publish import page_embed

    title = 'Pi <b>"&"</b> {{ x }}'
    meta = {"id": "buffon", "title": title, "files": {"buffon.interactive.html": {"height": 1180}}}
    snippet = page_embed.snippet(meta, markup, "/kits/buffon/")
    if markup == "hugo":  # a shortcode call: raw-string parameters, Hugo escapes what it prints
        assert snippet.startswith("{{< mathreel-interactive ") and "height=`1180`" in snippet
        assert "base=`/kits/buffon/`" in snippet and 'title=`Pi <b>"&"</b> {{ x }}`' in snippet
        site = tmp_path / "site"
        site.mkdir()
        shortcode = page_embed.install_hugo_shortcode(site).read_text()
        assert 'sandbox="allow-scripts"' in shortcode and '.Get "height"' in shortcode
    elif markup == "mdx":
        assert 'sandbox="allow-scripts"' in snippet and "ref={(f) =>" in snippet
    else:
        assert 'sandbox="allow-scripts"' in snippet and 'height="1180"' in snippet
    if markup != "hugo":
        assert "/kits/buffon/buffon.interactive.html" in snippet and "<b>" not in snippet
    if markup == "jekyll":
        assert "{{" not in snippet.split("<script>")[0]
    with pytest.raises(UserError, match=r"the kit has no buffon\.interactive\.html"):
        page_embed.snippet({**meta, "files": {}}, markup, "")
