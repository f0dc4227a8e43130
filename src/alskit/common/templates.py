"""The Vega-Lite templates `dvc plots show` and `dvc plots diff` draw the studies' charts with (``.dvc/plots/``).

Written by ``python tools/dvc_plots.py templates .dvc/plots`` from this module (a test checks the committed files
are its output), so that a chart's look has one source:

- one colour per model, the same in every chart and in the report's figures: models are coloured by their place
  in the study's list (the records' ``order``) from :data:`alskit.common.plots.PALETTE`;
- two revisions overlaid (`dvc plots diff A B`) stay readable: a model keeps its colour and each revision gets
  its own dash pattern (legend "revision"); the legend lines under each panel name the revision when there are
  several, and a confusion matrix gets one column per model and revision, never two counts in one cell;
- legends are written under each panel, never over a curve; chance lines are labelled from the data (the
  class names come from the study), not from a title typed per chart;
- calibration points carry the number of subjects in their bin.

DVC fills ``<DVC_METRIC_...>`` placeholders from ``dvc.yaml`` (title, x and y fields and labels) and adds the
fields ``rev`` and ``filename`` to every record.
"""
from __future__ import annotations

import json
from pathlib import Path

from alskit.common.plots import PALETTE

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
WIDTH, HEIGHT = 340, 300
LINE_HEIGHT = 15          # pixels between the legend lines written under a panel
REVISIONS = [{"joinaggregate": [{"op": "distinct", "field": "rev", "as": "revisions"}]}]
X, Y = "<DVC_METRIC_X>", "<DVC_METRIC_Y>"


def _model_colour(legend: bool = False) -> dict:
    return {"field": "model", "type": "nominal", "sort": {"field": "order", "op": "min"},
            "scale": {"range": PALETTE}, "legend": None if not legend else {"title": "model"}}


def _revision_dash() -> dict:
    return {"field": "rev", "type": "nominal", "title": "revision", "legend": {"orient": "bottom", "symbolType": "stroke",
                                                                            "symbolSize": 400}}


def _page(spec: dict, *, facet: dict | None = None, columns: int | None = None,
          transform: list | None = None) -> dict:
    page = {"$schema": SCHEMA, "title": {"text": "<DVC_METRIC_TITLE>", "anchor": "start", "fontSize": 14},
            "data": {"values": "<DVC_METRIC_DATA>"}}
    if transform:
        page["transform"] = transform
    if facet:
        page["facet"] = facet
        if columns:
            page["columns"] = columns
        page["spec"] = spec
        page["resolve"] = {"axis": {"x": "independent"}}   # each panel's x axis inside it, above its legend lines
    else:
        page.update(spec)
    return page


def _panel_facet(field: str = "panel") -> dict:
    return {"field": field, "type": "nominal", "title": None, "header": {"labelFontSize": 13, "labelFontWeight": "bold",
                                                                       "labelLimit": 700}}


def _axes(domain: bool = True) -> dict:
    scale = {"domain": [0, 1]} if domain else {"zero": False}
    return {"x": {"field": X, "type": "quantitative", "title": "<DVC_METRIC_X_LABEL>", "scale": scale},
            "y": {"field": Y, "type": "quantitative", "title": "<DVC_METRIC_Y_LABEL>", "scale": scale}}


def _legend_lines() -> dict:
    """Each model's legend entry (its ``label``: the model with its summary and interval; with the revision
    when two are overlaid) as a line of text under the panel, in the model's colour."""
    return {"transform": [{"aggregate": [{"op": "min", "field": "order", "as": "order"},
                                         {"op": "max", "field": "revisions", "as": "revisions"}],
                           "groupby": ["panel", "label", "model", "rev"]},
                          {"window": [{"op": "row_number", "as": "line"}], "groupby": ["panel"],
                           "sort": [{"field": "rev"}, {"field": "order"}]},
                          {"calculate": "datum.revisions > 1 ? datum.label + '  (' + datum.rev + ')' : datum.label",
                           "as": "entry"},
                          {"calculate": f"{HEIGHT + 52} + {LINE_HEIGHT} * (datum.line - 1)", "as": "entry_y"}],
            "mark": {"type": "text", "align": "left", "baseline": "middle", "fontSize": 11, "clip": False},
            "encoding": {"x": {"value": 0}, "y": {"field": "entry_y", "type": "quantitative", "scale": None},
                         "text": {"field": "entry"}, "color": _model_colour()}}


def _curve_line(point: bool, tooltip: list[str]) -> dict:
    return {"mark": {"type": "line", "point": point, "clip": True},
            "encoding": {**_axes(), "color": _model_colour(), "strokeDash": _revision_dash(),
                         "order": {"field": "point", "type": "quantitative"},
                         "tooltip": [{"field": f} for f in ["model", "rev", *tooltip]]}}


