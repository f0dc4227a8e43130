"""Seed 001, III.B-E / Table II: every training run scored on the real held-out half.

For each model and training set (synthetic ``x<factor>`` and the real baselines), the run's test predictions
give the paper's metrics with bootstrap intervals over test subjects, its CV predictions the fold mean and sd,
and both give the DVC plot data (ROC, confusion, the network's curves); per model and synthetic set the paired
synthetic-minus-real AUROC difference follows (:func:`alskit.bdb.baselines.synthetic_vs_real`).
"""
from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from alskit.bdb import baselines, cohort
from alskit.bdb.config import MODEL_NAMES, run_name
from alskit.common import plots, scoring, training
from alskit.common.io import read_csv

log = logging.getLogger("alskit")


def score_run(test: pd.DataFrame, cv: pd.DataFrame, threshold: float, bootstrap: dict) -> dict:
    """One run's ``test`` metrics with intervals, its ``cv`` fold summary, and whether it gave every test
    subject the same answer (``constant_predictions``: its AUROC of 0.5 then says nothing)."""
    return {**scoring.test_and_cv(test["y_true"], test["p"], cv, threshold, bootstrap, cohort.CLASS_NAMES),
            "constant_predictions": bool(test["p"].nunique() == 1)}  # one answer for every subject


def score_runs(models_dir: Path, model_names: list[str], factors: list[int], threshold: float,
               bootstrap: dict, bins: int, live_root: Path) -> tuple[dict, dict, dict[str, list[dict]]]:
    """Every run ``<models_dir>/<model>_<set>`` scored: results by set and model, synthetic-versus-real
    comparisons by synthetic set and model, and the study's plot files by name (``roc.json``,
    ``precision_recall.json``, ``calibration.json``, ``confusion.json``: one panel per training set, from the
    curves each run logs with dvclive in ``<live_root>/<model>_<set>``; ``training.json``: the network's
    final-fit curves, read from its dvclive folder)."""
    synthetic = baselines.synthetic_sets(factors)
    results, comparison, files = {}, {}, {}
    for order, model in enumerate(model_names):
        predictions = {}
        for size in [*synthetic, *baselines.REAL_SETS]:
            run_dir = models_dir / run_name(model, size)
            test = predictions[size] = read_csv(run_dir / "test_predictions.csv")
            result = results.setdefault(size, {})[model] = score_run(
                test, read_csv(run_dir / "cv_predictions.csv"), threshold, bootstrap)
            log.info("%-13s %-8s test: %s", size, model, scoring.log_line(result["test"]))
            plots.extend(files, scoring.curves(baselines.describe(size), MODEL_NAMES[model], order, test["y_true"],
                                               test["p"], result["test"], threshold, cohort.CLASS_NAMES, bins,
                                               live_root / run_dir.name))
            if (run_dir / "live").is_dir():
                plots.extend(files, {"training": plots.history_rows(
                    baselines.describe(size), MODEL_NAMES[model], training.read_live(run_dir / "live"), "rows")})
        versus_real = baselines.synthetic_vs_real(predictions, synthetic, cohort.ID, bootstrap, threshold)
        for size, versus in versus_real.items():
            comparison.setdefault(size, {})[model] = versus
            for real, found in versus.items():
                log.info("%s %-8s synthetic minus %s: AUROC %+.3f, %s", size, model, real,
                         found["auroc_difference"], found["verdict"])
    return results, comparison, files
