"""Seed 000, "Feature Importance Analysis" and "Model Interpretability": built-in and permutation importance
per model, SHAP values of both tree models and of their averaging ensemble, and how much the clinical, imaging
and genetic features each contribute.

Usage: python stages/prognosis_explain.py TRAIN_CSV TEST_CSV MODELS_DIR METRICS_JSON SHAP_PNG
SHAP values explain the positive-class probability of the test patients (boosted trees against a background
sample of training patients); the ensemble's SHAP values are the average of its members' (SHAP is additive).
"""
import logging
from pathlib import Path

import joblib
import pandas as pd
from tqdm import tqdm

from alskit.prognosis import cohort as prognosis, config, explain
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(train_path: str, test_path: str, models_dir: str, metrics_path: str, shap_path: str) -> None:
    cfg = config.load()
    schema, names = prognosis.schema_from_config(cfg), cfg.models
    seed, top, repeats = cfg.explain.seed, cfg.explain.top, cfg.explain.permutation_repeats
    n_background = cfg.explain.background
    X_train, _ = prognosis.features_and_labels(read_csv(train_path, index_col=0), schema)
    X_test, y_test = prognosis.features_and_labels(read_csv(test_path, index_col=0), schema)
    fitted = {name: joblib.load(Path(models_dir) / name / "model.joblib") for name in names}
    ensemble = prognosis.MeanProbability(list(fitted.values())).fit(X_test, y_test)
    # Every model's preprocessing is the same fit (same training rows, same settings): take the first's.
    first = fitted[names[0]]
    sources = prognosis.encoded_sources(first["encode"], schema)
    pca = None if first["pca"] == "passthrough" else first["pca"]
    to_units, weights = explain.unit_map(sources, pca)
    column_weights = explain.unit_map(sources)[1]
    inputs = first[:-1].transform(X_test)
    background = first[:-1].transform(X_train).sample(min(n_background, len(X_train)), random_state=seed)
    results, shap_units = {}, {}
    for name, pipeline in tqdm(fitted.items(), desc="explain", unit="model"):
        model = pipeline[-1]
        shap_units[name] = explain.tree_shap(model, background, inputs)[0] @ to_units
        results[name] = {
            "shap": explain.summarize(shap_units[name].abs().mean(), weights, top),
            "builtin": explain.summarize(explain.builtin_importance(model, list(inputs.columns)) @ to_units,
                                         weights, top),
            "permutation": explain.summarize(explain.permutation(pipeline, X_test, y_test, repeats, seed),
                                             column_weights, top)}
    mean_shap = sum(shap_units.values()) / len(shap_units)
    results["ensemble"] = {
        "shap": explain.summarize(mean_shap.abs().mean(), weights, top),
        "permutation": explain.summarize(explain.permutation(ensemble, X_test, y_test, repeats, seed),
                                         column_weights, top)}
    for name, result in results.items():
        log.info("%-8s SHAP top: %s; modality shares %s", name, ", ".join(list(result["shap"]["top"])[:5]),
                 {m: round(v, 2) for m, v in result["shap"]["modality_share"].items()})
    display = inputs @ to_units if pca is not None else _display_values(X_test, schema)
    with AtomicOutputs() as out:
        explain.summary_plot(mean_shap, display[mean_shap.columns], out.path(shap_path), top,
                             f"SHAP values of the {' + '.join(names)} ensemble, {len(X_test)} test patients")
        out.json(results, metrics_path)


def _display_values(X: pd.DataFrame, schema: prognosis.Schema) -> pd.DataFrame:
    """Colours for the beeswarm: numeric columns as they are, categorical ones as sorted category codes."""
    display = X.copy()
    for column in schema.categorical_features:
        display[column] = pd.Categorical(display[column]).codes.astype(float)
        display.loc[X[column].isna(), column] = float("nan")
    return display


if __name__ == "__main__":
    run(main)
