"""Bulbar severity from voice (beyond both papers): each subject's ALSFRS-R speech item, healthy controls a class
of their own (SAND, ICASSP 2026), from the acoustic measures alone, by the nested, repeated, subject-grouped CV of
the voice headline chosen on per-subject macro-F1 (``alskit.voice.severity``, ``alskit.voice.nested``).

Usage: python stages/voice_severity.py FEATURES_CSV CLINICAL_CSV OUTPUT_DIR METRICS_JSON CONFUSION_JSON
Writes OUTPUT_DIR/subjects.csv (per subject: level, called level, class probabilities averaged over recordings and
fold seeds), the metrics (macro-F1, balanced accuracy; over the patients MAE in item points and quadratic-weighted
kappa; each with a 95% interval over subjects and the trivial answers) and the confusion between the levels. A
clinical workbook without ``voice.severity.target`` skips the task: the metrics say why, the other files are empty.
"""
import logging
from pathlib import Path

import pandas as pd

from alskit.common import records
from alskit.common.cli import run
from alskit.common.errors import UserError
from alskit.common.config import load_audit
from alskit.common.document import value
from alskit.common.io import AtomicOutputs, read_csv
from alskit.common.uncertainty import interval
from alskit.voice import config, nested, records as voice_records, severity

log = logging.getLogger("alskit")


def skipped(reason: str, output_dir: str, metrics_path: str, confusion_path: str) -> None:
    log.info("severity task skipped: %s", reason)
    with AtomicOutputs() as out:
        out.csv(pd.DataFrame(columns=["subject", "level", "called"]), Path(output_dir) / "subjects.csv")
        out.json(records.checked(voice_records.SeverityFile, {"skipped": reason}), metrics_path)
        out.json([], confusion_path)


def main(features_path: str, clinical_path: str, output_dir: str, metrics_path: str, confusion_path: str) -> None:
    cfg = config.load()
    target, clinical = cfg.severity.target, read_csv(clinical_path)
    if target not in clinical.columns:
        return skipped(f"the clinical workbook has no column {target} (voice.severity.target)", output_dir,
                       metrics_path, confusion_path)
    people, table = severity.classes(clinical, target, min_subjects=cfg.cv.folds)
    if len(table["names"]) < 3:
        return skipped(f"the patients' {target} values form fewer than two levels of {cfg.cv.folds} subjects",
                       output_dir, metrics_path, confusion_path)
    features = read_csv(features_path)
    features = features[features["subject"].isin(people["subject"])].reset_index(drop=True)
    recordings = nested.recordings_of(features)
    read = [c for s in cfg.nested.feature_sets for c in nested.feature_columns(features, s)]
    leaked = severity.clinical_inputs(read, list(clinical.columns))
    if leaked:
        raise UserError(f"{features_path}: clinical column(s) {leaked} among the acoustic measures; the severity "
                        "model must read the voice only")
    codes = people.set_index("subject")["code"]
    settings = {m: getattr(cfg.acoustic, m).model_dump() for m in cfg.severity.models}
    candidates = nested.candidates_of(features, cfg.severity.models, settings, cfg.nested.feature_sets, cfg.tasks,
                                      cfg.cv.seed)
    log.info("%s: %d subjects in classes %s (merged: %s), %d recordings, %d candidates", target, len(people),
             table["subjects"], table["merged"] or "none", len(recordings), len(candidates))
    result = nested.nested_cv(candidates, codes[recordings["subject"]].to_numpy(), recordings["subject"].to_numpy(),
                              cfg.cv.folds, cfg.nested.inner_folds, nested.seeds_of(cfg.cv.seed, cfg.severity.repeats),
                              "macro_f1", cfg.acoustic.class_weight == "balanced")
    columns = [f"p{c}" for c in range(len(table["names"]))]
    means = nested.subject_means(result.predictions, recordings, columns).set_index("subject")
    people = people.set_index("subject").loc[means.index].reset_index()
    probabilities = means[columns].to_numpy()
    summary = severity.summary(people, probabilities, table, load_audit().bootstrap.model_dump())
    summary["clinical_columns_read"] = 0
    summary["candidates"] = nested.candidate_table(result)["chosen"].to_dict()
    log.info("macro-F1 %s (majority class %.3f); patients: MAE %s items (median item %.3f), kappa %s",
             value(summary["macro_f1"], interval(summary, "macro_f1")), summary["majority_macro_f1"],
             value(summary["mae"], interval(summary, "mae")), summary["median_item_mae"],
             value(summary["kappa"], interval(summary, "kappa")))
    called = probabilities.argmax(axis=1)
    rows = people[["subject", "level"]].assign(called=[table["names"][c] for c in called],
                                               **{f"p_{n}": probabilities[:, i] for i, n in enumerate(table["names"])})
    with AtomicOutputs() as out:
        out.csv(rows, Path(output_dir) / "subjects.csv")
        out.json(records.checked(voice_records.SeverityFile, summary), metrics_path)
        out.json(severity.confusion_rows(people, called, table["names"], config.SEVERITY_NAME), confusion_path)


if __name__ == "__main__":
    run(main)
