"""Seed 000, section 4 (training, hyperparameter tuning, cross-validation): a grid search of one tree ensemble
with stratified k-fold CV on the training split, the whole pipeline (imputation, encoding, scaling, PCA, model)
refit inside every fold, then the out-of-fold predictions of the selected configuration.

The pipeline is built from the parameters alone (``prognosis.features``, ``prognosis.categorical``,
``prognosis.pca``), never from a fitted object, so nothing fitted outside a fold reaches it.
"""
from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_predict

from alskit.common import folds, progress
from alskit.common.errors import UserError
from alskit.prognosis import cohort, config
from alskit.prognosis.config import Prognosis

log = logging.getLogger("alskit")


def grid_search(model: str, X: pd.DataFrame, y: np.ndarray, cfg: Prognosis) -> tuple[GridSearchCV, list]:
    """The fitted search over ``prognosis.<model>.grid`` (scored by every metric of :data:`cohort.SCORING`,
    selected by ``prognosis.cv.select_by``, refit on the whole training split) and its CV splits."""
    schema = cohort.schema_from_config(cfg)
    grid = {key: values for key, values in dict(getattr(cfg, model).grid).items() if values is not None}
    splits = folds.stratified_splits(y, cfg.cv.folds, cfg.cv.seed, "prognosis.cv.folds", "training split")
    pipeline = cohort.make_pipeline(cohort.make_encoder(schema), cohort.make_pca(cfg.pca.components, cfg.pca.seed),
                                    cohort.MODELS.build(model, {}, cfg.train.seed))
    search = GridSearchCV(pipeline, {f"model__{k}": v for k, v in grid.items()}, scoring=cohort.SCORING,
                          refit=cfg.cv.select_by, cv=splits, n_jobs=-1, error_score="raise")
    configurations = int(np.prod([len(v) for v in grid.values()]))
    log.info("%s: grid of %d configurations x %d folds on %d training patients (%d positive)",
             config.MODEL_NAMES[model], configurations, len(splits), len(y), y.sum())
    try:
        with progress.joblib_bar(configurations * len(splits), f"{model} grid"):
            search.fit(X, y)
    except (ValueError, TypeError) as err:
        raise UserError(f"params.yaml: prognosis.{model}.grid is not valid for {config.MODEL_NAMES[model]}: "
                        f"{str(err).splitlines()[0]}") from None
    log.info("%s: best %s, CV %s %.3f", model, best_params(search), cfg.cv.select_by, search.best_score_)
    return search, splits


def best_params(search: GridSearchCV) -> dict:
    """The selected configuration, named as in ``params.yaml`` (without the pipeline's ``model__``)."""
    return {k.removeprefix("model__"): v for k, v in search.best_params_.items()}


def grid_table(search: GridSearchCV) -> pd.DataFrame:
    """One row per configuration: its parameters as text and the mean and sd over folds of every metric."""
    columns = ["params"] + [f"{stat}_test_{name}" for name in cohort.SCORING for stat in ("mean", "std")]
    return pd.DataFrame(search.cv_results_)[columns].assign(params=lambda f: f["params"].map(
        lambda params: ", ".join(f"{k.removeprefix('model__')}={v}" for k, v in params.items())))


def out_of_fold(search: GridSearchCV, X: pd.DataFrame, y: np.ndarray, splits: list) -> pd.DataFrame:
    """Out-of-fold probabilities of the selected configuration, refit per fold: ``fold``, ``row``, ``y_true``,
    ``p`` (the ensemble averages these across models fold by fold)."""
    oof = cross_val_predict(clone(search.best_estimator_), X, y, cv=splits, method="predict_proba", n_jobs=-1)[:, 1]
    return folds.predictions(folds.fold_of_row(splits, len(y)), np.arange(len(y)), y, oof)
