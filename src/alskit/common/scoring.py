"""One binary classifier's scores as every study reports them: test metrics with bootstrap intervals, the CV
fold summary beside them, and its chart records for ``dvc plots`` and the report."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from alskit.common import metrics, plots, uncertainty, verdict
from alskit.common.document import value
from alskit.common.uncertainty import interval


def test_and_cv(y_true: np.ndarray, p: np.ndarray, cv: pd.DataFrame, threshold: float, bootstrap: dict,
                class_names: dict[int, str], subjects: np.ndarray | None = None) -> dict:
    """``test``: the metrics of ``p`` at ``threshold`` with their intervals (resampling ``subjects`` when given,
    rows otherwise), the majority class (named by ``class_names``) and its rate, and the verdict against the
    trivial answer (:func:`alskit.common.verdict.judge`); ``cv``: mean and sd over the folds of the out-of-fold
    predictions ``cv``."""
    scores = metrics.binary_metrics(y_true, p, threshold)
    intervals = uncertainty.bootstrap_intervals(y_true, p, metrics.binary_scores, threshold=threshold,
                                                subjects=subjects, **bootstrap)
    test = uncertainty.with_intervals(scores, intervals)
    majority, rate = metrics.majority_rate(y_true)
    return {"test": {**test, "majority_class": class_names[majority], "majority_rate": rate,
                     **verdict.judge(test, rate)},
            "cv": metrics.fold_summary(cv, threshold)}


def curves(panel: str, model: str, order: int, y_true: np.ndarray, p: np.ndarray, scores: dict, threshold: float,
           class_names: dict[int, str], bins: int, live_dir: Path) -> dict[str, list[dict]]:
    """One run's curves and ``scores`` (its test metrics) logged by dvclive in ``live_dir``
    (:func:`alskit.common.plots.log_run`), and its chart records read back from there
    (:func:`alskit.common.plots.curve_rows`), the legends carrying its AUROC and Brier score with their
    intervals."""
    labels = {"roc": f"{model}: AUROC {value(scores.get('auroc'), interval(scores, 'auroc'))}",
              "calibration": f"{model}: Brier {value(scores.get('brier'), interval(scores, 'brier'))}"}
    plots.log_run(live_dir, y_true, p, threshold, class_names, bins, scores)
    return plots.curve_rows(panel, model, order, live_dir, y_true, p, class_names, bins, labels)


def log_line(scores: dict) -> str:
    """``accuracy=0.812  f1=...`` for the log (``n/a`` for a metric that cannot be computed)."""
    return "  ".join(f"{k}={v:.3f}" if v is not None else f"{k}=n/a" for k, v in scores.items()
                     if k in metrics.BINARY_METRICS)
