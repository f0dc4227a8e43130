"""Seed 001, II.E: stratified k-fold CV of one classifier on one training set, then a final fit on all of it
and predictions for the real held-out test half. The training set is a synthetic one (the paper's protocol) or
real rows (the baselines it is judged against: the balanced subsample the synthesizer saw, or the whole
training half).

Usage: python stages/bdb_train.py MODEL TRAIN_CSV TEST_CSV OUTPUT_DIR
Writes OUTPUT_DIR/{cv_predictions.csv, test_predictions.csv, model.joblib} and, for the network, history.json.
"""
import logging
from pathlib import Path

import joblib
import pandas as pd

from alskit.bdb import cohort as bdb, config, models
from alskit.common.cli import UserError, run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(model: str, train_path: str, test_path: str, output_dir: str) -> None:
    cfg = config.load()
    make = models.model_factory(model, cfg)
    folds, seed = cfg.train.cv_folds, cfg.train.seed
    X, y = bdb.features_and_labels(bdb.without_ids(read_csv(train_path)))
    test = read_csv(test_path, index_col=bdb.ID)
    X_test, y_test = bdb.features_and_labels(test)
    if list(X_test.columns) != list(X.columns):
        raise UserError(f"{test_path}: feature columns differ from those of {train_path}")
    log.info("%s: %d-fold CV on %d training rows from %s (%d ALS)", model, folds, len(y), train_path, y.sum())
    cv = models.cross_val_predictions(make, X, y, folds, seed, "bdb.train.cv_folds", desc=f"{model} cv")
    log.info("%s: final fit on all %d training rows; predicting %d real test subjects", model, len(y), len(y_test))
    final = make().fit(X, y)
    predictions = pd.DataFrame({bdb.ID: X_test.index, "y_true": y_test, "p": final.predict_proba(X_test)[:, 1]})
    output = Path(output_dir)
    with AtomicOutputs() as out:
        out.csv(cv, output / "cv_predictions.csv")
        out.csv(predictions, output / "test_predictions.csv")
        joblib.dump(final, out.path(output / "model.joblib"))
        if hasattr(final[-1], "history_"):
            out.json(final[-1].history_, output / "history.json", digits=6)


if __name__ == "__main__":
    run(main)
