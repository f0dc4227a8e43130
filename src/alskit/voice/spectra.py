"""The voice signal (seed 002, IV.B-C): mono, resampled, 16-bit and without silences; its log-mel spectrogram
image and MFCC summary; and the cached images as the networks read them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np


def prepare(samples: np.ndarray, rate: int, target_rate: int, top_db: float) -> np.ndarray:
    """Seed 002, IV.B: mono, resampled to ``target_rate``, 16-bit, silence removed.

    Silence is every stretch more than ``top_db`` below the recording's peak (librosa's
    ``effects.split``); the voiced stretches are joined, as in the paper's Figure 7. A recording that
    is all zeros at 16 bits is all silence and comes back empty (``effects.split`` would keep it whole).
    """
    import librosa

    mono = samples.mean(axis=1)
    resampled = librosa.resample(mono, orig_sr=rate, target_sr=target_rate, res_type="soxr_hq")
    pcm16 = np.clip(np.round(resampled * 32767), -32768, 32767) / 32767
    if not pcm16.any():
        return pcm16[:0]
    intervals = librosa.effects.split(pcm16, top_db=top_db)
    return np.concatenate([pcm16[a:b] for a, b in intervals]) if len(intervals) else pcm16[:0]


def log_mel(signal: np.ndarray, rate: int, n_fft: int, hop_length: int, n_mels: int, fmax: float,
            frames: int) -> np.ndarray:
    """Log-mel spectrogram in dB below the recording's peak, fitted to ``frames`` columns: longer
    recordings are cropped around their centre, shorter ones padded with the floor value."""
    import librosa

    power = librosa.feature.melspectrogram(y=signal, sr=rate, n_fft=n_fft, hop_length=hop_length,
                                           n_mels=n_mels, fmax=fmax)
    db = librosa.power_to_db(power, ref=np.max, top_db=80.0)
    if db.shape[1] >= frames:
        start = (db.shape[1] - frames) // 2
        return db[:, start:start + frames]
    return np.pad(db, ((0, 0), (0, frames - db.shape[1])), constant_values=db.min())


def mfcc_summary(signal: np.ndarray, rate: int, n_mfcc: int, n_filters: int, pre_emphasis: float,
                 frame_length: float, frame_step: float) -> np.ndarray:
    """Seed 002, III.C: pre-emphasis, Hamming-windowed frames, mel filterbank, log, DCT -> MFCCs;
    summarised per coefficient by mean and standard deviation over frames (2 x n_mfcc values)."""
    import librosa

    emphasised = np.append(signal[:1], signal[1:] - pre_emphasis * signal[:-1])
    n_fft = int(round(frame_length * rate))
    coefficients = librosa.feature.mfcc(y=emphasised, sr=rate, n_mfcc=n_mfcc, n_fft=n_fft, n_mels=n_filters,
                                        hop_length=int(round(frame_step * rate)), window="hamming")
    return np.concatenate([coefficients.mean(axis=1), coefficients.std(axis=1)])


def load_images(path: str | Path) -> np.ndarray:
    """The cached log-mel images as float32 in [0, 1] (0 = 80 dB below the peak) with a channel axis."""
    images = np.load(path).astype(np.float32)
    return ((images + 80.0) / 80.0)[..., np.newaxis]
