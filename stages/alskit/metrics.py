"""Binary classification metrics as the papers report them, computed honestly.

A metric that is undefined on the data at hand (AUROC with one class present,
precision with no positive prediction) is returned as ``None`` (missing), never
as a made-up 0 or 1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import metrics as skm

BINARY_METRICS = ("accuracy", "log_loss", "precision", "recall", "f1", "specificity", "auroc")
WEIGHTED_METRICS = ("accuracy", "precision", "recall", "f1")


def binary_metrics(y_true: np.ndarray, p_positive: np.ndarray, threshold: float = 0.5) -> dict[str, float | None]:
    """Accuracy, log loss, precision, recall (sensitivity), F1, specificity and AUROC; positive class = 1."""
    y_true = np.asarray(y_true, dtype=int)
    p_positive = np.clip(np.asarray(p_positive, dtype=float), 1e-15, 1 - 1e-15)
    y_pred = (p_positive >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    both_classes = len(np.unique(y_true)) == 2
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return {
        "accuracy": (tp + tn) / len(y_true),
        "log_loss": skm.log_loss(y_true, p_positive, labels=[0, 1]),
        "precision": precision,
        "recall": recall,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
        "specificity": tn / (tn + fp) if tn + fp else None,
        "auroc": skm.roc_auc_score(y_true, p_positive) if both_classes else None,
    }


def weighted_metrics(y_true: np.ndarray, p_positive: np.ndarray, threshold: float = 0.5) -> dict[str, float | None]:
    """Accuracy and support-weighted precision, recall and F1 over both classes, as seed 002 reports them.
    Precision of a class that is never predicted is undefined, and so is the weighted mean: ``None``."""
    y_true = np.asarray(y_true, dtype=int)
    y_pred = (np.asarray(p_positive, dtype=float) >= threshold).astype(int)
    precision, recall, f1, _ = skm.precision_recall_fscore_support(y_true, y_pred, labels=[0, 1], average="weighted",
                                                                   zero_division=np.nan)
    return {"accuracy": skm.accuracy_score(y_true, y_pred), "precision": _or_none(precision),
            "recall": _or_none(recall), "f1": _or_none(f1)}


def fold_summary(predictions: pd.DataFrame, threshold: float = 0.5,
                 scorer=binary_metrics) -> dict[str, dict[str, float | None]]:
    """Mean and standard deviation over CV folds of ``scorer`` (:func:`binary_metrics` by default).

    ``predictions`` has columns ``fold``, ``y_true`` and ``p``. Folds where a
    metric is undefined are left out of its mean; if it is undefined in every
    fold it is reported as missing.
    """
    per_fold = pd.DataFrame([scorer(g["y_true"], g["p"], threshold)
                             for _, g in predictions.groupby("fold", sort=True)], dtype=float)
    return {name: {"mean": _or_none(per_fold[name].mean()), "std": _or_none(per_fold[name].std(ddof=0))}
            for name in per_fold.columns}


def _or_none(value: float) -> float | None:
    return None if pd.isna(value) else float(value)
