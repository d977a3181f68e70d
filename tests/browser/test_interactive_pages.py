"""The interactive pages in a real headless Chromium: every readout against ``mathreel data``.

Each page is exported by the real command and served over loopback HTTP. The tests press the
page's own controls (by their documented ``data-action``), read every ``data-readout``'s
``data-value`` and compare it, exactly, with the model's numbers that ``mathreel data`` writes for
the same seed: the page may only reveal those numbers, never compute its own. They also drive the
controls from the keyboard, switch seeds, reset, watch the console, list every request the page
made, check the animation is off under reduced motion and that nothing scrolls sideways at 360 px,
and keep screenshots at desktop and phone width for a person to look at.
"""

from __future__ import annotations

import functools
import json
import math
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tests.helpers.browser import needs_chromium, serve, start_chromium
from tests.helpers.kit import SCENE, run_cli

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

pytestmark = needs_chromium
PAGES = ("buffon", "lln", "clt", "bayes")
SEEDS = 2  # enough to switch; the default four are measured by tests/publish/test_interactive.py
STEP = {"buffon": "throw", "lln": "roll", "clt": "drop", "bayes": "flip"}
COUNTER = {"buffon": "n", "lln": "n", "clt": "balls", "bayes": "flips"}

READOUTS = """return Object.fromEntries(Array.from(document.querySelectorAll('[data-readout]'),
  e => [e.dataset.readout, e.dataset.value]));"""


def cli(*args: str) -> str:
    code, output = run_cli(*args)
    assert code == 0, output
    return output


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The four pages as ``mathreel export SCENE --target interactive`` writes them, served."""
    out = tmp_path_factory.mktemp("interactive")
    for scene in PAGES:
        cli("export", scene, "--target", "interactive", "--seeds", str(SEEDS), "--out", str(out))
    with serve(out) as server:
        origin = server.origin
        yield origin, out


@pytest.fixture(scope="module")
def model(data_dir: Path):
    """``mathreel data SCENE --seed N [--set k=v]``: the numbers the video is drawn from."""

    @functools.cache
    def read(scene: str, seed: int, *sets: str) -> dict:
        out = data_dir / f"{scene}-{seed}-{'-'.join(sets)}"
        args = ["data", scene, "--seed", str(seed), "--out", str(out)]
        for item in sets:
            args += ["--set", item]
        cli(*args)
        return json.loads((out / scene / f"{scene}.data.json").read_text())["data"]

    return read


@pytest.fixture(scope="module")
def browser():
    driver = start_chromium(1100, 900)
    yield driver
    driver.quit()


def open_page(driver, site, scene: str, reduced_motion: bool = True) -> None:
    """Reduced motion by default, so every picture is final at once; readouts never wait anyway."""
    value = "reduce" if reduced_motion else "no-preference"
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": value}]},
    )
    driver.get_log("browser")
    driver.get(f"{site[0]}/{scene}/{scene}.interactive.html")
    assert driver.execute_script("return document.readyState") == "complete"


def press(driver, action: str, count: int | None = None, choice: str | None = None) -> None:
    selector = f'[data-action="{action}"]'
    if count is not None:
        selector += f'[data-count="{count}"]'
    if choice is not None:
        selector += f'[data-choice="{choice}"]'
    driver.find_element("css selector", selector).click()


def values(driver) -> dict[str, float]:
    return {k: float(v) for k, v in driver.execute_script(READOUTS).items()}


def same(got: float, want: float) -> bool:
    """Bit for bit: the page must show the model's float64, not a rounded or recomputed one."""
    return (math.isnan(got) and math.isnan(want)) or got == want


def assert_readouts(driver, expected: dict[str, float]) -> None:
    got = values(driver)
    wrong = {k: (got.get(k), v) for k, v in expected.items() if not same(got.get(k, math.nan), v)}
    assert not wrong, wrong


def assert_clean(driver, origin: str) -> None:
    """No console message at all, and no request beyond the page itself."""
    assert driver.get_log("browser") == []
    requests = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert requests == [], requests
    navigation = driver.execute_script(
        "return performance.getEntriesByType('navigation').map(e => e.name)"
    )
    assert all(url.startswith(origin + "/") for url in navigation), navigation


