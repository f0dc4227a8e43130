"""Seed 002, Table 5 and Figures 12-14: audio only (the best grid configuration) against audio + clinical
records (the multimodal network), on the same CV folds; intervals resample subjects, not recordings. The fusion
also runs (``audio_clinical_common``) on only the clinical columns not missing by design for one class (the
paper's 100% rests on columns blank for every control); with no such column it would repeat the first run, so it
is not run and the metrics (``runs_not_run``) say why. See ``alskit.voice.multimodal``.

Usage: python stages/voice_multimodal.py RECORDINGS_CSV MEL_NPY CLINICAL_CSV BEST_JSON CNN_DIR METRICS_JSON PLOTS_DIR
                                         RUNS_DIR
Writes RUNS_DIR/<run>/{predictions.csv, encoders.joblib} (out-of-fold predictions and each fold's fitted clinical
preprocessing, for the leakage audit and the charts of ``voice_curves``), RUNS_DIR/<run>/live/fold<k> (training
curves, logged as each epoch ends) and PLOTS_DIR/training.json (every fold's loss and accuracy per epoch).
"""
from pathlib import Path

import joblib

from alskit.common import records
from alskit.common.cli import run
from alskit.common.config import load_audit
from alskit.common.io import AtomicOutputs, read_csv, read_json
from alskit.voice import config, grid, multimodal, records as voice_records, spectra


def main(recordings_path: str, mel_path: str, clinical_path: str, best_path: str, cnn_dir: str,
         metrics_path: str, plots_dir: str, runs_dir: str) -> None:
    cfg, audit, runs_dir = config.load(), load_audit(), Path(runs_dir)
    recordings, images = read_csv(recordings_path), spectra.load_images(mel_path)
    table = read_csv(clinical_path, index_col="subject", dtype={c: str for c in cfg.clinical.categorical})
    best = read_json(best_path)
    best_cnn = grid.run_dir(cnn_dir, best["scenario"], best["dropout"])
    with AtomicOutputs() as out:
        runs, skipped = multimodal.runs(recordings, images, table, best_cnn, cfg, audit.missing_by_design_share,
                                        lambda name: out.live(runs_dir / name / "live"))
        results = multimodal.score(runs, recordings, skipped, audit.bootstrap.model_dump())
        out.json(records.checked(voice_records.Networks, results), metrics_path)
        out.json(multimodal.training_rows(runs), out.directory(plots_dir) / "training.json")
        for name, (predictions, encoders) in multimodal.audit_records(runs, recordings).items():
            out.csv(predictions, runs_dir / name / "predictions.csv")
            joblib.dump(encoders, out.path(runs_dir / name / "encoders.joblib"))


if __name__ == "__main__":
    run(main)
