"""Seed 000, section 5: the tuned random forest, gradient boosting and their averaging ensemble scored on the test
split (accuracy, precision, recall, F1, AUROC with bootstrap intervals over test patients), beside their CV
scores on the training split and the selected grid configuration."""
from __future__ import annotations

import logging
from pathlib import Path

import joblib
import numpy as np
import pandas as pd

from alskit.common import plots, scoring
from alskit.common.io import read_csv, read_json
from alskit.prognosis import cohort
from alskit.prognosis.config import ENSEMBLE, MODEL_NAMES, SCORED_ON

log = logging.getLogger("alskit")


def ensemble_cv(cv: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ensemble's out-of-fold predictions: its members' averaged per fold and row (every model was
    cross-validated on the same folds)."""
    return (pd.concat(cv.values()).groupby(["fold", "row"], as_index=False)
            .agg(y_true=("y_true", "first"), p=("p", "mean")))


def score_models(models_dir: Path, names: list[str], X: pd.DataFrame, y: np.ndarray, class_names: dict[int, str],
                 threshold: float, bootstrap: dict, bins: int, live_root: Path) -> tuple[dict, dict[str, list]]:
    """Every model under ``models_dir/<name>`` and their ensemble on the test patients ``X``, ``y``: results by
    model (``test``, ``cv``, ``best_params``) and the study's plot files by name (``roc.json``, ...; one colour
    per model), from the curves each model logs with dvclive in ``<live_root>/<name>``, where its test
    predictions are written too (``test_predictions.csv``: ID, y_true, p; the subgroups stage reads them)."""
    fitted = {name: joblib.load(models_dir / name / "model.joblib") for name in names}
    fitted[ENSEMBLE] = cohort.MeanProbability([fitted[name] for name in names]).fit(X, y)
    cv = {name: read_csv(models_dir / name / "cv_predictions.csv") for name in names}
    cv[ENSEMBLE] = ensemble_cv(cv)
    results, files = {}, {}
    for order, (name, model) in enumerate(fitted.items()):
        p = model.predict_proba(X)[:, 1]
        (live_root / name).mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"y_true": y, "p": p}, index=X.index).to_csv(live_root / name / "test_predictions.csv")
        results[name] = scoring.test_and_cv(y, p, cv[name], threshold, bootstrap, class_names)
        if name != ENSEMBLE:
            results[name]["best_params"] = read_json(models_dir / name / "best_params.json")
        log.info("%-8s test: %s", name, scoring.log_line(results[name]["test"]))
        plots.extend(files, scoring.curves(SCORED_ON, MODEL_NAMES[name], order, y, p, results[name]["test"],
                                           threshold, class_names, bins, live_root / name))
    return results, files
