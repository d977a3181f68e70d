"""The model's numbers as JSON or NPZ: exactly what a scene's picture is drawn from."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import numpy as np

from render.core.errors import UserError
from render.core.params import Params
from render.core.paths import OutPaths
from render.core.spec import SceneSpec
from render.tools.atomic import write_bytes
from render.tools.lock import output_lock

FORMATS = ("json", "npz")


def model_dict(data: Any) -> dict[str, Any]:
    """A model's result as a plain dict (nested dataclasses become nested dicts)."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {f.name: _plain(getattr(data, f.name)) for f in dataclasses.fields(data)}
    if isinstance(data, dict):
        return {str(k): _plain(v) for k, v in data.items()}
    raise TypeError(f"a model must return a dataclass or dict, got {type(data).__name__}")


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return model_dict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _flatten(prefix: str, value: Any, out: dict[str, np.ndarray]) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _flatten(f"{prefix}.{key}" if prefix else key, sub, out)
    else:
        out[prefix] = np.asarray(value)


def export_data(spec: SceneSpec, params: Params, fmt: str, out_dir: Path) -> Path:
    """Compute the scene's model; write it with its parameters to ``out/<id>/<id>.data.<fmt>``."""
    if fmt not in FORMATS:
        raise UserError(f"unknown format '{fmt}' (choose from {', '.join(FORMATS)})")
    data = model_dict(spec.compute(params))
    record = {"scene": spec.id, "params": params.as_dict(), "data": data}
    target = OutPaths(out_dir).data(spec.id, fmt)
    if fmt == "json":
        blob = json.dumps(_jsonable(record), indent=None, allow_nan=True).encode("utf-8")
    else:
        arrays: dict[str, np.ndarray] = {}
        _flatten("", {"params": params.as_dict(), **data}, arrays)
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
        blob = buffer.getvalue()
    with output_lock(out_dir):
        write_bytes(target, blob)
    return target
