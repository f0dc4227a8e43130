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


def fold_summary(predictions: pd.DataFrame, threshold: float = 0.5) -> dict[str, dict[str, float | None]]:
    """Mean and standard deviation over CV folds of :func:`binary_metrics`.

    ``predictions`` has columns ``fold``, ``y_true`` and ``p``. Folds where a
    metric is undefined are left out of its mean; if it is undefined in every
    fold it is reported as missing.
    """
    per_fold = pd.DataFrame([binary_metrics(g["y_true"], g["p"], threshold)
                             for _, g in predictions.groupby("fold", sort=True)], dtype=float)
    return {name: {"mean": _or_none(per_fold[name].mean()), "std": _or_none(per_fold[name].std(ddof=0))}
            for name in BINARY_METRICS}


def _or_none(value: float) -> float | None:
    return None if pd.isna(value) else float(value)
