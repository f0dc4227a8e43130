"""Seed 002, IV.C: a log-mel spectrogram image (n_mels x frames) and MFCC summary features per recording, and
the figure of each class's average spectrogram per task.

Usage: python stages/voice_features.py RECORDINGS_CSV AUDIO_DIR MEL_NPY MFCC_CSV EXAMPLES_PNG
MEL_NPY holds one float16 image per row of RECORDINGS_CSV, in the same order.
"""
from pathlib import Path

import numpy as np

from alskit.common.cli import run
from alskit.common.io import AtomicOutputs, read_csv
from alskit.voice import config, features


def main(recordings_path: str, audio_dir: str, mel_path: str, mfcc_path: str, examples_path: str) -> None:
    cfg = config.load()
    mel, shown = cfg.mel.model_dump(), cfg.figures.min_recordings
    recordings = read_csv(recordings_path)
    images, summary = features.spectrograms(recordings, Path(audio_dir), mel, cfg.mfcc.model_dump())
    with AtomicOutputs() as out:
        np.save(out.path(mel_path), images)
        out.csv(summary, mfcc_path)
        features.examples_figure(features.class_means(images, recordings, shown), mel, cfg.audio.sample_rate, shown,
                                 out.path(examples_path))


if __name__ == "__main__":
    run(main)
