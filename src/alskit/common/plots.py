"""Plot data in the shapes ``dvc plots`` templates read (lists of flat records), and PNG figures saved so that
an unchanged result gives byte-identical files.

A study's ROC, precision-recall, calibration and confusion charts each come from one file holding every model
and training set, one record per point with ``panel`` (the training set or split, in words), ``model`` and
``label`` (the model with its summary and interval, for the legend): the templates in ``.dvc/plots/`` give one
colour per model and one small chart per panel. DVC draws one chart per file of a plots folder and cannot merge
a folder into one chart, so per-run files (what dvclive's ``log_sklearn_plot`` writes) could not share a legend.
The curves themselves are sklearn's (``roc_curve``, ``precision_recall_curve``, ``calibration_curve``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_curve

CURVE_KINDS = ("roc", "precision_recall", "calibration", "confusion")


def pyplot():
    """matplotlib's pyplot on the Agg backend (no display needed)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_png(figure, path: str | Path, dpi: int) -> None:
    """Lay out, save without matplotlib's version stamp (so unchanged figures give identical bytes), close."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=dpi, format="png", metadata={"Software": None})
    pyplot().close(figure)


def curve_rows(panel: str, model: str, order: int, y_true: np.ndarray, p_positive: np.ndarray, threshold: float,
               class_names: dict[int, str], bins: int, labels: dict[str, str]) -> dict[str, list[dict]]:
    """One run's records for each of :data:`CURVE_KINDS`; ``order`` is the model's place in the study's list
    (its colour in every chart), ``labels`` the legend entries of the ``roc`` and ``calibration`` curves
    (:func:`alskit.common.scoring.curves` puts AUROC and Brier score there, with intervals); ``point`` numbers
    each curve's points in drawing order:

    - ``roc``: ``fpr``, ``tpr``, ``threshold`` (the first capped at 1);
    - ``precision_recall``: ``recall``, ``precision``, ``threshold`` and ``prevalence`` (the precision of
      calling everyone positive: the chance line), labelled with the average precision;
    - ``calibration``: mean predicted probability and observed share of class 1 in ``bins`` bins of equal
      width, with the subjects in each;
    - ``confusion``: the four cells at ``threshold`` with their counts (zeros included).
    """
    y, p = np.asarray(y_true, dtype=int), np.asarray(p_positive, dtype=float)
    base = {"panel": panel, "model": model, "order": order}
    fpr, tpr, roc_thresholds = roc_curve(y, p)
    precision, recall, pr_thresholds = precision_recall_curve(y, p)
    ap = f"{model}: average precision {average_precision_score(y, p):.3f}"
    observed, predicted = calibration_curve(y, p, n_bins=bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0 + 1e-8, bins + 1)   # sklearn's own bin edges, to count the subjects per bin
    counts = np.bincount(np.searchsorted(edges[1:-1], p), minlength=bins)
    auroc, brier = labels["roc"], labels["calibration"]
    called = (p >= threshold).astype(int)
    return {
        "roc": [{**base, "label": auroc, "point": i, "fpr": float(f), "tpr": float(t),
                 "threshold": float(min(th, 1.0))} for i, (f, t, th) in enumerate(zip(fpr, tpr, roc_thresholds))],
        "precision_recall": [{**base, "label": ap, "point": i, "recall": float(r), "precision": float(q),
                              "threshold": None if th is None else float(th), "prevalence": float(y.mean())}
                             for i, (r, q, th) in enumerate(zip(recall, precision, [*pr_thresholds, None]))],
        "calibration": [{**base, "label": brier, "point": i, "predicted": float(m), "observed": float(o),
                         "n": int(n)} for i, (m, o, n) in enumerate(zip(predicted, observed, counts[counts > 0]))],
        "confusion": [{**base, "actual": class_names[a], "predicted": class_names[c],
                       "count": int(((y == a) & (called == c)).sum())} for a in (1, 0) for c in (1, 0)]}


def extend(files: dict[str, list[dict]], rows_by_kind: dict[str, list[dict]]) -> None:
    """Add one run's records (by kind, as :func:`curve_rows` gives them) to a study's files ``<kind>.json``."""
    for kind, rows in rows_by_kind.items():
        files.setdefault(f"{kind}.json", []).extend(rows)


def history_rows(panel: str, curve: str, history: dict[str, list[float]]) -> list[dict]:
    """Keras ``History.history`` as records for the loss and accuracy charts: one per epoch (from 1) and split
    (``training``; ``validation`` from the ``val_`` entries), with ``panel`` and ``curve`` naming the run."""
    splits = {"training": "", "validation": "val_"}
    n_epochs = len(history.get("loss", []))
    return [{"panel": panel, "curve": curve, "split": split, "epoch": i + 1,
             **{name: history[prefix + name][i] for name in ("loss", "accuracy") if prefix + name in history}}
            for split, prefix in splits.items() if prefix + "loss" in history for i in range(n_epochs)]
