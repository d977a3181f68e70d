"""Narration and chapter titles take their numbers from the model: one tiny render per scene with
non-default ``--set`` values, whose captions and chapters must name the new numbers (a count
written as a literal would still say the default)."""

from __future__ import annotations

import pytest

from render.core.catalog import get_scene

pytestmark = pytest.mark.render


def said(render) -> str:
    """Every caption and chapter title of the render, one per line."""
    cues = [c["text"] for c in render.timeline["cues"]]
    sections = [s["name"] for s in render.timeline["sections"]]
    return "\n".join(cues + sections)


def model(scene_id: str, overrides: dict[str, str]):
    spec = get_scene(scene_id)
    return spec.compute(spec.params.from_overrides(overrides))


def test_lln(tiny_render):
    overrides = {"paths": "37", "n": "500", "epsilon": "0.3"}
    data = model("lln", overrides)
    text = said(tiny_render("lln", overrides))
    assert "Now 37 independent runs" in text
    assert "37 runs, one funnel" in text
    assert f"Only {data.always_inside_fraction:.0%} stay inside at every n up to 500" in text
    assert "epsilon = 0.3" in text


def test_buffon(tiny_render):
    overrides = {"needles": "1500", "repeats": "300", "long_ratio": "3"}
    data = model("buffon", overrides)
    text = said(tiny_render("buffon", overrides))
    assert "300 experiments" in text
    assert "At N = 1500" in text
    assert "make the needle 3 times the gap" in text
    assert f"outside their band at {data.outside_band_share:.0%} of the N" in text
    widening = data.long_corrected_standard_error[-1] / data.standard_error[-1]
    assert f"a band {widening:.1f} times as wide" in text


def test_basin_flatness(tiny_render):
    overrides = {"points": "12", "hidden": "30"}
    text = said(tiny_render("basin-flatness", overrides))
    assert "each of the 12 outputs" in text
    assert "2k = 24" in text


def test_clt(tiny_render):
    overrides = {"galton_balls": "300", "ks_max_n": "60"}
    text = said(tiny_render("clt", overrides))
    assert "Now all 300 balls" in text
    assert "for n = 1 to 60" in text


def test_gradient_descent(tiny_render):
    overrides = {"lr": "0.0012", "convex_steps": "5000", "convex_tolerance": "0.001"}
    data = model("gradient-descent", overrides)
    text = said(tiny_render("gradient-descent", overrides))
    assert "learning rate 0.0012" in text
    arrivals = sorted(
        r.steps_to_tolerance
        for k, r in data.optimizers.items()
        if k != "adam_hover" and r.steps_to_tolerance >= 0
    )
    assert f"makes it {arrivals[0]:,} steps or {arrivals[-1]:,}" in text
    adam, rms = data.optimizers["adam"], data.optimizers["rmsprop"]
    assert f"Adam leaves the ball {adam.exits:,} times, RMSprop {rms.exits:,}" in text
    from scenes.gradient_descent.verdict import Verdict

    for line in Verdict.of(data.convex).lines().values():
        assert line in text
