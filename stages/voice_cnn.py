"""Seed 002, IV.D / Table 4: k-fold CV of one CNN scenario x dropout rate on the mel-spectrogram images.

Usage: python stages/voice_cnn.py SCENARIO DROPOUT RECORDINGS_CSV MEL_NPY OUTPUT_DIR
Writes OUTPUT_DIR/predictions.csv (out-of-fold probabilities per recording), OUTPUT_DIR/history.json (every
fold's loss and accuracy per epoch) and OUTPUT_DIR/live/fold<k> (the same curves, logged by dvclive as each epoch
ends, to watch a long grid run).
"""
from pathlib import Path

from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import config, dataset, grid


def main(scenario: str, dropout: str, recordings_path: str, mel_path: str, output_dir: str) -> None:
    rate, cfg = grid.configuration(scenario, dropout), config.load()
    recordings, images = read_csv(recordings_path), dataset.load_images(mel_path)
    with AtomicOutputs() as out:
        predictions, histories = grid.grid_run(scenario, rate, recordings, images, cfg, f"{scenario} dropout {dropout}",
                                               live_root=out.live(Path(output_dir) / "live"))
        out.csv(predictions, Path(output_dir) / "predictions.csv")
        out.json(histories, Path(output_dir) / "history.json", digits=6)


if __name__ == "__main__":
    run(main)
