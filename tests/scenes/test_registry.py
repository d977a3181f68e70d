"""Every registered scene keeps the architecture's promises, whatever its subject."""

from __future__ import annotations

import dataclasses
import importlib
from pathlib import Path

import numpy as np
import pytest

from render.core.catalog import all_scenes, get_scene, spec_of_class
from render.core.errors import UserError
from render.publish.data_export import model_dict

SPECS = all_scenes()


def test_ids_are_unique_and_lookup_suggests_close_ids():
    ids = [s.id for s in SPECS]
    assert len(ids) == len(set(ids))
    with pytest.raises(UserError, match="did you mean 'lln'"):
        get_scene("lnn")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_models_do_not_import_manim(spec):
    module = importlib.import_module(spec.params.__module__)
    source = Path(module.__file__).read_text()
    assert "import manim" not in source and "from manim" not in source


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_parameters_are_frozen_and_documented(spec):
    params = spec.default_params()
    assert params.scene_id == spec.id
    with pytest.raises(dataclasses.FrozenInstanceError):
        params.seed = 1  # type: ignore[misc]
    assert all(f.metadata.get("help") for f in dataclasses.fields(spec.params))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_same_seed_same_data(spec):
    def flat(seed):
        data = model_dict(spec.compute(spec.params.from_overrides({}, seed)))
        arrays = []

        def walk(v):
            if isinstance(v, dict):
                for key in sorted(v):
                    walk(v[key])
            elif isinstance(v, list | tuple):
                for item in v:
                    walk(item)
            else:
                arrays.append(np.asarray(v))

        walk(data)
        return arrays

    a, b = flat(1), flat(1)
    assert len(a) == len(b)
    assert all(
        np.array_equal(x, y, equal_nan=x.dtype.kind == "f") for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_scene_class_draws_its_registered_model(spec):
    from scenes.shared.base import MathreelScene

    cls = spec.scene_class()
    assert issubclass(cls, MathreelScene)
    # Plain `manim render FILE CLASS` finds the model through the class name alone.
    assert spec_of_class(cls.__name__) is spec
    assert 0 <= spec.hero_time <= spec.duration
