"""What the pipeline knows about a scene without importing Manim: the registry's entry type."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import numpy as np

from render.core.params import Params


@dataclasses.dataclass(frozen=True)
class SceneSpec:
    """One registered scene.

    ``model`` is the pure function the picture is drawn from: ``model(params, rng)`` returns a
    dataclass of numbers. ``scene`` names the Manim class as ``"module:Class"`` so that listing
    scenes or exporting their data never pays for importing Manim.
    """

    id: str
    title: str
    description: str
    tags: tuple[str, ...]
    params: type[Params]
    model: Callable[[Any, np.random.Generator], Any]
    scene: str
    duration: float
    hero_time: float
    summary: str = ""

    def __post_init__(self) -> None:
        # The id is written once, here: the parameter class names it in its error messages.
        self.params.scene_id = self.id

    def default_params(self) -> Params:
        return self.params()

    def compute(self, params: Params) -> Any:
        """Run the model with a Generator seeded from the parameters (its only randomness)."""
        return self.model(params, np.random.default_rng(params.seed))

    def scene_class(self) -> type:
        module, _, name = self.scene.partition(":")
        cls: type = getattr(importlib.import_module(module), name)
        return cls

    @property
    def class_name(self) -> str:
        return self.scene.partition(":")[2]

    @property
    def module_name(self) -> str:
        return self.scene.partition(":")[0]
