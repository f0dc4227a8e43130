"""The voice study's cross-validation: its settings, read once from ``params.yaml``, and its folds (shared by the
CNNs, the multimodal network and the acoustic models, so every model is scored on the same subjects)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from .cli import UserError, param


@dataclass(frozen=True)
class CVSettings:
    folds: int
    seed: int
    group_by_subject: bool
    validation_fraction: float
    learning_rate: float
    threads: int
    balanced: bool
    fit_params: dict


def cv_settings(params: dict) -> CVSettings:
    """``voice.cv`` and ``voice.train``, validated; the same for the grid and the multimodal model."""
    positive_int = (lambda v: v > 0, "a positive integer")
    reduce_lr = "voice.train.reduce_lr"
    return CVSettings(
        folds=param(params, "voice.cv.folds", int, lambda v: v >= 2, "an integer >= 2"),
        seed=param(params, "voice.cv.seed", int),
        group_by_subject=param(params, "voice.cv.group_by_subject", bool),
        validation_fraction=param(params, "voice.train.validation_fraction", float, lambda v: 0 < v < 0.5,
                                  "a number in (0, 0.5)"),
        learning_rate=param(params, "voice.train.learning_rate", float),
        threads=param(params, "voice.train.threads", int, *positive_int),
        balanced=param(params, "voice.train.class_weight", str, lambda v: v in ("balanced", "none"),
                       "balanced or none") == "balanced",
        fit_params={
            "batch_size": param(params, "voice.train.batch_size", int, *positive_int),
            "max_epochs": param(params, "voice.train.max_epochs", int, *positive_int),
            "patience": param(params, "voice.train.early_stopping_patience", int, *positive_int),
            "min_delta": param(params, "voice.train.early_stopping_min_delta", float, lambda v: v >= 0, "a number >= 0"),
            "lr_factor": param(params, f"{reduce_lr}.factor", float),
            "lr_patience": param(params, f"{reduce_lr}.patience", int),
            "min_lr": param(params, f"{reduce_lr}.min_learning_rate", float),
        })


def splits(n_splits: int, seed: int, group_by_subject: bool, labels: np.ndarray, subjects: np.ndarray):
    """Stratified k-fold splits of the recordings, grouped by subject when asked (recording-level otherwise).
    Too few subjects (or recordings) to split that many ways is an error naming the settings, not sklearn's."""
    larger_class, groups = int(np.bincount(labels).max()), len(set(subjects)) if group_by_subject else len(labels)
    if min(larger_class, groups) < n_splits:
        raise UserError(f"{groups} subjects, {larger_class} recordings in the larger class: too few to split "
                        f"{n_splits} ways (voice.cv.folds, "
                        "voice.train.validation_fraction); use fewer folds, a larger validation fraction, or more "
                        "subjects")
    if group_by_subject:
        return StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(labels, labels, subjects)
    return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(labels, labels)


def assign_folds(labels: np.ndarray, subjects: np.ndarray, n_folds: int, seed: int,
                 group_by_subject: bool) -> np.ndarray:
    """The CV fold (0..n_folds-1) of every recording, stratified by label, grouped by subject if asked."""
    folds = np.full(len(labels), -1)
    for k, (_, test) in enumerate(splits(n_folds, seed, group_by_subject, labels, subjects)):
        folds[test] = k
    return folds
