"""Seed 002, IV.D / Table 4: k-fold CV of one CNN scenario x dropout rate on the mel-spectrogram images.

Usage: python stages/voice_cnn.py SCENARIO DROPOUT RECORDINGS_CSV MEL_NPY OUTPUT_DIR
Writes OUTPUT_DIR/predictions.csv (out-of-fold probabilities per recording) and OUTPUT_DIR/history.json.
"""
from pathlib import Path

from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import config, dataset as voice, grid


def main(scenario: str, dropout: str, recordings_path: str, mel_path: str, output_dir: str) -> None:
    rate = grid.configuration(scenario, dropout)
    predictions, histories = grid.grid_run(scenario, rate, read_csv(recordings_path), voice.load_images(mel_path),
                                           config.load(), desc=f"{scenario} dropout {dropout}")
    with AtomicOutputs() as out:
        out.csv(predictions, Path(output_dir) / "predictions.csv")
        out.json(histories, Path(output_dir) / "history.json", digits=6)


if __name__ == "__main__":
    run(main)
