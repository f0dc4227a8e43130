"""Every voice model's charts on one set of axes: the CNN (the best grid configuration), the fusion runs and the
acoustic models, each scored per subject on the same subject-grouped folds, so the chart shows the model the
report's headline names beside the paper's networks.

Each run's ROC, precision-recall, calibration and confusion data are logged with dvclive in its own folder
(:func:`alskit.common.plots.log_run`) and the study's chart files are read back from there, as the BDB and
prognosis evaluations do.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from alskit.common import plots, scoring
from alskit.voice import config, evaluate

PANEL = "per subject, out of fold"


def with_subjects(frame: pd.DataFrame, recordings: pd.DataFrame) -> pd.DataFrame:
    """Out-of-fold predictions per recording (``row`` indexes ``recordings``) with each recording's subject."""
    return frame if "subject" in frame else frame.assign(subject=recordings["subject"].to_numpy()[frame["row"]])


def chart_files(predictions: dict[str, pd.DataFrame], results: dict[str, dict], names: dict[str, str], bins: int,
                live_root: Path) -> dict[str, list[dict]]:
    """The study's chart files by name (``roc.json``, ``precision_recall.json``, ``calibration.json``,
    ``confusion.json``): per model in ``predictions`` (in order: its colour) the subjects' out-of-fold
    probabilities (the mean over their recordings), legends from its per-subject metrics in ``results``, each
    run's curves logged with dvclive in ``<live_root>/<name>``."""
    files: dict[str, list[dict]] = {}
    for order, (name, frame) in enumerate(predictions.items()):
        people = evaluate.subject_predictions(frame)
        plots.extend(files, scoring.curves(PANEL, names[name], order, people["y_true"], people["p"],
                                           results[name]["per_subject"], 0.5, config.CLASS_NAMES, bins,
                                           live_root / name))
    return files
