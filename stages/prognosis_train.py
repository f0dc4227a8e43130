"""Seed 000, section 4 (training, hyperparameter tuning, cross-validation): grid search of one tree ensemble
with stratified k-fold CV on the training split, the whole pipeline (imputation, encoding, scaling, PCA, model)
refit inside every fold; then the best configuration refit on the whole training split.

Usage: python stages/prognosis_train.py MODEL TRAIN_CSV ENCODER_JOBLIB PCA_JOBLIB OUTPUT_DIR
Writes OUTPUT_DIR/{model.joblib, best_params.json, grid.csv, cv_predictions.csv}.
"""
import logging
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_predict

from alskit import prognosis
from alskit.cli import UserError, load_params, param, run
from alskit.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")
SCORING = {"accuracy": "accuracy", "precision": "precision", "recall": "recall", "f1": "f1", "auroc": "roc_auc"}


def main(model: str, train_path: str, encoder_path: str, pca_path: str, output_dir: str) -> None:
    params = load_params()
    if model not in prognosis.MODELS:
        raise UserError(f"unknown prognosis model '{model}'; expected one of {', '.join(prognosis.MODELS)}")
    schema = prognosis.schema_from_params(params)
    grid = param(params, f"prognosis.{model}.grid", dict,
                 lambda g: g and all(isinstance(v, list) and v for v in g.values()), "a mapping to non-empty lists")
    refit = param(params, "prognosis.cv.select_by", str, lambda v: v in SCORING, " or ".join(SCORING))
    seed = param(params, "prognosis.train.seed", int)
    X, y = prognosis.features_and_labels(read_csv(train_path, index_col=0), schema)
    splits = prognosis.folds(y, param(params, "prognosis.cv.folds", int), param(params, "prognosis.cv.seed", int))
    pipeline = prognosis.make_pipeline(clone(joblib.load(encoder_path)), _unfitted(joblib.load(pca_path)),
                                       prognosis.make_model(model, seed))
    search = GridSearchCV(pipeline, {f"model__{k}": v for k, v in grid.items()}, scoring=SCORING, refit=refit,
                          cv=splits, n_jobs=-1, error_score="raise")
    n_candidates = int(np.prod([len(v) for v in grid.values()]))
    log.info("%s: grid of %d configurations x %d folds on %d training patients (%d positive)",
             prognosis.MODELS[model], n_candidates, len(splits), len(y), y.sum())
    try:
        search.fit(X, y)
    except (ValueError, TypeError) as err:
        raise UserError(f"params.yaml: prognosis.{model}.grid is not valid for {prognosis.MODELS[model]}: "
                        f"{str(err).splitlines()[0]}") from None
    best = {k.removeprefix("model__"): v for k, v in search.best_params_.items()}
    log.info("%s: best %s, CV %s %.3f", model, best, refit, search.best_score_)
    oof = cross_val_predict(clone(search.best_estimator_), X, y, cv=splits, method="predict_proba", n_jobs=-1)[:, 1]
    fold = np.empty(len(y), dtype=int)
    for i, (_, held_out) in enumerate(splits):
        fold[held_out] = i
    cv = pd.DataFrame({"fold": fold, "row": np.arange(len(y)), "y_true": y, "p": oof})
    columns = ["params"] + [f"{stat}_test_{name}" for name in SCORING for stat in ("mean", "std")]
    results = pd.DataFrame(search.cv_results_)[columns].assign(params=lambda f: f["params"].map(_plain))
    output = Path(output_dir)
    with AtomicOutputs() as out:
        joblib.dump(search.best_estimator_, out.path(output / "model.joblib"))
        out.json(best, output / "best_params.json")
        out.csv(results, output / "grid.csv")
        out.csv(cv, output / "cv_predictions.csv")


def _unfitted(pca):
    return None if pca is None else clone(pca)


def _plain(params: dict) -> str:
    return ", ".join(f"{k.removeprefix('model__')}={v}" for k, v in params.items())


if __name__ == "__main__":
    run(main)
