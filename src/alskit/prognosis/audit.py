"""Leakage audit of study 3: patients on both sides of the split or in more than one CV fold, features missing
by design for one class (and the missingness-only AUROC), and model pipelines whose preprocessing saw test rows."""
from __future__ import annotations

from pathlib import Path

import joblib
import pandas as pd

from alskit.common import audit
from alskit.common.config import Audit
from alskit.common.io import read_csv
from alskit.prognosis import cohort
from alskit.prognosis.config import Prognosis


def findings(folder: Path, cfg: Prognosis, settings: Audit) -> dict:
    """The audit of the split and runs under ``folder`` (``clean.csv``, ``train.csv``, ``test.csv``,
    ``models/<model>/``)."""
    schema = cohort.schema_from_config(cfg)
    clean = read_csv(folder / "clean.csv", index_col=0)
    train, test = read_csv(folder / "train.csv", index_col=0), read_csv(folder / "test.csv", index_col=0)
    X_train, X_test = train[schema.features], test[schema.features]
    probe = pd.concat([X_train, X_test])
    fitted, several = {}, {}
    for run_dir in audit.run_folders(folder / "models"):
        fitted[f"{run_dir.name} model"] = joblib.load(run_dir / "model.joblib")["encode"]
        predictions = read_csv(run_dir / "cv_predictions.csv")
        several[run_dir.name] = audit.named(audit.subjects_in_several_folds(
            train.index.to_numpy()[predictions["row"]], predictions["fold"]))
    leaky = [name for name, step in fitted.items() if not audit.fit_on_training_rows_only(step, X_train, probe)]
    return {"subjects_in_train_and_test": audit.named(audit.subjects_on_both_sides(train.index, test.index)),
            "subjects_in_several_folds": several,
            **audit.missingness_findings(clean[schema.features],
                                         clean[cohort.LABEL].map(schema.class_names),
                                         schema.positive, settings.missing_by_design_share, settings.folds,
                                         settings.seed),
            "preprocessing_fit_on_test_rows": audit.named(leaky)}
