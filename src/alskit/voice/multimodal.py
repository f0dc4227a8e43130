"""Seed 002, Table 5 and Figures 12-14: the multimodal network (mel-spectrogram CNN fused with the clinical
record) cross-validated on the CNN's folds, beside the best audio-only configuration.

The clinical preprocessing (imputation, one-hot encoding, scaling) is fit inside every fold on that fold's
training recordings only; each fold's fitted encoder is kept, in fold order, so the leakage audit can refit it
and compare. :func:`runs` gives every model of the comparison: ``audio`` (the best grid run, nothing fitted),
``audio_clinical`` (every clinical column) and ``audio_clinical_common`` (only the columns not missing by design
for one class; skipped, with the reason, when it would repeat the run before it or have no column).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from alskit.common import audit, plots
from alskit.common.io import read_csv, read_json
from alskit.common.document import value
from alskit.voice import cnn, cv, evaluate, workbook
from alskit.voice.config import RUN_NAMES, Voice

log = logging.getLogger("alskit")


def fusion_cv(images: np.ndarray, tabular: pd.DataFrame, recordings: pd.DataFrame, folds: np.ndarray,
              columns: list[str], cfg: Voice, desc: str, live_root: Path | None = None
              ) -> tuple[pd.DataFrame, list[dict], list]:
    """CV of the multimodal network on ``images`` and the clinical ``columns`` of ``tabular`` (one row per
    recording): out-of-fold predictions, training curves (logged live per fold under ``live_root``, see
    :func:`alskit.voice.cnn.cross_validate`), and each fold's fitted clinical encoder (fold order)."""
    settings = cv.cv_settings(cfg)
    categorical = [c for c in cfg.clinical.categorical if c in columns]
    numeric = [c for c in tabular.columns if c in columns and c not in cfg.clinical.categorical]
    labels, subjects = recordings["label"].to_numpy(), recordings["subject"].to_numpy()
    fitted = []

    def inputs_for(train: np.ndarray):
        encoder = workbook.clinical_preprocessor(numeric, categorical, cfg.clinical.strategy,
                                                cfg.clinical.fill_value).fit(tabular.iloc[train])
        fitted.append(encoder)
        encoded = encoder.transform(tabular).astype(np.float32)
        return lambda rows: (images[rows], encoded[rows])

    log.info("%s: %d-fold CV on %d recordings x (%s image + %d clinical columns)", desc, settings.folds,
             len(labels), images.shape[1:3], len(columns))
    predictions, histories = cnn.cross_validate(
        build=lambda x: cnn.build_multimodal(images.shape[1:3], x[1].shape[1], learning_rate=settings.learning_rate,
                                             seed=settings.seed,
                                             **cfg.multimodal.model_dump()),
        inputs_for=inputs_for, labels=labels, subjects=subjects, folds=folds, fit_params=settings.fit_params,
        validation_fraction=settings.validation_fraction, group_by_subject=settings.group_by_subject,
        seed=settings.seed, threads=settings.threads, balanced=settings.balanced, desc=desc, live_root=live_root)
    return predictions, histories, fitted


def runs(recordings: pd.DataFrame, images: np.ndarray, table: pd.DataFrame, best_dir: Path, cfg: Voice,
         by_design_share: float, live: Callable[[str], Path] | None = None) -> tuple[dict[str, tuple], str]:
    """Every model of the comparison as ``name: (predictions, curves, fold encoders)``, and why
    ``audio_clinical_common`` was not run ("" when it was). ``table``: the clinical table (``label`` and the
    clinical columns, by subject); ``best_dir``: the best grid run's folder; ``live(run)``: the folder where
    that fusion run's folds log their training curves as they train."""
    live = live or (lambda name: None)
    clinical = table.drop(columns=["label"])
    tabular = clinical.loc[recordings["subject"]].reset_index(drop=True)
    settings = cv.cv_settings(cfg)
    folds = cv.study_folds(recordings["label"].to_numpy(), recordings["subject"].to_numpy(), settings)
    by_design = audit.missing_by_design(clinical, table["label"], by_design_share)
    log.info("%d clinical column(s) missing by design for one class", len(by_design))
    fused = {"audio_clinical": fusion_cv(images, tabular, recordings, folds, list(clinical.columns), cfg,
                                         "multimodal", live("audio_clinical"))}
    shared_columns, skipped = audit.without_by_design(list(clinical.columns), by_design)
    if skipped:
        log.info("fusion without the columns missing by design: not run (%s)", skipped)
    else:
        fused["audio_clinical_common"] = fusion_cv(images, tabular, recordings, folds, shared_columns, cfg,
                                                   "multimodal, common columns", live("audio_clinical_common"))
    # the CNN takes the spectrograms as they are: nothing fitted to keep
    audio = (read_csv(best_dir / "predictions.csv"), read_json(best_dir / "history.json"), [])
    return {"audio": audio, **fused}, skipped


def score(all_runs: dict[str, tuple], recordings: pd.DataFrame, skipped: str, bootstrap: dict) -> dict:
    """Each run's metrics (:func:`alskit.voice.evaluate.summarise`: per recording, per subject, per task, against
    the trivial answer), and ``runs_not_run`` with the reason."""
    subjects, tasks = recordings["subject"].to_numpy(), recordings["task"].to_numpy()
    results = {}
    for name, (frame, curves, _) in all_runs.items():
        result = results[name] = evaluate.summarise(
            frame.assign(subject=subjects[frame["row"]], task=tasks[frame["row"]]), bootstrap, curves)
        subject = result["per_subject"]
        log.info("%-21s accuracy %.3f+-%.3f, F1 %.3f; per subject AUROC %s, balanced accuracy %s (majority "
                 "rate %.3f); %d of %d folds collapsed", name, result["accuracy"]["mean"], result["accuracy"]["std"],
                 result["f1"]["mean"], value(subject["auroc"]), value(subject["balanced_accuracy"]),
                 subject["majority_rate"], result["folds"]["collapsed"], result["folds"]["of"])
    results["runs_not_run"] = {"audio_clinical_common": skipped} if skipped else {}
    return results


def training_rows(all_runs: dict[str, tuple]) -> list[dict]:
    """Every network fold's loss and accuracy per epoch, as records for ``training.json``."""
    return [row for name, (_, curves, _) in all_runs.items() for k, history in enumerate(curves, 1)
            for row in plots.history_rows(RUN_NAMES[name], f"fold {k}", history, "recordings")]


def audit_records(all_runs: dict[str, tuple], recordings: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, list]]:
    """What the leakage audit reads of each fusion run that fitted clinical preprocessing: its out-of-fold
    predictions (``row``, ``subject``, ``fold``, ``y_true``, ``p``) and the encoder fitted in each fold."""
    subjects = recordings["subject"].to_numpy()
    return {name: (frame.assign(subject=subjects[frame["row"]])[["row", "subject", "fold", "y_true", "p"]], encoders)
            for name, (frame, _, encoders) in all_runs.items() if encoders}
