"""The VOC-ALS folder (docs/data.md, study 2): finding the recordings, reading and checking each WAV, and
counting what the clean-up kept.

``<root>/<task>/<ID>_<task>.wav`` with IDs ``PZxxx`` (ALS) and ``CTxxx`` (healthy controls). Any valid WAV is
accepted (8/16/24/32-bit integer or float, mono or stereo, any sample rate); anything else, and audio
that is not a voice (digital silence, float samples written at integer scale), is an error naming the
file, or a logged skip where params say so. System files beside the recordings (``._*``, ``.DS_Store``,
``Thumbs.db``) are ignored.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import soundfile

from alskit.common.errors import UserError
from alskit.voice import config, spectra

TASKS = ["phonationA", "phonationE", "phonationI", "phonationO", "phonationU", "rhythmKA", "rhythmPA", "rhythmTA"]
FILE_NAME = re.compile(r"^\s*(?P<subject>(?:PZ|CT)\d{3})\s*_(?P<task>\w+)\s*\.wav$", re.IGNORECASE)
SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini"}  # plus every name starting with '.'
SILENCE_DBFS = -80.0        # a peak below this (every channel) is digital silence, not a recording
INTEGER_SCALE_PEAK = 2.0    # float samples beyond this were written at integer scale (e.g. 32767.0)
CANCEL_DB = 20.0            # a mono mix this far below the louder channel: the channels cancel
UNUSABLE = ("unreadable", "empty", "not_finite", "integer_scale_float", "silence", "too_short")
WAV_FORMATS = ("WAV", "WAVEX", "RF64", "W64")  # libsndfile's names for WAV containers


def is_system_file(name: str) -> bool:
    """Files that operating systems leave beside recordings (``._PZ001_phonationA.wav`` AppleDouble
    forks, ``.DS_Store``, ``Thumbs.db``, any hidden name): not recordings, so ignored rather than refused."""
    return name.startswith(".") or name.lower() in SYSTEM_FILES


def scan_recordings(root: str | Path, tasks: list[str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """:func:`list_recordings` plus how many other entries the task folders held: ``system_files``
    (see :func:`is_system_file`) and ``other_files`` (anything else that is not a ``.wav`` file)."""
    root = Path(root)
    if not root.is_dir():
        raise UserError(f"{root}: folder not found (expected the VOC-ALS root with one folder per task)")
    rows, ignored = [], {"system_files": 0, "other_files": 0}
    for task in tasks:
        folder = root / task
        if not folder.is_dir():
            raise UserError(f"{folder}: task folder missing (voice.tasks lists '{task}')")
        seen: dict[str, Path] = {}
        for path in sorted(folder.iterdir()):
            if is_system_file(path.name):
                ignored["system_files"] += 1
                continue
            if path.suffix.lower() != ".wav":
                ignored["other_files"] += 1
                continue
            match = FILE_NAME.match(path.name)
            if not match or match["task"].lower() != task.lower():
                raise UserError(f"{path}: expected a file named like PZ001_{task}.wav or CT001_{task}.wav")
            subject = match["subject"].upper()
            if subject in seen:  # IDs typed by hand: pz001 and PZ001 are one subject
                raise UserError(f"{seen[subject]} and {path}: both are subject {subject}'s {task} recording "
                                "(IDs differ only in case or spaces); expected one file per subject and task")
            seen[subject] = path
            rows.append({"subject": subject, "task": task, "path": str(path)})
    if not rows:
        raise UserError(f"{root}: no .wav files in the task folders {', '.join(tasks)}")
    return pd.DataFrame(rows), ignored


def list_recordings(root: str | Path, tasks: list[str]) -> pd.DataFrame:
    """One row per WAV file: ``subject`` (upper case), ``task``, ``path``. A missing task folder, a
    misnamed file, or two files of one subject and task (``PZ001_...`` and ``pz001_...``) are errors
    naming them; system files (``._*``, ``.DS_Store``, ``Thumbs.db``) and other non-WAV files are ignored."""
    return scan_recordings(root, tasks)[0]


class Unusable(UserError):
    """A recording that is not usable audio of a voice; ``reason`` is one of :data:`UNUSABLE`."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def read_wav(path: str | Path) -> tuple[np.ndarray, int, int]:
    """Samples as float64 of shape (frames, channels), the sample rate, and the bit depth (0 for float
    files). Integer samples are scaled to [-1, 1); float samples are returned as stored (they may exceed
    ±1, see :func:`check_samples`). Raises :class:`Unusable` naming the file if it is not a readable WAV
    or holds no samples. A truncated file reads as the frames it holds (see :func:`wav_header_frames`)."""
    try:
        info = soundfile.info(str(path))
        samples, rate = soundfile.read(str(path), dtype="float64", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError, OSError) as err:
        detail = re.sub(r"^Error opening .*?: ", "", str(err))  # libsndfile repeats the path
        raise Unusable(f"{path}: not a readable WAV file ({detail})", "unreadable") from None
    if samples.shape[0] == 0:
        frames = wav_header_frames(path)
        cut = f" (its header promises {frames[0]} frames: truncated)" if frames and frames[0] else ""
        raise Unusable(f"{path}: the WAV file holds no samples{cut}", "empty")
    bits = {"PCM_U8": 8, "PCM_S8": 8, "PCM_16": 16, "PCM_24": 24, "PCM_32": 32}.get(info.subtype, 0)
    return samples, rate, bits


