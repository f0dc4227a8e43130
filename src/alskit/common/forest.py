"""The report's forest plot: every headline number of the three studies, the paper's value beside this
pipeline's with its 95% interval, on one axis, with the trivial answer each must beat."""
from __future__ import annotations

from pathlib import Path

from alskit.common.plots import pyplot, save_png


def forest_figure(rows: list[dict], path: Path) -> None:
    """One line per headline number (``rows``: ``label``, ``paper``, ``point``, ``low``, ``high``, ``trivial``,
    any of the numbers ``None`` where missing): this pipeline's point (dot) and interval (bar), the paper's value
    (cross) and the trivial answer (grey tick: chance AUROC or the majority-class accuracy)."""
    plt = pyplot()
    figure, axis = plt.subplots(figsize=(9, 0.55 * len(rows) + 1.4))
    for y, row in enumerate(reversed(rows)):
        if row["point"] is not None:
            low, high = row["low"], row["high"]
            if low is not None and high is not None:
                axis.plot([low, high], [y, y], color="tab:blue", linewidth=2.5)
            axis.plot(row["point"], y, "o", color="tab:blue", label="this pipeline [95% CI]" if y == 0 else None)
        if row["paper"] is not None:
            axis.plot(row["paper"], y, "x", color="tab:red", markersize=9, markeredgewidth=2,
                      label="paper" if y == 0 else None)
        if row["trivial"] is not None:
            axis.plot(row["trivial"], y, "|", color="grey", markersize=16, markeredgewidth=2,
                      label="trivial answer" if y == 0 else None)
    axis.set_yticks(range(len(rows)), [row["label"] for row in reversed(rows)], fontsize=8)
    axis.set(xlim=(0, 1.02), xlabel="value (AUROC or accuracy)")
    axis.grid(axis="x", linestyle=":", linewidth=0.6)
    handles, labels = axis.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    axis.legend(unique.values(), unique.keys(), loc="lower left", fontsize=8)
    axis.set_title("Headline numbers: the papers beside this pipeline", fontsize=10)
    save_png(figure, path, dpi=90)


def point(label: str, paper: float | None, value: float | None, bounds: list[float] | None,
          trivial: float | None) -> dict:
    """One row of :func:`forest_figure`."""
    low, high = bounds if bounds else (None, None)
    return {"label": label, "paper": paper, "point": value, "low": low, "high": high, "trivial": trivial}
