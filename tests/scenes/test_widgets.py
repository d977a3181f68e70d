"""Golden frames of the shared widgets, drawn alone (the scenes' last frames are mostly text).

Each widget is drawn from fixed numbers onto one 320x180 frame with Manim's own camera (no movie)
and compared with ``tests/scenes/regression/widgets/<name>.png`` the way the scenes' last frames
are; ``pytest --regen-images`` rewrites them. The shifted-axes helpers are also checked against
the arithmetic they replace in the scenes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from scenes.shared import widgets

pytestmark = pytest.mark.render

GOLDEN = Path(__file__).parent / "regression" / "widgets"
MEAN_ABS_TOLERANCE = 2.0
SIZE = {"pixel_width": 320, "pixel_height": 180, "frame_rate": 5}


def edge_axes():
    from scenes.shared import theme

    plot = widgets.EdgeAxes(
        [0, 10, 2], [-12, 4, 4], 10, 5, {0: "0", 10: "10"}, widgets.power_labels(range(-12, 5, 8))
    )
    xs = np.linspace(0, 10, 40)
    return [plot.axes, plot.line(xs, 4 - 1.6 * xs, theme.PRIMARY)]


def shifted_log_paths():
    from scenes.shared import theme

    axes = widgets.styled_axes([0, 3, 1], [0, 16, 4], 10, 5, x_log=True, y_numbers=[])
    widgets.add_shifted_y_labels(axes, (-8, 0, 8), -8.0)
    n = np.arange(1, 1001)
    idx = widgets.log_spaced_indices(1, len(n), 80)
    wave = 12 * np.sin(np.log(n)) / np.sqrt(np.log(n) + 1)
    return [axes, widgets.shifted_polyline(axes, n[idx], wave[idx], -8.0, 8.0, theme.ACCENT, 3)]


def histogram_and_band():
    from scenes.shared import theme

    start, stop, step = widgets.nice_range(-2.7, 2.9)
    axes = widgets.styled_axes([start, stop, step], [0, 0.5, 0.1], 10, 5, y_numbers=[0.2, 0.4])
    edges = np.linspace(-2.5, 2.5, 11)
    mids = (edges[:-1] + edges[1:]) / 2
    density = np.exp(-(mids**2) / 2) / np.sqrt(2 * np.pi)
    xs = np.linspace(-2.5, 2.5, 60)
    curve = np.exp(-(xs**2) / 2) / np.sqrt(2 * np.pi)
    return [
        axes,
        widgets.histogram(axes, edges, density, theme.PRIMARY),
        widgets.band(axes, xs, curve * 0.8, curve * 1.2, theme.SECONDARY),
    ]


WIDGETS = {"edge-axes": edge_axes, "shifted-log-paths": shifted_log_paths,
           "histogram-and-band": histogram_and_band}  # fmt: skip


def draw(build) -> np.ndarray:
    from manim import Scene, tempconfig

    from scenes.shared import theme

    with tempconfig({**SIZE, "disable_caching": True, "write_to_movie": False}):
        scene = Scene()
        scene.camera.background_color = theme.BACKGROUND
        from manim import config

        config.tex_template = theme.tex_template()
        scene.add(*build())
        scene.renderer.update_frame(scene)
        return np.array(scene.renderer.camera.pixel_array[:, :, :3], copy=True)


@pytest.mark.parametrize("name", WIDGETS)
def test_widget_matches_its_golden_frame(name, request):
    frame = draw(WIDGETS[name])
    golden = GOLDEN / f"{name}.png"
    if request.config.getoption("--regen-images"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        Image.fromarray(frame).save(golden)
        pytest.skip(f"regenerated {golden.name}")
    assert golden.exists(), f"no golden frame; run pytest --regen-images -k {name}"
    expected = np.asarray(Image.open(golden).convert("RGB"))
    assert expected.shape == frame.shape
    diff = np.abs(expected.astype(int) - frame.astype(int)).mean()
    assert diff <= MEAN_ABS_TOLERANCE, f"{name} differs from its golden frame by {diff:.2f}"
    assert frame.max() - frame.min() > 40, "the widget drew nothing"


def test_shifted_helpers_equal_the_arithmetic_they_replace():
    """lln drew ``clip(y, -8, 8) + 8`` by hand; the widget must give exactly those points."""
    from scenes.shared import theme

    axes = widgets.styled_axes([0, 3, 1], [0, 16, 4], 10, 5, x_log=True, y_numbers=[])
    n = np.arange(1, 1001)
    ys = np.random.default_rng(0).standard_cauchy(1000)
    idx = widgets.log_spaced_indices(1, len(n), 160)
    by_hand = widgets.polyline(axes, n[idx], np.clip(ys[idx], -8.0, 8.0) + 8.0, theme.ACCENT, 2.2)
    shifted = widgets.shifted_polyline(axes, n[idx], ys[idx], -8.0, 8.0, theme.ACCENT, 2.2)
    assert np.array_equal(shifted.points, by_hand.points)
    assert idx[0] == 0 and idx[-1] == 999 and np.all(np.diff(idx) > 0)
    assert widgets.nice_range(-2.7, 2.9) == (-3.0, 3.0, 1.0)
    assert widgets.nice_step(0.42) == 0.1
