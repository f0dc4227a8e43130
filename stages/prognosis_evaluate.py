"""Seed 000, section 5: test-split accuracy, precision, recall, F1 and AUC-ROC of the random forest, gradient
boosting and their averaging ensemble, with bootstrap intervals over test patients; CV scores on the training
split; best parameters; ROC and confusion.

Usage: python stages/prognosis_evaluate.py TEST_CSV MODELS_DIR METRICS_JSON PLOTS_DIR
"""
import logging
from pathlib import Path

import joblib
import pandas as pd

from alskit.common import metrics, plots, uncertainty
from alskit.common.config import load_audit
from alskit.prognosis import cohort as prognosis, config
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv, read_json

log = logging.getLogger("alskit")


def main(test_path: str, models_dir: str, metrics_path: str, plots_dir: str) -> None:
    cfg = config.load()
    schema, names, threshold = prognosis.schema_from_config(cfg), cfg.models, cfg.train.threshold
    bootstrap = load_audit().bootstrap.model_dump()
    labels = {1: schema.positive, 0: f"not {schema.positive}"}
    X, y = prognosis.features_and_labels(read_csv(test_path, index_col=0), schema)
    fitted = {name: joblib.load(Path(models_dir) / name / "model.joblib") for name in names}
    fitted["ensemble"] = prognosis.MeanProbability([fitted[name] for name in names]).fit(X, y)
    cv = {name: read_csv(Path(models_dir) / name / "cv_predictions.csv") for name in names}
    cv["ensemble"] = (pd.concat(cv.values()).groupby(["fold", "row"], as_index=False)
                      .agg(y_true=("y_true", "first"), p=("p", "mean")))
    results, plots_dir = {}, Path(plots_dir)
    with AtomicOutputs() as out:
        for name, model in fitted.items():
            p = model.predict_proba(X)[:, 1]
            test = metrics.binary_metrics(y, p, threshold)
            intervals = uncertainty.bootstrap_intervals(y, p, metrics.binary_scores, threshold=threshold, **bootstrap)
            results[name] = {"test": uncertainty.with_intervals(test, intervals),
                             "cv": metrics.fold_summary(cv[name], threshold)}
            if name != "ensemble":
                results[name]["best_params"] = read_json(Path(models_dir) / name / "best_params.json")
            log.info("%-8s test: %s", name, "  ".join(f"{k}={v:.3f}" if v is not None else f"{k}=n/a"
                                                       for k, v in test.items()))
            out.json(plots.roc_points(y, p), plots_dir / "roc" / f"{name}.json")
            out.json(plots.confusion_rows(y, (p >= threshold).astype(int), labels),
                     plots_dir / "confusion" / f"{name}.json")
        out.json(results, metrics_path)


if __name__ == "__main__":
    run(main)
