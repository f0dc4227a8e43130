"""Binary classification metrics as the papers report them, computed honestly.

A metric that is undefined on the data at hand (AUROC with one class present,
precision with no positive prediction) is returned as ``None`` (missing), never
as a made-up 0 or 1.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

BINARY_METRICS = ("accuracy", "log_loss", "precision", "recall", "f1", "specificity", "balanced_accuracy", "auroc",
                  "brier")
WEIGHTED_METRICS = ("accuracy", "precision", "recall", "f1")
CLINICAL_METRICS = ("auroc", "brier", "balanced_accuracy", "sensitivity", "specificity", "accuracy")
PART_METRICS = ("auroc", "balanced_accuracy")
"""The two scores shown for a part of a result (one task's recordings, one subgroup, one fold seed): ranking, and
calls judged on both classes alike."""


def binary_metrics(y_true: np.ndarray, p_positive: np.ndarray, threshold: float = 0.5) -> dict[str, float | None]:
    """Accuracy, log loss, precision, recall (sensitivity), F1, specificity, balanced accuracy (their mean: 0.5
    for any constant answer), AUROC and Brier score (mean squared error of the probability: calibration and
    sharpness together, 0 is perfect); positive class = 1."""
    return _point(binary_scores(y_true, p_positive, np.ones((1, len(y_true))), threshold))


def weighted_metrics(y_true: np.ndarray, p_positive: np.ndarray, threshold: float = 0.5) -> dict[str, float | None]:
    """Accuracy and support-weighted precision, recall and F1 over both classes, as seed 002 reports them."""
    return _point(weighted_scores(y_true, p_positive, np.ones((1, len(y_true))), threshold))


def clinical_metrics(y_true: np.ndarray, p_positive: np.ndarray, threshold: float = 0.5) -> dict[str, float | None]:
    """AUROC, balanced accuracy, sensitivity, specificity and accuracy: what a clinician needs to judge a
    diagnostic model on unbalanced classes, where accuracy and class-weighted scores reward answering the
    majority class."""
    return _point(clinical_scores(y_true, p_positive, np.ones((1, len(y_true))), threshold))


def binary_scores(y_true: np.ndarray, p_positive: np.ndarray, weights: np.ndarray,
                  threshold: float = 0.5) -> dict[str, np.ndarray]:
    """:data:`BINARY_METRICS` of many weightings of one prediction set at once, ``nan`` where undefined.

    Row b of ``weights`` (resamples x rows) says how often each row counts in resample b. A bootstrap
    interval scores thousands of resamples: as weights they are a few matrix products, where calling
    sklearn per resample costs 4 ms each. tests/test_metrics.py checks every value against sklearn's.
    """
    y, p, w = _arrays(y_true, p_positive, weights)
    brier = _brier(y, p, w)
    p = np.clip(p, 1e-15, 1 - 1e-15)
    tn, fp, fn, tp = _confusion(y, p >= threshold, w)
    losses = -np.where(y == 1, np.log(p), np.log1p(-p))
    with np.errstate(divide="ignore", invalid="ignore"):
        recall, specificity = tp / (tp + fn), tn / (tn + fp)
        return {"accuracy": (tp + tn) / w.sum(axis=1), "log_loss": w @ losses / w.sum(axis=1),
                "precision": tp / (tp + fp), "recall": recall, "f1": 2 * tp / (2 * tp + fp + fn),
                "specificity": specificity, "balanced_accuracy": (recall + specificity) / 2,
                "auroc": _auroc(y, p, w), "brier": brier}


def weighted_scores(y_true: np.ndarray, p_positive: np.ndarray, weights: np.ndarray,
                    threshold: float = 0.5) -> dict[str, np.ndarray]:
    """:data:`WEIGHTED_METRICS` of many weightings at once (see :func:`binary_scores`), as sklearn's
    ``precision_recall_fscore_support(average="weighted", zero_division=nan)``: a class whose value is
    undefined (never predicted, for precision) is left out of the support-weighted mean."""
    y, p, w = _arrays(y_true, p_positive, weights)
    tn, fp, fn, tp = _confusion(y, p >= threshold, w)
    support = (tn + fp, tp + fn)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = {"precision": (tn / (tn + fn), tp / (tp + fp)), "recall": (tn / (tn + fp), tp / (tp + fn)),
                     "f1": (2 * tn / (2 * tn + fn + fp), 2 * tp / (2 * tp + fp + fn))}
        scores = {"accuracy": (tp + tn) / w.sum(axis=1)}
        for name, values in per_class.items():
            defined = [np.where(np.isnan(v), 0.0, s) for v, s in zip(values, support)]
            scores[name] = sum(np.nan_to_num(v) * d for v, d in zip(values, defined)) / sum(defined)
    return scores


def clinical_scores(y_true: np.ndarray, p_positive: np.ndarray, weights: np.ndarray,
                    threshold: float = 0.5) -> dict[str, np.ndarray]:
    """:data:`CLINICAL_METRICS` of many weightings at once (see :func:`binary_scores`); balanced accuracy is
    the mean of sensitivity and specificity (0.5 for any constant answer, whatever the class mix)."""
    y, p, w = _arrays(y_true, p_positive, weights)
    tn, fp, fn, tp = _confusion(y, p >= threshold, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        sensitivity, specificity = tp / (tp + fn), tn / (tn + fp)
        return {"auroc": _auroc(y, p, w), "brier": _brier(y, p, w), "balanced_accuracy": (sensitivity + specificity) / 2,
                "sensitivity": sensitivity, "specificity": specificity, "accuracy": (tp + tn) / w.sum(axis=1)}


def majority_rate(y_true: np.ndarray) -> tuple[int, float]:
    """The majority class (1 or 0; 1 on a tie) and its share: the accuracy of always answering it, the
    trivial answer every accuracy must beat."""
    y = np.asarray(y_true, dtype=int)
    share = float(y.mean()) if len(y) else float("nan")
    return (1, share) if share >= 0.5 else (0, 1 - share)


def _arrays(y_true, p_positive, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (np.asarray(y_true, dtype=int), np.asarray(p_positive, dtype=float),
            np.atleast_2d(np.asarray(weights, dtype=float)))


def _confusion(y: np.ndarray, called: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, ...]:
    """Weighted true negatives, false positives, false negatives and true positives of each resample."""
    positive = y == 1
    return tuple(w @ (truth & call) for truth, call in ((~positive, ~called), (~positive, called),
                                                        (positive, ~called), (positive, called)))


def _auroc(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted Mann-Whitney AUROC: the chance a positive outranks a negative, ties counting half."""
    order = np.argsort(p, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(p[order]) != 0])   # first row of each distinct score
    positives = np.add.reduceat(w[:, order] * (y[order] == 1), starts, axis=1)
    negatives = np.add.reduceat(w[:, order] * (y[order] == 0), starts, axis=1)
    below = np.cumsum(negatives, axis=1) - negatives
    with np.errstate(divide="ignore", invalid="ignore"):
        return (positives * (below + negatives / 2)).sum(axis=1) / (positives.sum(axis=1) * negatives.sum(axis=1))


def _brier(y: np.ndarray, p: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted Brier score: the mean of (p - y) squared."""
    return w @ (p - y) ** 2 / w.sum(axis=1)


def brier_reference(y_true: np.ndarray) -> float:
    """The Brier score of always answering the prevalence (share of class 1): the trivial answer a
    probability must beat (0.25 for balanced classes)."""
    share = float(np.mean(np.asarray(y_true, dtype=int)))
    return share * (1 - share)


def _point(scores: dict[str, np.ndarray]) -> dict[str, float | None]:
    return {name: _or_none(values[0]) for name, values in scores.items()}


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
