"""Seed 002's networks and their cross-validation: the CNN scenarios of Table 1 and the multimodal model.

Scenario ``S<n><A|B>``: ``n`` blocks of Conv2D(3x3, ReLU) with 16, 32, 64, 128, 256 filters, each followed
by 2x2 MaxPooling (A) or AveragePooling (B); an optional Dropout; Flatten; a fully connected ReLU layer; a
sigmoid output (binary cross-entropy), as the paper's methods section describes.

Folds are grouped by subject by default, so no speaker is on both sides of a split; the paper's
recording-level folds (``group_by_subject=False``) let the same voice appear in training and test.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from tqdm import tqdm

from alskit.common import folds as cv_folds, training
from alskit.voice import cv
from alskit.common.errors import UserError

FILTERS = (16, 32, 64, 128, 256)
SCENARIO = re.compile(r"^S([1-5])([AB])$")


def parse_scenario(code: str) -> tuple[int, str]:
    """``"S3B"`` -> ``(3, "average")``; anything else is an error naming the code."""
    match = SCENARIO.match(code)
    if not match:
        raise UserError(f"unknown CNN scenario '{code}'; expected S1A..S5B (seed 002, Table 1)")
    return int(match[1]), {"A": "max", "B": "average"}[match[2]]


def build(code: str, dropout: float, input_shape: tuple[int, int], dense_units: int, learning_rate: float,
          seed: int):
    """The compiled Keras model of scenario ``code`` with the given dropout rate (0 = no dropout layer), its
    random layers seeded from ``seed`` (:class:`alskit.common.training.LayerSeeds`)."""
    training.tensorflow()
    import keras
    from keras import layers

    n_blocks, pooling = parse_scenario(code)
    seeds = training.LayerSeeds(seed)
    pool = layers.MaxPooling2D if pooling == "max" else layers.AveragePooling2D
    stack = [keras.Input(shape=(*input_shape, 1), name="mel")]
    for i, filters in enumerate(FILTERS[:n_blocks], 1):
        stack += [layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name=f"conv_{i}",
                                kernel_initializer=seeds.weights()),
                  pool((2, 2), name=f"pool_{i}")]
    if dropout > 0:
        stack.append(layers.Dropout(dropout, name="dropout", seed=seeds.next()))
    stack += [layers.Flatten(name="flatten"),
              layers.Dense(dense_units, activation="relu", name="dense", kernel_initializer=seeds.weights()),
              layers.Dense(1, activation="sigmoid", name="als_probability", kernel_initializer=seeds.weights())]
    model = keras.Sequential(stack, name=f"cnn_{code}")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, name="adam"), loss="binary_crossentropy",
                  metrics=["accuracy"])
    return model


def build_multimodal(image_shape: tuple[int, int], n_tabular: int, filters: int, dropout: float, image_dense: int,
                     tabular_units: list[int], fusion_units: int, learning_rate: float, seed: int):
    """Seed 002, Figure 9: an image branch (Conv2D, AveragePooling, Dropout, Flatten, Dense) and a tabular
    branch (Dense, BatchNorm, Dropout per layer) concatenated into Dense -> softmax over the 2 classes; random
    layers seeded from ``seed`` (:class:`alskit.common.training.LayerSeeds`)."""
    training.tensorflow()
    import keras
    from keras import layers

    seeds = training.LayerSeeds(seed)
    image = keras.Input(shape=(*image_shape, 1), name="mel")
    x = layers.Conv2D(filters, (3, 3), activation="relu", padding="same", name="conv",
                      kernel_initializer=seeds.weights())(image)
    x = layers.AveragePooling2D((2, 2), name="pool")(x)
    x = layers.Dropout(dropout, name="image_dropout", seed=seeds.next())(x)
    x = layers.Dense(image_dense, activation="relu", name="image_dense",
                     kernel_initializer=seeds.weights())(layers.Flatten(name="flatten")(x))
    tabular = keras.Input(shape=(n_tabular,), name="clinical")
    t = tabular
    for i, units in enumerate(tabular_units, 1):
        t = layers.Dense(units, activation="relu", name=f"clinical_dense_{i}", kernel_initializer=seeds.weights())(t)
        t = layers.BatchNormalization(name=f"clinical_batch_norm_{i}")(t)
        t = layers.Dropout(dropout, name=f"clinical_dropout_{i}", seed=seeds.next())(t)
    joint = layers.Dense(fusion_units, activation="relu", name="fusion",
                         kernel_initializer=seeds.weights())(layers.Concatenate(name="concat")([x, t]))
    output = layers.Dense(2, activation="softmax", name="class_probabilities", kernel_initializer=seeds.weights())
    model = keras.Model([image, tabular], output(joint), name="multimodal")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate, name="adam"),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def validation_mask(labels: np.ndarray, subjects: np.ndarray, fraction: float, seed: int,
                    group_by_subject: bool) -> np.ndarray:
    """Which training recordings early stopping watches: about ``fraction`` of them, split like the folds."""
    units = len(set(subjects)) if group_by_subject else len(labels)
    n_splits = max(2, min(int(round(1 / fraction)), units))
    _, held = next(cv.splits(n_splits, seed, group_by_subject, labels, subjects))
    mask = np.zeros(len(labels), dtype=bool)
    mask[held] = True
    return mask


def train_fold(build: Callable[[Any], Any], take: Callable[[np.ndarray], Any], labels: np.ndarray,
               subjects: np.ndarray, folds: np.ndarray, k: int, fit_params: dict, validation_fraction: float,
               group_by_subject: bool, seed: int, threads: int, balanced: bool,
               live_dir: Path | None = None) -> tuple[pd.DataFrame, dict]:
    """Fold ``k`` (from 0) of :func:`cross_validate`: a model trained on the other folds' recordings, its ALS
    probabilities for fold ``k`` (``row``, ``fold``, ``y_true``, ``p``) and its training curves. ``take(rows)``:
    the model inputs for ``rows``, any preprocessing fitted on the training rows only."""
    training.set_threads(threads)
    train, test = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
    held = validation_mask(labels[train], subjects[train], validation_fraction, seed, group_by_subject)
    training.seed_everything(seed)
    model = build(take(train[:1]))
    fit_labels = labels[train[~held]]
    weights = training.balanced_class_weights(fit_labels) if balanced else None
    history = training.fit(model, take(train[~held]), fit_labels, take(train[held]), labels[train[held]], seed=seed,
                           class_weight=weights, live_dir=live_dir, **fit_params)
    output = model.predict(take(test), batch_size=64, verbose=0)
    p = output[:, 1] if output.shape[1] == 2 else output.ravel()
    return cv_folds.predictions(k, test, labels[test], p), history


def cross_validate(build: Callable[[Any], Any], inputs_for: Callable[[np.ndarray], Callable[[np.ndarray], Any]],
                   labels: np.ndarray, subjects: np.ndarray, folds: np.ndarray, fit_params: dict,
                   validation_fraction: float, group_by_subject: bool, seed: int, threads: int,
                   desc: str, balanced: bool = True, live_root: Path | None = None) -> tuple[pd.DataFrame, list[dict]]:
    """Out-of-fold probabilities of the ALS class and the per-fold training curves, folds one after the other in
    this process (:func:`train_fold`; the grid runs its folds as tasks of one fan-out instead).

    ``inputs_for(train_rows)`` returns ``take(rows)``, the model inputs for ``rows`` with any preprocessing
    fitted on ``train_rows`` only; ``build(example_inputs)`` returns a compiled model. Early stopping and
    the best-weights checkpoint watch a validation share of the training rows, never the scored fold.
    TensorFlow runs on ``threads`` threads (:func:`training.set_threads`). With ``balanced``, each class's
    loss is weighted by the inverse of its share of the fold's training recordings, so that the majority
    class's answer is not the cheapest one to learn. With ``live_root``, dvclive logs fold k's curves to
    ``live_root/fold<k>`` (from 1) as each epoch ends.
    """
    parts, histories = [], []
    for k in tqdm(range(int(folds.max()) + 1), desc=desc, unit="fold"):
        part, history = train_fold(build, inputs_for(np.flatnonzero(folds != k)), labels, subjects, folds, k,
                                   fit_params, validation_fraction, group_by_subject, seed, threads, balanced,
                                   live_dir=None if live_root is None else live_root / f"fold{k + 1}")
        parts.append(part)
        histories.append(history)
    return pd.concat(parts, ignore_index=True), histories
