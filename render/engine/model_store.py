"""Computed models kept between renders: a scene's numbers are worked out once per input.

A scene's model is a pure function of its parameters (the seed among them) and of its code, and it
runs before the first frame in every process that draws the scene: each shard, each beat, each
still and each re-render of an edited caption. gradient-descent's (nine convex problems, every
optimizer grid-searched on each) is a sixth of a preview render. The store pickles the model's
result under a key of everything it depends on: the scene, its parameters, the source of every
project module the model imports and the versions of Python and the numerical libraries. A scene
edit that leaves the model's modules alone keeps the stored model; an edit of the model does not.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from render.core.assets import assets_dir
from render.core.params import Params
from render.core.spec import SceneSpec
from render.engine.sources import import_closure, referenced_assets
from render.tools.hashing import file_sha256
from render.tools.pickles import load_pickle, save_pickle
from render.tools.versions import package_version

STORE_VERSION = 1
# What the models compute with (scikit-learn ships classifier-basin's data).
LIBRARIES = ("numpy", "scipy", "scikit-learn")


def model_inputs(spec: SceneSpec, params: Params) -> dict[str, str]:
    """Everything the model's result depends on, each named (sources by file, versions by name)."""
    modules = import_closure((spec.model.__module__, spec.params.__module__))
    inputs = {
        "store": str(STORE_VERSION),
        "scene": spec.id,
        "model": f"{spec.model.__module__}.{spec.model.__qualname__}",
        "python": sys.version,
    }
    inputs.update({f"param {k}": json.dumps(v) for k, v in params.as_dict().items()})
    inputs.update({f"source {name}": file_sha256(path) for name, path in modules.items()})
    for asset in referenced_assets(modules, assets_dir()):
        inputs[f"asset {asset.name}"] = file_sha256(asset)
    inputs.update({f"version {name}": package_version(name) for name in LIBRARIES})
    return inputs


def computed_model(spec: SceneSpec, params: Params, store: Path) -> Any:
    """``spec.compute(params)``, read from ``store`` when it was computed there before.

    A model whose code lies outside the project's packages (a test's scene) cannot be keyed by
    its source, so it is always computed.
    """
    inputs = model_inputs(spec, params)
    if f"source {spec.model.__module__}" not in inputs:
        return spec.compute(params)
    key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:32]
    entry = store / f"{spec.id}-{key}.pickle"
    model = load_pickle(entry)
    if model is None:
        model = spec.compute(params)
        save_pickle(entry, model)
    return model