def _diagonal(label: str) -> list[dict]:
    return [{"transform": [{"aggregate": [{"op": "count", "as": "rows"}]}],
             "mark": {"type": "rule", "color": "grey", "strokeDash": [4, 4]},
             "encoding": {"x": {"datum": 0, "type": "quantitative"}, "y": {"datum": 0, "type": "quantitative"},
                          "x2": {"datum": 1}, "y2": {"datum": 1}}},
            {"transform": [{"aggregate": [{"op": "count", "as": "rows"}]}],
             "mark": {"type": "text", "color": "grey", "angle": 0, "align": "right", "baseline": "top", "dx": -4,
                      "dy": 4, "fontSize": 10},
             "encoding": {"x": {"datum": 1, "type": "quantitative"}, "y": {"datum": 1, "type": "quantitative"},
                          "text": {"value": label}}}]


def _chance_level() -> list[dict]:
    """The precision of calling everyone positive (the share of the positive class), labelled from the data."""
    rule = {"transform": [{"aggregate": [{"op": "mean", "field": "prevalence", "as": "prevalence"}],
                           "groupby": ["chance_label"]}],
            "mark": {"type": "rule", "color": "grey", "strokeDash": [4, 4]},
            "encoding": {"y": {"field": "prevalence", "type": "quantitative"}, "x": {"datum": 0, "type": "quantitative"},
                         "x2": {"datum": 1}}}
    text = {**rule, "mark": {"type": "text", "color": "grey", "align": "left", "baseline": "bottom", "dx": 4,
                             "dy": -3, "fontSize": 10},
            "encoding": {"y": {"field": "prevalence", "type": "quantitative"}, "x": {"datum": 0, "type": "quantitative"},
                         "text": {"field": "chance_label"}}}
    return [rule, text]


def _bin_counts() -> dict:
    """The subjects in each calibration bin, written beside its point (one subject can move a bin from 0 to 1)."""
    return {"mark": {"type": "text", "fontSize": 9, "dx": 7, "dy": -7, "clip": True},
            "encoding": {**_axes(), "text": {"field": "n", "type": "quantitative"}, "color": _model_colour()}}


def curve(kind: str) -> dict:
    """ROC, precision-recall or calibration: one panel per training set or split, one line per model."""
    layers = {"roc": [*_diagonal("chance"), _curve_line(False, ["fpr", "tpr", "threshold"])],
              "precision_recall": [*_chance_level(), _curve_line(False, ["recall", "precision", "threshold"])],
              "calibration": [*_diagonal("perfect calibration"), _curve_line(True, ["predicted", "observed", "n"]),
                              _bin_counts()]}[kind]
    return _page({"width": WIDTH, "height": HEIGHT, "layer": [*layers, _legend_lines()]},
                 facet=_panel_facet(), columns=2, transform=REVISIONS)


def confusion() -> dict:
    """Subjects per cell, one matrix per training set (rows) and model (columns; one per model and revision when
    two revisions are overlaid)."""
    cell = {"encoding": {"x": {"field": X, "type": "nominal", "title": "<DVC_METRIC_X_LABEL>"},
                         "y": {"field": Y, "type": "nominal", "title": "<DVC_METRIC_Y_LABEL>"}},
            "width": 180, "height": 150,
            "transform": [{"joinaggregate": [{"op": "max", "field": "count", "as": "most"}], "groupby": ["column"]}],
            "layer": [{"mark": "rect", "encoding": {"color": {"field": "count", "type": "quantitative",
                                                              "title": "subjects", "scale": {"scheme": "blues"}},
                                                    "tooltip": [{"field": "actual"}, {"field": "predicted"},
                                                                {"field": "count"}, {"field": "rev"}]}},
                      {"mark": {"type": "text", "fontSize": 16},
                       "encoding": {"text": {"field": "count", "type": "quantitative"},
                                    "color": {"condition": {"test": "datum.count > datum.most / 2", "value": "white"},
                                              "value": "black"}}}]}
    facet = {"row": {**_panel_facet(), "header": {"labelFontWeight": "bold", "labelAngle": 0, "labelAlign": "left",
                                                  "labelLimit": 400}},
             "column": {"field": "column", "type": "nominal", "title": None, "sort": {"field": "order", "op": "min"},
                        "header": {"labelFontWeight": "bold", "labelLimit": 180,
                                   "labelExpr": "split(datum.label, ', ')"}}}
    columns = [*REVISIONS, {"calculate": "datum.revisions > 1 ? datum.model + ' (' + datum.rev + ')' : datum.model",
                            "as": "column"}]
    return _page(cell, facet=facet, transform=columns)