def wav_header_frames(path: str | Path) -> tuple[int, int] | None:
    """``(frames the header promises, frames the file holds)`` of a RIFF/WAVE file, from its ``fmt``
    and ``data`` chunks; ``None`` for other containers or a header too broken to tell.

    libsndfile silently reads only the frames present when a file was cut short (a copy or recording
    interrupted), so truncation is only visible by comparing the header's data size with the file size.
    """
    path = Path(path)
    size = path.stat().st_size
    block_align = 0
    with path.open("rb") as handle:
        head = handle.read(12)
        if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
            return None
        position = 12
        while position + 8 <= size:
            handle.seek(position)
            chunk = handle.read(8)
            name, length = chunk[:4], int.from_bytes(chunk[4:], "little")
            if name == b"fmt ":
                fmt = handle.read(16)
                block_align = int.from_bytes(fmt[12:14], "little") if len(fmt) == 16 else 0
            elif name == b"data":
                if not block_align:
                    return None
                held = max(0, size - position - 8)
                return length // block_align, min(length, held) // block_align
            position += 8 + length + (length & 1)
    return None


def check_samples(samples: np.ndarray, bits: int, path: str | Path) -> tuple[np.ndarray, dict]:
    """Refuse audio that is not a voice, and pick the channel(s) to mix to mono.

    Raises :class:`Unusable` for float samples that are not finite, float samples written at integer
    scale (peak beyond :data:`INTEGER_SCALE_PEAK`, e.g. 32767.0) and digital silence (every channel's
    peak below :data:`SILENCE_DBFS`). Of several channels, a dead one (silent beside a live one) is
    dropped, and channels that cancel in the mono mix (e.g. right = -left: the mix is more than
    :data:`CANCEL_DB` below the louder channel) are replaced by the louder one: the plain mean would
    halve or erase the voice. Returns the channels to average, shape (frames, k), and facts:
    ``peak_dbfs``, ``clipped_share`` (samples at or beyond full scale, of the channels kept),
    ``channel`` ("mix" or the 1-based channel used), ``channel_fix`` ("", "dead" or "cancelling")
    and ``notes`` (log lines for the stage).
    """
    notes = []
    if not np.isfinite(samples).all():
        raise Unusable(f"{path}: float samples include NaN or infinity; expected finite samples", "not_finite")
    peaks = np.abs(samples).max(axis=0)
    peak = float(peaks.max())
    if bits == 0 and peak > INTEGER_SCALE_PEAK:
        raise Unusable(f"{path}: float samples reach {peak:.1f}, beyond ±1: written at integer scale? "
                       "(expected float samples within ±1)", "integer_scale_float")
    if peak == 0:
        raise Unusable(f"{path}: all samples are 0 (digital silence); expected a recorded voice", "silence")
    if peak < 10 ** (SILENCE_DBFS / 20):
        raise Unusable(f"{path}: digital silence (peak {20 * np.log10(peak):.0f} dBFS, below {SILENCE_DBFS:.0f} "
                       "dBFS); expected a recorded voice", "silence")
    channel, fix = "mix", ""
    if samples.shape[1] > 1:
        live = np.flatnonzero(peaks >= 10 ** (SILENCE_DBFS / 20))
        if len(live) < samples.shape[1]:
            dead = ", ".join(str(c + 1) for c in range(samples.shape[1]) if c not in live)
            samples, fix = samples[:, live], "dead"
            channel = str(live[0] + 1) if len(live) == 1 else "mix"
            using = f"using channel {channel}" if len(live) == 1 else f"mixing channels {', '.join(map(str, live + 1))}"
            notes.append(f"{path}: channel {dead} silent; {using}")
        if samples.shape[1] > 1:
            rms = np.sqrt(np.mean(samples ** 2, axis=0))
            mix = np.sqrt(np.mean(samples.mean(axis=1) ** 2))
            down = 20 * np.log10(mix / rms.max()) if mix > 0 else -np.inf
            if down < -CANCEL_DB:
                louder = int(np.argmax(rms))
                channel = str(live[louder] + 1)
                samples, fix = samples[:, [louder]], "cancelling"
                notes.append(f"{path}: channels cancel in the mono mix ({down:.0f} dB); using channel {channel}")
    full_scale = 1 - 2.0 ** -(bits - 1 if bits else 15) - 1e-12  # int: the largest code; float: 16-bit scale
    clipped = np.abs(samples) >= full_scale
    if bits == 0 and peak > 1:
        notes.append(f"{path}: float samples reach {peak:.2f}, beyond ±1: {clipped.mean():.2%} of samples clipped")
    return samples, {"peak_dbfs": 20 * np.log10(peak), "clipped_share": float(clipped.mean()),
                     "channel": channel, "channel_fix": fix, "notes": notes}


