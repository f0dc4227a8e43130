"""The report's forest plot: every headline number of the three studies, the paper's value beside this
pipeline's with its 95% interval, one panel per metric, with the trivial answer each must beat."""
from __future__ import annotations

from pathlib import Path

from alskit.common.plots import pyplot, save_png


def forest_figure(rows: list[dict], path: Path) -> None:
    """One line per headline number (``rows``: ``label``, ``paper``, ``point``, ``low``, ``high``, ``trivial``,
    ``metric``; any of the numbers ``None`` where missing): this pipeline's point (dot) and interval (bar), the
    paper's value (cross) and the trivial answer (grey tick: chance AUROC or the majority-class accuracy). AUROC
    and accuracy are different scales, so each has its own panel; the axis runs past 1 so that a paper's 1.000
    is drawn whole."""
    plt = pyplot()
    metrics = list(dict.fromkeys(row["metric"] for row in rows))
    heights = [sum(row["metric"] == m for row in rows) for m in metrics]
    figure, axes = plt.subplots(len(metrics), 1, figsize=(10, 0.6 * len(rows) + 1.2 * len(metrics) + 0.6),
                                squeeze=False, height_ratios=heights, layout="constrained")
    for axis, metric in zip(axes[:, 0], metrics):
        shown = [row for row in rows if row["metric"] == metric]
        for y, row in enumerate(reversed(shown)):
            if row["point"] is not None:
                if row["low"] is not None and row["high"] is not None:
                    axis.plot([row["low"], row["high"]], [y, y], color="tab:blue", linewidth=2.5)
                axis.plot(row["point"], y, "o", color="tab:blue", label="this pipeline [95% CI]")
            if row["paper"] is not None:
                axis.plot(row["paper"], y, "x", color="tab:red", markersize=9, markeredgewidth=2, label="paper",
                          clip_on=False)
            if row["trivial"] is not None:
                axis.plot(row["trivial"], y, "|", color="grey", markersize=16, markeredgewidth=2,
                          label="trivial answer (chance AUROC, majority-class accuracy)")
        axis.set_yticks(range(len(shown)), [row["label"] for row in reversed(shown)], fontsize=9)
        axis.set(xlim=(0, 1.04), ylim=(-0.6, len(shown) - 0.4), xlabel=metric)
        axis.grid(axis="x", linestyle=":", linewidth=0.6)
    handles = {label: handle for axis in axes[:, 0] for handle, label in zip(*axis.get_legend_handles_labels())}
    figure.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    figure.suptitle("Headline numbers: the papers beside this pipeline", fontsize=11)
    save_png(figure, path, dpi=90)


def _point(metric: str, label: str, paper: float | None, value: float | None, bounds: list[float] | None,
           trivial: float | None) -> dict:
    low, high = bounds if bounds else (None, None)
    return {"label": label, "paper": paper, "point": value, "low": low, "high": high, "trivial": trivial,
            "metric": metric}


def auroc_point(label: str, paper: float | None, value: float | None, bounds: list[float] | None) -> dict:
    """One row of :func:`forest_figure` in the AUROC panel, its trivial answer chance (0.5)."""
    return _point("AUROC", label, paper, value, bounds, 0.5)


def accuracy_point(label: str, paper: float | None, value: float | None, bounds: list[float] | None,
                   majority_rate: float | None) -> dict:
    """One row of :func:`forest_figure` in the accuracy panel, its trivial answer the majority-class rate."""
    return _point("accuracy", label, paper, value, bounds, majority_rate)
