"""The report's headline numbers: each study picks them once (:class:`Headline`), and the headline table and the
forest plot (the paper's value beside this pipeline's with its 95% interval, one panel per metric, with the
trivial answer each must beat) both read them."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alskit.common.document import mean_sd, value
from alskit.common.plots import pyplot, save_png
from alskit.common.uncertainty import interval


@dataclass(frozen=True)
class Headline:
    """One headline number of a study, with what the headline table writes beside it."""

    label: str
    metric: str                     # its forest panel: "AUROC" or "accuracy"
    paper: float | None             # None: the paper reports no such number
    point: float | None             # None: this run has no such number (the model was not trained)
    bounds: list[float] | None      # its 95% interval
    trivial: float | None           # the trivial answer: chance AUROC, or the majority-class accuracy
    shown: str                      # this pipeline's number as the table writes it
    audit: str                      # the table's last cell: what the audit and the trivial answer say

    @property
    def row(self) -> list[str]:
        """The headline table's row: result, paper, this pipeline, audit."""
        return [self.label, "-" if self.paper is None else value(self.paper), self.shown, self.audit]


def auroc(label: str, paper: float | None, scores: dict | None, audit: str) -> Headline:
    """A headline AUROC from a scores record (``auroc`` with its ``_ci_low`` / ``_ci_high``; None: not run)."""
    point = scores["auroc"] if scores else None
    bounds = interval(scores, "auroc") if scores else None
    return Headline(label, "AUROC", paper, point, bounds, 0.5, value(point, bounds), audit)


def accuracy(label: str, paper: float | None, run: dict, majority_rate: float | None, audit: str) -> Headline:
    """A headline CV accuracy from a run's record (``accuracy``: mean and sd over folds, with its interval)."""
    bounds = interval(run, "accuracy")
    return Headline(label, "accuracy", paper, run["accuracy"]["mean"], bounds, majority_rate,
                    mean_sd(run["accuracy"], bounds), audit)


def forest_figure(headlines: list[Headline], path: Path) -> None:
    """One line per headline number: this pipeline's point (dot) and interval (bar), the paper's
    value (cross) and the trivial answer (grey tick: chance AUROC or the majority-class accuracy). AUROC and
    accuracy are different scales, so each has its own panel; the axis runs past 1 so that a paper's 1.000 is
    drawn whole."""
    plt = pyplot()
    metrics = list(dict.fromkeys(row.metric for row in headlines))
    heights = [sum(row.metric == m for row in headlines) for m in metrics]
    figure, axes = plt.subplots(len(metrics), 1, figsize=(10, 0.6 * len(headlines) + 1.2 * len(metrics) + 0.6),
                                squeeze=False, height_ratios=heights, layout="constrained")
    for axis, metric in zip(axes[:, 0], metrics):
        shown = [row for row in headlines if row.metric == metric]
        for y, row in enumerate(reversed(shown)):
            if row.point is not None:
                if row.bounds:
                    axis.plot(row.bounds, [y, y], color="tab:blue", linewidth=2.5)
                axis.plot(row.point, y, "o", color="tab:blue", label="this pipeline [95% CI]")
            if row.paper is not None:
                axis.plot(row.paper, y, "x", color="tab:red", markersize=9, markeredgewidth=2, label="paper",
                          clip_on=False)
            if row.trivial is not None:
                axis.plot(row.trivial, y, "|", color="grey", markersize=16, markeredgewidth=2,
                          label="trivial answer (chance AUROC, majority-class accuracy)")
        axis.set_yticks(range(len(shown)), [row.label for row in reversed(shown)], fontsize=9)
        axis.set(xlim=(0, 1.04), ylim=(-0.6, len(shown) - 0.4), xlabel=metric)
        axis.grid(axis="x", linestyle=":", linewidth=0.6)
    handles = {label: handle for axis in axes[:, 0] for handle, label in zip(*axis.get_legend_handles_labels())}
    figure.legend(handles.values(), handles.keys(), loc="outside lower center", ncols=3, fontsize=9, frameon=False)
    figure.suptitle("Headline numbers: the papers beside this pipeline", fontsize=11)
    save_png(figure, path, dpi=90)
