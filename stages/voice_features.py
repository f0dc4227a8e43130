"""Seed 002, IV.C: a log-mel spectrogram image (n_mels x frames) and MFCC summary features per recording.

Usage: python stages/voice_features.py RECORDINGS_CSV AUDIO_DIR MEL_NPY MFCC_CSV
MEL_NPY holds one float16 image per row of RECORDINGS_CSV, in the same order.
"""
import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile
from joblib import Parallel, delayed
from tqdm import tqdm

from alskit.voice import dataset as voice
from alskit.common.cli import run
from alskit.voice import config
from alskit.common.io import AtomicOutputs, read_csv

log = logging.getLogger("alskit")


def features_of(path: Path, mel: dict, mfcc: dict) -> tuple[np.ndarray, np.ndarray]:
    signal, rate = soundfile.read(str(path), dtype="float64")
    return (voice.log_mel(signal, rate, **mel).astype(np.float16), voice.mfcc_summary(signal, rate, **mfcc))


def main(recordings_path: str, audio_dir: str, mel_path: str, mfcc_path: str) -> None:
    cfg = config.load()
    mel, mfcc = cfg.mel.model_dump(), cfg.mfcc.model_dump()
    recordings = read_csv(recordings_path)
    start = time.perf_counter()
    jobs = (delayed(features_of)(Path(audio_dir) / f, mel, mfcc) for f in recordings["file"])
    results = list(tqdm(Parallel(n_jobs=-1, batch_size=16, return_as="generator")(jobs), total=len(recordings),
                        desc="mel + mfcc", unit="rec"))
    seconds = time.perf_counter() - start
    images = np.stack([image for image, _ in results])
    names = [f"mfcc{i}_{stat}" for stat in ("mean", "std") for i in range(1, mfcc["n_mfcc"] + 1)]
    summary = pd.concat([recordings[["subject", "task", "label"]],
                         pd.DataFrame(np.stack([m for _, m in results]), columns=names)], axis=1)
    log.info("%d recordings -> mel images %s and %d MFCC features in %.1f s (%.0f recordings/s)",
             len(recordings), images.shape[1:], len(names), seconds, len(recordings) / seconds)
    with AtomicOutputs() as out:
        np.save(out.path(mel_path), images)
        out.csv(summary, mfcc_path)


if __name__ == "__main__":
    run(main)
