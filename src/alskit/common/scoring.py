"""One binary classifier's scores as every study reports them: test metrics with bootstrap intervals, the CV
fold summary beside them, and the ROC and confusion rows for ``dvc plots``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from alskit.common import metrics, plots, uncertainty


def test_and_cv(y_true: np.ndarray, p: np.ndarray, cv: pd.DataFrame, threshold: float, bootstrap: dict,
                subjects: np.ndarray | None = None) -> dict:
    """``test``: the metrics of ``p`` at ``threshold`` with their intervals (resampling ``subjects`` when given,
    rows otherwise); ``cv``: mean and sd over the folds of the out-of-fold predictions ``cv``."""
    scores = metrics.binary_metrics(y_true, p, threshold)
    intervals = uncertainty.bootstrap_intervals(y_true, p, metrics.binary_scores, threshold=threshold,
                                                subjects=subjects, **bootstrap)
    return {"test": uncertainty.with_intervals(scores, intervals), "cv": metrics.fold_summary(cv, threshold)}


def curve_files(y_true: np.ndarray, p: np.ndarray, threshold: float, class_names: dict[int, str]
                ) -> dict[str, list]:
    """The ``roc`` points and ``confusion`` rows of one run's predictions, by plot kind."""
    return {"roc": plots.roc_points(y_true, p),
            "confusion": plots.confusion_rows(y_true, (p >= threshold).astype(int), class_names)}


def log_line(scores: dict) -> str:
    """``accuracy=0.812  f1=...`` for the log (``n/a`` for a metric that cannot be computed)."""
    return "  ".join(f"{k}={v:.3f}" if v is not None else f"{k}=n/a" for k, v in scores.items()
                     if not k.endswith("_ci"))
