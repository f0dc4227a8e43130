"""Seed 001, II.E: stratified k-fold CV of one classifier on one training set, then a final fit on all of it
and predictions for the real held-out test half. The training set is a synthetic one (the paper's protocol) or
real rows (the baselines it is judged against: the balanced subsample the synthesizer saw, or the whole
training half).

Usage: python stages/bdb_train.py MODEL TRAIN_CSV TEST_CSV OUTPUT_DIR
Writes OUTPUT_DIR/{cv_predictions.csv, test_predictions.csv, model.joblib} and, for the network, OUTPUT_DIR/live:
its final fit's training curves, logged by dvclive as each epoch ends.
"""
import logging
from pathlib import Path

import joblib

from alskit.bdb import cohort, config, models
from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def main(model: str, train_path: str, test_path: str, output_dir: str) -> None:
    cfg, output = config.load(), Path(output_dir)
    make = models.model_factory(model, cfg)
    X, y = cohort.features_and_labels(cohort.without_ids(read_csv(train_path)))
    X_test, y_test = cohort.matching_features(read_csv(test_path, index_col=cohort.ID), X, test_path, train_path)
    log.info("%s: %d-fold CV on %d training rows from %s (%d ALS)", model, cfg.train.cv_folds, len(y), train_path,
             y.sum())
    cv = models.cross_val_predictions(make, X, y, cfg.train.cv_folds, cfg.train.seed, "bdb.train.cv_folds",
                                      desc=f"{model} cv")
    log.info("%s: final fit on all %d training rows; predicting %d real test subjects", model, len(y), len(y_test))
    with AtomicOutputs() as out:
        final = make()
        final = models.fit_final(final, X, y, out.live(output / "live") if models.learns_per_epoch(final) else None)
        out.csv(models.test_predictions(final, X_test, y_test, cohort.ID), output / "test_predictions.csv")
        out.csv(cv, output / "cv_predictions.csv")
        joblib.dump(final, out.path(output / "model.joblib"))


if __name__ == "__main__":
    run(main)
