"""Benchmark of the prognosis study's heavy steps (seed 000) on the default demo cohort and grids:
grid search per model, out-of-fold predictions of the best configuration, SHAP and permutation importance.

Run: .venv/bin/python benchmarks/prognosis.py   (or `make bench`)
"""
import yaml
from _measure import REPO, timed
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_predict

from alskit import demo_prognosis, explain, prognosis

params = yaml.safe_load((REPO / "params.yaml").read_text())
settings = params["prognosis"]
demo = settings["demo"]
schema = prognosis.schema_from_params(params)
table = demo_prognosis.make_cohort(demo["patients"], demo["fast_threshold"], demo["median_rate"],
                                   tuple(demo["missing_imaging"]), demo["missing_other"], demo["duplicates"],
                                   demo["seed"])
train, test = prognosis.split(prognosis.clean(table, schema, "demo")[0], settings["split"]["test_size"], 42)
X, y = prognosis.features_and_labels(train, schema)
X_test, y_test = prognosis.features_and_labels(test, schema)
splits = prognosis.folds(y, settings["cv"]["folds"], settings["cv"]["seed"])
for name in settings["models"]:
    pipeline = prognosis.make_pipeline(prognosis.make_encoder(schema), None, prognosis.make_model(name, 42))
    grid = {f"model__{k}": v for k, v in settings[name]["grid"].items()}
    with timed(f"{name}: grid search ({len(splits)} folds, 2 cores)"):
        search = GridSearchCV(pipeline, grid, scoring="roc_auc", cv=splits, n_jobs=-1).fit(X, y)
    with timed(f"{name}: out-of-fold predictions of the best"):
        cross_val_predict(clone(search.best_estimator_), X, y, cv=splits, method="predict_proba", n_jobs=-1)
    best = search.best_estimator_
    inputs, background = best[:-1].transform(X_test), best[:-1].transform(X).sample(100, random_state=42)
    with timed(f"{name}: SHAP ({len(X_test)} test patients)"):
        explain.tree_shap(best[-1], background, inputs)
    with timed(f"{name}: permutation importance (10 repeats)"):
        explain.permutation(best, X_test, y_test, 10, 42)
