"""Classifiers of seed 001 and the cross-validation protocol around them.

Every model is an sklearn ``Pipeline(scaler, classifier)``, so the scaler is
fit on the training part of each fold only and, for the final model, on the
synthetic training set only (never on the real test half).
"""
from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.utils.class_weight import compute_sample_weight

from alskit.bdb.config import BDB_MODELS, MODEL_NAMES, Bdb
from alskit.common import compute, folds as cv_folds, training
from alskit.common.errors import UserError
from alskit.common.models import Catalogue

log = logging.getLogger("alskit")
SCALERS = {"minmax": MinMaxScaler, "standard": StandardScaler}
NETWORK = "mlp"           # the model that trains by epochs with TensorFlow
NETWORK_THREADS = 1       # TensorFlow threads for it: a network this small runs fastest so; folds run in parallel
CLASS_WEIGHTS = ("balanced", "none")
PARALLEL_MIN_ROWS = 200  # smaller training sets are cross-validated in-process (see cross_val_predictions)


class KerasMLP(ClassifierMixin, BaseEstimator):
    """Seed 001's network as an sklearn classifier.

    Dense(hidden_units[0], ReLU) -> BatchNorm -> Dropout -> Dense(hidden_units[1:], ReLU)
    -> Dense(1, sigmoid); Adam; balanced class weights (``class_weight="balanced"``, or none);
    early stopping (restoring the best weights) and ReduceLROnPlateau on the loss of a stratified validation share
    carved out of the data given to ``fit`` -- so early stopping never looks at the
    CV fold or test set being scored. ``history_`` keeps the per-epoch curves.
    """

    def __init__(self, hidden_units=(96, 32), dropout=0.3, learning_rate=1e-4, batch_size=32,
                 max_epochs=100, early_stopping_patience=5, reduce_lr_factor=0.2, reduce_lr_patience=3,
                 min_learning_rate=1e-5, validation_fraction=0.1, class_weight="balanced", seed=0):
        self.hidden_units = hidden_units
        self.dropout = dropout
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_epochs = max_epochs
        self.early_stopping_patience = early_stopping_patience
        self.reduce_lr_factor = reduce_lr_factor
        self.reduce_lr_patience = reduce_lr_patience
        self.min_learning_rate = min_learning_rate
        self.validation_fraction = validation_fraction
        self.class_weight = class_weight
        self.seed = seed

    def _build(self, n_features: int):
        import keras
        from keras import layers

        first, *rest = self.hidden_units
        seeds = training.LayerSeeds(self.seed)
        stack = [keras.Input(shape=(n_features,), name="biomarkers"),
                 layers.Dense(first, activation="relu", name="dense_1", kernel_initializer=seeds.weights()),
                 layers.BatchNormalization(name="batch_norm"),
                 layers.Dropout(self.dropout, name="dropout", seed=seeds.next())]
        stack += [layers.Dense(units, activation="relu", name=f"dense_{i}", kernel_initializer=seeds.weights())
                  for i, units in enumerate(rest, 2)]
        output = layers.Dense(1, activation="sigmoid", name="als_probability", kernel_initializer=seeds.weights())
        model = keras.Sequential([*stack, output], name="bdb_network")
        model.compile(optimizer=keras.optimizers.Adam(self.learning_rate, name="adam"), loss="binary_crossentropy",
                      metrics=["accuracy"])
        return model

    def fit(self, X, y, live_dir=None):
        """Fit on ``X``, ``y`` (a stratified ``validation_fraction`` held out for early stopping); with
        ``live_dir``, dvclive logs the training curves there per epoch (:func:`alskit.common.training.fit`)."""
        training.seed_everything(self.seed)
        training.set_threads(NETWORK_THREADS)
        X, y = np.asarray(X, dtype="float32"), np.asarray(y, dtype=int)
        X_fit, X_val, y_fit, y_val = train_test_split(X, y, test_size=self._validation_rows(len(y)), stratify=y,
                                                      random_state=self.seed)
        weights = training.balanced_class_weights(y_fit) if self.class_weight == "balanced" else None
        self.classes_ = np.array([0, 1])
        self.model_ = self._build(X.shape[1])
        self.history_ = training.fit(
            self.model_, X_fit, y_fit, X_val, y_val, batch_size=self.batch_size, max_epochs=self.max_epochs,
            patience=self.early_stopping_patience, lr_factor=self.reduce_lr_factor,
            lr_patience=self.reduce_lr_patience, min_lr=self.min_learning_rate, seed=self.seed,
            class_weight=weights, live_dir=live_dir)
        return self

    def _validation_rows(self, n_rows: int) -> int:
        """``validation_fraction`` of the rows, rounded up as sklearn rounds it, but at least one per class: a
        training set of 20 real rows, cut into CV folds, leaves 10-odd rows, whose 10% is a single row."""
        rows = max(2, int(np.ceil(self.validation_fraction * n_rows)))
        if n_rows - rows < 2:
            raise UserError(f"{n_rows} training rows are too few for the network: bdb.mlp.validation_fraction "
                            f"({self.validation_fraction}) leaves {n_rows - rows} to fit on")
        return rows

    def __getstate__(self) -> dict:
        """Pickle the network as its architecture and weights: Keras' own pickling embeds the save
        date, which would give a saved model new bytes (and DVC a new hash) on every identical run."""
        state = dict(self.__dict__)
        if "model_" in state:
            state["model_"] = {"config": self.model_.to_json(), "weights": self.model_.get_weights()}
        return state

    def __setstate__(self, state: dict) -> None:
        if "model_" in state:
            training.tensorflow()
            import keras
            model = keras.models.model_from_json(state["model_"]["config"])
            model.set_weights(state["model_"]["weights"])
            state = {**state, "model_": model}
        self.__dict__.update(state)

    def predict_proba(self, X):
        p = np.asarray(self.model_(np.asarray(X, dtype="float32"), training=False)).ravel().astype(float)
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


