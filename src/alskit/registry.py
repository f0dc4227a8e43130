"""The facts of the studies' registries that dvc.yaml needs, as DVC variables: every chart's title and axes
(the chart kinds, :data:`alskit.common.plots.CHARTS`, with each study's ``STUDY``, ``SCORED_ON`` and
``OTHER_CHARTS`` from its config) and each study's headline run, written to ``.dvc/registry.yaml`` for dvc.yaml's
``vars`` (``${charts.bdb.roc}``, ``${headline.bdb}``), so that no title or model ID is typed there."""
from __future__ import annotations

import yaml

from alskit.bdb import config as bdb
from alskit.common.plots import CHARTS, CURVE_KINDS
from alskit.prognosis import config as prognosis
from alskit.voice import config as voice

STUDIES = {"bdb": bdb, "voice": voice, "prognosis": prognosis}
PATH = ".dvc/registry.yaml"
HEADER = ("# Written by `make deps` (tools/dvc_deps.py) from alskit.registry; a test checks it.\n"
          "# dvc.yaml reads it as `vars` (chart titles and axes, headline runs); edit the registries, not this file.\n")


def charted(study) -> dict[str, str]:
    """Each chart kind the study draws and what it is drawn on: the curve kinds on ``SCORED_ON``, then the
    study's ``OTHER_CHARTS``."""
    return {**dict.fromkeys(CURVE_KINDS, study.SCORED_ON), **study.OTHER_CHARTS}


def words() -> dict:
    """``{"charts": {"axes": {kind: fields and labels}, <study>: {kind: title}}, "headline": {<study>: run}}``
    (under two keys: DVC also reads params.yaml's sections as variables)."""
    axes = {kind: {"x": chart.x, "y": chart.y if isinstance(chart.y, str) else list(chart.y), "x_label": chart.x_label,
                   "y_label": chart.y_label}
            for kind, chart in CHARTS.items()}
    titles = {key: {kind: CHARTS[kind].title(study.STUDY, subject) for kind, subject in charted(study).items()}
              for key, study in STUDIES.items()}
    training_set, model = bdb.HEADLINE
    return {"charts": {"axes": axes, **titles}, "headline": {"bdb": bdb.run_name(model, training_set)}}


def render() -> str:
    """The variables file's text."""
    return HEADER + yaml.safe_dump(words(), sort_keys=False, width=1000, allow_unicode=True)
