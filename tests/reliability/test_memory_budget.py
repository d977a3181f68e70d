"""The memory estimate that refuses parameter products past the budget, against a measurement:
tracemalloc's peak while the model runs at a size where the product dominates."""

from __future__ import annotations

import tracemalloc

import pytest

from render.core.catalog import get_scene
from render.core.errors import UserError
from render.core.params import MEMORY_BUDGET


@pytest.mark.parametrize(
    ("scene", "overrides"),
    [
        ("lln", {"n": "10000", "paths": "400"}),
        ("lln", {"hist_samples": "30000"}),
        # The Rosenbrock runs cut short, so that the SGD runs are what fills memory.
        (
            "gradient-descent",
            {
                "sgd_runs": "600",
                "sgd_steps": "4000",
                "max_steps": "200",
                "sweep_steps": "200",
                "hover_steps": "100",
            },
        ),
    ],
)
def test_the_estimate_is_within_a_factor_of_two_of_the_measured_peak(scene, overrides):
    spec = get_scene(scene)
    params = spec.params.from_overrides(overrides)
    tracemalloc.start()
    try:
        spec.compute(params)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 0.5 <= peak / params.memory_estimate() <= 2.0, (peak, params.memory_estimate())


def test_a_product_past_the_budget_is_refused_with_the_estimate():
    spec = get_scene("lln")
    with pytest.raises(UserError, match=r"n=100000, paths=2000.* about 6\.\d GB") as info:
        spec.params.from_overrides({"n": "100000", "paths": "2000"})
    assert f"{MEMORY_BUDGET / 1e9:.1f} GB" in str(info.value)