class BalancedSampleWeights(ClassifierMixin, BaseEstimator):
    """``estimator`` fit with every row weighted by the inverse share of its class (sklearn's "balanced"), so
    that each class carries half the training loss whatever the class mix.

    The weights go in as ``fit(..., sample_weight=...)``: AdaBoost has no ``class_weight`` and starts its
    boosting from these weights; LightGBM's ``class_weight="balanced"`` computes the same numbers, so one
    mechanism serves both tree models. On an exactly balanced set every weight is 1.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y):
        self.estimator_ = clone(self.estimator).fit(X, y, sample_weight=compute_sample_weight("balanced", y))
        self.classes_ = self.estimator_.classes_
        return self

    def predict_proba(self, X):
        return self.estimator_.predict_proba(X)

    def predict(self, X):
        return self.estimator_.predict(X)


def _lightgbm(params: dict[str, Any], seed: int, class_weight: str):
    from lightgbm import LGBMClassifier
    return _weighted(LGBMClassifier(n_estimators=params["n_estimators"], learning_rate=params["learning_rate"],
                                    random_state=seed, deterministic=True, force_row_wise=True, n_jobs=1, verbose=-1),
                     class_weight)


def _adaboost(params: dict[str, Any], seed: int, class_weight: str):
    from sklearn.ensemble import AdaBoostClassifier
    return _weighted(AdaBoostClassifier(n_estimators=params["n_estimators"], learning_rate=params["learning_rate"],
                                        random_state=seed), class_weight)


def _network(params: dict[str, Any], seed: int, class_weight: str):
    reduce_lr = params["reduce_lr"]
    return KerasMLP(hidden_units=tuple(params["hidden_units"]), dropout=params["dropout"],
                    learning_rate=params["learning_rate"], batch_size=params["batch_size"],
                    max_epochs=params["max_epochs"], early_stopping_patience=params["early_stopping_patience"],
                    reduce_lr_factor=reduce_lr["factor"], reduce_lr_patience=reduce_lr["patience"],
                    min_learning_rate=reduce_lr["min_learning_rate"],
                    validation_fraction=params["validation_fraction"], class_weight=class_weight, seed=seed)


def _weighted(estimator, class_weight: str):
    return BalancedSampleWeights(estimator) if class_weight == "balanced" else estimator


MODELS = Catalogue("bdb", MODEL_NAMES, {"lightgbm": _lightgbm, "adaboost": _adaboost, NETWORK: _network})
"""Seed 001's classifiers: ``MODELS.build(name, bdb.<name> as a mapping, seed, class_weight=...)``, where
``class_weight`` is a ``bdb.train.class_weight`` value (checked, like every parameter, by :mod:`alskit.bdb.config`)."""


def model_factory(name: str, cfg: Bdb) -> Callable[[], Pipeline]:
    """A function returning a fresh, unfitted ``Pipeline(scaler, classifier)`` for model ``name``, configured
    by the checked ``bdb`` parameters (``alskit.bdb.config.load()``: its ``train`` settings and the ``<name>``
    hyper-parameters)."""
    settings = getattr(cfg, name, None) if name in BDB_MODELS else None
    if settings is None:
        raise UserError(f"unknown model '{name}' or no params.yaml bdb.{name} section; expected one of "
                        f"{', '.join(m for m in BDB_MODELS if getattr(cfg, m) is not None)}")
    train = cfg.train
    return partial(make_pipeline, train.scaler, partial(MODELS.build, name, settings.model_dump(), train.seed,
                                                        class_weight=train.class_weight))


def make_pipeline(scaler: str, make_model: Callable[[], Any]) -> Pipeline:
    """``Pipeline(scaler, model)``; ``scaler`` is a ``bdb.train.scaler`` value."""
    return Pipeline([("scale", SCALERS[scaler]()), ("model", make_model())])


def _fit_fold(make: Callable[[], Pipeline], X: pd.DataFrame, y: np.ndarray, fold: int, train: np.ndarray,
              held_out: np.ndarray) -> pd.DataFrame:
    model = make().fit(X.iloc[train], y[train])
    return cv_folds.predictions(fold, held_out, y[held_out], model.predict_proba(X.iloc[held_out])[:, 1])


def threads_of(pipeline: Pipeline) -> int | None:
    """TensorFlow's thread count for fitting ``pipeline`` (:func:`alskit.common.compute.run`): None for a model
    without TensorFlow."""
    return NETWORK_THREADS if learns_per_epoch(pipeline) else None


def learns_per_epoch(pipeline: Pipeline) -> bool:
    """Whether the pipeline's model trains by epochs (the network), so has training curves to log."""
    return isinstance(pipeline[-1], KerasMLP)


