"""Plot data in the shapes ``dvc plots`` templates read (lists of flat records), and PNG figures saved so that
an unchanged result gives byte-identical files.

Each scored run logs its ROC, precision-recall, calibration and confusion data with dvclive's
``log_sklearn_plot`` (and its metrics as dvclive's summary) in a folder of its own: :func:`log_run`. DVC draws
one chart per file and cannot merge a folder into one chart, so those per-run files could not share a legend;
a study's charts therefore each come from one file holding every model and training set, built from the runs'
dvclive files by :func:`curve_rows`: one record per point with ``panel`` (the training set or split, in words),
``model`` and ``label`` (the model with its summary and interval, for the legend). The templates in
``.dvc/plots/`` give one colour per model and one small chart per panel.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score

from alskit.common.training import VALIDATION_ROWS



@dataclass(frozen=True)
class Chart:
    """How one kind of chart reads, the same in `dvc plots` (dvc.yaml's titles and axes, through the variables
    ``alskit.registry`` writes) and in the report's figures: its name in titles, the record fields it draws, its
    axis labels, and what its legend and reference lines say (``reading``; none: no parentheses)."""
    name: str
    x: str
    y: str | tuple[str, ...]
    x_label: str
    y_label: str
    reading: str = ""

    def title(self, study: str, subject: str) -> str:
        """e.g. ``BDB: ROC, real held-out half (legend: AUROC [95% interval]; dashed: chance)``: the study, the
        chart, what it is drawn on (``subject``), how to read it."""
        return f"{study}: {self.name}, {subject}" + (f" ({self.reading})" if self.reading else "")


_EPOCHS = "solid: training; dashed: validation"
CHARTS = {"roc": Chart("ROC", "fpr", "tpr", "False positive rate (1 - specificity)",
                       "True positive rate (sensitivity)", "legend: AUROC [95% interval]; dashed: chance"),
          "precision_recall": Chart("precision-recall", "recall", "precision", "Recall (sensitivity)",
                                    "Precision (positive predictive value)", "dashed: chance"),
          "calibration": Chart("calibration", "predicted", "observed",
                               "Mean predicted probability (bins of equal width)", "Observed share positive",
                               "legend: Brier score [95% interval]; dashed: perfect"),
          "confusion": Chart("confusion matrices", "predicted", "actual", "Predicted", "Actual",
                             "subjects per cell"),
          "loss": Chart("loss per epoch", "epoch", "loss", "Epoch", "Loss (binary cross-entropy)", _EPOCHS),
          "accuracy": Chart("accuracy per epoch", "epoch", "accuracy", "Epoch", "Accuracy", _EPOCHS),
          "spread": Chart("test AUROC over split seeds", "auroc", "set", "Test AUROC", "Training set",
                          "box: median, quartiles, range; dot: one split; dashed: chance"),
          "severity": Chart("speech item (ALSFRS-R) from voice", "predicted", "actual", "Predicted level",
                            "Actual level", "subjects per cell; HC: healthy controls"),
          "importance": Chart("the most important features", "importance", "feature",
                              "Importance (its method in the chart's header)", "Feature"),
          "pca": Chart("PCA explained variance", "component", ("explained", "cumulative"), "Principal component",
                       "Share of the variance (explained by the component, cumulative)")}
"""Every kind of chart the studies draw. A study's registry (its config's ``OTHER_CHARTS``) says which kinds it draws
and on what; the four curve kinds (:data:`CURVE_KINDS`) are each one file per study (``<kind>.json``)."""
CURVE_KINDS = ("roc", "precision_recall", "calibration", "confusion")
# One colour per model by its place in the study's list (``order``), the same in `dvc plots` (the templates'
# colour range, alskit.common.templates) and the report's figures: matplotlib's tab10, in its order.
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf"]


def colour(order: int) -> str:
    """The colour of the model at place ``order`` of its study's list."""
    return PALETTE[order % len(PALETTE)]


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_png(figure, path: str | Path, dpi: int) -> None:
    """Lay out (tightly, unless the figure has its own layout engine), save without matplotlib's version stamp (so
    unchanged figures give identical bytes), close."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    figure.savefig(path, dpi=dpi, format="png", metadata={"Software": None})
    pyplot().close(figure)


def log_run(live_dir: str | Path, y_true: np.ndarray, p_positive: np.ndarray, threshold: float,
            class_names: dict[int, str], bins: int, summary: dict[str, float | None]) -> Path:
    """Log one run's curves with dvclive's ``log_sklearn_plot`` in ``live_dir`` (``plots/sklearn/roc.json``,
    ``precision_recall.json``, ``calibration.json`` in ``bins`` bins of equal width, ``confusion_matrix.json``
    at ``threshold`` with the classes in words) and the numbers in ``summary`` (its metrics; ``None``, not
    computable, and words or flags left out) as dvclive's ``metrics.json``. No timestamps, so an unchanged run
    gives identical files. Returns ``live_dir``."""
    from dvclive import Live

    y, p = np.asarray(y_true, dtype=int), np.asarray(p_positive, dtype=float)
    named = np.vectorize(class_names.get, otypes=[object])
    with Live(str(live_dir), dvcyaml=None, save_dvc_exp=False, report=None) as live:
        live.log_sklearn_plot("roc", y, p, title="ROC curve")
        live.log_sklearn_plot("precision_recall", y, p, title="Precision-recall curve")
        live.log_sklearn_plot("calibration", y, p, title="Calibration", n_bins=bins, strategy="uniform")
        live.log_sklearn_plot("confusion_matrix", list(named(y)), list(named((p >= threshold).astype(int))),
                              title=f"Confusion at threshold {threshold}")
        for name, score in summary.items():
            if isinstance(score, (int, float)) and not isinstance(score, bool):
                live.log_metric(name, score, plot=False)
    return Path(live_dir)


def _sklearn_plot(live_dir: Path, name: str) -> list[dict]:
    """The records of dvclive's ``plots/sklearn/<name>.json`` (a list, or a list under its kind's key)."""
    found = json.loads((live_dir / "plots" / "sklearn" / f"{name}.json").read_text())
    return found[name] if isinstance(found, dict) else found


def curve_rows(panel: str, model: str, order: int, live_dir: str | Path, y_true: np.ndarray,
               p_positive: np.ndarray, class_names: dict[int, str], bins: int, labels: dict[str, str]
               ) -> dict[str, list[dict]]:
    """One run's records for each of :data:`CURVE_KINDS`, read from what :func:`log_run` logged in
    ``live_dir`` for the predictions ``p_positive`` of ``y_true``; ``order`` is the model's place in the
    study's list (its colour in every chart), ``labels`` the legend entries of the ``roc`` and ``calibration``
    curves (:func:`alskit.common.scoring.curves` puts AUROC and Brier score there, with intervals); ``point``
    numbers each curve's points in drawing order:

    - ``roc``: ``fpr``, ``tpr``, ``threshold`` (sklearn's first, infinite, shown as 1);
    - ``precision_recall``: ``recall``, ``precision``, ``threshold``, ``prevalence`` (the precision of
      calling everyone positive: the chance line) and ``chance_label`` (its label, naming the positive class
      in ``class_names``' words), labelled with the average precision; dvclive keeps the
      points that have a threshold, so sklearn's closing point (recall 0, precision 1) is not drawn;
    - ``calibration``: mean predicted probability and observed share of class 1 in each of the ``bins`` bins
      that holds a subject, with the subjects in it (counted here: dvclive's file has no counts);
    - ``confusion``: the four cells (class 1 first, in ``class_names``' words) with their counts, zeros
      included, counted from dvclive's records.
    """
    live_dir, y, p = Path(live_dir), np.asarray(y_true, dtype=int), np.asarray(p_positive, dtype=float)
    base = {"panel": panel, "model": model, "order": order}
    ap = f"{model}: average precision {average_precision_score(y, p):.3f}"
    edges = np.linspace(0.0, 1.0 + 1e-8, bins + 1)   # sklearn's own bin edges, to count the subjects per bin
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=bins)
    calls = Counter((r["actual"], r["predicted"]) for r in _sklearn_plot(live_dir, "confusion_matrix"))
    classes = [class_names[1], class_names[0]]
    return {
        "roc": [{**base, "label": labels["roc"], "point": i, "fpr": r["fpr"], "tpr": r["tpr"],
                 "threshold": min(r["threshold"], 1.0)} for i, r in enumerate(_sklearn_plot(live_dir, "roc"))],
        "precision_recall": [{**base, "label": ap, "point": i, "recall": r["recall"], "precision": r["precision"],
                              "threshold": r["threshold"], "prevalence": float(y.mean()),
                              "chance_label": f"chance: the share of {class_names[1]}, {y.mean():.3f}"}
                             for i, r in enumerate(_sklearn_plot(live_dir, "precision_recall"))],
        "calibration": [{**base, "label": labels["calibration"], "point": i, "predicted": r["prob_pred"],
                         "observed": r["prob_true"], "n": int(n)}
                        for i, (r, n) in enumerate(zip(_sklearn_plot(live_dir, "calibration"), counts[counts > 0]))],
        "confusion": [{**base, "actual": a, "predicted": c, "count": calls[(a, c)]} for a in classes for c in classes]}


def extend(files: dict[str, list[dict]], rows_by_kind: dict[str, list[dict]]) -> None:
    """Add one run's records (by kind, as :func:`curve_rows` gives them) to a study's files ``<kind>.json``."""
    for kind, rows in rows_by_kind.items():
        files.setdefault(f"{kind}.json", []).extend(rows)


def history_rows(panel: str, curve: str, history: dict[str, list[float]], unit: str) -> list[dict]:
    """Keras ``History.history`` as records for the loss and accuracy charts: one per epoch (from 1) and split
    (``training``; ``validation`` from the ``val_`` entries), with ``panel`` and ``curve`` naming the run, and
    ``validation_size``, how many ``validation_unit`` (rows, recordings) its validation share held, when the history
    says (:data:`~alskit.common.training.VALIDATION_ROWS`; the legends show it: :func:`run_label`)."""
    splits = {"training": "", "validation": "val_"}
    n_epochs = len(history.get("loss", []))
    held = history.get(VALIDATION_ROWS)
    base = {"panel": panel, "curve": curve, **({"validation_size": held[0], "validation_unit": unit} if held else {})}
    return [{**base, "split": split, "epoch": i + 1,
             **{name: history[prefix + name][i] for name in ("loss", "accuracy") if prefix + name in history}}
            for split, prefix in splits.items() if prefix + "loss" in history for i in range(n_epochs)]


def run_label(row: dict) -> str:
    """A training curve's legend entry in the report's figures: its run, and its validation share's size where known
    (``fold 2 (validation: 61 recordings)``); the DVC template gives the size in each panel's header instead, so that
    a run keeps one colour in every panel."""
    if "validation_size" not in row:
        return row["curve"]
    return f"{row['curve']} (validation: {row['validation_size']} {row['validation_unit']})"
