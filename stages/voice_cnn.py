"""Seed 002, IV.D / Table 4: k-fold CV of one CNN scenario x dropout rate on the mel-spectrogram images.

Usage: python stages/voice_cnn.py SCENARIO DROPOUT RECORDINGS_CSV MEL_NPY OUTPUT_DIR
Writes OUTPUT_DIR/predictions.csv (out-of-fold probabilities per recording) and OUTPUT_DIR/history.json.
"""
import logging
from pathlib import Path

from alskit.voice import cnn, cv as voice_cv, dataset as voice
from alskit.common.cli import UserError, run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import config

log = logging.getLogger("alskit")


def main(scenario: str, dropout: str, recordings_path: str, mel_path: str, output_dir: str) -> None:
    cfg = config.load()
    cnn.parse_scenario(scenario)
    try:
        rate = float(dropout)
    except ValueError:
        rate = -1.0
    if not 0 <= rate < 1:
        raise UserError(f"dropout rate must be a number in [0, 1) (voice.grid.dropouts), got {dropout!r}")
    settings = voice_cv.cv_settings(cfg)
    recordings = read_csv(recordings_path)
    images = voice.load_images(mel_path)
    labels, subjects = recordings["label"].to_numpy(), recordings["subject"].to_numpy()
    folds = voice_cv.assign_folds(labels, subjects, settings.folds, settings.seed, settings.group_by_subject)
    log.info("%s, dropout %s: %d-fold CV on %d recordings of %d subjects (folds grouped by subject: %s)",
             scenario, rate or "none", settings.folds, len(labels), len(set(subjects)), settings.group_by_subject)
    dense_units = cfg.grid.dense_units
    predictions, histories = cnn.cross_validate(
        build=lambda x: cnn.build(scenario, rate, images.shape[1:3], dense_units, settings.learning_rate),
        inputs_for=lambda train: (lambda rows: images[rows]), labels=labels, subjects=subjects, folds=folds,
        fit_params=settings.fit_params, validation_fraction=settings.validation_fraction,
        group_by_subject=settings.group_by_subject, seed=settings.seed,
        threads=settings.threads, balanced=settings.balanced, desc=f"{scenario} dropout {dropout}")
    predictions.insert(1, "subject", subjects[predictions["row"]])
    predictions.insert(2, "task", recordings["task"].to_numpy()[predictions["row"]])
    accuracy = ((predictions["p"] >= 0.5) == predictions["y_true"]).mean()
    log.info("%s, dropout %s: out-of-fold accuracy %.3f; epochs per fold %s", scenario, dropout, accuracy,
             [len(h["loss"]) for h in histories])
    with AtomicOutputs() as out:
        out.csv(predictions, Path(output_dir) / "predictions.csv")
        out.json(histories, Path(output_dir) / "history.json", digits=6)


if __name__ == "__main__":
    run(main)
