"""The voice study's cross-validation: its settings, from the checked ``params.yaml``, and its folds (shared by the
CNNs, the multimodal network and the acoustic models, so every model is scored on the same subjects)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from alskit.common.folds import check_fold_count, fold_of_row
from alskit.voice.config import Voice


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


def cv_settings(voice: Voice) -> CVSettings:
    """``voice.cv`` and ``voice.train`` of the checked parameters; the same for the grid, the multimodal model
    and the acoustic models."""
    train, cv = voice.train, voice.cv
    return CVSettings(
        folds=cv.folds, seed=cv.seed, group_by_subject=cv.group_by_subject,
        validation_fraction=train.validation_fraction, learning_rate=train.learning_rate, threads=train.threads,
        balanced=train.class_weight == "balanced",
        fit_params={"batch_size": train.batch_size, "max_epochs": train.max_epochs,
                    "patience": train.early_stopping_patience, "min_delta": train.early_stopping_min_delta,
                    "lr_factor": float(train.reduce_lr.factor), "lr_patience": train.reduce_lr.patience,
                    "min_lr": float(train.reduce_lr.min_learning_rate)})


FOLD_PARAMS = "voice.cv.folds, voice.train.validation_fraction"


def splits(n_splits: int, seed: int, group_by_subject: bool, labels: np.ndarray, subjects: np.ndarray,
           params: str = FOLD_PARAMS):
    """Stratified k-fold splits of the recordings, grouped by subject when asked (recording-level otherwise).
    Too few subjects (or recordings) to split that many ways is an error naming the settings (``params``): the
    shared check without the every-class rule, since the validation share and the severity levels (several
    classes, some rare) use these splits too."""
    check_fold_count(n_splits, labels, params, "recordings", subjects if group_by_subject else None,
                     each_class=False)
    if group_by_subject:
        return StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(labels, labels, subjects)
    return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(labels, labels)


def assign_folds(labels: np.ndarray, subjects: np.ndarray, n_folds: int, seed: int,
                 group_by_subject: bool, params: str = FOLD_PARAMS) -> np.ndarray:
    """The CV fold (0..n_folds-1) of every recording, stratified by label, grouped by subject if asked."""
    return fold_of_row(splits(n_folds, seed, group_by_subject, labels, subjects, params), len(labels))


def study_folds(labels: np.ndarray, subjects: np.ndarray, settings: CVSettings) -> np.ndarray:
    """The voice study's CV fold of every recording (:func:`assign_folds` with ``voice.cv``'s folds, seed and
    grouping): the grid, the multimodal model and the acoustic models all call it, so they share their folds."""
    return assign_folds(labels, subjects, settings.folds, settings.seed, settings.group_by_subject)
