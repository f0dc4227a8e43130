"""Seed 000, "Feature Importance Analysis" and "Model Interpretability": built-in and permutation importance
per model, SHAP values of both tree models and of their averaging ensemble, and how much the clinical, imaging
and genetic features each contribute.

Usage: python stages/prognosis_explain.py TRAIN_CSV TEST_CSV MODELS_DIR METRICS_JSON SHAP_PNG IMPORTANCE_DIR
SHAP values explain the positive-class probability of the test patients (boosted trees against a background
sample of training patients); the ensemble's SHAP values are the average of its members' (SHAP is additive).
"""
from pathlib import Path

import joblib

from alskit.common import records
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.prognosis import cohort, config, explain, records as prognosis_records


def main(train_path: str, test_path: str, models_dir: str, metrics_path: str, shap_path: str,
         importance_dir: str) -> None:
    cfg = config.load()
    schema = cohort.schema_from_config(cfg)
    X_train, _ = cohort.features_and_labels(read_csv(train_path, index_col=0), schema)
    X_test, y_test = cohort.features_and_labels(read_csv(test_path, index_col=0), schema)
    fitted = {name: joblib.load(Path(models_dir) / name / "model.joblib") for name in cfg.models}
    results, mean_shap, display = explain.explain_models(fitted, X_train, X_test, y_test, schema, cfg.explain)
    shares, ranked = explain.split_for_dvc(results)
    with AtomicOutputs() as out:
        explain.summary_plot(mean_shap, display, out.path(shap_path), cfg.explain.top,
                             f"SHAP values of the {' + '.join(cfg.models)} ensemble, {len(X_test)} test patients")
        folder = out.directory(importance_dir)
        for name, rows in ranked.items():
            out.json(rows, folder / name)
        out.json(records.checked(prognosis_records.Explanations, shares), metrics_path)


if __name__ == "__main__":
    run(main)
