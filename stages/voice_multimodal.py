"""Seed 002, Table 5 and Figures 12-14: audio only (the best grid configuration) against audio + clinical
records (the multimodal network), on the same CV folds; bootstrap intervals resample subjects, not recordings.
The fusion runs twice: with every clinical column, and (``audio_clinical_common``) with only the columns that
are not missing by design for one class -- the paper's 100% rests on columns left blank for every control. When no
column is missing by design (an audio-only workbook of ID, Category, Sex, Age), the second run would repeat the
first: it is not run, and the metrics (``runs_not_run``), the log and the report say why. Every run carries the
clinical metrics against the trivial answer, per recording and per subject (``alskit.voice.evaluate``).

Usage: python stages/voice_multimodal.py RECORDINGS_CSV MEL_NPY CLINICAL_CSV BEST_JSON CNN_DIR METRICS_JSON PLOTS_DIR
                                         RUNS_DIR
Writes RUNS_DIR/<run>/{predictions.csv, encoders.joblib} per fusion run: the out-of-fold predictions with their
folds, and the clinical preprocessing fitted in each fold (in fold order), for the leakage audit; and
RUNS_DIR/<run>/live/fold<k>: each fold's training curves, logged by dvclive as each epoch ends.
"""
from pathlib import Path

import joblib

from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv, read_json
from alskit.voice import config, dataset as voice, multimodal


def main(recordings_path: str, mel_path: str, clinical_path: str, best_path: str, cnn_dir: str,
         metrics_path: str, plots_dir: str, runs_dir: str) -> None:
    cfg, audit, runs_dir = config.load(), load_audit(), Path(runs_dir)
    recordings, images = read_csv(recordings_path), voice.load_images(mel_path)
    table = read_csv(clinical_path, index_col="subject", dtype={c: str for c in cfg.clinical.categorical})
    best = read_json(best_path)
    with AtomicOutputs() as out:
        runs, skipped = multimodal.runs(recordings, images, table, Path(cnn_dir) / f"{best['scenario']}_{best['dropout']}",
                                        cfg, audit.missing_by_design_share, lambda name: out.live(runs_dir / name / "live"))
        results = multimodal.score(runs, recordings, skipped, audit.bootstrap.model_dump())
        out.json(results, metrics_path)
        folder = out.directory(plots_dir)
        for name, rows in multimodal.chart_files(runs, recordings, results, audit.calibration_bins).items():
            out.json(rows, folder / name)
        for name, (frame, _, encoders) in runs.items():
            if encoders:
                predictions = frame.assign(subject=recordings["subject"].to_numpy()[frame["row"]])
                out.csv(predictions[["row", "subject", "fold", "y_true", "p"]], runs_dir / name / "predictions.csv")
                joblib.dump(encoders, out.path(runs_dir / name / "encoders.joblib"))


if __name__ == "__main__":
    run(main)
