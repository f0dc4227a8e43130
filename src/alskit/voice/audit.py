"""Leakage audit of study 2: speakers in more than one CV fold (of every run, and of every fold seed of the nested
CV), clinical columns missing by design for one class (and the missingness-only AUROC), fusion folds whose
clinical preprocessing saw the recordings they scored, and clinical columns among the acoustic measures (which
the severity model must not read).

The CNN grid feeds the spectrograms as they are (nothing fitted); the fusion runs fit the clinical preprocessing
in every fold: each fold's kept encoder must equal one fit on the other folds' recordings.
"""
from __future__ import annotations

from pathlib import Path

import joblib

from alskit.common import audit
from alskit.common.config import Audit
from alskit.common.io import read_csv
from alskit.voice import config, severity
from alskit.voice.config import Voice


def findings(folder: Path, voice_metrics: dict, cfg: Voice, settings: Audit) -> dict:
    """The audit of the runs under ``folder`` (``recordings.csv``, ``clinical.csv``, ``acoustic.csv``, ``cnn/``,
    ``acoustic_models/``, ``nested/``, ``multimodal/``), with each fusion run's accuracy from ``voice_metrics``."""
    recordings = read_csv(folder / "recordings.csv")
    categorical = cfg.clinical.categorical
    clinical = read_csv(folder / "clinical.csv", index_col="subject", dtype={c: str for c in categorical})
    tabular = clinical.drop(columns="label").loc[recordings["subject"]].reset_index(drop=True)
    several, leaky = {}, []
    for run_dir in audit.run_folders(folder / "cnn"):
        predictions = read_csv(run_dir / "predictions.csv")
        several[run_dir.name] = audit.named(audit.subjects_in_several_folds(
            recordings["subject"].to_numpy()[predictions["row"]], predictions["fold"]))
    for run_dir in audit.run_folders(folder / "acoustic_models"):
        predictions = read_csv(run_dir / "predictions.csv")
        several[f"acoustic {run_dir.name}"] = audit.named(audit.subjects_in_several_folds(
            predictions["subject"], predictions["fold"]))
    nested = read_csv(folder / "nested" / "predictions.csv")
    for seed, part in nested.groupby("seed", sort=True):
        several[f"nested seed {seed}"] = audit.named(audit.subjects_in_several_folds(part["subject"], part["fold"]))
    measures = list(read_csv(folder / "acoustic.csv", nrows=0).columns)
    for run_dir in audit.run_folders(folder / "multimodal"):
        predictions = read_csv(run_dir / "predictions.csv")
        several[f"multimodal {run_dir.name}"] = audit.named(audit.subjects_in_several_folds(
            predictions["subject"], predictions["fold"]))
        found = audit.folds_fit_on_held_out_rows(joblib.load(run_dir / "encoders.joblib"),
                                                 predictions.set_index("row")["fold"], tabular)
        leaky += [f"{run_dir.name}: {finding}" for finding in found]
    accuracy = {name: {"accuracy": result["accuracy"]["mean"],
                       **{key: result[key] for key in ("accuracy_ci_low", "accuracy_ci_high") if key in result}}
                for name, result in voice_metrics.items() if name != "runs_not_run"}
    return {"subjects_in_several_folds": several,
            **audit.missingness_findings(clinical.drop(columns="label"), clinical["label"].map(config.CLASS_NAMES),
                                         config.CLASS_NAMES[1], settings.missing_by_design_share, settings.folds,
                                         settings.seed),
            "multimodal_accuracy": accuracy,
            "clinical_columns_among_acoustic_measures": audit.named(
                severity.clinical_inputs(measures, list(clinical.columns))),
            "preprocessing_fit_on_test_rows": audit.named(leaky)}
