"""Leakage audit of all three studies: subjects on both sides of a split or fold, features missing by design
for one class (and how well missingness alone predicts the class), preprocessing fit on test rows.

Usage: python stages/leakage_audit.py BDB_RAW BDB_DIR VOICE_DIR VOICE_METRICS_JSON PROGNOSIS_DIR AUDIT_JSON
BDB_DIR holds train_all.csv, train_balanced.csv, test.csv, synthetic/ and models/; VOICE_DIR recordings.csv,
clinical.csv, cnn/ and multimodal/;
PROGNOSIS_DIR clean.csv, train.csv, test.csv, encoder.joblib and models/.
"""
import logging
from pathlib import Path

import joblib
import pandas as pd

from alskit import audit, baselines, bdb, prognosis, tables
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs, read_csv, read_json

log = logging.getLogger("alskit")


def _missingness(features: pd.DataFrame, classes: pd.Series, positive: str, settings: dict) -> dict:
    """Columns missing by design for one class (named by ``classes``), and the missingness-only AUROC."""
    by_design = audit.missing_by_design(features, classes, settings["share"])
    y = (classes == positive).to_numpy(dtype=int)
    return {"missing_by_design": len(by_design), "missing_by_design_columns": by_design,
            "missingness_only_auroc": audit.missingness_auroc(features, y, settings["folds"], settings["seed"])}


def _runs(folder: Path) -> list[Path]:
    """The per-model (or per-configuration) output folders of a training stage."""
    return sorted(p for p in folder.iterdir() if p.is_dir())


def _named(found: list[str]) -> dict:
    """A count (diffable by ``dvc metrics diff``) and the first names found."""
    return {"count": len(found), "examples": found[:10]}


def audit_bdb(raw_path: str, folder: Path, params: dict, settings: dict) -> dict:
    options = tables.read_options(params, "bdb.read")
    frame, _ = bdb.mark_missing(tables.read_table(raw_path, options), options, raw_path)
    frame = frame.dropna(subset=[bdb.LABEL])
    train = read_csv(folder / "train_all.csv", index_col=bdb.ID)
    test = read_csv(folder / "test.csv", index_col=bdb.ID)
    X_test, _ = bdb.features_and_labels(test)
    leaky = []
    for run_dir in _runs(folder / "models"):
        training_set = run_dir.name.split("_", 1)[1]  # <model>_<training set>
        X_train, _ = bdb.features_and_labels(
            bdb.without_ids(read_csv(baselines.training_set_path(folder, training_set))))
        scaler = joblib.load(run_dir / "model.joblib")["scale"]
        if not audit.fit_on_training_rows_only(scaler, X_train, pd.concat([X_train, X_test])):
            leaky.append(run_dir.name)
    features = frame.drop(columns=[bdb.ID, bdb.LABEL])
    return {"subjects_in_train_and_test": _named(audit.subjects_on_both_sides(train.index, test.index)),
            **_missingness(features, frame[bdb.LABEL], "ALS", settings),
            "preprocessing_fit_on_test_rows": _named(leaky)}


def audit_voice(folder: Path, voice_metrics: dict, params: dict, settings: dict) -> dict:
    """The CNN grid feeds the spectrograms as they are (nothing fitted); the fusion runs fit the clinical
    preprocessing in every fold: each fold's kept encoder must equal one fit on the other folds' recordings."""
    recordings = read_csv(folder / "recordings.csv")
    categorical = param(params, "voice.clinical.categorical", list)
    clinical = read_csv(folder / "clinical.csv", index_col="subject", dtype={c: str for c in categorical})
    tabular = clinical.drop(columns="label").loc[recordings["subject"]].reset_index(drop=True)
    several, leaky = {}, []
    for run_dir in _runs(folder / "cnn"):
        predictions = read_csv(run_dir / "predictions.csv")
        several[run_dir.name] = _named(audit.subjects_in_several_folds(
            recordings["subject"].to_numpy()[predictions["row"]], predictions["fold"]))
    for run_dir in _runs(folder / "acoustic_models"):
        predictions = read_csv(run_dir / "predictions.csv")
        several[f"acoustic {run_dir.name}"] = _named(audit.subjects_in_several_folds(
            predictions["subject"], predictions["fold"]))
    for run_dir in _runs(folder / "multimodal"):
        predictions = read_csv(run_dir / "predictions.csv")
        several[f"multimodal {run_dir.name}"] = _named(audit.subjects_in_several_folds(
            predictions["subject"], predictions["fold"]))
        found = audit.folds_fit_on_held_out_rows(joblib.load(run_dir / "encoders.joblib"),
                                                 predictions.set_index("row")["fold"], tabular)
        leaky += [f"{run_dir.name}: {finding}" for finding in found]
    accuracy = {name: {"mean": result["accuracy"]["mean"], "ci": result.get("accuracy_ci")}
                for name, result in voice_metrics.items() if name != "runs_not_run"}
    return {"subjects_in_several_folds": several,
            **_missingness(clinical.drop(columns="label"), clinical["label"].map({1: "ALS", 0: "HC"}), "ALS",
                           settings),
            "multimodal_accuracy": accuracy,
            "preprocessing_fit_on_test_rows": _named(leaky)}


def audit_prognosis(folder: Path, params: dict, settings: dict) -> dict:
    schema = prognosis.schema_from_params(params)
    clean = read_csv(folder / "clean.csv", index_col=0)
    train, test = read_csv(folder / "train.csv", index_col=0), read_csv(folder / "test.csv", index_col=0)
    X_train, X_test = train[schema.features], test[schema.features]
    probe = pd.concat([X_train, X_test])
    fitted = {"encoder": joblib.load(folder / "encoder.joblib")}
    several = {}
    for run_dir in _runs(folder / "models"):
        fitted[f"{run_dir.name} model"] = joblib.load(run_dir / "model.joblib")["encode"]
        predictions = read_csv(run_dir / "cv_predictions.csv")
        several[run_dir.name] = _named(audit.subjects_in_several_folds(
            train.index.to_numpy()[predictions["row"]], predictions["fold"]))
    leaky = [name for name, step in fitted.items() if not audit.fit_on_training_rows_only(step, X_train, probe)]
    return {"subjects_in_train_and_test": _named(audit.subjects_on_both_sides(train.index, test.index)),
            "subjects_in_several_folds": several,
            **_missingness(clean[schema.features], clean[prognosis.LABEL].map({1: schema.positive, 0: "other"}),
                           schema.positive, settings),
            "preprocessing_fit_on_test_rows": _named(leaky)}


def main(bdb_raw: str, bdb_dir: str, voice_dir: str, voice_metrics: str, prognosis_dir: str,
         audit_path: str) -> None:
    params = load_params()
    settings = {"share": audit.by_design_share(params),
                "folds": param(params, "audit.folds", int, lambda v: v >= 2, "an integer >= 2"),
                "seed": param(params, "audit.seed", int)}
    report = {"bdb": audit_bdb(bdb_raw, Path(bdb_dir), params, settings),
              "voice": audit_voice(Path(voice_dir), read_json(voice_metrics), params, settings),
              "prognosis": audit_prognosis(Path(prognosis_dir), params, settings)}
    for study, found in report.items():
        log.info("%s: missing by design %d column(s), missingness-only AUROC %s; preprocessing fit on test rows: %s",
                 study, found["missing_by_design"], found["missingness_only_auroc"],
                 found["preprocessing_fit_on_test_rows"]["count"])
    with AtomicOutputs() as out:
        out.json(report, audit_path)


if __name__ == "__main__":
    run(main)