# ---------------------------------------------------------------------------------------------
# what each page must show after n steps, from the model's own output


def buffon_expected(d: dict, n: int, long: bool = False) -> dict[str, float]:
    if n == 0:
        return {"n": 0, "hits": 0, "estimate": math.nan, "se": math.nan}
    i = n - 1
    if long:  # hits counted here from the model's per-needle crossings, independently of the page
        hits = int((np.asarray(d["long_crossings"][:n]) > 0).sum())
        band = d.get("long_corrected_standard_error")
        se = band[i] if band is not None else math.nan
        return {"n": n, "hits": hits, "estimate": d["long_corrected_estimate"][i], "se": se}
    return {
        "n": n,
        "hits": d["hits"][i],
        "estimate": d["running_estimate"][i],
        "se": d["standard_error"][i],
        "dart_estimate": d["dart_running_estimate"][i],
    }


def lln_expected(d: dict, n: int, cauchy: bool = False) -> dict[str, float]:
    if n == 0:
        return {"n": 0, "mean": math.nan}
    i = n - 1
    if cauchy:
        return {"n": n, "mean": d["cauchy_paths"][0][i], "outside": math.nan}
    return {
        "n": n,
        "mean": d["paths"][0][i],
        "band_low": d["band_low"][i],
        "band_high": d["band_high"][i],
        "outside": d["outside_band_fraction"][i],
    }


def bayes_expected(d: dict, k: int) -> dict[str, float]:
    s = d["stubborn"]
    return {
        "flips": k,
        "heads": sum(d["flips"][:k]),
        "mean": d["posterior_mean"][k],
        "low": d["credible_low"][k],
        "high": d["credible_high"][k],
        "stubborn_mean": s["posterior_mean"][k],
        "predictive": d["predictive"][k - 1] if k else math.nan,
        "last": d["flips"][k - 1] if k else math.nan,
    }


# ---------------------------------------------------------------------------------------------


def test_buffon_reveals_the_models_needles(browser, site, model):
    open_page(browser, site, "buffon")
    d = model("buffon", 0)
    assert_readouts(browser, {**buffon_expected(d, 0), "seed": 0})
    n = 0
    for count in (1, 10, 100, 1, 1000):
        press(browser, "throw", count)
        n += count
        assert_readouts(browser, buffon_expected(d, n))
    press(browser, "long")
    assert_readouts(browser, buffon_expected(d, n, long=True))
    press(browser, "throw", 1000)  # past the end: the page stops at the model's last needle
    total = len(d["n"])
    assert_readouts(browser, buffon_expected(d, total, long=True))
    assert not browser.find_element("css selector", '[data-action="throw"]').is_enabled()
    press(browser, "long")
    assert_readouts(browser, buffon_expected(d, total))
    assert_clean(browser, site[0])


def test_lln_rolls_drags_and_switches_to_cauchy(browser, site, model):
    open_page(browser, site, "lln")
    d = model("lln", 0)
    assert_readouts(browser, lln_expected(d, 0))
    n = 0
    for count in (1, 1, 10, 100):
        press(browser, "roll", count)
        n += count
        assert_readouts(browser, lln_expected(d, n))
    slider = browser.find_element("css selector", 'input[data-action="n"]')
    slider.send_keys(Keys.END)  # the slider from the keyboard: all the way to the last roll
    assert_readouts(browser, lln_expected(d, len(d["n"])))
    for _ in range(3):
        slider.send_keys(Keys.ARROW_LEFT)
    assert_readouts(browser, lln_expected(d, len(d["n"]) - 3))
    press(browser, "cauchy")
    assert_readouts(browser, lln_expected(d, len(d["n"]) - 3, cauchy=True))
    assert_clean(browser, site[0])


def test_clt_drops_the_models_balls_and_shows_each_dies_distance(browser, site, model):
    open_page(browser, site, "clt")
    d = model("clt", 0)
    balls = 0
    for count in (1, 10, 100):
        press(browser, "drop", count)
        balls += count
        assert_readouts(browser, {"balls": balls, "bucket": d["galton_buckets"][balls - 1]})
    for die in ("skewed", "uniform", "u-shaped"):
        exact = model("clt", 0, f"die={die}")
        press(browser, "die", choice=die)
        for n in exact["ns"]:
            press(browser, "n", choice=str(n))
            want = {
                "n": n,
                "ks": exact["standardized"][str(n)]["ks"],
                "bound": exact["berry_esseen_bound"][n - 1],
                "balls": balls,
            }
            assert_readouts(browser, want)
            assert want["ks"] == exact["ks_distance"][n - 1]  # the two exports agree
    assert_clean(browser, site[0])


