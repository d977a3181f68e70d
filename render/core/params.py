"""Scene parameters: frozen, validated dataclasses that carry the seed.

A scene's parameter class lists every knob with its default, a help line and its allowed range, so
that ``--set key=value`` can be parsed, checked and documented from one place, and so that the same
parameters always reproduce the same data (the seed is one of them).
"""

from __future__ import annotations

import dataclasses
import math
import re
import typing
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from render.core.errors import UserError

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
SEED_MAX = 2**32 - 1  # what Manim and numpy's legacy seeding accept
# A value typed with --set longer than this is refused before parsing: Python's int() and
# Fraction() take time growing with the digits (and with an exponent, for Fraction).
MAX_LITERAL = 64
_EXPONENT = re.compile(r"[eE]\s*[+-]?\s*(\d+)")
MAX_EXPONENT = 400  # past float's range either way
# What a model may allocate: parameters each within range can still multiply into more memory
# than a laptop has. Scenes whose arrays grow with a product of parameters estimate it.
MEMORY_BUDGET = 4_000_000_000


def param(
    default: Any,
    help: str,
    *,
    min: float | None = None,
    max: float | None = None,
    choices: tuple[str, ...] | None = None,
) -> Any:
    """Declare one parameter: its default, a help line and (optionally) its range or choices."""
    meta = {"help": help, "min": min, "max": max, "choices": choices}
    return dataclasses.field(default=default, metadata=meta)


@dataclasses.dataclass(frozen=True)
class Params:
    """Base of every scene's parameter class. Subclasses add fields made with :func:`param`."""

    seed: int = param(
        0, "seed of the numpy random Generator every draw comes from", min=0, max=SEED_MAX
    )

    # Named in error messages; set by the scene's SceneSpec (the one place its id is written).
    scene_id: ClassVar[str] = "scene"
    # The parameters the memory estimate grows with, named when the budget refuses them.
    memory_drivers: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            _check(self.scene_id, f, hints[f.name], getattr(self, f.name))
        need = self.memory_estimate()
        if need > MEMORY_BUDGET:
            drivers = ", ".join(f"{k}={getattr(self, k)}" for k in self.memory_drivers)
            raise UserError(
                f"scene {self.scene_id}: {drivers or 'these parameters'} would need about "
                f"{need / 1e9:.1f} GB of memory (budget {MEMORY_BUDGET / 1e9:.1f} GB); "
                "lower one of them"
            )

    def memory_estimate(self) -> int:
        """Bytes the model's arrays take at their peak, for the scenes whose size is a product
        of parameters (the others stay small at any allowed value)."""
        return 0

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, str], seed: int | None = None) -> Self:
        """Build parameters from ``key=value`` strings (as typed on the command line)."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, raw in overrides.items():
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise UserError(
                    f"unknown parameter '{key}' for scene {cls.scene_id} (known: {known})"
                )
            values[key] = _parse(cls.scene_id, key, hints[key], raw)
        if seed is not None:
            values["seed"] = seed
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def parse_assignments(items: list[str] | None) -> dict[str, str]:
    """Split ``["n=100", "paths=50"]`` into a dict, refusing anything that is not ``key=value``."""
    result: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set expects key=value, got '{item}'")
        result[key.strip()] = value.strip()
    return result


def _type_name(tp: Any) -> str:
    return getattr(tp, "__name__", str(tp))


def _allowed(f: dataclasses.Field[Any]) -> str:
    lo, hi, choices = f.metadata.get("min"), f.metadata.get("max"), f.metadata.get("choices")
    if choices:
        return " | ".join(choices)
    if lo is not None and hi is not None:
        return f"{lo} to {hi}"
    if lo is not None:
        return f">= {lo}"
    if hi is not None:
        return f"<= {hi}"
    return ""


def _parse(scene: str, key: str, tp: Any, raw: str) -> Any:
    if len(raw) > MAX_LITERAL:
        raise UserError(
            f"parameter '{key}' of scene {scene}: a value of {len(raw)} characters is too long "
            f"(at most {MAX_LITERAL})"
        )
    exponent = _EXPONENT.search(raw)
    if exponent and int(exponent.group(1)) > MAX_EXPONENT:
        raise UserError(
            f"parameter '{key}' of scene {scene}: the exponent of '{raw}' is out of range "
            f"(at most {MAX_EXPONENT})"
        )
    try:
        if tp is bool:
            low = raw.lower()
            if low in _TRUE | _FALSE:
                return low in _TRUE
            raise ValueError
        if tp is int:
            return int(raw)
        if tp is float:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
            return value
        if tp is str:
            return raw
    except ValueError:
        raise UserError(
            f"parameter '{key}' of scene {scene} expects {_type_name(tp)}, got '{raw}'"
        ) from None
    raise TypeError(f"parameter '{key}' has an unsupported type {tp!r}")


def _check(scene: str, f: dataclasses.Field[Any], tp: Any, value: Any) -> None:
    ok_type = (
        isinstance(value, bool)
        if tp is bool
        else isinstance(value, int) and not isinstance(value, bool)
        if tp is int
        else isinstance(value, int | float) and not isinstance(value, bool)
        if tp is float
        else isinstance(value, tp)
    )
    if not ok_type:
        raise UserError(
            f"parameter '{f.name}' of scene {scene} expects {_type_name(tp)}, got {value!r}"
        )
    lo, hi, choices = f.metadata.get("min"), f.metadata.get("max"), f.metadata.get("choices")
    out_of_range = (
        (lo is not None and value < lo)
        or (hi is not None and value > hi)
        or (choices is not None and value not in choices)
    )
    if out_of_range:
        raise UserError(
            f"parameter '{f.name}' of scene {scene} must be {_allowed(f)}, got {value!r}"
        )