def prepare_file(path: str | Path, target_rate: int, top_db: float, min_seconds: float) -> tuple[np.ndarray, dict]:
    """Read, check (:func:`check_samples`) and prepare (:func:`alskit.voice.spectra.prepare`) one recording.

    Returns the prepared mono signal and its facts (``rate_in``, ``channels_in``, ``bits_in``,
    ``seconds_in``, ``seconds_out``, ``format_in``, ``truncated`` and those of :func:`check_samples`).
    Raises :class:`Unusable` naming the file when it is unreadable, not a voice, or has nothing (or
    less than ``min_seconds``) left after silence removal. Notes for the log are in ``facts["notes"]``:
    this runs in worker processes, whose log lines would be lost.
    """
    samples, rate_in, bits = read_wav(path)
    kept, facts = check_samples(samples, bits, path)
    info = soundfile.info(str(path))
    if info.format not in WAV_FORMATS:
        facts["notes"].append(f"{path}: holds {info.format} audio, not WAV; read as {info.format}")
    frames = wav_header_frames(path)
    truncated = frames is not None and frames[0] > frames[1]
    if truncated:
        facts["notes"].append(f"{path}: truncated: the header promises {frames[0]} frames, the file holds "
                              f"{len(samples)}; reading those ({len(samples) / rate_in:.2f} s)")
    prepared = spectra.prepare(kept, rate_in, target_rate, top_db)
    if len(prepared) == 0:
        raise Unusable(f"{path}: nothing left after silence removal (voice.audio.top_db = {top_db}); "
                       "expected a recorded voice", "silence")
    if len(prepared) < min_seconds * target_rate:
        raise Unusable(f"{path}: {len(prepared) / target_rate:.2f} s of sound after silence removal, "
                       f"less than voice.audio.min_seconds = {min_seconds}", "too_short")
    facts.update(rate_in=rate_in, channels_in=samples.shape[1], bits_in=bits, format_in=info.format,
                 truncated=truncated, seconds_in=len(samples) / rate_in, seconds_out=len(prepared) / target_rate)
    return prepared, facts


