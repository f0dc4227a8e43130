"""Seed 002, Table 5 and Figures 12-14: audio only (the best grid configuration) against audio + clinical
records (the multimodal network), on the same CV folds; bootstrap intervals resample subjects, not recordings.
The fusion runs twice: with every clinical column, and (``audio_clinical_common``) with only the columns that
are not missing by design for one class -- the paper's 100% rests on columns left blank for every control. When no
column is missing by design (an audio-only workbook of ID, Category, Sex, Age), the second run would repeat the
first: it is not run, and the metrics (``runs_not_run``), the log and the report say why. Every run carries the
clinical metrics against the trivial answer, per recording and per subject (``alskit.voice_eval``).

Usage: python stages/voice_multimodal.py RECORDINGS_CSV MEL_NPY CLINICAL_CSV BEST_JSON CNN_DIR METRICS_JSON PLOTS_DIR
                                         RUNS_DIR
Writes RUNS_DIR/<run>/{predictions.csv, encoders.joblib} per fusion run: the out-of-fold predictions with their
folds, and the clinical preprocessing fitted in each fold (in fold order), for the leakage audit.
"""
import logging
from pathlib import Path

import joblib
import numpy as np

from alskit import audit, cnn, plots, uncertainty, voice, voice_cv, voice_eval
from alskit.cli import load_params, param, run
from alskit.io import AtomicOutputs, read_csv, read_json
from alskit.report import value
from alskit.voice_cv import cv_settings

log = logging.getLogger("alskit")
NAMES = {1: "ALS", 0: "HC"}


def main(recordings_path: str, mel_path: str, clinical_path: str, best_path: str, cnn_dir: str,
         metrics_path: str, plots_dir: str, runs_dir: str) -> None:
    params = load_params()
    settings = cv_settings(params)
    recordings = read_csv(recordings_path)
    images = voice.load_images(mel_path)
    categorical = param(params, "voice.clinical.categorical", list)
    table = read_csv(clinical_path, index_col="subject", dtype={c: str for c in categorical})
    clinical = table.drop(columns=["label"])
    numeric = [c for c in clinical.columns if c not in categorical]
    tabular = clinical.loc[recordings["subject"]].reset_index(drop=True)
    labels, subjects = recordings["label"].to_numpy(), recordings["subject"].to_numpy()
    folds = voice_cv.assign_folds(labels, subjects, settings.folds, settings.seed, settings.group_by_subject)
    model = {k: param(params, f"voice.multimodal.{k}", (int, float, list))
             for k in ("filters", "dropout", "image_dense", "tabular_units", "fusion_units")}
    impute = {k: param(params, f"voice.clinical.{k}", (str, int, float)) for k in ("strategy", "fill_value")}

    by_design = audit.missing_by_design(clinical, table["label"], audit.by_design_share(params))
    log.info("%d clinical column(s) missing by design for one class", len(by_design))

    def fusion(columns: list[str], desc: str):
        """CV of the multimodal network on the images and the clinical ``columns``: out-of-fold predictions,
        training curves, and each fold's fitted clinical encoder (in fold order)."""
        kept_numeric, kept_categorical = [c for c in numeric if c in columns], [c for c in categorical if c in columns]
        fitted = []

        def inputs_for(train: np.ndarray):
            encoder = voice.clinical_preprocessor(kept_numeric, kept_categorical, **impute).fit(tabular.iloc[train])
            fitted.append(encoder)
            encoded = encoder.transform(tabular).astype(np.float32)
            return lambda rows: (images[rows], encoded[rows])

        log.info("%s: %d-fold CV on %d recordings x (%s image + %d clinical columns)", desc, settings.folds,
                 len(labels), images.shape[1:3], len(columns))
        predictions, histories = cnn.cross_validate(
            build=lambda x: cnn.build_multimodal(images.shape[1:3], x[1].shape[1],
                                                 learning_rate=settings.learning_rate, **model),
            inputs_for=inputs_for, labels=labels, subjects=subjects, folds=folds, fit_params=settings.fit_params,
            validation_fraction=settings.validation_fraction, group_by_subject=settings.group_by_subject,
            seed=settings.seed, threads=settings.threads, balanced=settings.balanced, desc=desc)
        return predictions, histories, fitted

    runs = {"audio_clinical": fusion(list(clinical.columns), "multimodal")}
    shared_columns, skipped = audit.without_by_design(list(clinical.columns), by_design)
    if skipped:
        log.info("fusion without the columns missing by design: not run (%s)", skipped)
    else:
        runs["audio_clinical_common"] = fusion(shared_columns, "multimodal, common columns")
    best = read_json(best_path)
    best_dir = Path(cnn_dir) / f"{best['scenario']}_{best['dropout']}"
    # the CNN takes the spectrograms as they are: nothing fitted to keep
    runs = {"audio": (read_csv(best_dir / "predictions.csv"), read_json(best_dir / "history.json"), []), **runs}
    bootstrap = uncertainty.bootstrap_settings(params)
    results = {}
    for name, (frame, curves, _) in runs.items():
        scored = frame.assign(subject=subjects[frame["row"]], task=recordings["task"].to_numpy()[frame["row"]])
        results[name] = voice_eval.summarise(scored, bootstrap, curves)
        subject = results[name]["per_subject"]
        log.info("%-21s accuracy %.3f+-%.3f, F1 %.3f; per subject AUROC %s, balanced accuracy %s (majority "
                 "rate %.3f); %d of %d folds collapsed", name, results[name]["accuracy"]["mean"],
                 results[name]["accuracy"]["std"], results[name]["f1"]["mean"], value(subject["auroc"]),
                 value(subject["balanced_accuracy"]), subject["majority_rate"], results[name]["folds"]["collapsed"],
                 results[name]["folds"]["of"])
    results["runs_not_run"] = {"audio_clinical_common": skipped} if skipped else {}
    plots_dir = Path(plots_dir)
    with AtomicOutputs() as out:
        out.json(results, metrics_path)
        for name, (frame, curves, encoders) in runs.items():
            predicted = (frame["p"] >= 0.5).astype(int)
            out.json(plots.confusion_rows(frame["y_true"], predicted, NAMES), plots_dir / "confusion" / f"{name}.json")
            for k, history in enumerate(curves, 1):
                out.json(plots.history_rows(history), plots_dir / "curves" / f"{name}_fold{k}.json", digits=6)
            if encoders:
                out.csv(frame.assign(subject=subjects[frame["row"]])[["row", "subject", "fold", "y_true", "p"]],
                        Path(runs_dir) / name / "predictions.csv")
                joblib.dump(encoders, out.path(Path(runs_dir) / name / "encoders.joblib"))


if __name__ == "__main__":
    run(main)
