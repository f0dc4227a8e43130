"""Benchmark of the training stages (seed 001): 10-fold CV + final fit per model on x10 and x20 sets.

Run: .venv/bin/python benchmarks/bdb_train.py [model ...]   (or `make bench`)
"""
import sys

from _measure import params, timed

from alskit.bdb import cohort as bdb, config, demo as demo_bdb, models, synthetic
from alskit.common import tables

cfg = config.load(params())
raw = demo_bdb.make_cohort(**cfg.demo.model_dump())
encoded = bdb.encode(bdb.clean(raw, tables.read_options(cfg.read, "bdb.read"), cfg.clean.min_rows_per_class,
                               "demo")[0], "demo")
train = bdb.undersample(bdb.split_per_class(encoded, cfg.split.train_fraction, cfg.split.seed)[0],
                        cfg.split.seed).reset_index(drop=True)
synth = cfg.synth
for factor in synth.factors:
    X, y = bdb.features_and_labels(synthetic.synthesize(
        train, factor * len(train), [bdb.LABEL], synth.default_distribution, synth.enforce_min_max_values,
        synth.enforce_rounding, synth.seed))
    for name in sys.argv[1:] or cfg.models:
        make = models.model_factory(name, cfg)
        with timed(f"{name} x{factor}: {cfg.train.cv_folds}-fold CV"):
            models.cross_val_predictions(make, X, y, cfg.train.cv_folds, cfg.train.seed, "bdb.train.cv_folds",
                                         desc=f"{name} x{factor}")
        with timed(f"{name} x{factor}: final fit"):
            make().fit(X, y)
