"""Benchmark of the prognosis study's heavy steps (seed 000) on the default demo cohort and grids:
grid search per model, out-of-fold predictions of the best configuration, SHAP and permutation importance.

Run: .venv/bin/python benchmarks/prognosis.py   (or `make bench`)
"""
from _measure import params, timed

from alskit.prognosis import cohort as prognosis, config, demo as demo_prognosis, explain, training

cfg = config.load(params())
schema, demo = prognosis.schema_from_config(cfg), cfg.demo
table = demo_prognosis.make_cohort(demo.patients, demo.fast_threshold, demo.median_rate, tuple(demo.missing_imaging),
                                   demo.missing_other, demo.duplicates, demo.seed)
clean = prognosis.clean(table, schema, "demo", cfg.read.at("prognosis.read"), cfg.recode)[0]
train, test = prognosis.split(clean, cfg.split.test_size, cfg.split.seed)
X, y = prognosis.features_and_labels(train, schema)
X_test, y_test = prognosis.features_and_labels(test, schema)
for name in cfg.models:
    with timed(f"{name}: grid search ({cfg.cv.folds} folds, 2 cores)"):
        search, splits = training.grid_search(name, X, y, cfg)
    with timed(f"{name}: out-of-fold predictions of the best"):
        training.out_of_fold(search, X, y, splits)
    best = search.best_estimator_
    inputs = best[:-1].transform(X_test)
    background = best[:-1].transform(X).sample(min(cfg.explain.background, len(X)), random_state=cfg.explain.seed)
    with timed(f"{name}: SHAP ({len(X_test)} test patients)"):
        explain.tree_shap(best[-1], background, inputs)
    with timed(f"{name}: permutation importance ({cfg.explain.permutation_repeats} repeats)"):
        explain.permutation(best, X_test, y_test, cfg.explain.permutation_repeats, cfg.explain.seed)