def test_bayes_flips_the_models_coin(browser, site, model):
    open_page(browser, site, "bayes")
    d = model("bayes", 0)
    assert_readouts(browser, bayes_expected(d, 0))
    k = 0
    for count in (1, 1, 1, 10, 100):
        press(browser, "flip", count)
        k = min(len(d["flips"]), k + count)
        assert_readouts(browser, bayes_expected(d, k))
    assert_clean(browser, site[0])


@pytest.mark.parametrize(
    ("scene", "action", "count", "expected"),
    [
        ("buffon", "throw", 100, lambda d: buffon_expected(d, 100)),
        ("lln", "roll", 100, lambda d: lln_expected(d, 100)),
        ("clt", "drop", 100, lambda d: {"balls": 100, "bucket": d["galton_buckets"][99]}),
        ("bayes", "flip", 10, lambda d: bayes_expected(d, 10)),
    ],
)
def test_new_experiment_switches_seed_and_reset_starts_over(
    browser, site, model, scene, action, count, expected
):
    open_page(browser, site, scene)
    press(browser, action, count)
    press(browser, "seed")  # a new experiment starts from nothing, with the next seed's draws
    assert values(browser)["seed"] == 1
    press(browser, action, count)
    assert_readouts(browser, expected(model(scene, 1)))
    press(browser, "seed")  # and comes back round to the first
    assert values(browser)["seed"] == 0
    press(browser, action, count)
    press(browser, "reset")
    press(browser, action, count)
    assert_readouts(browser, {**expected(model(scene, 0)), "seed": 0})
    assert_clean(browser, site[0])


@pytest.mark.parametrize("scene", PAGES)
def test_every_control_works_from_the_keyboard_with_a_visible_focus(browser, site, scene):
    open_page(browser, site, scene)
    body = browser.find_element("css selector", "h1")
    controls = browser.execute_script(
        "return document.querySelectorAll('button[data-action], input[data-action]').length"
    )
    body.click()
    reached = []
    for _ in range(controls + 3):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        info = browser.execute_script(
            "const e = document.activeElement, s = getComputedStyle(e);"
            "return [e.dataset.action || null, e.dataset.count || e.dataset.choice || null,"
            " s.outlineStyle, parseFloat(s.outlineWidth)]"
        )
        if info[0]:
            reached.append(tuple(info[:2]))
            assert info[2] != "none" and info[3] >= 2, info  # the focus ring is drawn
    assert len(set(reached)) == controls
    button = browser.find_element(
        "css selector", f'button[data-action="{STEP[scene]}"][data-count="10"]'
    )
    button.send_keys(Keys.ENTER)
    button.send_keys(Keys.SPACE)
    assert values(browser)[COUNTER[scene]] == 20
    assert_clean(browser, site[0])


def test_animation_runs_only_without_reduced_motion(browser, site):
    def floor_after_throw(reduced: bool) -> tuple[str, str]:
        open_page(browser, site, "buffon", reduced_motion=reduced)
        press(browser, "throw", 100)
        early = browser.execute_script("return document.getElementById('floor').toDataURL()")
        time.sleep(1.5)
        return early, browser.execute_script("return document.getElementById('floor').toDataURL()")

    early, late = floor_after_throw(reduced=True)
    assert early == late  # the final picture at once
    early, late = floor_after_throw(reduced=False)
    assert early != late  # the needles arrive over time
    assert_clean(browser, site[0])