def fit_final(pipeline: Pipeline, X: pd.DataFrame, y: np.ndarray, live_dir: Path | None) -> Pipeline:
    """The final fit on every training row; the network's curves go to ``live_dir`` as it trains."""
    if live_dir is None:
        return pipeline.fit(X, y)
    return pipeline.fit(X, y, **{f"{pipeline.steps[-1][0]}__live_dir": live_dir})


def test_predictions(final: Pipeline, X_test: pd.DataFrame, y_test: np.ndarray, id_column: str) -> pd.DataFrame:
    """The final model's probability of ALS for every test subject: columns ``id_column``, ``y_true``, ``p``."""
    return pd.DataFrame({id_column: X_test.index, "y_true": y_test, "p": final.predict_proba(X_test)[:, 1]})


def cross_val_predictions(make: Callable[[], Pipeline], X: pd.DataFrame, y: np.ndarray, folds: int,
                          seed: int, folds_param: str, desc: str = "cv") -> pd.DataFrame:
    """Out-of-fold probabilities from stratified k-fold CV: columns ``fold``, ``row``, ``y_true``, ``p``.

    A fresh pipeline (scaler included) is fit on each training part, so nothing
    from the scored fold leaks into preprocessing. From :data:`PARALLEL_MIN_ROWS` rows on, folds run in
    parallel on all cores; below it they run in this process, because starting a worker (importing TensorFlow
    for the network) costs more than fitting a fold of so few rows: the network on 16 rows, 3 folds, took 13 s
    in-process and 21 s in two workers; on 200 rows, 10 folds, 60 s and 54 s. Each fit is seeded on its own,
    so the result is the same either way (checked byte for byte) and does not depend on the core count.
    ``folds_param`` names the parameter ``folds`` came from, for the error message.
    """
    splits = cv_folds.stratified_splits(y, folds, seed, folds_param)
    workers = min(len(splits), os.cpu_count() or 1) if len(y) >= PARALLEL_MIN_ROWS else 1
    parts = compute.run(_fit_fold, [(make, X, y, fold, train, held_out) for fold, (train, held_out) in enumerate(splits)],
                        [f"{desc} fold {fold + 1}" for fold in range(len(splits))], desc=desc, unit="fold",
                        workers=workers, threads=threads_of(make()))
    return pd.concat(parts, ignore_index=True)
