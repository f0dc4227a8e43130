"""Seed 000, section 4 (training, hyperparameter tuning, cross-validation): grid search of one tree ensemble
with stratified k-fold CV on the training split, the whole pipeline (imputation, encoding, scaling, PCA, model)
refit inside every fold; then the best configuration refit on the whole training split.

Usage: python stages/prognosis_train.py MODEL TRAIN_CSV OUTPUT_DIR
Writes OUTPUT_DIR/{model.joblib, best_params.json, grid.csv, cv_predictions.csv}.
"""
from pathlib import Path

import joblib

from alskit.common.cli import run
from alskit.common.errors import UserError
from alskit.common.io import AtomicOutputs, read_csv
from alskit.prognosis import cohort, config, training


def main(model: str, train_path: str, output_dir: str) -> None:
    cfg = config.load()
    if model not in cfg.models:
        raise UserError(f"unknown prognosis model '{model}'; expected one of {', '.join(cfg.models)} "
                        "(prognosis.models)")
    X, y = cohort.features_and_labels(read_csv(train_path, index_col=0), cohort.schema_from_config(cfg))
    search, splits = training.grid_search(model, X, y, cfg)
    output = Path(output_dir)
    with AtomicOutputs() as out:
        joblib.dump(search.best_estimator_, out.path(output / "model.joblib"))
        out.json(training.best_params(search), output / "best_params.json")
        out.csv(training.grid_table(search), output / "grid.csv")
        out.csv(training.out_of_fold(search, X, y, splits), output / "cv_predictions.csv")


if __name__ == "__main__":
    run(main)
