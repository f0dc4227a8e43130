"""Seed 002, IV.D / Table 4: k-fold CV of every CNN scenario x dropout rate of the grid on the mel-spectrogram
images, every configuration x fold training a task of one fan-out (this machine's cores, or the Dask cluster the
environment names: docs/compute.md).

Usage: python stages/voice_cnn.py RECORDINGS_CSV MEL_NPY OUTPUT_DIR
Writes, per configuration, OUTPUT_DIR/<scenario>_<rate>/predictions.csv (out-of-fold probabilities per recording),
history.json (every fold's loss and accuracy per epoch) and live/fold<k> (the same curves, logged by dvclive as
each epoch ends, to watch a long grid run).
"""

from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import config, grid


def main(recordings_path: str, mel_path: str, output_dir: str) -> None:
    cfg = config.load()
    recordings = read_csv(recordings_path)
    with AtomicOutputs() as out:
        live = {run: out.live(grid.run_dir(output_dir, *run) / "live") for run in grid.configurations(cfg.grid)}
        runs = grid.grid_runs(recordings, mel_path, cfg, live_root=lambda scenario, rate: live[scenario, rate])
        for (scenario, rate), (predictions, histories) in zip(grid.configurations(cfg.grid), runs):
            out.csv(predictions, grid.run_dir(output_dir, scenario, rate) / "predictions.csv")
            out.json(histories, grid.run_dir(output_dir, scenario, rate) / "history.json", digits=6)


if __name__ == "__main__":
    run(main)