CLIPPED_SHARE = 0.001  # a recording with at least this share of samples at full scale counts as clipped


def missing_tasks(recordings: pd.DataFrame, tasks: list[str]) -> dict[str, list[str]]:
    """Per subject with at least one recording, the tasks it has none for (subjects lacking none left out)."""
    present = recordings.groupby("subject")["task"].agg(set)
    lacking = {subject: [t for t in tasks if t not in have] for subject, have in present.items()}
    return {subject: lack for subject, lack in lacking.items() if lack}


def audio_counts(recordings: pd.DataFrame, facts: pd.DataFrame, bad: pd.Series, tasks: list[str],
                 found: pd.DataFrame, ignored: dict[str, int], unknown: list[str], clinical: pd.Series) -> dict:
    """voice_audio's metrics: what was found, ignored, skipped (by reason), repaired and kept, per class; counts
    only, never a subject ID (the metrics are committed with the code)."""
    bad = bad.to_numpy()
    good, out = facts[~bad], recordings[~bad]
    lacking_in, lacking_out = missing_tasks(recordings, tasks), missing_tasks(out, tasks)
    by_k = pd.Series([len(lack) for lack in lacking_in.values()], dtype=int).value_counts()
    by_class = {}
    for name, code in config.CLASSES.items():
        of_class = (recordings["label"] == code).to_numpy()
        subjects_in = recordings.loc[of_class, "subject"].nunique()
        subjects_out = recordings.loc[of_class & ~bad, "subject"].nunique()
        by_class[name] = {"subjects_in": subjects_in, "subjects_out": subjects_out,
                          "subjects_skipped": subjects_in - subjects_out, "recordings_in": int(of_class.sum()),
                          "recordings_out": int((of_class & ~bad).sum()),
                          "recordings_skipped": int((of_class & bad).sum())}
    return {
        "files_found": {task: int((found["task"] == task).sum()) for task in tasks},
        "system_files_ignored": ignored["system_files"],
        "other_files_ignored": ignored["other_files"],
        "subjects_without_clinical_row": len(unknown),
        "recordings_without_clinical_row": int(found["subject"].isin(unknown).sum()),
        "clinical_subjects_without_recordings": len(set(clinical.index) - set(found["subject"])),
        "recordings_in": len(recordings),
        "recordings_out": len(out),
        "skipped": {reason: int((facts["reason"][bad] == reason).sum()) for reason in UNUSABLE},
        "channels_replaced": {fix: int((good["channel_fix"] == fix).sum()) for fix in ("cancelling", "dead")},
        "truncated_read": int(good["truncated"].astype(bool).sum()),
        "not_wav_read": int((~good["format_in"].isin(WAV_FORMATS)).sum()),
        "recordings_clipped": int((good["clipped_share"] >= CLIPPED_SHARE).sum()),
        "subjects_in": recordings["subject"].nunique(),
        "subjects_out": out["subject"].nunique(),
        "subjects_with_all_tasks": recordings["subject"].nunique() - len(lacking_in),
        "subjects_out_with_all_tasks": out["subject"].nunique() - len(lacking_out),
        "subjects_missing_tasks": {str(k): int(by_k.get(k, 0)) for k in range(1, len(tasks))},
        "by_class": by_class,
    }
