"""Benchmark of the training stages (seed 001): 10-fold CV + final fit per model on x10 and x20 sets.

Run: .venv/bin/python benchmarks/bdb_train.py [model ...]   (or `make bench`)
"""
import sys

import yaml
from _measure import REPO, timed

from alskit import bdb, demo_bdb, models, synthetic

params = yaml.safe_load((REPO / "params.yaml").read_text())["bdb"]
raw = demo_bdb.make_cohort(100, 34, 3, 13, effect_scale=3.0, seed=3)
encoded = bdb.encode(bdb.clean(raw, bdb.PAPER_READ, 2, "demo")[0], "demo")
train = bdb.undersample(bdb.split_per_class(encoded, 0.5, 42)[0], 42).reset_index(drop=True)
for factor in (10, 20):
    X, y = bdb.features_and_labels(
        synthetic.synthesize(train, factor * len(train), [bdb.LABEL], "gaussian_kde", True, False, 42))
    for name in sys.argv[1:] or models.MODELS:
        make = models.model_factory(name, params)
        with timed(f"{name} x{factor}: 10-fold CV"):
            models.cross_val_predictions(make, X, y, 10, 42, "bdb.train.cv_folds", desc=f"{name} x{factor}")
        with timed(f"{name} x{factor}: final fit"):
            make().fit(X, y)
