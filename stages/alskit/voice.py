"""The VOC-ALS layout (DATA_CONTRACTS.md section 2): task folders of WAV files plus a clinical workbook.

``<root>/<task>/<ID>_<task>.wav`` with IDs ``PZxxx`` (ALS) and ``CTxxx`` (healthy controls), and
``<root>/VOC-ALS.xlsx`` whose first row is a title and second row the column names. Any valid WAV is
accepted (8/16/24/32-bit integer or float, mono or stereo, any sample rate); anything else is an
error naming the file, or a logged skip where params say so.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile

from .cli import UserError
from .io import read_table

log = logging.getLogger("alskit")
TASKS = ["phonationA", "phonationE", "phonationI", "phonationO", "phonationU", "rhythmKA", "rhythmPA", "rhythmTA"]
FILE_NAME = re.compile(r"^(?P<subject>(?:PZ|CT)\d{3})_(?P<task>\w+)\.wav$", re.IGNORECASE)
LABELS = {"ALS": 1, "HC": 0}


def list_recordings(root: str | Path, tasks: list[str]) -> pd.DataFrame:
    """One row per WAV file: ``subject``, ``task``, ``path``. A missing task folder is an error naming it."""
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"{root}: folder not found (expected the VOC-ALS root with one folder per task)")
    rows = []
    for task in tasks:
        folder = root / task
        if not folder.is_dir():
            raise UserError(f"{folder}: task folder missing (voice.tasks lists '{task}')")
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() != ".wav":
                continue
            match = FILE_NAME.match(path.name)
            if not match or match["task"].lower() != task.lower():
                raise UserError(f"{path}: expected a file named like PZ001_{task}.wav or CT001_{task}.wav")
            rows.append({"subject": match["subject"].upper(), "task": task, "path": str(path)})
    if not rows:
        raise UserError(f"{root}: no .wav files in the task folders {', '.join(tasks)}")
    return pd.DataFrame(rows)


def read_wav(path: str | Path) -> tuple[np.ndarray, int, int]:
    """Samples as float64 in [-1, 1] of shape (frames, channels), the sample rate, and the bit depth
    (0 for float files). Raises :class:`UserError` naming the file if it is not a readable WAV."""
    try:
        info = soundfile.info(str(path))
        samples, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError, OSError) as err:
        raise UserError(f"{path}: not a readable WAV file ({err})") from None
    if samples.shape[0] == 0:
        raise UserError(f"{path}: the WAV file holds no samples")
    bits = {"PCM_U8": 8, "PCM_S8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 32}.get(info.subtype, 0)
    return samples, rate, bits


def read_clinical(path: str | Path, id_column: str, label_column: str) -> pd.DataFrame:
    """The clinical workbook (header on its second row), indexed by subject ID, labels checked."""
    frame = read_table(path, header_row=1)
    missing = [c for c in (id_column, label_column) if c not in frame.columns]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(map(repr, missing))} on the header row (row 2)")
    frame[id_column] = frame[id_column].astype(str).str.strip().str.upper()
    frame[label_column] = frame[label_column].astype(str).str.strip()
    unknown = sorted(set(frame[label_column]) - set(LABELS))
    if unknown:
        raise UserError(f"{path}: column '{label_column}' has unknown value(s) {', '.join(map(repr, unknown))}; "
                        f"expected {' or '.join(LABELS)}")
    duplicated = frame[id_column][frame[id_column].duplicated()].unique()
    if len(duplicated):
        raise UserError(f"{path}: subject(s) {', '.join(duplicated[:5])} appear on more than one row")
    return frame.set_index(id_column)


def prepare(samples: np.ndarray, rate: int, target_rate: int, top_db: float) -> np.ndarray:
    """Seed 002, IV.B: mono, resampled to ``target_rate``, 16-bit, silence removed.

    Silence is every stretch more than ``top_db`` below the recording's peak (librosa's
    ``effects.split``); the voiced stretches are joined, as in the paper's Figure 7.
    """
    import librosa

    mono = samples.mean(axis=1)
    resampled = librosa.resample(mono, orig_sr=rate, target_sr=target_rate, res_type="soxr_hq")
    pcm16 = np.clip(np.round(resampled * 32767), -32768, 32767) / 32767
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


def clinical_preprocessor(numeric: list[str], categorical: list[str], strategy: str, fill_value: float):
    """Seed 002, IV.B: impute numeric columns (constant 0 in the paper), one-hot the categories (a blank
    is its own category), then MinMax-scale everything. Unfitted: fit it on training rows only."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler, OneHotEncoder

    numeric_imputer = SimpleImputer(strategy=strategy, fill_value=fill_value if strategy == "constant" else None)
    categories = make_pipeline(SimpleImputer(strategy="constant", fill_value="blank"),
                               OneHotEncoder(handle_unknown="ignore", sparse_output=False))
    columns = ColumnTransformer([("numeric", numeric_imputer, numeric), ("categorical", categories, categorical)])
    return make_pipeline(columns, MinMaxScaler())
