"""The voice study's cross-validation and training settings, read once from ``params.yaml``."""
from __future__ import annotations

from dataclasses import dataclass

from .cli import param


@dataclass(frozen=True)
class CVSettings:
    folds: int
    seed: int
    group_by_subject: bool
    validation_fraction: float
    learning_rate: float
    threads: int
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
        fit_params={
            "batch_size": param(params, "voice.train.batch_size", int, *positive_int),
            "max_epochs": param(params, "voice.train.max_epochs", int, *positive_int),
            "patience": param(params, "voice.train.early_stopping_patience", int, *positive_int),
            "min_delta": param(params, "voice.train.early_stopping_min_delta", float, lambda v: v >= 0, "a number >= 0"),
            "lr_factor": param(params, f"{reduce_lr}.factor", float),
            "lr_patience": param(params, f"{reduce_lr}.patience", int),
            "min_lr": param(params, f"{reduce_lr}.min_learning_rate", float),
        })
