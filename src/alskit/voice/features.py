"""Seed 002, IV.C: every recording's log-mel spectrogram image and MFCC summary, computed in parallel, and the
figure of what the network sees: each class's average spectrogram per task.

The figure draws averages, never one recording: ``plots/`` is committed to git, and a single recording's
spectrogram is a patient's voice. A class and task with fewer than ``min_recordings`` recordings is left blank.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile

from alskit.common import compute
from alskit.common.plots import pyplot, save_png
from alskit.voice import config, spectra

log = logging.getLogger("alskit")


def features_of(path: Path, mel: dict, mfcc: dict) -> tuple[np.ndarray, np.ndarray]:
    """One recording's log-mel image (float16, n_mels x frames) and MFCC summary (2 x n_mfcc)."""
    signal, rate = soundfile.read(str(path), dtype="float64")
    return spectra.log_mel(signal, rate, **mel).astype(np.float16), spectra.mfcc_summary(signal, rate, **mfcc)


def spectrograms(recordings: pd.DataFrame, audio_dir: Path, mel: dict, mfcc: dict) -> tuple[np.ndarray, pd.DataFrame]:
    """The images of every recording (rows of ``recordings``, in order) stacked, and the MFCC summaries with
    each recording's subject, task and label; on every core."""
    start = time.perf_counter()
    results = compute.run(features_of, [(audio_dir / f, mel, mfcc) for f in recordings["file"]],
                          list(recordings["file"]), desc="mel + mfcc", unit="rec", batch_size=16)
    seconds = time.perf_counter() - start
    images = np.stack([image for image, _ in results])
    names = [f"mfcc{i}_{stat}" for stat in ("mean", "std") for i in range(1, mfcc["n_mfcc"] + 1)]
    summary = pd.concat([recordings[["subject", "task", "label"]],
                         pd.DataFrame(np.stack([m for _, m in results]), columns=names)], axis=1)
    log.info("%d recordings -> mel images %s and %d MFCC features in %.1f s (%.0f recordings/s)",
             len(recordings), images.shape[1:], len(names), seconds, len(recordings) / max(seconds, 1e-9))
    return images, summary


def class_means(images: np.ndarray, recordings: pd.DataFrame, min_recordings: int
                ) -> dict[tuple[str, str], tuple[int, np.ndarray | None]]:
    """``(class, task): (recordings, mean image)`` for every class (ALS first) and task; the image is ``None``
    below ``min_recordings`` (too few to stop being one person's voice)."""
    found = {}
    for name, label in config.CLASSES.items():
        for task in dict.fromkeys(recordings["task"]):
            rows = np.flatnonzero((recordings["label"].to_numpy() == label) & (recordings["task"].to_numpy() == task))
            mean = images[rows].astype(np.float64).mean(axis=0) if len(rows) >= min_recordings else None
            found[(name, task)] = (len(rows), mean)
    return found


def examples_figure(means: dict[tuple[str, str], tuple[int, np.ndarray | None]], mel: dict, sample_rate: int,
                    min_recordings: int, path: Path) -> None:
    """The class means as a grid (a row per class, a column per task), time in seconds and mel bands up to
    ``fmax``, one shared dB colour scale."""
    plt = pyplot()
    classes, tasks = list(dict.fromkeys(c for c, _ in means)), list(dict.fromkeys(t for _, t in means))
    drawn = [m for _, m in means.values() if m is not None]
    low, high = (min(m.min() for m in drawn), max(m.max() for m in drawn)) if drawn else (-80.0, 0.0)
    seconds = mel["frames"] * mel["hop_length"] / sample_rate
    size = (2.4 * len(tasks) + 1.2, 2.3 * len(classes) + 0.8)
    figure, grid = plt.subplots(len(classes), len(tasks) + 1, figsize=size, squeeze=False,
                                gridspec_kw={"width_ratios": [1] * len(tasks) + [0.08]})
    axes, bars = grid[:, :-1], grid[:, -1]   # the last column holds the colour bar
    image = None
    for (name, task), axis in zip(means, axes.ravel()):
        count, mean = means[(name, task)]
        axis.set_title(f"{name}, {task}\n(mean of {count})", fontsize=8)
        if mean is None:
            axis.text(0.5, 0.5, f"fewer than {min_recordings}\nrecordings:\nnot drawn", ha="center", va="center",
                      fontsize=8, transform=axis.transAxes)
            axis.set(xticks=[], yticks=[])
            continue
        image = axis.imshow(mean, origin="lower", aspect="auto", cmap="magma", vmin=low, vmax=high,
                            extent=(0, seconds, 0, mel["n_mels"]))
        axis.set_xlabel("time (s)", fontsize=7)
        axis.set_ylabel(f"mel band (to {mel['fmax'] / 1000:g} kHz)", fontsize=7)
        axis.tick_params(labelsize=6)
    for bar in bars[1:]:
        bar.axis("off")
    if image is not None:
        figure.colorbar(image, cax=bars[0], label="dB below each recording's peak")
    else:
        bars[0].axis("off")
    figure.suptitle("What the CNN sees: average log-mel spectrogram per class and task", fontsize=10)
    save_png(figure, path, dpi=90)
