"""A stored model is the model computed again, and only a change of its inputs computes anew."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from render.core.catalog import get_scene
from render.core.spec import SceneSpec
from render.engine.model_store import computed_model, model_inputs
from tests.helpers.demo_scene import SPEC as DEMO_SPEC


def same(a: Any, b: Any) -> bool:
    """The same numbers, bit for bit, in the same structure (dataclasses, arrays, containers)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if dataclasses.is_dataclass(a):
        return all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


@pytest.fixture()
def computations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The scene id of every model actually computed (the real computation, counted)."""
    seen: list[str] = []
    compute = SceneSpec.compute

    def counted(self, params):
        seen.append(self.id)
        return compute(self, params)

    monkeypatch.setattr(SceneSpec, "compute", counted)
    return seen


@pytest.mark.parametrize("scene_id", ["lln", "bayes", "buffon"])
def test_a_stored_model_is_the_model(
    scene_id: str, computations: list[str], tmp_path: Path
) -> None:
    spec = get_scene(scene_id)
    params = spec.params()
    want = spec.compute(params)
    first = computed_model(spec, params, tmp_path)
    again = computed_model(spec, params, tmp_path)
    assert same(first, want) and same(again, want)
    assert computations == [scene_id] * 2  # the reference and the first store lookup
    assert len(list(tmp_path.glob("*.pickle"))) == 1
    assert not list(tmp_path.glob(".tmp-*"))


def test_other_parameters_are_another_model(computations: list[str], tmp_path: Path) -> None:
    spec = get_scene("lln")
    a = computed_model(spec, spec.params(), tmp_path)
    b = computed_model(spec, spec.params(seed=7), tmp_path)
    assert len(computations) == 2
    assert len(list(tmp_path.glob("lln-*.pickle"))) == 2
    assert not same(a, b)


def test_a_damaged_entry_is_computed_again_and_replaced(
    computations: list[str], tmp_path: Path
) -> None:
    spec = get_scene("lln")
    want = computed_model(spec, spec.params(), tmp_path)
    (entry,) = tmp_path.glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # cut short by a crash
    assert same(computed_model(spec, spec.params(), tmp_path), want)
    assert same(computed_model(spec, spec.params(), tmp_path), want)
    assert len(computations) == 2  # the first and the one that found the entry damaged


def test_the_key_holds_the_models_code_and_not_the_scenes() -> None:
    """Editing a caption keeps gradient-descent's model; editing an optimizer does not."""
    spec = get_scene("gradient-descent")
    sources = {name for name in model_inputs(spec, spec.params()) if name.startswith("source ")}
    assert {
        "source scenes.gradient_descent.model",
        "source scenes.gradient_descent.convex",
        "source scenes.gradient_descent.optimizers",
        "source scenes.gradient_descent.landscapes",
    } <= sources
    assert "source scenes.gradient_descent.scene" not in sources
    assert "source scenes.shared.widgets" not in sources


def test_a_store_that_cannot_be_written_only_costs_the_computation(tmp_path: Path) -> None:
    blocked = tmp_path / "store"
    blocked.write_text("a file where the store's folder should be")
    spec = get_scene("lln")
    got = computed_model(spec, spec.params(), blocked / "models")
    assert same(got, spec.compute(spec.params()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]


def test_a_model_outside_the_project_is_always_computed(
    computations: list[str], tmp_path: Path
) -> None:
    """Its source cannot be part of the key, so a stored result could outlive an edit of it."""
    for _ in range(2):
        computed_model(DEMO_SPEC, DEMO_SPEC.params(), tmp_path)
    assert len(computations) == 2
    assert not list(tmp_path.iterdir())
