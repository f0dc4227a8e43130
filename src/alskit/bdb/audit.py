"""Leakage audit of study 1: subjects on both sides of the split, features missing by design for one class
(and how well missingness alone predicts the class), and scalers fit on rows other than a run's training set."""
from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd

from alskit.bdb import baselines, cohort
from alskit.bdb.config import Bdb
from alskit.common import audit, tables
from alskit.common.config import Audit
from alskit.common.io import read_csv


def findings(raw_path: str, folder: Path, cfg: Bdb, settings: Audit) -> dict:
    """The audit of the workbook at ``raw_path`` and the split and model runs under ``folder``
    (``train_all.csv``, ``test.csv``, ``models/<model>_<set>/``)."""
    options = cfg.read.at("bdb.read")
    frame, _ = cohort.mark_missing(tables.read_table(raw_path, options), options, raw_path)
    frame = frame.dropna(subset=[cohort.LABEL])
    train = read_csv(folder / "train_all.csv", index_col=cohort.ID)
    test = read_csv(folder / "test.csv", index_col=cohort.ID)
    X_test, _ = cohort.features_and_labels(test)
    leaky = []
    for run_dir in audit.run_folders(folder / "models"):
        training_set = run_dir.name.split("_", 1)[1]  # <model>_<training set>
        X_train, _ = cohort.features_and_labels(
            cohort.without_ids(read_csv(baselines.training_set_path(folder, training_set))))
        scaler = joblib.load(run_dir / "model.joblib")["scale"]
        if not audit.fit_on_training_rows_only(scaler, X_train, pd.concat([X_train, X_test])):
            leaky.append(run_dir.name)
    features = frame.drop(columns=[cohort.ID, cohort.LABEL])
    return {"subjects_in_train_and_test": audit.named(audit.subjects_on_both_sides(train.index, test.index)),
            **audit.missingness_findings(features, frame[cohort.LABEL], cohort.CLASS_NAMES[1],
                                         settings.missing_by_design_share, settings.folds, settings.seed),
            "preprocessing_fit_on_test_rows": audit.named(leaky)}
