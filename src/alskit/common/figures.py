"""The report's figures shared by the studies, drawn with matplotlib from the chart files the studies write for
``dvc plots`` (ROC, precision-recall and calibration per panel, confusion matrices, training curves) and saved with
:func:`alskit.common.plots.save_png` (byte-identical for an unchanged result).
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np

from alskit.common.io import read_json
from alskit.common.plots import CHARTS, colour as plots_colour, pyplot, run_label, save_png


def _by_panel(rows: list[dict]) -> dict[str, dict[str, list[dict]]]:
    """Records grouped by ``panel`` then ``model``, both in order of first appearance."""
    grouped: dict[str, dict[str, list[dict]]] = {}
    for row in rows:
        grouped.setdefault(row["panel"], {}).setdefault(row["model"], []).append(row)
    return grouped


def _wrapped(text: str, width: int = 60) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def curves_grid_figure(folder: Path, title: str, path: Path) -> None:
    """Per panel (training set or split) a row of three charts from a study's chart files in ``folder``
    (``roc.json``, ``precision_recall.json``, ``calibration.json``: :func:`alskit.common.plots.curve_rows`
    records): ROC with the chance diagonal, precision-recall with the chance line (the share of the positive
    class, labelled from the data), calibration with the diagonal of perfect calibration and each bin's subjects
    written beside its point. One colour per model (:func:`alskit.common.plots.colour` of its ``order``, as in
    `dvc plots`); the legends, under each chart, carry AUROC, average precision and Brier score with their
    intervals."""
    plt = pyplot()
    kinds = {kind: CHARTS[kind] for kind in ("roc", "precision_recall", "calibration")}
    curves = {kind: read_json(folder / f"{kind}.json") for kind in kinds}
    panels = {kind: _by_panel(curves[kind]) for kind in kinds}
    names = list(panels["roc"])
    models = len({row["model"] for row in curves["roc"]})
    figure, axes = plt.subplots(len(names), 3, figsize=(15, (5.2 + 0.3 * models) * len(names)), squeeze=False,
                                layout="constrained")
    for row, panel in zip(axes, names):
        for axis, (kind, chart) in zip(row, kinds.items()):
            x, y = chart.x, chart.y
            for model, points in panels[kind].get(panel, {}).items():
                colour = plots_colour(points[0]["order"])
                axis.plot([r[x] for r in points], [r[y] for r in points], color=colour,
                          marker="o" if kind == "calibration" else None, markersize=3,
                          label=_wrapped(points[0]["label"]))
                if kind == "calibration":
                    for r in points:
                        axis.annotate(str(r["n"]), (r[x], r[y]), textcoords="offset points", xytext=(4, 4),
                                      fontsize=8, color=colour)
            if kind == "precision_recall":
                first = next(iter(panels[kind][panel].values()))[0]
                axis.axhline(first["prevalence"], color="grey", linestyle=":", linewidth=1,
                             label=first.get("chance_label", f"chance ({first['prevalence']:.3f})"))
            else:
                axis.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1,
                          label="chance" if kind == "roc" else "perfect calibration (numbers: subjects per bin)")
            axis.set(xlabel=chart.x_label, ylabel=chart.y_label, xlim=(0, 1), ylim=(0, 1.02))
            axis.set_title(f"{panel}: {chart.name}", fontsize=10)
            axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=9, frameon=False)
    figure.suptitle(title, fontsize=12)
    save_png(figure, path, dpi=80)


def confusion_figure(rows: list[dict], title: str, path: Path, kind: str = "confusion") -> None:
    """One small confusion matrix per panel and model from the ``{actual, predicted, count}`` cells of
    :func:`alskit.common.plots.curve_rows`, counts written in the cells, titles wrapped to their matrix; axes
    labelled as the chart ``kind`` of :data:`~alskit.common.plots.CHARTS` says."""
    plt = pyplot()
    matrices = [(f"{model}\n{panel}", cells) for panel, models in _by_panel(rows).items()
                for model, cells in models.items()]
    classes = list(dict.fromkeys(cell["actual"] for cell in rows))
    columns = min(3, len(matrices))
    n_rows = int(np.ceil(len(matrices) / columns))
    figure, axes = plt.subplots(n_rows, columns, figsize=(4.2 * columns, 3.8 * n_rows), squeeze=False,
                                layout="constrained")
    for axis, (name, cells) in zip(axes.ravel(), matrices):
        counts = np.zeros((len(classes), len(classes)), dtype=int)
        for cell in cells:
            counts[classes.index(cell["actual"]), classes.index(cell["predicted"])] += cell["count"]
        axis.imshow(counts, cmap="Blues")
        for (i, j), n in np.ndenumerate(counts):
            axis.text(j, i, str(n), ha="center", va="center", color="white" if n > counts.max() / 2 else "black")
        axis.set(xticks=range(len(classes)), yticks=range(len(classes)), xticklabels=classes, yticklabels=classes,
                 xlabel=CHARTS[kind].x_label, ylabel=CHARTS[kind].y_label)
        axis.set_title("\n".join(_wrapped(line, 34) for line in name.split("\n")), fontsize=9)
    for axis in axes.ravel()[len(matrices):]:
        axis.axis("off")
    figure.suptitle(title, fontsize=12)
    save_png(figure, path, dpi=90)


def training_figure(rows: list[dict], title: str, path: Path, flagged: dict | None = None) -> None:
    """Loss and accuracy per epoch (:func:`alskit.common.plots.history_rows` records) under ``title`` (what the
    runs are, as a study's ``OTHER_CHARTS`` says; its first letter raised): one row of two charts
    per network (``panel``), one colour per run (``curve``: a fold, or the final fit), solid for training and
    dashed for validation (both in the legend); runs named in ``flagged`` (``{panel: {curve: reason}}``, e.g.
    a collapsed fold) say so in the legend."""
    plt = pyplot()
    from matplotlib.lines import Line2D

    panels = list(dict.fromkeys(r["panel"] for r in rows))
    figure, axes = plt.subplots(len(panels), 2, figsize=(12, 3.6 * len(panels)), squeeze=False,
                                layout="constrained")
    for (loss, accuracy), panel in zip(axes, panels):
        runs = list(dict.fromkeys(r["curve"] for r in rows if r["panel"] == panel))
        labels = {r["curve"]: run_label(r) for r in rows if r["panel"] == panel}
        for i, run in enumerate(runs):
            for split, style in (("training", "-"), ("validation", "--")):
                points = [r for r in rows if r["panel"] == panel and r["curve"] == run and r["split"] == split]
                for axis, metric in ((loss, "loss"), (accuracy, "accuracy")):
                    if points and metric in points[0]:
                        axis.plot([r["epoch"] for r in points], [r[metric] for r in points], linestyle=style,
                                  color=plots_colour(i), linewidth=1.3)
        note = (flagged or {}).get(panel, {})
        handles = [Line2D([], [], color=plots_colour(i), label=f"{labels[run]}: {note[run]}" if run in note
                          else labels[run]) for i, run in enumerate(runs)]
        handles += [Line2D([], [], color="black", linestyle=style, label=split)
                    for split, style in (("training", "-"), ("validation", "--"))]
        loss.set(xlabel=CHARTS["loss"].x_label, ylabel=CHARTS["loss"].y_label)
        accuracy.set(xlabel=CHARTS["accuracy"].x_label, ylabel=CHARTS["accuracy"].y_label)
        loss.set_title(_wrapped(f"{panel}: loss", 44), fontsize=10)   # wrapped to its panel's width
        accuracy.set_title(_wrapped(f"{panel}: accuracy", 44), fontsize=10)
        accuracy.legend(handles=handles, fontsize=8, loc="center left", bbox_to_anchor=(1.02, 0.5), frameon=False)
    figure.suptitle(title[:1].upper() + title[1:], fontsize=12)
    save_png(figure, path, dpi=90)
