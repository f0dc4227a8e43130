"""A study's models by ID, in one shape for the three studies.

Each study's config names its model IDs and their display names (light: ``check_params`` and the chart words read
them); its model module gives one builder per ID, ``builder(settings, seed, **options)`` returning an unfitted
estimator. :class:`Catalogue` ties the two: a builder list that does not match the names fails when the module is
imported (a model cannot be half added), and an ID params.yaml does not know stops with one line naming the study's
models.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

from alskit.common.errors import UserError

Builder = Callable[..., Any]
"""``(settings: dict, seed: int, **options) -> unfitted estimator``; ``settings`` are the model's
``params.yaml`` hyper-parameters."""


class Catalogue:
    """A study's models: ``names`` (ID -> display name, from the study's config) and their ``builders``."""

    def __init__(self, study: str, names: Mapping[str, str], builders: Mapping[str, Builder]) -> None:
        if list(names) != list(builders):
            raise ValueError(f"{study}: the config names models {list(names)}, the builders are for {list(builders)}")
        self.study, self.names, self._builders = study, dict(names), dict(builders)

    def build(self, model: str, settings: Mapping[str, Any], seed: int, **options: Any) -> Any:
        """A fresh, unfitted estimator of ``model`` with its ``settings``, seeded with ``seed``."""
        if model not in self._builders:
            raise UserError(f"unknown {self.study} model '{model}'; expected one of {', '.join(self.names)}")
        return self._builders[model](dict(settings), seed, **options)
