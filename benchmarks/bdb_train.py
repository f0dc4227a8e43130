"""Benchmark of the training stages (seed 001): 10-fold CV + final fit per model on x10 and x20 sets.

Run: .venv/bin/python benchmarks/bdb_train.py [model ...]   (or `make bench`)
"""
import sys

from _measure import bdb_demo_training_set, timed

from alskit.bdb import cohort, models, synthetic

cfg, train = bdb_demo_training_set()
synth = cfg.synth
for factor in synth.factors:
    X, y = cohort.features_and_labels(synthetic.synthesize(
        train, factor * len(train), [cohort.LABEL], synth.default_distribution, synth.enforce_min_max_values,
        synth.enforce_rounding, synth.seed))
    for name in sys.argv[1:] or cfg.models:
        make = models.model_factory(name, cfg)
        with timed(f"{name} x{factor}: {cfg.train.cv_folds}-fold CV"):
            models.cross_val_predictions(make, X, y, cfg.train.cv_folds, cfg.train.seed, "bdb.train.cv_folds",
                                         desc=f"{name} x{factor}")
        with timed(f"{name} x{factor}: final fit"):
            make().fit(X, y)
