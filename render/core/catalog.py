"""Lookup of registered scenes by id, with a suggestion when the id is misspelt."""

from __future__ import annotations

import difflib

from render.core.errors import UserError
from render.core.spec import SceneSpec


def all_scenes() -> tuple[SceneSpec, ...]:
    from scenes.registry import SCENES

    return SCENES


def scene_ids() -> list[str]:
    return [spec.id for spec in all_scenes()]


def spec_of_class(class_name: str) -> SceneSpec:
    """The spec whose scene class is called ``class_name``: how a scene run by plain
    ``manim render FILE CLASS`` (outside the pipeline, which hands it its model) finds its model."""
    for spec in all_scenes():
        if spec.class_name == class_name:
            return spec
    raise UserError(f"no registered scene draws with the class {class_name}")


def get_scene(scene_id: str) -> SceneSpec:
    for spec in all_scenes():
        if spec.id == scene_id:
            return spec
    close = difflib.get_close_matches(scene_id, scene_ids(), n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(scene_ids())})"
    raise UserError(f"unknown scene '{scene_id}'{hint}")