def training() -> dict:
    """Loss or accuracy per epoch: one panel per network, its header saying how many rows or recordings its
    validation share held (the range over its runs, when they differ), one colour per run (fold, or the model: the
    same run has the same colour in every panel), solid training and dashed validation, the dash pattern in the
    legend."""
    line = {"mark": {"type": "line", "strokeWidth": 1.5},
            "encoding": {**_axes(domain=False),
                         "x": {"field": X, "type": "quantitative", "title": "<DVC_METRIC_X_LABEL>"},
                         "color": {"field": "curve", "type": "nominal", "title": "run", "scale": {"range": PALETTE}},
                         "strokeDash": {"field": "split", "type": "nominal", "title": "split",
                                        "sort": ["training", "validation"],
                                        "legend": {"symbolType": "stroke", "symbolSize": 500, "symbolStrokeWidth": 2}},
                         "detail": {"field": "rev", "type": "nominal"},
                         "tooltip": [{"field": f} for f in ("curve", "validation_size", "validation_unit", "split",
                                                            "rev", X, Y)]}}
    # the header gives the panel's validation size (alskit.common.plots.history_rows), or its range over the runs
    size = [{"joinaggregate": [{"op": "min", "field": "validation_size", "as": "validation_min"},
                               {"op": "max", "field": "validation_size", "as": "validation_max"},
                               {"op": "max", "field": "validation_unit", "as": "validation_units"}],
             "groupby": ["panel"]},
            {"calculate": "isValid(datum.validation_min) ? datum.panel + ' (validation: ' + (datum.validation_min == "
                          "datum.validation_max ? datum.validation_min : datum.validation_min + '-' + "
                          "datum.validation_max) + ' ' + datum.validation_units + ')' : datum.panel", "as": "header"}]
    return _page({"width": WIDTH, "height": HEIGHT, "layer": [line]}, facet=_panel_facet("header"), columns=3,
                 transform=size)


def spread() -> dict:
    """Test AUROC over split seeds, one chart per model (its name in the header): per training set a box (median,
    quartiles, whiskers to the extremes) over one dot per split, in the training set's colour, chance marked."""
    y = {"field": "set", "type": "nominal", "title": "<DVC_METRIC_Y_LABEL>", "sort": None}
    x = {"field": X, "type": "quantitative", "title": "<DVC_METRIC_X_LABEL>", "scale": {"domain": [0, 1]}}
    colour = {"field": "set", "type": "nominal", "legend": None, "sort": None, "scale": {"range": PALETTE}}
    layers = [{"mark": {"type": "rule", "color": "grey", "strokeDash": [4, 4]},
               "encoding": {"x": {"datum": 0.5, "type": "quantitative"}}},
              {"mark": {"type": "boxplot", "extent": "min-max", "opacity": 0.35, "median": {"color": "black"}},
               "encoding": {"x": x, "y": y, "color": colour}},
              {"transform": [{"calculate": "((datum.seed * 37) % 100) / 100 - 0.5", "as": "jitter"}],
               "mark": {"type": "circle", "size": 14, "opacity": 0.6},
               "encoding": {"x": x, "y": y, "color": colour,
                            "yOffset": {"field": "jitter", "type": "quantitative", "scale": {"domain": [-2, 2]}},
                            "tooltip": [{"field": "seed"}, {"field": "set"}, {"field": X}, {"field": "rev"}]}}]
    return _page({"width": 420, "height": {"step": 45}, "layer": layers}, facet=_panel_facet("model"), columns=1)


def importance() -> dict:
    """One bar per feature, longest first, the chart's model and method (``chart``) in the header; feature names
    in full and a few ticks, so labels neither cut nor collide."""
    bar = {"mark": "bar",
           "encoding": {"x": {"field": X, "type": "quantitative", "title": "<DVC_METRIC_X_LABEL>",
                              "axis": {"format": ".2f", "tickCount": 4, "labelOverlap": True}},
                        "y": {"field": Y, "type": "nominal", "title": None, "sort": "-x",
                              "axis": {"labelLimit": 360}},
                        "tooltip": [{"field": Y}, {"field": X}, {"field": "rev"}],
                        "color": {"field": "rev", "type": "nominal", "title": "revision"},
                        "yOffset": {"field": "rev"}}}
    return _page({"width": 300, "height": {"step": 18}, **bar}, facet=_panel_facet("chart"), columns=1)


TEMPLATES = {"roc": lambda: curve("roc"), "precision_recall": lambda: curve("precision_recall"),
             "calibration": lambda: curve("calibration"), "confusion_counts": confusion, "training": training,
             "spread": spread, "importance": importance}


def render(name: str) -> str:
    """Template ``name`` as the JSON text written to ``.dvc/plots/<name>.json``."""
    return json.dumps(TEMPLATES[name](), indent=2) + "\n"


def write_all(folder: str | Path) -> None:
    """Every template into ``folder`` (``.dvc/plots``)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    for name in TEMPLATES:
        (Path(folder) / f"{name}.json").write_text(render(name))
