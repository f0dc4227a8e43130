"""The words of every study's charts in ``dvc plots``: titles and axes from the chart kinds
(:data:`alskit.common.plots.CHARTS`) and each study's registry (``STUDY``, ``SCORED_ON`` in its config), written to
``.dvc/plots/titles.yaml`` for dvc.yaml's ``vars`` (``${charts.bdb.roc}``), so that no title is typed there."""
from __future__ import annotations

import yaml

from alskit.bdb import config as bdb
from alskit.common.plots import CHARTS
from alskit.prognosis import config as prognosis
from alskit.voice import config as voice

STUDIES = {"bdb": bdb, "voice": voice, "prognosis": prognosis}
HEADER = ("# Written by `python tools/dvc_plots.py templates .dvc/plots` from alskit.charts; a test checks it.\n"
          "# dvc.yaml reads it as `vars` (the charts' titles and axes); edit the registries, not this file.\n")


def words() -> dict:
    """``{"charts": {"axes": {kind: fields and labels}, <study>: {kind: title}}}`` (under one key: DVC also reads
    params.yaml's sections as variables)."""
    axes = {kind: {"x": chart.x, "y": chart.y, "x_label": chart.x_label, "y_label": chart.y_label}
            for kind, chart in CHARTS.items()}
    titles = {key: {kind: chart.title(study.STUDY, study.SCORED_ON) for kind, chart in CHARTS.items()}
              for key, study in STUDIES.items()}
    return {"charts": {"axes": axes, **titles}}


def render() -> str:
    """The variables file's text."""
    return HEADER + yaml.safe_dump(words(), sort_keys=False, width=1000, allow_unicode=True)