@pytest.mark.parametrize("scene", PAGES)
def test_pages_fit_a_phone_and_are_kept_as_screenshots(browser, site, scene, tmp_path):
    for width in (1100, 360):
        browser.set_window_size(width, 900)
        open_page(browser, site, scene)
        press(browser, STEP[scene], 10)
        inner, scroll = browser.execute_script(
            "return [window.innerWidth, document.documentElement.scrollWidth]"
        )
        assert scroll <= inner, f"{scene} scrolls sideways at {width} px"
        shot = tmp_path / f"{scene}-{width}.png"
        browser.save_screenshot(str(shot))
        assert shot.stat().st_size > 10_000
        assert_clean(browser, site[0])
    browser.set_window_size(1100, 900)


def framed_kit(kit: Path, site) -> dict:
    """The demo kit with a real interactive page recorded in its meta.json (the demo scene has no
    page of its own; buffon's stands in, as the frame only needs a page)."""
    from render.publish import interactive, presskit

    demo = kit / SCENE
    page = demo / f"{SCENE}.{interactive.SUFFIX}"
    page.write_bytes((site[1] / "buffon" / "buffon.interactive.html").read_bytes())
    meta = presskit.load_meta(demo)
    meta["files"][page.name] = interactive.page_entry(page)
    presskit.write_meta(demo, meta)
    return meta


def check_frame(driver, url: str, origin: str, shot: Path) -> None:
    """The page loads in its frame, grows the frame to its own height and answers its controls;
    the whole page is kept as a screenshot for a person to look at."""
    driver.set_window_size(412, 900)
    open_page_at(driver, url)
    frame = driver.find_element("css selector", "iframe")
    assert frame.get_attribute("sandbox") == "allow-scripts"
    heights, deadline = [1180], time.monotonic() + 20  # until the frame has settled
    while time.monotonic() < deadline and (heights[-1] == 1180 or len(set(heights[-4:])) > 1):
        time.sleep(0.2)
        heights.append(int(frame.get_attribute("height")))
    grown = heights[-1]
    driver.switch_to.frame(frame)
    try:
        inside, room = driver.execute_script(
            "return [document.documentElement.scrollHeight, window.innerHeight]"
        )
        press(driver, "throw", 100)
        assert values(driver)["n"] == 100
    finally:
        driver.switch_to.default_content()
    # the frame followed the page: all of it shows, with no scroll bar inside and no gap below
    assert grown != 1180 and room == grown and 0 <= grown - inside <= 8, (grown, room, inside)
    assert driver.get_log("browser") == []
    requests = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
    )
    assert all(r.startswith(origin + "/") for r in requests), requests
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(412, full)
    driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    driver.set_window_size(1100, 900)


def open_page_at(driver, url: str) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {"features": [{"name": "prefers-reduced-motion", "value": "reduce"}]},
    )
    driver.get_log("browser")
    driver.get(url)


@pytest.mark.render
def test_the_gallery_shows_the_page_under_the_video(browser, site, kit_copy, tmp_path):
    files = len(framed_kit(kit_copy, site)["files"])  # the page is verified with the kit
    assert f"{files} of {files} files pass" in cli("verify", str(kit_copy))
    cli("gallery", "--out", str(kit_copy))
    with serve(kit_copy) as server:
        origin = server.origin
        check_frame(browser, f"{origin}/index.html", origin, tmp_path / "gallery.png")
        order = browser.execute_script(
            "return Array.from(document.querySelector('article').children, e => e.tagName)"
        )
        assert order.index("FIGURE") < order.index("FIGURE", order.index("FIGURE") + 1)
        figures = browser.find_elements("css selector", "article figure")
        assert [f.find_elements("css selector", "video, iframe")[0].tag_name for f in figures] == [
            "video",
            "iframe",
        ]


@pytest.mark.render
def test_the_interactive_embed_works_on_a_page_of_its_own(browser, site, kit_copy, tmp_path):
    framed_kit(kit_copy, site)
    snippet = cli(
        "embed", SCENE, "--format", "interactive", "--out", str(kit_copy), "--base-url", f"/{SCENE}"
    )
    blog = tmp_path / "blog"
    blog.mkdir()
    (blog / SCENE).symlink_to(kit_copy / SCENE)
    (blog / "post.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<link rel="icon" href="data:,"><title>post</title></head>'
        f"<body><p>Before.</p>{snippet}<p>After.</p></body></html>"
    )
    with serve(blog) as server:
        origin = server.origin
        check_frame(browser, f"{origin}/post.html", origin, tmp_path / "post.png")
